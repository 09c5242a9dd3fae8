/**
 * --keep and partial audits: a partial snapshot (an audit that exited 3) is never the baseline while a complete
 * one is there, so pruning must not remove the complete one it would pass over. Runs audit's own baseline and
 * pruning code (src/cli/audit-history.ts) in-process, night after night in one folder; collection is the pwsh
 * tests' part.
 */

import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBaseline, prune } from '../../src/cli/audit-history.js';
import { snapshotFileName } from '../../src/history/snapshot-files.js';
import { HEAD_BYTES } from '../../src/history/snapshot-head.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { recordingContext as context } from '../support/command-context.js';

const EXAMPLE = JSON.parse(
  readFileSync('tests/docs/examples/anonymous-relay-hosts.json', 'utf8'),
) as Snapshot;

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

const MONDAY = 'exrelay-snapshot-20250303-060000.json';
const TUESDAY = 'exrelay-snapshot-20250304-060000.json';

/** One night of an audit with --snapshot-dir and --keep: its baseline, its snapshot kept, then pruning. */
async function night(folder: string, name: string, started: Date, partial: boolean, keep: number) {
  const baseline = await loadBaseline({
    snapshotDir: folder,
    baseline: undefined,
    started,
    exceptions: undefined,
    principals: [],
    context: context(),
  });
  writeFileSync(
    join(folder, name),
    JSON.stringify({ ...EXAMPLE, collectedAt: started.toISOString(), partial }),
  );
  await prune(folder, keep, started, true, context(), { partial, baseline });
  return baseline;
}

describe('--keep with partial audits', () => {
  it('keeps the complete snapshot a partial night compared with, so the next complete audit compares with it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'exrelay-keep-partial-'));
    folders.push(folder);
    await night(folder, MONDAY, new Date('2025-03-03T06:00:00Z'), false, 1);
    // Tuesday's collection is partial (exit 3): its snapshot is kept but is no baseline. Before, --keep 1 removed
    // Monday's, and Wednesday's complete audit compared with Tuesday's partial snapshot, taking what it
    // collected as known.
    await night(folder, TUESDAY, new Date('2025-03-04T06:00:00Z'), true, 1);
    expect(readdirSync(folder).sort()).toEqual([MONDAY, TUESDAY]);
    const wednesday = await night(
      folder,
      'exrelay-snapshot-20250305-060000.json',
      new Date('2025-03-05T06:00:00Z'),
      false,
      1,
    );
    expect(wednesday?.loaded?.info).toMatchObject({ file: join(folder, MONDAY), partial: false });
    expect(wednesday?.notes).toEqual([expect.stringContaining('1 later partial snapshot was passed over')]);
    // Complete again: --keep 1 keeps Wednesday's alone.
    expect(readdirSync(folder)).toEqual(['exrelay-snapshot-20250305-060000.json']);
  });
});

describe('the look-back past partial snapshots', () => {
  /** A folder with a complete snapshot on 1 March 2025 and `partials` partial ones on the days after it. */
  function history(partials: number, partial: (day: Date) => string) {
    const folder = mkdtempSync(join(tmpdir(), 'exrelay-look-back-'));
    folders.push(folder);
    writeFileSync(join(folder, COMPLETE), JSON.stringify({ ...EXAMPLE, partial: false }));
    for (let night = 1; night <= partials; night++) {
      const day = new Date(Date.UTC(2025, 2, 1 + night, 6));
      writeFileSync(join(folder, snapshotFileName(day)), partial(day));
    }
    return folder;
  }
  const COMPLETE = 'exrelay-snapshot-20250301-060000.json';
  const partialSnapshot = (day: Date) =>
    JSON.stringify({ ...EXAMPLE, collectedAt: day.toISOString(), partial: true });
  const baselineOf = (folder: string, started = new Date('2040-01-01T00:00:00Z')) =>
    loadBaseline({
      snapshotDir: folder,
      baseline: undefined,
      started,
      exceptions: undefined,
      principals: [],
      context: context(),
    });

  it('compares with the complete snapshot however many partial ones came after it', async () => {
    // It looked back 30 snapshots at most: after 31 partial nights it compared with a partial one, though the
    // documentation promises a partial snapshot only when every earlier one is partial.
    const baseline = await baselineOf(history(31, partialSnapshot));
    expect(baseline?.loaded?.info).toMatchObject({ partial: false });
    expect(baseline?.loaded?.info.file).toMatch(/exrelay-snapshot-20250301-060000\.json$/);
    expect(baseline?.notes).toEqual([expect.stringContaining('31 later partial snapshots were passed over')]);
  });

  it('passes over a partial snapshot by its first bytes, not a whole read: thousands cost little', async () => {
    // Only the head is read: the rest of each of these is not even JSON, and read whole it would stop the audit.
    const folder = history(
      3000,
      (day) =>
        `{"kind": "exrelay.snapshot", "collectedAt": "${day.toISOString()}", "partial": true, ${'x'.repeat(100)}`,
    );
    const baseline = await baselineOf(folder);
    expect(baseline?.loaded?.info.file).toBe(join(folder, COMPLETE));
    expect(baseline?.notes).toEqual([
      expect.stringContaining('3000 later partial snapshots were passed over'),
    ]);
  });

  it('compares with the newest partial snapshot when every earlier one is partial', async () => {
    const folder = history(40, partialSnapshot);
    rmSync(join(folder, COMPLETE));
    const baseline = await baselineOf(folder);
    expect(baseline?.loaded?.info).toMatchObject({
      file: join(folder, 'exrelay-snapshot-20250410-060000.json'),
      partial: true,
    });
  });

  it('reads a snapshot whole when its head does not say, and goes by what the whole says', async () => {
    // `partial` after the connectors and past the head, as a hand-made or converted file may have it: the newest
    // says partial, the one before complete, so that one is the baseline, not the older complete one.
    const late = (day: Date, partial: boolean) => {
      const { partial: _, ...rest } = { ...EXAMPLE, collectedAt: day.toISOString() };
      return `${JSON.stringify(rest).slice(0, -1)}${' '.repeat(HEAD_BYTES)}, "partial": ${partial}}`;
    };
    const folder = history(2, (day) => late(day, day.getUTCDate() === 3));
    const baseline = await baselineOf(folder);
    expect(baseline?.loaded?.info).toMatchObject({
      file: join(folder, 'exrelay-snapshot-20250302-060000.json'),
      partial: false,
    });
  });
});
