/**
 * The HTML writer without a browser: what the page's policy allows is exactly what the page holds, data from the
 * input never reaches markup raw, and the page is written in pieces as connectors stream past. The browser tests
 * (tests/browser) show the same page working.
 */

import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { evaluate, evaluateToStream } from '../../src/pipeline.js';
import { escapeHtml, scriptJson } from '../../src/report/html/escape.js';
import { CONNECTOR_SCRIPT, renderHtmlChunks } from '../../src/report/html/html-report.js';
import type { ConnectorDetail, ConnectorShared } from '../../src/report/html/connector-kind.js';
import { approximateCount } from '../../src/report/html/page-text.js';
import type { PageData } from '../../src/report/html/page-types.js';
import { PAGE_STYLE } from '../../src/report/html/page-style.js';
import type { ReportConnector } from '../../src/report/report.js';
import { LINE_LIMIT, shorten, visible } from '../../src/report/untrusted-text.js';
import { anonymousUsersGroup, connector, grant, RELAY, snapshot } from '../support/builders.js';
import { HOSTILE_NAMES } from '../support/hostile-names.js';

const relayAcl = [
  ...anonymousUsersGroup(),
  grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY, { sid: 'S-1-5-7' }),
];

function hostileSnapshot() {
  return snapshot(
    HOSTILE_NAMES.map(({ name }, index) =>
      connector({ name, remoteIPRanges: [`10.${index}.0.0/24`], permissions: relayAcl }),
    ),
    {
      source: { method: 'files', description: HOSTILE_NAMES.map(({ name }) => name).join(' | '), tool: null },
    },
  );
}

const page = [...renderHtmlChunks(evaluate(hostileSnapshot(), 'exrelay test').report)].join('');

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The page's markup with the data element's content taken out. */
function markupAndData(html: string): { markup: string; data: string } {
  const match = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('no data element');
  return { markup: html.replace(match[1] as string, ''), data: match[1] as string };
}

describe('the HTML page', () => {
  it('allows by hash exactly its one script and its one stylesheet, and nothing else at all', () => {
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1];
    expect(policy?.replace(/&#39;/g, "'").split('; ')).toEqual([
      "default-src 'none'",
      `script-src ${sha256(CONNECTOR_SCRIPT)}`,
      `style-src ${sha256(PAGE_STYLE)}`,
      "base-uri 'none'",
      "form-action 'none'",
      "require-trusted-types-for 'script'",
      "trusted-types 'none'",
    ]);
    const { markup } = markupAndData(page);
    expect(markup.match(/<script\b[^>]*>/g)).toEqual([
      '<script type="application/json" id="report-data">',
      '<script>',
    ]);
    expect(markup).toContain(`<script>${CONNECTOR_SCRIPT}</script>`);
    expect(markup.match(/<style\b[^>]*>/g)).toEqual(['<style>']);
    expect(markup).toContain(`<style>${PAGE_STYLE}</style>`);
    // The policy sits before anything it governs.
    expect(page.indexOf('Content-Security-Policy')).toBeLessThan(page.indexOf('<style>'));
    expect(markup).not.toMatch(/<[^>]*\s(on[a-z]+|style|src)=/i);
  });

  it('puts no hostile name into the markup raw', () => {
    const { markup } = markupAndData(page);
    expect(markup).not.toMatch(/<(img|iframe|link|svg onload|script>window)|<!--|<!\[CDATA|" on[a-z]+=/i);
    expect(markup).toContain(escapeHtml(visible('</script><script>window.__exrelay')));
  });

  it('carries every name in the data as JSON that no string can end, and that parses back to it', () => {
    const { data } = markupAndData(page);
    expect(data).not.toMatch(/[<>&\u2028\u2029]/);
    const parsed = JSON.parse(data) as PageData<ConnectorDetail, ConnectorShared>;
    expect(parsed.rows.map((entry) => entry.detail.identity)).toEqual(
      HOSTILE_NAMES.map(({ name }) => visible(shorten(`EX01\\${name}`, LINE_LIMIT))),
    );
    expect(parsed.rows.at(-1)?.detail.identity).toMatch(/^EX01\\Relay x+…x+ end \(100,015 characters\)$/);
    expect(parsed.findings.length).toBeGreaterThanOrEqual(HOSTILE_NAMES.length);
    for (const finding of parsed.findings)
      expect(parsed.rows[finding.row]?.cells[0]).toBe(finding.connectorLabel);
  });

  it('escapes every character that could end a script element or a string', () => {
    const nasty = '</script><!--<script>\u2028\u2029&';
    expect(scriptJson({ nasty })).toBe(
      '{"nasty":"\\u003c/script\\u003e\\u003c!--\\u003cscript\\u003e\\u2028\\u2029\\u0026"}',
    );
    expect(JSON.parse(scriptJson({ nasty }))).toEqual({ nasty });
    expect(escapeHtml(`<a href="x" title='y'>&`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;');
  });
});

describe('the headline', () => {
  const page = (overrides: Parameters<typeof snapshot>[1]) =>
    [
      ...renderHtmlChunks(
        evaluate(snapshot([connector({ name: 'Relay' })], overrides), 'exrelay test').report,
      ),
    ].join('');

  it('says when the data is partial, when it was collected, and names the organisation by its default domain', () => {
    const partial = page({
      partial: true,
      collectedAt: '2026-03-04T09:15:00Z',
      acceptedDomains: [
        { name: 'Contoso', domainName: 'contoso.com', domainType: 'Authoritative', isDefault: true },
      ],
    });
    expect(partial).toContain('<p class="banner" role="note"><strong>Partial data.</strong>');
    expect(partial).toContain('<dt>Data</dt><dd><strong>partial</strong>: some items could not be read</dd>');
    expect(partial).toContain('<dt>Collected</dt><dd>2026-03-04T09:15:00Z</dd>');
    expect(partial).toContain('<dt>Organisation</dt><dd>contoso.com (default accepted domain)</dd>');
    const complete = page({});
    expect(complete).not.toContain('Partial data.');
    expect(complete).toContain('<dt>Data</dt><dd>complete</dd>');
    expect(complete).toContain('<dt>Collected</dt><dd>not recorded (files exported by hand)</dd>');
    expect(complete).not.toContain('<dt>Organisation</dt>');
  });
});

describe('writing the page in pieces', () => {
  it('converts one connector at a time as the report streams them', () => {
    const stream = evaluateToStream(
      snapshot(
        Array.from({ length: 50 }, (_, index) =>
          connector({ name: `Relay ${index}`, remoteIPRanges: [`10.0.${index}.0/24`] }),
        ),
      ),
      'exrelay test',
    );
    let pulled = 0;
    const counted = {
      ...stream,
      connectors: {
        *[Symbol.iterator]() {
          for (const entry of stream.connectors as Iterable<ReportConnector>) {
            pulled++;
            yield entry;
          }
        },
      },
    };
    const chunks = renderHtmlChunks(counted);
    let seen = 0;
    for (const chunk of chunks) {
      if (chunk.includes('"cells":["EX01\\\\Relay ')) {
        seen++;
        // Each piece holds one connector, written before the next is built.
        expect(chunk.match(/"cells":/g)).toHaveLength(1);
        expect(pulled).toBe(seen);
      }
    }
    expect(seen).toBe(50);
  });
});

describe('address counts for a table cell', () => {
  it.each([
    ['0', '0'],
    ['256', '256'],
    ['4294967296', '4,294,967,296'],
    ['999999999999', '999,999,999,999'],
    ['18446744073709551616', '≈ 1.8 × 10¹⁹'],
    ['340282366920938463463374607431768211456', '≈ 3.4 × 10³⁸'],
  ])('%s is shown as %s', (decimal, shown) => {
    expect(approximateCount(decimal)).toBe(shown);
  });
});
