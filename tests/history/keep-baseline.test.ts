/**
 * --keep and --baseline: the snapshot named by --baseline (the state signed off, kept in the snapshot folder) is
 * never pruned, however it is named. Runs audit's own baseline and pruning code (src/cli/audit-history.ts)
 * in-process, night after night in one folder; collection is the pwsh tests' part.
 */

import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadBaseline, prune } from '../../src/cli/audit-history.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { recordingContext as context } from '../support/command-context.js';

const EXAMPLE = JSON.parse(
  readFileSync('tests/docs/examples/anonymous-relay-hosts.json', 'utf8'),
) as Snapshot;

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

const MONDAY = 'exrelay-snapshot-20250303-060000.json';

/** One night of `audit --snapshot-dir folder --baseline named --keep keep`: its baseline, its snapshot, pruning. */
async function night(folder: string, named: string, started: Date, keep: number) {
  const baseline = await loadBaseline({
    snapshotDir: folder,
    baseline: named,
    started,
    exceptions: undefined,
    principals: [],
    context: context(),
  });
  const name = `exrelay-snapshot-${started.toISOString().slice(0, 10).replace(/-/g, '')}-060000.json`;
  writeFileSync(join(folder, name), JSON.stringify({ ...EXAMPLE, collectedAt: started.toISOString() }));
  await prune(folder, keep, started, true, context(), { partial: false, baseline, named });
  return baseline;
}

describe('--keep with --baseline', () => {
  it.each([
    ['the path in the folder', (folder: string) => join(folder, MONDAY)],
    ['a path spelled otherwise', (folder: string) => relative(process.cwd(), join(folder, '.', MONDAY))],
    [
      'a link to it',
      (folder: string) => {
        const link = join(folder, '..', `${folder.split('/').pop()}-signed-off.json`);
        symlinkSync(join(folder, MONDAY), link);
        return link;
      },
    ],
  ])('never removes the snapshot named by --baseline (%s)', async (_, name) => {
    const folder = mkdtempSync(join(tmpdir(), 'exrelay-keep-baseline-'));
    folders.push(folder, `${folder}-signed-off.json`);
    writeFileSync(join(folder, MONDAY), JSON.stringify({ ...EXAMPLE, collectedAt: '2025-03-03T06:00:00Z' }));
    const named = name(folder);
    // Before, --keep 1 removed Monday's snapshot on Tuesday, and Wednesday's audit stopped: baseline unreadable.
    await night(folder, named, new Date('2025-03-04T06:00:00Z'), 1);
    expect(readdirSync(folder).sort()).toEqual([MONDAY, 'exrelay-snapshot-20250304-060000.json']);
    const wednesday = await night(folder, named, new Date('2025-03-05T06:00:00Z'), 1);
    expect(wednesday?.loaded?.info.file).toBe(named);
    // The other snapshots are pruned as before: the N newest stay, the baseline besides.
    expect(readdirSync(folder).sort()).toEqual([MONDAY, 'exrelay-snapshot-20250305-060000.json']);
  });
});
