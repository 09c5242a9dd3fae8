/**
 * Keeping an audit's snapshot in the folder: audits that finish at the same moment (two scheduled tasks, a manual
 * run during the nightly one) each keep their own file, whole; none writes over another's.
 */

import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../support/run-cli.js';
import { findBaseline, keepSnapshot, reportKept } from '../../src/cli/snapshot-history.js';

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function folder(): string {
  const path = mkdtempSync(join(tmpdir(), 'exrelay-keep-snapshot-'));
  folders.push(path);
  return path;
}

/** A snapshot-sized text (the sample's is ~380 kB), different per run. */
const content = (run: number) =>
  `${JSON.stringify({ kind: 'exrelay.snapshot', run, pad: 'x'.repeat(400_000) })}\n`;

describe('keepSnapshot', () => {
  it('gives audits that started in the same second and finish together a file each', async () => {
    const snapshots = folder();
    const started = new Date('2026-11-29T05:30:00.250Z');
    const runs = [1, 2, 3, 4, 5, 6];
    const paths = await Promise.all(runs.map((run) => keepSnapshot(snapshots, started, content(run))));
    expect(new Set(paths).size).toBe(runs.length);
    expect(readdirSync(snapshots).sort()).toEqual([
      'exrelay-snapshot-20261129-053000-2.json',
      'exrelay-snapshot-20261129-053000-3.json',
      'exrelay-snapshot-20261129-053000-4.json',
      'exrelay-snapshot-20261129-053000-5.json',
      'exrelay-snapshot-20261129-053000-6.json',
      'exrelay-snapshot-20261129-053000.json',
    ]);
    // Every run's content is there, whole, in the file its path names.
    const kept = paths.map((path) => (JSON.parse(readFileSync(path, 'utf8')) as { run: number }).run);
    expect(kept).toEqual(runs);
  });

  it('never replaces a file of that name that is already there', async () => {
    const snapshots = folder();
    const taken = join(snapshots, 'exrelay-snapshot-20261129-053000.json');
    writeFileSync(taken, 'kept by an earlier audit\n');
    const path = await keepSnapshot(snapshots, new Date('2026-11-29T05:30:00Z'), content(1));
    expect(path).toBe(join(snapshots, 'exrelay-snapshot-20261129-053000-2.json'));
    expect(readFileSync(taken, 'utf8')).toBe('kept by an earlier audit\n');
  });

  describe('on a file system without hard links (FAT, some shares)', () => {
    /** What link() gives there; the name is then claimed by an exclusive create and the content renamed onto it. */
    const noHardLinks = (code: string) => () =>
      Promise.reject(Object.assign(new Error(`${code}: operation not permitted, link`), { code }));

    it('still gives audits that finish together a whole file each', async () => {
      const snapshots = folder();
      const started = new Date('2026-11-29T05:30:00.250Z');
      const runs = [1, 2, 3, 4, 5, 6];
      const paths = await Promise.all(
        runs.map((run) => keepSnapshot(snapshots, started, content(run), { linkFile: noHardLinks('EPERM') })),
      );
      expect(new Set(paths).size).toBe(runs.length);
      const kept = paths.map((path) => (JSON.parse(readFileSync(path, 'utf8')) as { run: number }).run);
      expect(kept).toEqual(runs);
      // No temporary file is left behind.
      expect(readdirSync(snapshots).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    });

    it.each(['ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'])('never replaces a file already there (%s)', async (code) => {
      const snapshots = folder();
      const taken = join(snapshots, 'exrelay-snapshot-20261129-053000.json');
      writeFileSync(taken, 'kept by an earlier audit\n');
      const path = await keepSnapshot(snapshots, new Date('2026-11-29T05:30:00Z'), content(1), {
        linkFile: noHardLinks(code),
      });
      expect(path).toBe(join(snapshots, 'exrelay-snapshot-20261129-053000-2.json'));
      expect(readFileSync(taken, 'utf8')).toBe('kept by an earlier audit\n');
      expect((JSON.parse(readFileSync(path, 'utf8')) as { run: number }).run).toBe(1);
    });

    it('stops with a usage error, keeping nothing, when linking fails for another reason', async () => {
      const snapshots = folder();
      await expect(
        keepSnapshot(snapshots, new Date('2026-11-29T05:30:00Z'), content(1), {
          linkFile: noHardLinks('EACCES'),
        }),
      ).rejects.toThrow(/--snapshot-dir: cannot keep the snapshot in .*: permission denied/);
      expect(readdirSync(snapshots)).toEqual([]);
    });

    it('says a full disk in plain words, keeping nothing', async () => {
      const snapshots = folder();
      const kept = keepSnapshot(snapshots, new Date('2026-11-29T05:30:00Z'), content(1), {
        linkFile: noHardLinks('ENOSPC'),
      });
      await expect(kept).rejects.toThrow(
        /^--snapshot-dir: cannot keep the snapshot in .*: no space left on the device$/,
      );
      expect(readdirSync(snapshots)).toEqual([]);
    });
  });

  it('says in plain words that the folder became a file while the audit collected', async () => {
    // Removing the temporary file failed too (ENOTDIR), and that raw error replaced the plain one: exit 4.
    const replaced = join(folder(), 'snapshots');
    writeFileSync(replaced, 'not a folder any more\n');
    await expect(keepSnapshot(replaced, new Date('2026-11-29T05:30:00Z'), content(1))).rejects.toThrow(
      /^--snapshot-dir: cannot keep the snapshot in .*snapshots: a part of the path is not a folder$/,
    );
  });
});

describe('reportKept', () => {
  /** A snapshot the test kept already, passed on as audit's keeping would. */
  const keptAs = (path: string) => (onKept: (path: string) => void) => Promise.resolve(onKept(path));
  const monday = new Date('2026-11-30T05:30:00Z');
  const tuesday = new Date('2026-12-01T05:30:00Z');
  const wednesday = new Date('2026-12-02T05:30:00Z');

  it("sets aside the snapshot of an audit whose report failed, so that the next audit's baseline is the one before", async () => {
    // Tuesday's audit collected a widened connector, then could not write its report (a full disk): kept, its
    // snapshot would be Wednesday's baseline and the widening "known" without ever having been reported.
    const snapshots = folder();
    const kept = await keepSnapshot(snapshots, monday, content(1));
    const tuesdays = await keepSnapshot(snapshots, tuesday, content(2));
    const warnings: string[] = [];
    const full = Object.assign(new Error('cannot write report.json: no space left on the device'), {
      code: 'ENOSPC',
    });
    const failing = () =>
      reportKept(
        keptAs(tuesdays),
        () => Promise.reject(full),
        (message) => warnings.push(message),
      );
    await expect(failing()).rejects.toBe(full);
    // What it collected is still there, under a name the history passes over.
    const unreported = join(snapshots, 'exrelay-snapshot-20261201-053000.unreported.json');
    expect(readdirSync(snapshots).sort()).toEqual([
      'exrelay-snapshot-20261130-053000.json',
      'exrelay-snapshot-20261201-053000.unreported.json',
    ]);
    expect(readFileSync(unreported, 'utf8')).toBe(content(2));
    expect(warnings).toEqual([
      `this audit wrote no report: its snapshot is kept as ${unreported}, which later audits do not compare with (the next one compares with the snapshot before it)`,
    ]);
    expect((await findBaseline(snapshots, wednesday)).candidates.map((candidate) => candidate.path)).toEqual([
      kept,
    ]);
    // Another audit of the same second that fails too keeps its own, beside the first.
    expect(await keepSnapshot(snapshots, tuesday, content(3))).toBe(tuesdays);
    await expect(failing()).rejects.toBe(full);
    expect(readFileSync(unreported, 'utf8')).toBe(content(2));
    expect(readFileSync(join(snapshots, 'exrelay-snapshot-20261201-053000.unreported-2.json'), 'utf8')).toBe(
      content(3),
    );
    expect((await findBaseline(snapshots, wednesday)).candidates.map((candidate) => candidate.path)).toEqual([
      kept,
    ]);
  });

  it('leaves the snapshot of an audit that reported, and gives back what the report gave', async () => {
    const snapshots = folder();
    const tuesdays = await keepSnapshot(snapshots, tuesday, content(2));
    const warnings: string[] = [];
    await expect(
      reportKept(
        keptAs(tuesdays),
        () => Promise.resolve(1),
        (message) => warnings.push(message),
      ),
    ).resolves.toBe(1);
    expect(readdirSync(snapshots)).toEqual(['exrelay-snapshot-20261201-053000.json']);
    expect(warnings).toEqual([]);
  });

  /**
   * The built module in a process of its own, stopped by `signal` while its report is being written (as a FIFO
   * nobody reads would hold it); what is left in the folder, and how the process ended.
   */
  async function stoppedWhileReporting(signal: NodeJS.Signals) {
    const snapshots = folder();
    const module = pathToFileURL(join(ROOT, 'dist', 'cli', 'snapshot-history.js')).href;
    const script = `
      import { keepSnapshot, reportKept } from ${JSON.stringify(module)};
      await reportKept(
        (onKept) => keepSnapshot(${JSON.stringify(snapshots)}, new Date(${tuesday.getTime()}), '{}', { onKept }),
        () => { process.stdout.write('reporting\\n'); return new Promise(() => setInterval(() => {}, 1000)); },
        (message) => process.stderr.write(message + '\\n'),
      );`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'pipe' });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_, ended) => resolve(ended)),
    );
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.kill(signal);
    return { signal: await exited, stderr, files: readdirSync(snapshots) };
  }

  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
    'sets aside the snapshot of an audit stopped (%s) before its report was written, and ends as the signal does',
    async (signal) => {
      // Only thrown errors set it aside before: a scheduler's SIGTERM left it as the next audit's baseline.
      const stopped = await stoppedWhileReporting(signal);
      expect(stopped.signal).toBe(signal);
      expect(stopped.files).toEqual(['exrelay-snapshot-20261201-053000.unreported.json']);
      expect(stopped.stderr).toMatch(/^this audit wrote no report: its snapshot is kept as /);
    },
  );
});
