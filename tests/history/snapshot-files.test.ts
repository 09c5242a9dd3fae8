/** Which kept snapshot is the baseline, and which ones --keep removes, from the names in the folder. */

import { describe, expect, it } from '@jest/globals';
import {
  chooseBaseline,
  parseSnapshotFileName,
  snapshotFileName,
  snapshotFiles,
  snapshotsToPrune,
} from '../../src/history/snapshot-files.js';

const at = (iso: string) => new Date(iso).getTime();

describe('snapshot folder', () => {
  it('names snapshots by their UTC start, with a sequence number for a second one in the same second', () => {
    const date = new Date('2025-03-04T09:15:07.123Z');
    expect(snapshotFileName(date)).toBe('exrelay-snapshot-20250304-091507.json');
    expect(snapshotFileName(date, 2)).toBe('exrelay-snapshot-20250304-091507-2.json');
    expect(parseSnapshotFileName('exrelay-snapshot-20250304-091507-2.json')).toEqual({
      name: 'exrelay-snapshot-20250304-091507-2.json',
      time: at('2025-03-04T09:15:07Z'),
      sequence: 2,
    });
  });

  it('recognises only names exrelay writes', () => {
    const names = [
      'exrelay-snapshot-20250304-091507.json',
      'exrelay-report-20250304-091507.json',
      'exrelay-snapshot-20250230-091507.json',
      'exrelay-snapshot-20250304-251507.json',
      'exrelay-snapshot-20250304-091507.json.bak',
      'my-exrelay-snapshot-20250304-091507.json',
      'exrelay-snapshot-20250304-091507 (1).json',
      'notes.txt',
    ];
    expect(snapshotFiles(names).map((file) => file.name)).toEqual(['exrelay-snapshot-20250304-091507.json']);
  });

  it('lists the snapshots dated before the audit, newest first, and sets aside later-dated ones', () => {
    const files = snapshotFiles([
      'exrelay-snapshot-20250303-060000.json',
      'exrelay-snapshot-20250301-060000.json',
      'exrelay-snapshot-20250304-060000.json',
      'exrelay-snapshot-20250302-060000.json',
      'exrelay-snapshot-20250302-060000-2.json',
    ]);
    const choice = chooseBaseline(files, at('2025-03-03T12:00:00Z'));
    expect(choice.candidates.map((file) => file.name)).toEqual([
      'exrelay-snapshot-20250303-060000.json',
      'exrelay-snapshot-20250302-060000-2.json',
      'exrelay-snapshot-20250302-060000.json',
      'exrelay-snapshot-20250301-060000.json',
    ]);
    expect(choice.later.map((file) => file.name)).toEqual(['exrelay-snapshot-20250304-060000.json']);
    // The clock set back to before every snapshot: no baseline, and nothing earlier to prune.
    const setBack = chooseBaseline(files, at('2025-02-01T06:00:00Z'));
    expect(setBack.candidates).toEqual([]);
    expect(setBack.later).toHaveLength(5);
    expect(
      chooseBaseline(
        snapshotFiles(['exrelay-snapshot-20250302-060000.json', 'exrelay-snapshot-20250302-060000-2.json']),
        at('2025-03-03T00:00:00Z'),
      ).candidates[0]?.name,
    ).toBe('exrelay-snapshot-20250302-060000-2.json');
  });

  it('prunes the oldest of the snapshots dated up to now, keeping N, never a later-dated one', () => {
    const files = snapshotFiles([
      'exrelay-snapshot-20250301-060000.json',
      'exrelay-snapshot-20250302-060000.json',
      'exrelay-snapshot-20250303-060000.json',
      'exrelay-snapshot-20300101-000000.json',
    ]);
    const now = at('2025-03-03T06:00:00.500Z');
    expect(snapshotsToPrune(files, 2, now).map((file) => file.name)).toEqual([
      'exrelay-snapshot-20250301-060000.json',
    ]);
    expect(snapshotsToPrune(files, 1, now).map((file) => file.name)).toEqual([
      'exrelay-snapshot-20250301-060000.json',
      'exrelay-snapshot-20250302-060000.json',
    ]);
    expect(snapshotsToPrune(files, 5, now)).toEqual([]);
  });
});
