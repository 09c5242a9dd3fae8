/**
 * Every report format against one corpus of hostile names (tests/support/hostile-names.ts): the structure stays
 * what the data says (rows, columns, headings, fences), nothing reaches the reader raw, and every name can be
 * told apart. JSON keeps the exact strings. Markdown and CSV are read back with real parsers (markdown-it with
 * GFM tables and HTML on, csv-parse), as a reader of the report would.
 */

import { describe, expect, it } from '@jest/globals';
import { parse as parseCsv } from 'csv-parse/sync';
import MarkdownIt from 'markdown-it';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { buildSnapshot } from '../../src/ingest/build-snapshot.js';
import { evaluate } from '../../src/pipeline.js';
import { renderCsv } from '../../src/report/csv.js';
import { renderJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { Report } from '../../src/report/report.js';
import { renderTable, TABLES_FIT_FROM } from '../../src/report/table.js';
import {
  ALTERED_COMMAND_NOTE,
  CELL_LIMIT,
  LINE_LIMIT,
  terminalMessage,
} from '../../src/report/untrusted-text.js';
import { anonymousUsersGroup, connector, grant, RELAY, snapshot } from '../support/builders.js';
import { decodeVisible } from '../support/decode-visible.js';
import { displayWidth, firstRawHidden, HOSTILE_NAMES, HOSTILE_RANGES } from '../support/hostile-names.js';

type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

const relayAcl = [
  ...anonymousUsersGroup(),
  grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY, { sid: 'S-1-5-7' }),
];

/**
 * Each hostile name on two servers with different scopes (so inconsistent-relay-scope quotes the name in its
 * message), relaying anonymously; one more connector with hostile RemoteIPRanges entries (unparseable-range
 * quotes them).
 */
function hostileReport(): Report {
  const connectors = HOSTILE_NAMES.flatMap(({ name }, index) =>
    ['EX01', 'EX02'].map((server, copy) =>
      connector({
        name,
        server,
        remoteIPRanges: [`10.${index}.${copy}.0/${24 + copy}`],
        permissions: relayAcl,
      }),
    ),
  );
  connectors.push(connector({ name: 'Ranges', remoteIPRanges: [...HOSTILE_RANGES], permissions: relayAcl }));
  return evaluate(snapshot(connectors), 'exrelay test').report;
}

const report = hostileReport();
const identities = report.connectors.map((entry) => entry.identity);

describe('the hostile corpus reaches the code under test', () => {
  it('gives every connector, a finding quoting each name, and one quoting each bad range', () => {
    expect(report.connectors).toHaveLength(HOSTILE_NAMES.length * 2 + 1);
    const messages = report.findings.map((finding) => finding.message);
    for (const { label, name } of HOSTILE_NAMES)
      expect([label, messages.some((message) => message.includes(`'${name}'`))]).toEqual([label, true]);
    for (const range of HOSTILE_RANGES)
      expect([range, messages.some((message) => message.includes(range))]).toEqual([range, true]);
  });
});

describe('JSON', () => {
  it('keeps every name and range exactly, and prints nothing a terminal would act on', () => {
    const json = renderJson(report);
    expect(firstRawHidden(json)).toBeNull();
    const parsed = JSON.parse(json) as Report;
    expect(parsed.connectors.map((entry) => entry.name)).toEqual(
      report.connectors.map((entry) => entry.name),
    );
    expect(parsed.findings).toEqual(report.findings);
    expect(parsed.connectors.at(-1)?.remoteIPRanges.map((range) => range.text)).toEqual(HOSTILE_RANGES);
  });
});

describe('CSV', () => {
  const csv = renderCsv(report);
  const rows = parseCsv(csv, { relaxQuotes: false }) as string[][];

  it('has one row of seven cells per finding, and no raw hidden character', () => {
    expect(rows).toHaveLength(report.findings.length + 1);
    for (const row of rows) expect(row).toHaveLength(7);
    // Line feeds only inside fix commands (quoted cells) and before each CR of a row's end.
    for (const row of rows) for (const cell of row.slice(0, 5)) expect(firstRawHidden(cell, null)).toBeNull();
    for (const row of rows) for (const fix of row.slice(5)) expect(firstRawHidden(fix, /\n/)).toBeNull();
  });

  it('never starts a cell with a formula, and names every connector unambiguously and in full', () => {
    for (const row of rows)
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/);
    report.findings.forEach((finding, index) => {
      const cell = (rows[index + 1] as string[])[2] as string;
      expect(decodeVisible(cell.replace(/^'/, ''))).toBe(finding.connector ?? '');
    });
  });
});

describe('Markdown', () => {
  const markdown = renderMarkdown(report, { showInfo: true });
  const tokens = new MarkdownIt({ html: true }).parse(markdown, {});
  const inline = (token: Token | undefined) =>
    (token?.children ?? [])
      .map((child) =>
        child.type === 'text' || child.type === 'code_inline' ? child.content : `<${child.type}>`,
      )
      .join('');

  it('has exactly the headings, table rows and fences of the report, and no HTML, link or emphasis', () => {
    expect(firstRawHidden(markdown)).toBeNull();
    const types = (type: string) => tokens.filter((token) => token.type === type);
    expect(types('heading_open').map((token) => token.tag)).toEqual([
      'h1',
      'h2',
      'h2',
      ...report.findings.map(() => 'h3'),
    ]);
    expect(types('table_open')).toHaveLength(1);
    expect(types('tr_open')).toHaveLength(report.connectors.length + 1);
    const cellsPerRow = tokens.reduce<number[]>((rows, token) => {
      if (token.type === 'tr_open') rows.push(0);
      if (token.type === 'td_open' || token.type === 'th_open')
        rows[rows.length - 1] = (rows.at(-1) ?? 0) + 1;
      return rows;
    }, []);
    expect(new Set(cellsPerRow)).toEqual(new Set([6]));
    const commands = report.findings.flatMap((finding) => [finding.remediation, finding.rollback]);
    expect(types('fence')).toHaveLength(commands.filter((command) => command !== null).length);
    const inlineChildren = tokens.flatMap((token) => token.children ?? []);
    for (const forbidden of [
      'html_inline',
      'html_block',
      'link_open',
      'image',
      'em_open',
      'strong_open',
      's_open',
    ])
      expect([forbidden, inlineChildren.filter((child) => child.type === forbidden).length]).toEqual([
        forbidden,
        0,
      ]);
    expect(types('html_block')).toHaveLength(0);
    expect(types('bullet_list_open')).toHaveLength(0);
    expect(types('ordered_list_open')).toHaveLength(0);
    expect(types('blockquote_open')).toHaveLength(0);
  });

  it('offers no link where GitHub would make one of plain text (GFM autolink literals)', () => {
    const html = micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });
    // The corpus must hold names GitHub would link, or this proves nothing.
    expect(micromark('www.evil.example', { extensions: [gfm()], htmlExtensions: [gfmHtml()] })).toContain(
      '<a ',
    );
    expect(html).toContain('<table>');
    expect(html).not.toMatch(/<a\s/);
    expect(html).toContain('Relay https://evil.example/login');
    expect(html).toContain('Relay www.evil.example');
    expect(html).toContain('admin@evil.example');
  });

  it('shows each connector as its own cell that reads back to its identity', () => {
    const firstCells: string[] = [];
    tokens.forEach((token, index) => {
      if (token.type === 'tr_open' && tokens[index + 1]?.type === 'td_open')
        firstCells.push(inline(tokens[index + 2]));
    });
    expect(firstCells).toHaveLength(identities.length);
    firstCells.forEach((cell, index) => {
      const identity = identities[index] as string;
      if (identity.length <= 4000) expect(decodeVisible(cell)).toBe(identity);
      else expect(cell).toMatch(/ \(\d{3},\d{3} characters\)$/);
    });
  });

  it('fences every fix and rollback command whole, and heads every finding with its connector', () => {
    const fences = tokens.filter((token) => token.type === 'fence');
    const fixes = report.findings
      .flatMap((finding) => [finding.remediation, finding.rollback])
      .filter((command): command is string => command !== null);
    // The corpus reaches rollbacks too: names inside restore commands.
    expect(report.findings.filter((finding) => finding.rollback !== null).length).toBeGreaterThan(
      HOSTILE_NAMES.length,
    );
    fences.forEach((fence, index) => {
      expect(fence.info).toBe('powershell');
      const fix = fixes[index] as string;
      const lines = fence.content.replace(/\n$/, '').split('\n');
      const altered = lines[0] === ALTERED_COMMAND_NOTE;
      const shown = altered ? lines.slice(1) : lines;
      expect(shown).toHaveLength(fix.split('\n').length);
      fix.split('\n').forEach((line, at) => {
        if (line.length > LINE_LIMIT) expect(shown[at]).toMatch(/ \(\d{3},\d{3} characters\)$/);
        else expect(decodeVisible(shown[at] as string)).toBe(line);
      });
      // A command that could not be shown as it is says so.
      if (fix.split('\n').some((line) => line.length > LINE_LIMIT || firstRawHidden(line) !== null))
        expect(altered).toBe(true);
    });
    const headings = tokens.filter(
      (token, index) => tokens[index - 1]?.type === 'heading_open' && tokens[index - 1]?.tag === 'h3',
    );
    headings.forEach((heading, index) => {
      const finding = report.findings[index];
      const code = heading.children?.find((child) => child.type === 'code_inline')?.content;
      if (!finding?.connector) expect(code).toBeUndefined();
      else if (finding.connector.length <= CELL_LIMIT)
        expect(decodeVisible(code as string)).toBe(finding.connector);
    });
  });
});

describe('table', () => {
  /** The table report at `width`, checked for raw characters, cut into its connectors and findings lines. */
  function tableSections(width: number): { connectors: string[]; findings: string[] } {
    const text = renderTable(report, { width, color: false, showInfo: true });
    expect(firstRawHidden(text)).toBeNull();
    const lines = text.split('\n');
    const connectorsAt = lines.indexOf('Connectors');
    const findingsAt = lines.indexOf('Findings');
    const fixesAt = lines.findIndex((line) => line.startsWith('Fixes ('));
    expect([connectorsAt, findingsAt, fixesAt].every((at) => at > 0)).toBe(true);
    return {
      connectors: lines.slice(connectorsAt + 1, findingsAt),
      findings: lines.slice(findingsAt + 1, fixesAt).filter((line) => line !== ''),
    };
  }

  for (const width of [80, 120]) {
    it(`keeps ${width} columns, one row per connector and finding, and nothing raw`, () => {
      const { connectors: connectorsTable, findings: findingsTable } = tableSections(width);
      for (const line of [...connectorsTable, ...findingsTable])
        expect(displayWidth(line)).toBeLessThanOrEqual(width);
      // Every line of a table has its borders and nothing else that draws one.
      for (const line of connectorsTable.filter((line) => line.startsWith('│')))
        expect(line.split('│')).toHaveLength(8);
      for (const line of findingsTable.filter((line) => line.startsWith('│')))
        expect(line.split('│')).toHaveLength(7);
      // A row starts where its Enabled cell (or # cell) is filled.
      const connectorRows = connectorsTable.filter((line) => /^│[^│]*│ (yes|no) /.test(line));
      expect(connectorRows).toHaveLength(report.connectors.length);
      const findingRows = findingsTable.filter((line) => /^│ *\d+ *│/.test(line));
      expect(findingRows).toHaveLength(report.findings.length);
    });
  }

  for (const width of [40, 60, TABLES_FIT_FROM - 1]) {
    it(`lists connectors and findings as blocks within ${width} columns, one block each, nothing raw`, () => {
      const { connectors: connectorLines, findings: findingLines } = tableSections(width);
      for (const line of [...connectorLines, ...findingLines])
        expect([line, displayWidth(line) <= width]).toEqual([line, true]);
      // No table border anywhere: a block starts at column 0, its values are indented.
      expect([...connectorLines, ...findingLines].some((line) => /^[│┌├└]/.test(line))).toBe(false);
      const states = connectorLines.filter((line) => /^ {2}(enabled|disabled), /.test(line));
      expect(states).toHaveLength(report.connectors.length);
      const headings = findingLines.filter((line) => /^#\d+ /.test(line));
      expect(headings.map((line) => Number(/^#(\d+)/.exec(line)?.[1]))).toEqual(
        report.findings.map((_, index) => index + 1),
      );
    });
  }

  it('marks a fix command that had to be escaped instead of printing it raw', () => {
    const text = renderTable(report, { width: 120, color: false, showInfo: true });
    expect(text).toContain(`${ALTERED_COMMAND_NOTE}\n`);
  });
});

describe('warnings', () => {
  it('print every repeated hostile connector on lines of their own that cannot pass for another message', () => {
    const copies = HOSTILE_NAMES.map(({ name }) => connector({ name, permissions: [] }));
    const changed = copies.map((copy) => ({ ...copy, enabled: false }));
    const input = (connectors: typeof copies, file: string) => ({
      file,
      format: 'snapshot' as const,
      snapshot: snapshot(connectors),
    });
    const { warnings } = buildSnapshot([input(copies, 'a.json'), input(changed, 'b.json')], {
      listAll: true,
    });
    expect(warnings).toHaveLength(HOSTILE_NAMES.length);
    for (const warning of warnings) {
      const shown = `exrelay: warning: ${terminalMessage(warning)}\n`;
      expect(firstRawHidden(shown)).toBeNull();
      expect(
        shown
          .split('\n')
          .slice(1, -1)
          .every((line) => line.startsWith('  ')),
      ).toBe(true);
    }
  });
});
