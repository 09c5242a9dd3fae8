/**
 * The reference docs quote exrelay's real output. This test runs every quote again, so a change in wording,
 * remediation, score or severity fails here until the page is updated.
 *
 * Conventions in docs/*.md and docs/checks/*.md. A comment line marks the fenced block or Markdown table right
 * below it (blank lines may sit between):
 *
 *   <!-- example: NAME[; OPTION]... -->   output of exrelay on tests/docs/examples/NAME.json (an exrelay snapshot)
 *   <!-- snapshot: NAME -->               a json block that is exactly tests/docs/examples/NAME.json
 *
 * What is checked depends on the block below an `example` marker:
 *
 * - a fence with info string `exrelay-output`: findings, each written as a header line
 *   `<severity> · <checkId> · <connector identity or (organisation)>[ · score <connector's score>]`, then the
 *   message on one line, then each remediation line. Every finding quoted must exist with exactly that severity,
 *   message and complete remediation (none when no line follows the message). Blank lines separate findings.
 *   Option `complete`: the block lists every finding of the example.
 * - a Markdown table: one row per connector, found by the first code span of its `Connector` cell (identity or
 *   name) and by the code spans of its `RemoteIPRanges` cell (every entry, in order; a cell holding `…` is an
 *   abbreviation and not compared). Its `score`, `severity` and `receives` cells must equal the connector's values
 *   in the report (the first code span of the cell, or the cell's text).
 * - option `args: ARGS` or `exit: N` (any fence): `exrelay analyze NAME.json ARGS` is run with the built CLI in
 *   tests/docs/examples (a word in single quotes may hold spaces), and every line of the block must be a line of
 *   its standard output or standard error;
 *   lines holding only `…` (an abbreviation) are skipped.
 * - option `json: PATH` (a json fence): the block equals the value at PATH (`summary`, `connectors[1]`) of the
 *   JSON report (of `exrelay analyze NAME.json --format json ARGS` when `args` is given too).
 * - option `exit: N`: the command exits with N.
 *
 * Also checked: every registered check has docs/checks/<id>.md headed by its title and quoting its output, every
 * page there names a registered check, every example is quoted somewhere, and no `exrelay-output` fence is left
 * unmarked.
 */

import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHECKS } from '../../src/checks/registry.js';
import type { CheckMeta, Finding } from '../../src/checks/check.js';
import { buildSnapshot } from '../../src/ingest/build-snapshot.js';
import { readInput } from '../../src/ingest/read-input.js';
import { evaluate } from '../../src/pipeline.js';
import type { Report, ReportConnector } from '../../src/report/report.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import {
  codeSpans,
  findBlocks,
  OUTPUT_INFO,
  parseQuotedFindings,
  renderQuotedFinding,
  type MarkedBlock,
  type QuotedFinding,
} from './doc-blocks.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('./examples/', import.meta.url));

const PAGES = [
  ...readdirSync(`${ROOT}docs`)
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file}`),
  ...readdirSync(`${ROOT}docs/checks`)
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/checks/${file}`),
];
const BLOCKS = new Map(PAGES.map((page) => [page, findBlocks(readFileSync(`${ROOT}${page}`, 'utf8'))]));
const EXAMPLE_NAMES = readdirSync(EXAMPLES)
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.slice(0, -'.json'.length));

function exampleBytes(name: string): Uint8Array {
  return readFileSync(`${EXAMPLES}${name}.json`);
}

const evaluations = new Map<string, { report: Report; warnings: string[] }>();
/** The example analysed in-process, exactly as `exrelay analyze NAME.json` reads it. */
function analyse(name: string): { report: Report; warnings: string[] } {
  const cached = evaluations.get(name);
  if (cached) return cached;
  const { snapshot, warnings } = buildSnapshot([readInput(`${name}.json`, exampleBytes(name))]);
  const result = { report: evaluate(snapshot, 'exrelay docs test').report, warnings };
  evaluations.set(name, result);
  return result;
}

const cliRuns = new Map<string, CliResult>();
function runExample(name: string, args: readonly string[]): CliResult {
  const key = [name, ...args].join(' ');
  const cached = cliRuns.get(key);
  if (cached) return cached;
  const result = runCli(['analyze', `${name}.json`, ...args], { cwd: EXAMPLES });
  cliRuns.set(key, result);
  return result;
}

function renderFinding(finding: Finding, score: number | null): string {
  return renderQuotedFinding({
    severity: finding.severity,
    checkId: finding.checkId,
    connector: finding.connector,
    score,
    lines: [finding.message, ...(finding.remediation?.split('\n') ?? [])],
  });
}

function connectorScore(report: Report, identity: string | null): number | null {
  return report.connectors.find((connector) => connector.identity === identity)?.score ?? null;
}

/** The finding a quote most likely means, so that a wrong quote fails with a readable diff. */
function closestFinding(findings: readonly Finding[], quoted: QuotedFinding): Finding | undefined {
  const candidates = findings.filter(
    (finding) => finding.checkId === quoted.checkId && finding.connector === quoted.connector,
  );
  return (
    candidates.find((finding) => finding.message === quoted.lines[0]) ??
    (candidates.length === 1 ? candidates[0] : undefined)
  );
}

function checkQuotedFindings(block: MarkedBlock, lines: readonly string[]): void {
  const { report, warnings } = analyse(block.marker.name);
  expect(warnings).toEqual([]);
  const quoted = parseQuotedFindings(lines);
  expect(quoted.length).toBeGreaterThan(0);
  for (const quote of quoted) {
    const score = quote.score === null ? null : connectorScore(report, quote.connector);
    const closest = closestFinding(report.findings, quote);
    if (closest) expect(renderFinding(closest, score)).toBe(renderQuotedFinding(quote));
    else
      expect(report.findings.map((finding) => renderFinding(finding, score))).toContain(
        renderQuotedFinding(quote),
      );
  }
  if (block.marker.options.has('complete')) {
    const sorted = (findings: string[]) => [...findings].sort();
    expect(sorted(report.findings.map((finding) => renderFinding(finding, null)))).toEqual(
      sorted(quoted.map((quote) => renderQuotedFinding({ ...quote, score: null }))),
    );
  }
}

function column(header: readonly string[], name: string): number {
  return header.findIndex((cell) => cell.toLowerCase() === name.toLowerCase());
}

function rowConnector(report: Report, header: readonly string[], row: readonly string[]): ReportConnector {
  const byName = column(header, 'Connector');
  const byRanges = column(header, 'RemoteIPRanges');
  const rangesCell = byRanges >= 0 ? (row[byRanges] as string) : null;
  const hasRanges = (connector: ReportConnector) =>
    rangesCell === null ||
    rangesCell.includes('…') ||
    connector.remoteIPRanges.map((range) => range.text).join('\n') === codeSpans(rangesCell).join('\n');
  const [name] = byName >= 0 ? codeSpans(row[byName] ?? '') : [];
  const named = (connector: ReportConnector) =>
    name === undefined || connector.identity === name || connector.name === name;
  const matches = report.connectors.filter((connector) => named(connector) && hasRanges(connector));
  if (matches.length !== 1)
    throw new Error(`table row "${row.join(' | ')}" matches ${matches.length} connectors, not one`);
  return matches[0] as ReportConnector;
}

function checkTable(block: MarkedBlock, header: readonly string[], rows: readonly string[][]): void {
  const { report } = analyse(block.marker.name);
  const checked = ['score', 'severity', 'receives'].filter((name) => column(header, name) >= 0);
  if (checked.length === 0 || (column(header, 'Connector') < 0 && column(header, 'RemoteIPRanges') < 0))
    throw new Error(
      'a marked table needs a Connector or RemoteIPRanges column and a score, severity or receives one',
    );
  for (const row of rows) {
    const connector = rowConnector(report, header, row);
    const quoted: Record<string, string> = {};
    const actual: Record<string, string> = {};
    for (const name of checked) {
      const cell = row[column(header, name)] ?? '';
      quoted[name] = codeSpans(cell)[0] ?? cell;
      actual[name] = String(connector[name as 'score' | 'severity' | 'receives']);
    }
    expect({ connector: connector.identity, ...actual }).toEqual({
      connector: connector.identity,
      ...quoted,
    });
  }
}

const ABBREVIATION = /^\s*…,?\s*$/;

/** The `args` option as words; a word in single quotes may hold spaces (`--principal 'A B=S-1-5-7'`). */
function markerArgs(block: MarkedBlock): string[] {
  const text = block.marker.options.get('args') ?? '';
  return [...text.matchAll(/'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? '');
}

function checkCliLines(block: MarkedBlock, lines: readonly string[]): void {
  const result = runExample(block.marker.name, markerArgs(block));
  const printed = new Set([...result.stdout.split('\n'), ...result.stderr.split('\n')]);
  const missing = lines.filter((line) => !ABBREVIATION.test(line) && !printed.has(line));
  expect(missing).toEqual([]);
  checkExit(block, result);
}

function checkExit(block: MarkedBlock, result: CliResult): void {
  const exit = block.marker.options.get('exit');
  if (exit !== undefined) expect(result.status).toBe(Number(exit));
}

function valueAt(value: unknown, path: string): unknown {
  return (path.match(/[^.[\]]+/g) ?? []).reduce<unknown>((current, key) => {
    if (current === null || typeof current !== 'object') throw new Error(`no ${path} in the JSON report`);
    return (current as Record<string, unknown>)[key];
  }, value);
}

function checkJsonValue(block: MarkedBlock, lines: readonly string[]): void {
  const result = runExample(block.marker.name, ['--format', 'json', ...markerArgs(block)]);
  checkExit(block, result);
  const report: unknown = JSON.parse(result.stdout);
  expect(valueAt(report, block.marker.options.get('json') as string)).toEqual(JSON.parse(lines.join('\n')));
}

function checkSnapshot(block: MarkedBlock, lines: readonly string[]): void {
  const bytes = exampleBytes(block.marker.name);
  expect(readInput(`${block.marker.name}.json`, bytes).format).toBe('snapshot');
  expect(JSON.parse(lines.join('\n'))).toEqual(JSON.parse(Buffer.from(bytes).toString('utf8')));
}

function checkBlock(block: MarkedBlock): void {
  const { marker, content } = block;
  if (content.type === 'table') return checkTable(block, content.header, content.rows);
  if (marker.kind === 'snapshot') return checkSnapshot(block, content.lines);
  if (marker.options.has('json')) return checkJsonValue(block, content.lines);
  if (marker.options.has('args') || marker.options.has('exit')) return checkCliLines(block, content.lines);
  if (content.info === OUTPUT_INFO) return checkQuotedFindings(block, content.lines);
  throw new Error(`a marked \`${content.info}\` block needs the args, exit or json option`);
}

describe.each(PAGES)('%s', (page) => {
  const { marked, unmarkedOutput } = BLOCKS.get(page) as ReturnType<typeof findBlocks>;

  it('marks every block of exrelay output', () => {
    expect(unmarkedOutput).toEqual([]);
  });

  const cases = marked.map((block) => [`line ${block.line}: ${block.marker.name}`, block] as const);
  if (cases.length > 0)
    it.each(cases)('quotes exrelay correctly (%s)', (_title, block) => {
      checkBlock(block);
    });
});

/** The "Messages" section every check page carries: one row per messageId, its meaning and its data keys. */
function messagesSection(meta: CheckMeta): string {
  const rows = Object.entries(meta.messages).map(
    ([id, message]) =>
      `| \`${id}\` | ${message.description} | ${message.data.length > 0 ? message.data.map((key) => `\`${key}\``).join(', ') : '(none)'} |`,
  );
  return ['## Messages', '', '| messageId | Meaning | `data` keys |', '|---|---|---|', ...rows, ''].join(
    '\n',
  );
}

describe('check pages', () => {
  it.each(CHECKS.map((check) => [check.meta.id, check.meta.title]))(
    '%s has a page headed by its title that quotes its output',
    (id, title) => {
      const page = `docs/checks/${id}.md`;
      expect(PAGES).toContain(page);
      const text = readFileSync(`${ROOT}${page}`, 'utf8');
      expect(text.split('\n')[0]).toBe(`# ${title}`);
      expect(text).toContain(`**Check id:** \`${id}\``);
      const quotesOwnCheck = BLOCKS.get(page)?.marked.some(
        (block) =>
          block.content.type === 'fence' &&
          block.content.info === OUTPUT_INFO &&
          parseQuotedFindings(block.content.lines).some((finding) => finding.checkId === id),
      );
      expect(quotesOwnCheck).toBe(true);
    },
  );

  it.each(CHECKS.map((check) => [check.meta.id, check] as const))(
    '%s lists its messages and their data keys, as the check declares them',
    (id, check) => {
      const text = readFileSync(`${ROOT}docs/checks/${id}.md`, 'utf8');
      expect(text).toContain(messagesSection(check.meta));
    },
  );

  it('exist only for registered checks', () => {
    const ids = new Set(CHECKS.map((check) => check.meta.id));
    const pages = PAGES.filter((page) => page.startsWith('docs/checks/')).map((page) =>
      page.slice('docs/checks/'.length, -'.md'.length),
    );
    expect(pages.filter((id) => !ids.has(id))).toEqual([]);
  });
});

describe('examples', () => {
  const quoted = new Set(
    [...BLOCKS.values()].flatMap(({ marked }) => marked.map((block) => block.marker.name)),
  );

  it('are each quoted by some page', () => {
    expect(EXAMPLE_NAMES.filter((name) => !quoted.has(name))).toEqual([]);
  });

  it('exist for every quote', () => {
    expect([...quoted].filter((name) => !EXAMPLE_NAMES.includes(name))).toEqual([]);
  });
});
