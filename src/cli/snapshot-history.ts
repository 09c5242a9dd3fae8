/**
 * The snapshot folder of `exrelay audit --snapshot-dir`: the baseline an audit compares with, a free name for its
 * own snapshot, and `--keep` pruning. Only files named as exrelay names its snapshots, and holding one, are ever
 * removed; the decisions themselves are in src/history/snapshot-files.ts.
 */

import { existsSync } from 'node:fs';
import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ExrelayError, InputError, UsageError } from '../errors.js';
import type { Snapshot } from '../model/snapshot.js';
import {
  chooseBaseline,
  snapshotFileName,
  snapshotFiles,
  snapshotsToPrune,
  type SnapshotFile,
} from '../history/snapshot-files.js';
import { describeFsError } from '../logs/fs-errors.js';

async function kept(folder: string): Promise<SnapshotFile[]> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    return snapshotFiles(entries.filter((entry) => entry.isFile()).map((entry) => entry.name));
  } catch (error) {
    throw new UsageError(
      `--snapshot-dir: cannot read the folder ${folder}: ${describeFsError(error as NodeJS.ErrnoException)}`,
    );
  }
}

export interface FolderBaseline {
  /** The snapshots kept before `now`, newest first, with the time in their names. */
  candidates: Array<{ path: string; time: number }>;
  /** Snapshots dated at or after `now`, which are neither used nor removed. */
  later: string[];
}

export async function findBaseline(folder: string, now: Date): Promise<FolderBaseline> {
  const { candidates, later } = chooseBaseline(await kept(folder), now.getTime());
  return {
    candidates: candidates.map((file) => ({ path: join(folder, file.name), time: file.time })),
    later: later.map((file) => file.name),
  };
}

/** This audit's snapshot name: its start time, with -2, -3… when a file of that name is already there. */
export function freeSnapshotPath(folder: string, started: Date): string {
  for (let sequence = 0; ; sequence++) {
    const path = join(folder, snapshotFileName(started, sequence === 0 ? 0 : sequence + 1));
    if (!existsSync(path)) return path;
  }
}

/** A baseline that cannot be read stops the audit: it must never pass for "no baseline". */
export function unreadableBaseline(path: string, option: string, error: unknown): unknown {
  if (!(error instanceof ExrelayError)) return error;
  const hint =
    option === '--snapshot-dir'
      ? 'move it out of the folder (the audit then compares with the snapshot before it) or name a baseline with --baseline'
      : 'name a readable snapshot or export';
  return new InputError(null, `${option}: the baseline ${path} cannot be read: ${error.message}; ${hint}`);
}

/**
 * Removes all but the `keep` newest snapshots dated up to `now`; returns the names removed. A file with
 * exrelay's name that does not hold an exrelay snapshot is left where it is, with a warning.
 */
export async function pruneSnapshots(
  folder: string,
  keep: number,
  now: Date,
  warn: (message: string) => void,
): Promise<string[]> {
  const removed: string[] = [];
  for (const file of snapshotsToPrune(await kept(folder), keep, now.getTime())) {
    const path = join(folder, file.name);
    if (!(await holdsSnapshot(path))) {
      warn(`--keep: ${path} is named like an exrelay snapshot but does not hold one; it was left in place`);
      continue;
    }
    try {
      await unlink(path);
      removed.push(file.name);
    } catch (error) {
      warn(`--keep: cannot remove ${path}: ${describeFsError(error as NodeJS.ErrnoException)}`);
    }
  }
  return removed;
}

async function holdsSnapshot(path: string): Promise<boolean> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as Partial<Snapshot> | null;
    return value !== null && typeof value === 'object' && value.kind === 'exrelay.snapshot';
  } catch {
    return false;
  }
}
