/**
 * The protocol log files named on the command line: files as given, folders searched (with their subfolders, so a
 * copied TransportRoles\Logs tree works) for RECV*.LOG, which is how Exchange names SMTP Receive logs whatever the
 * rest of the name (daily RECV20260302-1.LOG or hourly RECV2026030208-1.LOG). UNC paths are paths like any other.
 */

import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from '../errors.js';
import { describeReadError } from '../fs-errors.js';

export interface LogFile {
  path: string;
  bytes: number;
}

const RECEIVE_LOG_NAME = /^RECV.*\.LOG$/i;

/** Whether a file of this name in a log folder is read as a protocol log. */
export function isReceiveLogName(name: string): boolean {
  return RECEIVE_LOG_NAME.test(name);
}

export function findLogFiles(paths: readonly string[]): LogFile[] {
  const files: LogFile[] = [];
  for (const path of paths) {
    const info = statOrThrow(path);
    if (info.isDirectory()) {
      const found = receiveLogsUnder(path);
      if (found.length === 0)
        throw new InputError(
          path,
          'the folder holds no SMTP Receive protocol logs (RECV*.LOG), nor do its subfolders',
        );
      files.push(...found);
    } else if (info.isFile()) files.push({ path, bytes: info.size });
    // A FIFO waits for its writer, /dev/zero never ends: the reader would hang.
    else throw new InputError(path, 'not a regular file');
  }
  // One file named twice (a folder and a file in it, `logs` and `./logs`, a parent and its subfolder, a link) is
  // read once: read twice, every session in it would be counted twice.
  const unique = new Map<string, LogFile>();
  for (const file of files) {
    const key = realPathOf(file.path);
    if (!unique.has(key)) unique.set(key, file);
  }
  // In time order by the file name Exchange gives (RECV<UTC date and hour>-<n>), whatever folder each is in: a
  // session continued from an earlier file is read in order, also when the folders sort the other way ("new" before
  // "old"), which lost the commands' replies and the relay with them.
  return [...unique.values()].sort(
    (a, b) => compareNatural(basename(a.path), basename(b.path)) || compareNatural(a.path, b.path),
  );
}

function realPathOf(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    // It was just found by stat; should it vanish meanwhile, the reader reports it.
    return path;
  }
}

function receiveLogsUnder(folder: string): LogFile[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    throw new InputError(folder, describeReadError(error as NodeJS.ErrnoException), { cause: error });
  }
  const files: LogFile[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...receiveLogsUnder(path));
    else if (RECEIVE_LOG_NAME.test(entry.name)) {
      // A log may be a link: followed (statSync) when it ends at a file; anything else named like a log is refused,
      // not left out (its sessions would be missing from the evidence). Links to folders are not descended into.
      const info = statOrThrow(path);
      if (info.isFile()) files.push({ path, bytes: info.size });
      else if (!info.isDirectory())
        throw new InputError(path, 'named like a protocol log but not a regular file');
    }
  }
  return files;
}

function statOrThrow(path: string) {
  try {
    return statSync(path);
  } catch (error) {
    throw new InputError(path, describeReadError(error as NodeJS.ErrnoException), { cause: error });
  }
}

/** Hourly file names in time order: RECV2026030208-2.LOG before RECV2026030208-10.LOG. */
export function compareNatural(a: string, b: string): number {
  return collator.compare(a, b);
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });
