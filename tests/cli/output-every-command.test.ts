/**
 * `--output` (and collect's `--out`) of every command that writes a report: never over a file the command reads
 * (an export, an exceptions file, a baseline, a change script, an init script, a protocol log), never over a kept
 * snapshot, and a FIFO or a link treated as analyze treats it. Each case runs the built CLI, and checks that the
 * file it named is byte for byte what it was.
 */

import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, runCli, type CliResult } from '../support/run-cli.js';

const SAMPLE = join(ROOT, 'fixtures/orgs/sample');
const LOG = join(ROOT, 'fixtures/logs/sample/PWEX01/FrontEnd/RECV2026030207-1.LOG');
const CHANGE = join(ROOT, 'fixtures/changes/dedicated-relay-connector.ps1');

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A fresh folder holding copies of the files a run reads. */
function workFolder(): {
  folder: string;
  export: string;
  exceptions: string;
  log: string;
  script: string;
  init: string;
} {
  const folder = mkdtempSync(join(tmpdir(), 'exrelay-output-every-'));
  folders.push(folder);
  const exportFolder = join(folder, 'export');
  cpSync(SAMPLE, exportFolder, { recursive: true });
  const exceptions = join(folder, 'exceptions.yaml');
  writeFileSync(exceptions, 'version: 1\nexceptions: []\n');
  const log = join(folder, 'RECV2026030207-1.LOG');
  cpSync(LOG, log);
  const script = join(folder, 'change.ps1');
  cpSync(CHANGE, script);
  const init = join(folder, 'Connect.ps1');
  writeFileSync(init, '# the session set-up of a scheduled audit\n');
  return { folder, export: exportFolder, exceptions, log, script, init };
}

function expectRefused(result: CliResult, message: string): void {
  expect(result).toMatchObject({ status: 2, stdout: '', stderr: `exrelay: ${message}\n` });
}

/** Runs `args` and checks that `file` was refused as an input and left exactly as it was. */
function expectInputKept(args: string[], file: string, shown = file): void {
  const before = readFileSync(file);
  expectRefused(
    runCli([...args, '--output', file]),
    `--output: ${shown} is one of the input files; write the report elsewhere`,
  );
  expect(readFileSync(file)).toEqual(before);
}

describe('--output never replaces a file the command reads', () => {
  it('analyze: the --exceptions file', () => {
    const work = workFolder();
    expectInputKept(['analyze', work.export, '--exceptions', work.exceptions], work.exceptions);
  });

  it('diff: either side, and the --exceptions file', () => {
    const work = workFolder();
    const old = join(work.export, 'ReceiveConnector.xml');
    const args = ['diff', work.export, SAMPLE, '--exceptions', work.exceptions];
    expectInputKept(args, work.exceptions);
    const copy = join(work.folder, 'old.xml');
    cpSync(old, copy);
    expectInputKept(['diff', copy, old], copy);
  });

  it('usage: a log file named on the command line, and the organisation', () => {
    const work = workFolder();
    expectInputKept(['usage', work.log, '--against', SAMPLE], work.log);
    const org = join(work.export, 'AcceptedDomain.xml');
    const before = readFileSync(org);
    expectRefused(
      runCli(['usage', work.log, '--against', work.export, '--output', org]),
      `--output: ${org} is in the input folder ${work.export}, where analyze would read it as an export; write the report elsewhere or under another extension`,
    );
    expect(readFileSync(org)).toEqual(before);
  });

  it('usage: a report may still go into a log folder', () => {
    const work = workFolder();
    const report = join(work.folder, 'usage.json');
    const result = runCli([
      'usage',
      work.folder,
      '--against',
      SAMPLE,
      '--format',
      'json',
      '--output',
      report,
      '--fail-on',
      'none',
      '--allow-partial',
    ]);
    expect(result.status).toBe(0);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toHaveProperty('logs');
  });

  it("usage: never over a log in a log folder, nor under a log's name there or in its subfolders", () => {
    const work = workFolder();
    const before = readFileSync(work.log);
    const sub = join(work.folder, 'EX02');
    mkdirSync(sub);
    for (const file of [work.log, join(work.folder, 'RECV-report.log'), join(sub, 'RECV2026030208-1.LOG')])
      expectRefused(
        runCli(['usage', work.folder, '--against', SAMPLE, '--output', file]),
        `--output: ${file} is named like a protocol log in the log folder ${work.folder}, where usage reads it as a log; write the report elsewhere or under another name`,
      );
    expect(readFileSync(work.log)).toEqual(before);
  });

  it('whatif: the change script (refused before PowerShell is needed)', () => {
    const work = workFolder();
    expectInputKept(['whatif', work.script, '--against', SAMPLE], work.script);
  });

  it('audit: the --baseline, the --exceptions file and the --init-script, before collecting', () => {
    const work = workFolder();
    const baseline = join(work.export, 'ReceiveConnector.xml');
    const audit = ['audit', '--init-script', work.init, '--shell', join(work.folder, 'no-such-shell')];
    expectInputKept([...audit, '--baseline', baseline], baseline);
    expectInputKept([...audit, '--exceptions', work.exceptions], work.exceptions);
    expectInputKept(audit, work.init);
  });

  it('audit: a report named like a kept snapshot in the --snapshot-dir folder', () => {
    const work = workFolder();
    const snapshots = join(work.folder, 'snapshots');
    mkdirSync(snapshots);
    const kept = join(snapshots, 'exrelay-snapshot-20260301-050000.json');
    cpSync(join(work.export, 'ReceiveConnector.xml'), kept);
    const before = readFileSync(kept);
    const audit = ['audit', '--init-script', work.init, '--snapshot-dir', snapshots];
    expectRefused(
      runCli([...audit, '--output', kept]),
      `--output: exrelay-snapshot-20260301-050000.json is named like a kept snapshot in the --snapshot-dir folder ${snapshots}; write the report elsewhere or under another name`,
    );
    expect(readFileSync(kept)).toEqual(before);
    // A new name of that shape too: the next audit would take the report for its baseline.
    const next = join(snapshots, 'exrelay-snapshot-20260302-050000.json');
    expect(runCli([...audit, '--output', next]).stderr).toContain('is named like a kept snapshot');
    expect(() => statSync(next)).toThrow();
  });

  it('collect: the --init-script', () => {
    const work = workFolder();
    const before = readFileSync(work.init);
    expectRefused(
      runCli(['collect', '--init-script', work.init, '--out', work.init]),
      `--out: ${work.init} is one of the input files; write the report elsewhere`,
    );
    expect(readFileSync(work.init)).toEqual(before);
  });
});

describe('diff --output treats FIFOs and links as analyze does', () => {
  it('writes into a FIFO in place; the FIFO stays a FIFO', async () => {
    const work = workFolder();
    const fifo = join(work.folder, 'report.fifo');
    execFileSync('mkfifo', [fifo]);
    const child = spawn(
      process.execPath,
      [BIN, 'diff', SAMPLE, SAMPLE, '--format', 'json', '--output', fifo],
      {
        cwd: ROOT,
      },
    );
    const read = readFileSync(fifo, 'utf8');
    const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(status).toBe(0);
    expect(JSON.parse(read)).toMatchObject({ kind: 'exrelay.diff' });
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('follows a link and writes its target; the link stays a link', () => {
    const work = workFolder();
    const target = join(work.folder, 'report.md');
    writeFileSync(target, 'last week\n');
    const link = join(work.folder, 'latest.md');
    symlinkSync(target, link);
    expect(runCli(['diff', SAMPLE, SAMPLE, '--format', 'markdown', '--output', link]).status).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).not.toBe('last week\n');
  });
});
