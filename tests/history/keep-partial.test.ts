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
