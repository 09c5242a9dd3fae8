/**
 * Where a report or snapshot is written, decided before anything is read, collected or written, so that a wrong
 * path costs nothing and loses nothing (README, "Output files"):
 *
 * - a regular file, or a new one: replaced atomically (temporary file, then rename), keeping an existing file's
 *   permission bits; a new file gets 0666 minus the umask, like a shell redirection;
 * - a symbolic link: followed; its final target is written as above and the link stays;
 * - a FIFO or a character device (/dev/null, /dev/stdout, a terminal): written in place, never replaced;
 * - a folder, block device or socket: refused;
 * - one of the inputs, or a file that analyze would read from an input folder: refused.
 *
 * "Inputs" are every file a command reads, not only its exports: an exceptions file, a baseline, a change script,
 * an init script or a protocol log replaced by a report is as lost as an export (see inputsOf).
 */

import { access, constants, lstat, readlink, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { describeWriteError } from '../fs-errors.js';
import { isExportFileName } from '../ingest/export-files.js';

export type OutputTarget =
  /** Replaced atomically; `mode` is the permission bits of the file it replaces, null for a new file. */
  | { kind: 'file'; path: string; mode: number | null }
  /** Written in place: a FIFO or a character device. */
  | { kind: 'stream'; path: string };

/** The inputs a command names, for resolveOutput: options that were not given are left out. */
export function inputsOf(...paths: Array<string | readonly string[] | undefined>): string[] {
  return paths.flatMap((path) => (path === undefined ? [] : typeof path === 'string' ? [path] : [...path]));
}

/** Linux gives up after 40 links; so does exrelay. */
const MAX_LINKS = 40;

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The path with every symbolic link followed, also when the final target does not exist yet. */
async function followLinks(path: string, option: string): Promise<{ path: string; info: Stats | null }> {
  let current = resolve(path);
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    const info = await lstatOrNull(current);
    if (!info?.isSymbolicLink()) return { path: current, info };
    current = resolve(dirname(current), await readlink(current));
  }
  throw new UsageError(`${option}: ${path}: too many levels of symbolic links`);
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * A path whose last part is empty, `.` or `..` names a folder whatever is there (`report.json/` is no file, as
 * the system would say). Resolved, it would name the part before it: `--output report.json/` replaced the file
 * report.json, and `--output reports/` created a file called reports.
 */
function namesFolder(path: string): boolean {
  const last = path.split(sep === '\\' ? /[\\/]/ : '/').pop();
  return last === '' || last === '.' || last === '..';
}

/** The target of `--output`/`--out`, checked: its folder exists and is writable, its kind is one exrelay writes. */
export async function resolveOutput(
  path: string,
  option: string,
  inputs: readonly string[] = [],
): Promise<OutputTarget> {
  if (path === '') throw new UsageError(`${option} needs a file name`);
  if (namesFolder(path))
    throw new UsageError(`${option}: ${path} names a folder, not a file; name a file to write the report to`);
  let target: { path: string; info: Stats | null };
  try {
    target = await followLinks(path, option);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `${option}: cannot use ${path}: ${describeWriteError(error as NodeJS.ErrnoException)}`,
    );
  }
  const { info } = target;
  if (info && (info.isFIFO() || info.isCharacterDevice())) return { kind: 'stream', path: target.path };
  if (info && !info.isFile())
    throw new UsageError(`${option}: ${path} is ${kindOf(info)}; name a file to write the report to`);
  const folder = dirname(target.path);
  // Messages name the folder as the user wrote it, unless a link led elsewhere.
  const shownFolder = target.path === resolve(path) ? dirname(path) : folder;
  const folderInfo = await stat(folder).catch(() => null);
  if (!folderInfo?.isDirectory())
    throw new UsageError(`${option}: cannot write ${path}: the folder ${shownFolder} does not exist`);
  if (
    !(await access(folder, constants.W_OK).then(
      () => true,
      () => false,
    ))
  )
    throw new UsageError(
      `${option}: cannot write ${path}: no permission to write in the folder ${shownFolder}`,
    );
  await refuseInputs(path, option, target.path, info, folderInfo, inputs);
  return { kind: 'file', path: target.path, mode: info ? info.mode & 0o7777 : null };
}

/**
 * An output that is one of the inputs would replace the export with its own report; one inside an input folder
 * under an export's name would be read as input next time.
 */
async function refuseInputs(
  given: string,
  option: string,
  path: string,
  info: Stats | null,
  folder: Stats,
  inputs: readonly string[],
): Promise<void> {
  // The name as given counts too: a link in an input folder named like an export is read through (load-files.ts),
  // so writing through it would replace an export that lives elsewhere.
  const givenFolder = await stat(dirname(resolve(given))).catch(() => null);
  const exportNamed = (folderInfo: Stats | null, name: string, inputFolder: Stats) =>
    folderInfo !== null && sameFile(folderInfo, inputFolder) && isExportFileName(basename(name));
  for (const input of inputs) {
    const inputInfo = await stat(input).catch(() => null);
    if (!inputInfo) continue;
    if (info && inputInfo.isFile() && sameFile(info, inputInfo))
      throw new UsageError(`${option}: ${given} is one of the input files; write the report elsewhere`);
    if (
      inputInfo.isDirectory() &&
      (exportNamed(folder, path, inputInfo) || exportNamed(givenFolder, given, inputInfo))
    )
      throw new UsageError(
        `${option}: ${given} is in the input folder ${input}, where analyze would read it as an export; write the report elsewhere or under another extension`,
      );
  }
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}
