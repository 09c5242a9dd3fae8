/**
 * The HTML report of an audit with history and exceptions, without a browser: what the table, Markdown, CSV and
 * JSON reports say is on the page too (accepted findings marked, with reason, owner, ticket and expiry, and not
 * counted; expired, exceeded and stale entries; the changes since the baseline), and nothing from the input or
 * the exceptions file reaches markup raw. tests/browser/history-html.test.ts shows the same page in Chromium.
 */

import { describe, expect, it } from '@jest/globals';
import { describeException } from '../../src/report/changes-text.js';
import { findingTitle } from '../../src/report/diff/describe-diff.js';
import type { ConnectorDetail, ConnectorShared } from '../../src/report/html/connector-kind.js';
import { escapeHtml } from '../../src/report/html/escape.js';
import { renderHtmlChunks } from '../../src/report/html/html-report.js';
import type { PageData } from '../../src/report/html/page-types.js';
import type { Report } from '../../src/report/report.js';
import { LINE_LIMIT, shorten, visible } from '../../src/report/untrusted-text.js';
import { changingAuditWithExceptions, hostileAudit } from '../support/audit-report.js';
import { IDENTITY } from '../support/changing-orgs.js';
import { HOSTILE_NAMES } from '../support/hostile-names.js';

type Data = PageData<ConnectorDetail, ConnectorShared>;

function page(report: Report): { html: string; markup: string; data: Data } {
  const html = [...renderHtmlChunks(report)].join('');
  const match = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('no data element');
  return {
    html,
    markup: html.replace(match[1] as string, ''),
    data: JSON.parse(match[1] as string) as Data,
  };
}

describe('the HTML report of an audit with exceptions', () => {
  const report = changingAuditWithExceptions();
  const { html, data } = page(report);
  const byConnector = (checkId: string, identity: string | null) =>
    data.findings.find(
      (finding) =>
        finding.checkId === checkId &&
        (identity === null ? finding.connectorLabel === null : finding.connectorLabel === identity),
    );

  it('marks the accepted finding with its reason, owner, ticket and expiry, and says it is not counted', () => {
    expect(byConnector('anonymous-relay', IDENTITY.printers)?.exception).toEqual({
      status: 'accepted',
      text: 'Accepted until 2099-12-31 (it-ops@contoso.com, CHG-1): Printers relay until the migration',
    });
    expect(html).toContain('<li><span class="count">1</span> accepted by an exception (not counted)</li>');
    expect(html).toContain(
      'A finding marked accepted is covered by an approved exception: listed, but not counted toward the exit code.',
    );
    expect(html).toContain(
      '<dt>Exceptions</dt><dd><span class="text">exceptions.yaml</span>, judged on 2025-03-04: 4 entries; 1 accepted, 1 expired, 1 exceeded, 1 stale</dd>',
    );
  });

  it('marks the expired and the exceeded exception on their findings, and lists the findings about them', () => {
    expect(byConnector('anonymous-relay', IDENTITY.everyone)?.exception).toEqual({
      status: 'expired',
      text: 'Exception expired on 2025-03-03 (it-ops@contoso.com): counts again. It was approved for: Monitoring probe',
    });
    expect(byConnector('anonymous-relay', IDENTITY.apps)?.exception?.status).toBe('scope-exceeded');
    const aboutExceptions = data.findings.filter((finding) => finding.checkId === 'exception');
    expect(aboutExceptions.map((finding) => [finding.messageId, finding.connectorLabel])).toEqual([
      ['scope-exceeded', IDENTITY.apps],
      ['expired', IDENTITY.everyone],
      ['stale', null],
    ]);
    expect(aboutExceptions[2]?.message).toContain(
      'The exception at line 25 (anonymous-relay on EX01\\Legacy Relay (S-1-5-7)) matches no finding',
    );
    // Their "check" is explained on the page, as every check's is.
    expect(data.checks.exception).toBe('Approved exception out of date');
    expect(html).toContain(
      '<article id="check-exception"><h3>Approved exception out of date <code>exception</code></h3>',
    );
    expect(html).toContain('<code>docs/scheduled-audits.md</code>');
  });

  it("marks each of today's findings new, widened or narrowed since the baseline, and offers those marks as a filter", () => {
    const diff = report.changes!.diff!;
    const marks = new Map(data.findings.map((finding) => [finding.fingerprint, finding.mark]));
    for (const finding of diff.findings.introduced) expect(marks.get(finding.fingerprint)).toBe('new');
    for (const finding of diff.findings.widened) expect(marks.get(finding.fingerprint)).toBe('widened');
    for (const finding of diff.findings.narrowed) expect(marks.get(finding.fingerprint)).toBe('narrowed');
    expect(byConnector('anonymous-relay', IDENTITY.printers)?.mark).toBeNull();
    expect(data.findingMarks).toEqual(['new', 'widened', 'narrowed']);
    expect(html).toContain('<select id="finding-mark">');
  });

  it('has the changes since the baseline: every finding list, the connectors, accepted domains and the alert', () => {
    const section = /<section id="changes"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(section).toContain(
      '<h2 id="changes-heading">Changes since 2025-03-03T06:00:00.000Z (snapshots/exrelay-snapshot-20250303-060000.json)</h2>',
    );
    expect(section).toContain(
      '<p>Findings: 8 introduced, 2 widened, 7 resolved, 2 narrowed. Connectors: 1 added, 1 removed, 1 renamed, 6 changed.</p>',
    );
    for (const heading of [
      'Findings introduced (8)',
      'Findings widened (2)',
      'Findings resolved (7)',
      'Findings narrowed (2)',
    ])
      expect(section).toContain(`<h3>${heading}</h3>`);
    expect(section).toContain(
      '<span class="change-mark change-widened">widened</span> <strong class="text">HIGH anonymous-relay on EX01\\Relay Apps</strong> <span class="muted">(its connector receives 16,646,110 addresses more (now 16,711,646 addresses))</span>',
    );
    expect(section).toMatch(
      /change-resolved">resolved<\/span> <strong class="text">[A-Z]+ anonymous-relay on EX01\\Legacy Relay<\/strong>/,
    );
    expect(section).toContain(
      '<span class="change-mark change-renamed">renamed</span> <strong class="text">EX01\\Relay Scanners → EX01\\Relay Scanners Floor 2 (renamed)</strong>',
    );
    expect(section).toContain('<li class="text">RemoteIPRanges + 10.0.0.0/8 (16,777,216 addresses)</li>');
    expect(section).toContain('<li class="text">RemoteIPRanges − 10.20.0.0/16 (65,536 addresses)</li>');
    expect(section).toContain('<li class="text">contoso.com: Authoritative → InternalRelay</li>');
    expect(section).toContain(
      `<p id="change-alert"><strong>Change alert: ${report.changes!.regressions} findings new or widened since the baseline at or above high, not accepted (--fail-on-change): exit 1.</strong></p>`,
    );
    expect(html).toContain(
      '<dt>Changes</dt><dd><a href="#changes">since 2025-03-03T06:00:00.000Z</a>: Findings: 8 introduced',
    );
  });

  it('says when there is no baseline, and has no changes section or marks for analyze', () => {
    const first = page({
      ...report,
      changes: {
        ...report.changes!,
        since: null,
        baseline: null,
        diff: null,
        notes: ['No earlier snapshot in snapshots: the next audit compares with this one.'],
      },
    });
    expect(first.html).toContain('<h2 id="changes-heading">Changes: no baseline</h2>');
    expect(first.html).toContain(
      '<p class="banner text" role="note">No earlier snapshot in snapshots: the next audit compares with this one.</p>',
    );
    expect(first.html).toContain('<dt>Changes</dt><dd><a href="#changes">no baseline</a>');
    expect(first.data.findingMarks).toEqual([]);
    const { changes: _changes, exceptions: _exceptions, ...plain } = report;
    const analyze = page({
      ...plain,
      findings: report.findings.map(({ exception: _mark, ...finding }) => finding),
    });
    expect(analyze.html).not.toContain('id="changes"');
    expect(analyze.html).not.toContain('<dt>Exceptions</dt>');
    expect(analyze.html).not.toContain('accepted by an exception');
    expect(
      analyze.data.findings.every((finding) => finding.exception === null && finding.mark === null),
    ).toBe(true);
  });
});

describe('hostile names in the history and exceptions of the HTML report', () => {
  const names = HOSTILE_NAMES.map(({ name }) => name);
  // No exception limits the scope, so each still covers its widened finding.
  const report = hostileAudit(() => false);
  const { markup, data } = page(report);

  it('puts no hostile name, reason, owner or ticket into the markup raw', () => {
    expect(markup).not.toMatch(/<(img|iframe|link|svg onload|script>window)|<!--|<!\[CDATA|" on[a-z]+=/i);
    expect(markup).not.toMatch(/<[^>]*\s(on[a-z]+|style|src)=/i);
    expect(markup.match(/<script\b[^>]*>/g)).toHaveLength(2);
    expect(markup).toContain(escapeHtml(visible('</script><script>window.__exrelay')));
    expect(markup).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202e\u2028\u2029]/);
  });

  it('shows each widened connector in the changes section, visible and escaped', () => {
    const section = /<section id="changes"[\s\S]*?<\/section>/.exec(markup)?.[0] ?? '';
    const widened = report.changes!.diff!.findings.widened;
    expect(widened).toHaveLength(names.length);
    for (const finding of widened)
      expect(section).toContain(
        `<strong class="text">${escapeHtml(shorten(findingTitle(finding), LINE_LIMIT))}</strong>`,
      );
    expect(section).toContain(
      'MEDIUM → HIGH anonymous-relay on EX01\\&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt; (accepted by an exception)',
    );
    expect(section).toContain('on EX01\\Relay \\u{202e}yaleR\\u{202c} Safe (accepted by an exception)');
  });

  it('carries each exception as the visible sentence of its reason, owner and ticket', () => {
    const texts = data.findings.flatMap((finding) => (finding.exception ? [finding.exception.text] : []));
    expect(texts).toHaveLength(names.length);
    const marks = report.findings.flatMap((finding) => (finding.exception ? [finding.exception] : []));
    expect(marks.every((mark) => mark.status === 'accepted')).toBe(true);
    expect(texts).toEqual(marks.map((mark) => visible(shorten(describeException(mark), LINE_LIMIT))));
    expect(texts).toContainEqual(expect.stringContaining(visible('Relay\u0000Null')));
  });
});
