/**
 * The snapshot folder of `exrelay audit --snapshot-dir`: the baseline an audit compares with, a free name for its
 * own snapshot, and `--keep` pruning. Only files named as exrelay names its snapshots, and holding one, are ever
 * removed; the decisions themselves are in src/history/snapshot-files.ts.
 */

import { randomBytes } from 'node:crypto';
import { rmSync, statSync, unlinkSync } from 'node:fs';
import { link, open, readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
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
import { describeReadError, describeWriteError } from '../fs-errors.js';
import { HEAD_BYTES, partialInHead } from '../history/snapshot-head.js';
import { claimName, claimNameSync, type LinkFile } from './claim-name.js';
import { whenStopped } from './remove-when-stopped.js';

async function kept(folder: string): Promise<SnapshotFile[]> {
  try {
    // By name, whatever the entry is: requireSnapshotFile stops at one that is not a file or a link to one.
    return snapshotFiles(await readdir(folder));
  } catch (error) {
    throw new UsageError(
      `--snapshot-dir: cannot read the folder ${folder}: ${describeReadError(error as NodeJS.ErrnoException)}`,
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

/** The -N suffix allows four digits (snapshot-files.ts): past that the folder is not a history any more. */
const MAX_SEQUENCE = 9999;

/**
 * Keeps this audit's snapshot as `content` under its start time, -2, -3… when that name is taken, and returns the
 * path. The name is claimed by a hard link from a finished temporary file, which fails when the name exists: two
 * audits finishing at once each keep their own file (checking for the name, then renaming onto it, let the later
 * rename replace the other's snapshot), and a reader sees the whole file or none. `onKept` learns the path as soon
 * as the name is claimed, before anything else can run (see reportKept).
 */
export async function keepSnapshot(
  folder: string,
  started: Date,
  content: string,
  options: { linkFile?: LinkFile; onKept?: (path: string) => void } = {},
): Promise<string> {
  const temp = join(folder, `.exrelay-snapshot-${randomBytes(6).toString('hex')}.tmp`);
  let claiming: string | null = null;
  const stopGuarding = whenStopped(() => {
    // Stopped after the link was made but before this code heard of it: the name is this audit's, unreported.
    if (claiming !== null && sameFileSync(claiming, temp)) rmSync(claiming, { force: true });
    rmSync(temp, { force: true });
  });
  try {
    await writeFile(temp, content, { flag: 'wx', mode: 0o666 });
    for (let sequence = 1; sequence <= MAX_SEQUENCE; sequence++) {
      const path = join(folder, snapshotFileName(started, sequence === 1 ? 0 : sequence));
      claiming = path;
      const claimed = await claimName(temp, path, options.linkFile ?? link);
      claiming = null;
      if (claimed) {
        options.onKept?.(path);
        return path;
      }
    }
    throw new UsageError(
      `--snapshot-dir: ${MAX_SEQUENCE} snapshots already carry this second's name in ${folder}; nothing was kept`,
    );
  } catch (error) {
    claiming = null;
    if (error instanceof ExrelayError) throw error;
    throw new UsageError(
      `--snapshot-dir: cannot keep the snapshot in ${folder}: ${describeWriteError(error as NodeJS.ErrnoException)}`,
    );
  } finally {
    // A failure to remove it (the folder gone) must not replace the error that stopped the audit.
    await rm(temp, { force: true }).catch(() => undefined);
    stopGuarding();
  }
}

function sameFileSync(a: string, b: string): boolean {
  try {
    const [first, second] = [statSync(a), statSync(b)];
    return first.dev === second.dev && first.ino === second.ino;
  } catch {
    return false;
  }
}

/**
 * Keeps this audit's snapshot (`keep`, which passes the path to `onKept` as soon as it is claimed; null without
 * --snapshot-dir) and runs `report` for it. When the report cannot be made or written (a full disk, an exceptions
 * entry that today's findings make ambiguous, a standard output that fails), or the run is stopped before the
 * report is written (SIGTERM from a scheduler, Ctrl-C), the snapshot is renamed out of the history: kept as a
 * snapshot, it would be the next audit's baseline, and a change it holds would be "known" without ever having
 * been reported, so --fail-on-change would never fire for it. Renamed, not removed: what the audit collected
 * stays at hand (`exrelay analyze` reads it).
 */
export async function reportKept<T>(
  keep: ((onKept: (path: string) => void) => Promise<unknown>) | null,
  report: (kept: string | null) => Promise<T>,
  warn: (message: string) => void,
): Promise<T> {
  let kept: string | null = null;
  const setAside = () => {
    if (kept !== null) setAsideUnreported(kept, warn);
    kept = null;
  };
  const stopGuarding = whenStopped(setAside);
  try {
    await keep?.((path) => {
      kept = path;
    });
    return await report(kept);
  } catch (error) {
    setAside();
    throw error;
  } finally {
    stopGuarding();
  }
}

/** Names the history passes over: `exrelay-snapshot-….json` → `exrelay-snapshot-….unreported[-N].json`. */
function unreportedNames(kept: string): string[] {
  const stem = kept.replace(/\.json$/, '');
  return Array.from({ length: MAX_SEQUENCE }, (_, index) =>
    index === 0 ? `${stem}.unreported.json` : `${stem}.unreported-${index + 1}.json`,
  );
}

/** Synchronous: it may run in a stop signal's handler, after which nothing else runs. */
function setAsideUnreported(kept: string, warn: (message: string) => void): void {
  try {
    // A name of its own: an earlier audit of the same second may have left its unreported snapshot there.
    for (const unreported of unreportedNames(kept)) {
      if (!claimNameSync(kept, unreported)) continue;
      rmSync(kept, { force: true });
      warn(
        `this audit wrote no report: its snapshot is kept as ${unreported}, which later audits do not compare with (the next one compares with the snapshot before it)`,
      );
      return;
    }
  } catch {
    // Not set aside (the folder gone or read-only): removed, as the history must not take it for a baseline.
  }
  try {
    unlinkSync(kept);
    warn(
      `${kept} was removed: this audit wrote no report, so the next one compares with the snapshot before it`,
    );
  } catch (removal) {
    warn(
      `this audit wrote no report, but its snapshot ${kept} cannot be removed (${describeWriteError(removal as NodeJS.ErrnoException)}): remove it, or the next audit takes its changes as known`,
    );
  }
}

/**
 * A kept snapshot is a regular file or a link to one. Anything else under a snapshot's name (a link that leads
 * nowhere, a folder, a FIFO) is an unreadable baseline: passed over, it would let an older snapshot stand in for
 * the latest, or pass for "no baseline"; read, a folder would be taken for a folder of exports, a FIFO waited on.
 */
export async function requireSnapshotFile(path: string): Promise<void> {
  let stats;
  try {
    stats = await stat(path);
  } catch (error) {
    throw new InputError(path, describeReadError(error as NodeJS.ErrnoException));
  }
  if (!stats.isFile())
    throw new InputError(path, stats.isDirectory() ? 'a folder, not a snapshot file' : 'not a regular file');
}

/**
 * Whether the kept snapshot at `path` is partial, from its first bytes (snapshot-head.ts); null when they do not
 * say, and only reading the whole file does. Not a file (requireSnapshotFile), it is an unreadable baseline.
 */
export async function partialByHead(path: string): Promise<boolean | null> {
  await requireSnapshotFile(path);
  let handle;
  try {
    handle = await open(path, 'r');
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return partialInHead(buffer.subarray(0, bytesRead).toString('utf8'));
  } catch (error) {
    throw new InputError(path, describeReadError(error as NodeJS.ErrnoException));
  } finally {
    await handle?.close();
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
 * Removes all but the `keep` newest snapshots dated up to `now`, and never a file in `spare` (compared as files,
 * not as names: `--baseline ./snapshots/…` or a link to a snapshot names the same file as the folder's entry);
 * returns the names removed. A file with exrelay's name that does not hold an exrelay snapshot is left where it
 * is, with a warning.
 */
export async function pruneSnapshots(
  folder: string,
  keep: number,
  now: Date,
  warn: (message: string) => void,
  spare: readonly string[] = [],
): Promise<string[]> {
  const spared = (await Promise.all(spare.map((path) => stat(path).catch(() => null)))).filter(
    (info) => info !== null,
  );
  const removed: string[] = [];
  for (const file of snapshotsToPrune(await kept(folder), keep, now.getTime())) {
    const path = join(folder, file.name);
    const info = await stat(path).catch(() => null);
    if (info && spared.some((other) => other.dev === info.dev && other.ino === info.ino)) continue;
    if (!(await holdsSnapshot(path))) {
      warn(`--keep: ${path} is named like an exrelay snapshot but does not hold one; it was left in place`);
      continue;
    }
    try {
      await unlink(path);
      removed.push(file.name);
    } catch (error) {
      warn(`--keep: cannot remove ${path}: ${describeWriteError(error as NodeJS.ErrnoException)}`);
    }
  }
  return removed;
}

async function holdsSnapshot(path: string): Promise<boolean> {
  try {
    // Never read a FIFO or a device: it would be waited on.
    if (!(await stat(path)).isFile()) return false;
    const value = JSON.parse(await readFile(path, 'utf8')) as Partial<Snapshot> | null;
    return value !== null && typeof value === 'object' && value.kind === 'exrelay.snapshot';
  } catch {
    return false;
  }
}
