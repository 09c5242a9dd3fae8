/**
 * docs/scheduled-audits.md quotes the real output of nightly audits, night after night. Each block below a marker
 *
 *   <!-- audit-run: SCENARIO ARGS[; exit: N] -->
 *
 * is checked by running `exrelay audit ARGS` through real pwsh against the Exchange stand-in (fixtures/ExchangeSim)
 * loaded with tests/docs/scheduled-audits/SCENARIO.json, in place of --connection-uri. The markers run in page
 * order in one folder (history builds up there, as in the snapshot folder of a scheduled task), into which the
 * page's other files in tests/docs/scheduled-audits (exceptions files) are copied first. Every line of the block
 * (but lines holding only `…`) must be a line of standard output or standard error, and the exit code must be N.
 * A collection time (2026-03-03T05:00:12.418Z) or snapshot name (exrelay-snapshot-20260303-050008) in a quoted
 * line stands for any: they are the time of the test run.
 *
 *   <!-- audit-file: NAME -->      the fenced block below is exactly tests/docs/scheduled-audits/NAME
 *   <!-- exceptions-format -->     the fenced block below is an exceptions file exrelay accepts
 */

import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseExceptions } from '../../src/exceptions/parse-exceptions.js';
import { describeWithPwsh } from '../helpers/pwsh.js';
import { runSlowCli, tempFolder, writeSimInitScript } from '../powershell/collect-support.js';
import { ROOT } from '../support/run-cli.js';

const PAGE = 'docs/scheduled-audits.md';
const FILES = join(ROOT, 'tests', 'docs', 'scheduled-audits');
const MARKER = /^<!--\s*audit-run:\s*(.*?)\s*-->$/;

interface Quote {
  line: number;
  scenario: string;
  args: string[];
  exit: number | null;
  lines: string[];
}

function quotes(): Quote[] {
  const lines = readFileSync(join(ROOT, PAGE), 'utf8').split('\n');
  const found: Quote[] = [];
  lines.forEach((text, index) => {
    const marker = MARKER.exec(text.trim());
    if (!marker) return;
    const [command = '', ...options] = (marker[1] ?? '').split(';').map((part) => part.trim());
    const exit = options.find((option) => option.startsWith('exit:'));
    const open = lines.findIndex((candidate, at) => at > index && candidate.startsWith('```'));
    const close = lines.findIndex((candidate, at) => at > open && candidate.startsWith('```'));
    if (open < 0 || close < 0 || lines.slice(index + 1, open).some((between) => between.trim() !== ''))
      throw new Error(`${PAGE}:${index + 1}: an audit-run marker needs a fenced block right below it`);
    const [scenario = '', ...args] = command.split(/\s+/);
    found.push({
      line: index + 1,
      scenario,
      args,
      exit: exit ? Number(exit.slice('exit:'.length)) : null,
      lines: lines.slice(open + 1, close),
    });
  });
  return found;
}

const escape = (text: string) => text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/** A quoted line as a pattern: its collection times and snapshot names stand for any. */
export function linePattern(line: string): RegExp {
  const pattern = escape(line)
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\\\.\d{3}Z/g, String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`)
    .replace(/exrelay-snapshot-\d{8}-\d{6}/g, String.raw`exrelay-snapshot-\d{8}-\d{6}(-\d+)?`);
  return new RegExp(`^${pattern}$`);
}

/** The fenced block right below each line matching `marker`, with the marker's match. */
function blocksBelow(marker: RegExp): Array<{ line: number; match: RegExpExecArray; text: string }> {
  const lines = readFileSync(join(ROOT, PAGE), 'utf8').split('\n');
  return lines.flatMap((text, index) => {
    const match = marker.exec(text.trim());
    if (!match) return [];
    const open = lines.findIndex((candidate, at) => at > index && candidate.startsWith('```'));
    const close = lines.findIndex((candidate, at) => at > open && candidate.startsWith('```'));
    return [{ line: index + 1, match, text: `${lines.slice(open + 1, close).join('\n')}\n` }];
  });
}

describe(`${PAGE} quotes files exrelay accepts`, () => {
  it("quotes the worked example's exceptions file exactly", () => {
    const files = blocksBelow(/^<!--\s*audit-file:\s*(\S+)\s*-->$/);
    expect(files.map((file) => file.match[1])).toEqual(['exceptions.yaml']);
    for (const file of files)
      expect(file.text).toBe(readFileSync(join(FILES, file.match[1] as string), 'utf8'));
  });

  it('shows the exceptions format with an example exrelay reads: every field, both ways to name a finding', () => {
    const [example] = blocksBelow(/^<!--\s*exceptions-format\s*-->$/);
    const { entries } = parseExceptions(example!.text);
    expect(entries.map((entry) => entry.finding.kind)).toEqual(['fingerprint', 'finding']);
    expect(entries[0]).toMatchObject({
      ticket: 'CHG-4711',
      expires: '2026-09-30',
      scope: { ranges: ['10.10.20.0/28'], principals: ['S-1-5-7'] },
    });
    expect(entries[1]?.finding).toEqual({
      kind: 'finding',
      checkId: 'accepted-domain-relay',
      connector: null,
      subject: '*',
    });
  });
});

describe('quoted lines with times', () => {
  it('match any collection time and snapshot name, and nothing else', () => {
    const pattern = linePattern(
      'Changes since 2026-03-03T05:00:12.418Z (snapshots/exrelay-snapshot-20260303-050008.json)',
    );
    expect(
      pattern.test(
        'Changes since 2026-11-29T18:42:34.474Z (snapshots/exrelay-snapshot-20261129-184231.json)',
      ),
    ).toBe(true);
    expect(pattern.test('Changes since an undated baseline (snapshots/x.json)')).toBe(false);
    expect(linePattern('a (b) [c] 1.5').test('a (b) [c] 1x5')).toBe(false);
  });
});

describeWithPwsh(`${PAGE} quotes the real output of nightly audits`, (pwsh) => {
  const all = quotes();
  const folder = tempFolder('scheduled-audits-doc');
  for (const file of readdirSync(FILES).filter((name) => !name.endsWith('.json')))
    copyFileSync(join(FILES, file), join(folder, file));

  it('has the nights of the worked example to check', () => {
    expect(all.length).toBeGreaterThanOrEqual(3);
  });

  // In page order: each night's audit finds the snapshots of the nights before.
  for (const quote of all)
    it(`the block below line ${quote.line}`, () => {
      const init = writeSimInitScript(
        folder,
        join(FILES, `${quote.scenario}.json`),
        `Connect-${quote.line}.ps1`,
      );
      const result = runSlowCli(['audit', '--init-script', init, '--shell', pwsh, ...quote.args], {
        cwd: folder,
        env: { COLUMNS: '110' },
      });
      const printed = [...result.stdout.split('\n'), ...result.stderr.split('\n')];
      const missing = quote.lines.filter(
        (line) => line.trim() !== '…' && !printed.some((candidate) => linePattern(line).test(candidate)),
      );
      expect({ missing, status: result.status }).toEqual({
        missing: [],
        status: quote.exit ?? result.status,
      });
    }, 300_000);
});
