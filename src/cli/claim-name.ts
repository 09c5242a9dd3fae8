/**
 * Giving a finished temporary file a name that no file may have yet: a hard link fails when the name exists, so
 * a writer never replaces a file that appeared meanwhile (another audit's snapshot, a filled-in exceptions file),
 * and a reader sees the whole file or none.
 */

import { closeSync, linkSync, openSync, renameSync } from 'node:fs';
import { link, open, rename } from 'node:fs/promises';

/** Makes a hard link; a parameter so that a test can be a file system without hard links. */
export type LinkFile = (existingPath: string, newPath: string) => Promise<void>;

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Gives `temp`'s content the name `path` unless a file has it; false when one has. On success `temp` may still
 * exist (as a second link): the caller removes it.
 */
export async function claimName(temp: string, path: string, linkFile: LinkFile = link): Promise<boolean> {
  try {
    await linkFile(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (!NO_HARD_LINKS.has(code ?? '')) throw error;
  }
  // A file system without hard links (FAT, some shares): the name is claimed empty, then the content renamed onto
  // it; a reader may meet the empty file for that moment, but nothing already there is replaced.
  try {
    await (await open(path, 'wx')).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  await rename(temp, path);
  return true;
}

/**
 * claimName, synchronously: for a run that is being stopped, where nothing after the stop handler runs
 * (remove-when-stopped.ts).
 */
export function claimNameSync(temp: string, path: string): boolean {
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (!NO_HARD_LINKS.has(code ?? '')) throw error;
  }
  try {
    closeSync(openSync(path, 'wx'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  renameSync(temp, path);
  return true;
}
