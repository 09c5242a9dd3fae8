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
import { markedFences } from './marked-fences.js';

const PAGE = 'docs/scheduled-audits.md';
const FILES = join(ROOT, 'tests', 'docs', 'scheduled-audits');
const text = () => readFileSync(join(ROOT, PAGE), 'utf8');

function quotes() {
  return markedFences(text(), 'audit-run', PAGE).map((quote) => {
    const [scenario = '', ...args] = quote.command.split(/\s+/);
    return { ...quote, scenario, args };
  });
}

const escape = (text: string) => text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/** A quoted line as a pattern: its collection times and snapshot names stand for any. */
export function linePattern(line: string): RegExp {
  const pattern = escape(line)
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\\\.\d{3}Z/g, String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`)
    .replace(/exrelay-snapshot-\d{8}-\d{6}/g, String.raw`exrelay-snapshot-\d{8}-\d{6}(-\d+)?`);
  return new RegExp(`^${pattern}$`);
}

describe(`${PAGE} quotes files exrelay accepts`, () => {
  it("quotes the worked example's exceptions file exactly", () => {
    const files = markedFences(text(), 'audit-file', PAGE);
    expect(files.map((file) => file.command)).toEqual(['exceptions.yaml']);
    for (const file of files)
      expect(`${file.lines.join('\n')}\n`).toBe(readFileSync(join(FILES, file.command), 'utf8'));
  });

  it('shows the exceptions format with an example exrelay reads: every field, both ways to name a finding', () => {
    const [example] = markedFences(text(), 'exceptions-format', PAGE);
    const { entries } = parseExceptions(example!.lines.join('\n'));
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
