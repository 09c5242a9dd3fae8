/**
 * The file-system edge of ingestion: expand the paths on the command line (a directory means the export
 * files in it) and read each one. Parsing itself is pure (read-input.ts).
 */

import { closeSync, readSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { describeReadError } from '../fs-errors.js';
import { isExportFileName } from './export-files.js';
import { isClixml } from './clixml.js';
import { fileWindows, NotWindowable, WINDOW_BYTES, type WindowedFile } from './clixml-windows.js';
import { pieceEncoding, type PieceEncoding } from './encoding.js';
import { isUnchanged, probeFile, readRegularFile, type FileVersion } from '../file-probe.js';
import {
  decodeInput,
  readClixmlInWindows,
  readInputText,
  readSnapshotBytes,
  readSnapshotInWindows,
  type ParsedInput,
} from './read-input.js';
import { lineAndColumnAfter, type ReadMore } from './json-elements.js';

/** Far above any real export (the 10,000-connector benchmark is ~150 MB); protects memory. */
const MAX_BYTES = 1024 * 1024 * 1024;

export async function loadInputs(paths: readonly string[]): Promise<ParsedInput[]> {
  // Every path is expanded before any file is read: a missing one costs nothing.
  const expanded: Expanded[] = [];
  for (const path of paths) expanded.push(await expand(path));
  const inputs: ParsedInput[] = [];
  for (const { path, files, skipped } of expanded)
    for (const file of files) {
      const input = await loadInput(file);
      // The folder's note rides on its first file, so that every command that builds a snapshot warns of it.
      if (file === files[0] && skipped.length > 0) input.notes = [skippedFilesNote(path, skipped)];
      inputs.push(input);
    }
  return inputs;
}

/**
 * A snapshot is read in windows of this many bytes (json-elements.ts), when it is at least two of them long. Read
 * whole, the 47 MB benchmark snapshot was 47 MB of fresh memory, paid for in page faults on a small VM (~0.2 s),
 * and half the peak memory of the 470 MB one.
 */
const SNAPSHOT_WINDOW_BYTES = 1024 * 1024;

/** One file; `windowBytes` (clixml-windows.ts) and `snapshotWindowBytes` are for tests. */
export async function loadInput(
  file: string,
  windowBytes = WINDOW_BYTES,
  snapshotWindowBytes = SNAPSHOT_WINDOW_BYTES,
): Promise<ParsedInput> {
  const windowed = readLargeFileInWindows(file, windowBytes, snapshotWindowBytes);
  if (windowed) return windowed;
  let bytes: Uint8Array | null = readRegularFile(
    file,
    MAX_BYTES,
    'larger than 1 GiB; not an Exchange export',
  );
  const snapshot = readSnapshotBytes(file, bytes);
  if (snapshot) return snapshot;
  const { text, ansi } = decodeInput(file, bytes);
  // Decoded first and parsed after: nothing holds the bytes while the text is parsed.
  bytes = null;
  return readInputText(file, text, ansi);
}

/** Bytes enough to tell a CLIXML export (clixml.ts, isClixml). */
const HEAD_BYTES = 4096;

/**
 * A large CLIXML export or snapshot read in windows, as one look at the file's head tells; null for any other file,
 * and where windows decline it: it is then read whole, and any error is found and worded there.
 */
function readLargeFileInWindows(
  file: string,
  windowBytes: number,
  snapshotWindowBytes: number,
): ParsedInput | null {
  const minBytes = 2 * Math.min(windowBytes, snapshotWindowBytes);
  const probe = probeFile(file, { minBytes, maxBytes: MAX_BYTES, headBytes: HEAD_BYTES });
  if (probe === null) return null;
  const { fd, version, head } = probe;
  try {
    const clixml = version.size >= 2 * windowBytes ? clixmlStart(head) : null;
    if (clixml) return readClixmlFileInWindows({ file, ...clixml, version }, windowBytes);
    const snapshot = version.size >= 2 * snapshotWindowBytes ? snapshotStart(head) : null;
    if (snapshot) return readOpenSnapshotInWindows(file, fd, { ...snapshot, version }, snapshotWindowBytes);
    return null;
  } finally {
    closeSync(fd);
  }
}

/** Where a CLIXML export's text starts and how it is written, when `head` starts one that windows can decode. */
function clixmlStart(head: Uint8Array): { encoding: PieceEncoding; bomLength: number } | null {
  const found = pieceEncoding(head);
  if (found === null) return null;
  const text = Buffer.from(head.subarray(found.bomLength)).toString(
    found.encoding === 'utf-8' ? 'utf8' : 'utf16le',
  );
  return isClixml(text.trimStart()) ? found : null;
}

function readClixmlFileInWindows(source: WindowedFile, windowBytes: number): ParsedInput | null {
  try {
    return readClixmlInWindows(source.file, fileWindows(source, windowBytes));
  } catch (error) {
    if (error instanceof NotWindowable) return null;
    throw error;
  }
}

/**
 * A large JSON object in UTF-8, read as a snapshot in windows; null for any other file, and for one that is not a
 * snapshot or holds an error: it is then read whole, which words the error as for any file (only a file too long
 * to become one string, `longestText` characters, gets its error from here). Null too when the file changed while
 * it was read, so that no snapshot is made of two versions: read whole, it is read once, as it is by then.
 * `afterRead` (tests) runs after each read of the file.
 */
export function readSnapshotInFileWindows(
  file: string,
  windowBytes: number,
  options: { longestText?: number; afterRead?: () => void } = {},
): ParsedInput | null {
  const probe = probeFile(file, { minBytes: 2 * windowBytes, maxBytes: MAX_BYTES, headBytes: HEAD_BYTES });
  if (probe === null) return null;
  try {
    const found = snapshotStart(probe.head);
    if (found === null) return null;
    return readOpenSnapshotInWindows(
      file,
      probe.fd,
      { ...found, version: probe.version },
      windowBytes,
      options,
    );
  } finally {
    closeSync(probe.fd);
  }
}

function readOpenSnapshotInWindows(
  file: string,
  fd: number,
  { bomLength, version }: { bomLength: number; version: FileVersion },
  windowBytes: number,
  { longestText, afterRead }: { longestText?: number; afterRead?: () => void } = {},
): ParsedInput | null {
  try {
    let position = bomLength;
    const readMore: ReadMore = (target, offset, length) => {
      const read = readSync(fd, target, offset, length, position);
      position += read;
      afterRead?.();
      return read;
    };
    const locate = (offset: number) => lineAndColumnAfter(piecesOf(fd, bomLength, offset));
    let input: ParsedInput | null;
    try {
      input = readSnapshotInWindows(
        file,
        { readMore, windowBytes, size: version.size, expectedLength: version.size - bomLength, locate },
        longestText,
      );
    } catch (error) {
      if (error instanceof InputError && !isUnchanged(fd, version)) return null;
      throw error;
    }
    return isUnchanged(fd, version) ? input : null;
  } catch (error) {
    // Failing to read it here, it is read whole, which says why.
    if ((error as NodeJS.ErrnoException).syscall !== undefined) return null;
    throw error;
  }
}

/** The BOM's length when `head` starts a UTF-8 JSON object (whitespace before it allowed); else null. */
function snapshotStart(head: Uint8Array): { bomLength: number } | null {
  const found = pieceEncoding(head);
  if (found?.encoding !== 'utf-8') return null;
  let at = found.bomLength;
  while (
    at < head.length &&
    (head[at] === 0x20 || head[at] === 0x0a || head[at] === 0x0d || head[at] === 0x09)
  )
    at++;
  return head[at] === 0x7b ? { bomLength: found.bomLength } : null;
}

/** The `length` bytes of a file from `start` on, a piece at a time in one reused buffer. */
function* piecesOf(fd: number, start: number, length: number): Generator<Uint8Array> {
  const piece = new Uint8Array(Math.min(length, 1024 * 1024));
  for (let done = 0; done < length;) {
    const read = readSync(fd, piece, 0, Math.min(piece.length, length - done), start + done);
    if (read === 0) return;
    done += read;
    yield piece.subarray(0, read);
  }
}

/** A path on the command line: the files to read, and for a folder the files in it that are not read. */
interface Expanded {
  path: string;
  files: string[];
  skipped: string[];
}

async function expand(path: string): Promise<Expanded> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(path, describeReadError(error), { cause: error });
  });
  if (!info.isDirectory()) return { path, files: [path], skipped: [] };
  // A folder that may be entered but not listed (mode 0300, or another user's) is an input that cannot be read.
  const entries = await readdir(path, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(path, describeReadError(error), { cause: error });
  });
  const files: string[] = [];
  const skipped: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) continue;
    const file = join(path, entry.name);
    if (!isExportFileName(entry.name)) {
      if (await isSkippedFile(entry.name, file, entry.isFile())) skipped.push(entry.name);
    } else if (entry.isFile() || (await isExportBehindLink(file))) files.push(file);
  }
  files.sort();
  skipped.sort();
  if (files.length === 0)
    throw new InputError(
      path,
      `the directory holds no .xml, .clixml or .json files${skipped.length > 0 ? `, only ${listing(skipped)}${csvAdvice(skipped)}` : ''}`,
    );
  return { path, files, skipped };
}

/** Names a skipped-files warning lists; the rest are counted. */
const SKIPPED_LISTED = 3;

/**
 * Files of a folder that are not read, and why: an ADPermission.csv left out silently turns every connector's
 * verdict to unknown with nothing pointing at the file.
 */
function skippedFilesNote(folder: string, skipped: readonly string[]): string {
  const files = skipped.length === 1 ? '1 file' : `${count(skipped.length)} files`;
  return `${folder}: ${files} not read (${listing(skipped)}): only the .xml, .clixml and .json files of a folder are read${csvAdvice(skipped)}`;
}

function listing(skipped: readonly string[]): string {
  const listed = skipped
    .slice(0, SKIPPED_LISTED)
    .map((name) => `'${name}'`)
    .join(', ');
  return skipped.length > SKIPPED_LISTED
    ? `${listed} and ${count(skipped.length - SKIPPED_LISTED)} more`
    : listed;
}

function csvAdvice(skipped: readonly string[]): string {
  return skipped.some((name) => /\.csv$/i.test(name))
    ? '; a CSV export (Export-Csv) loses the values exrelay needs: export with Export-Clixml'
    : '';
}

function count(number: number): string {
  return number.toLocaleString('en-US');
}

/**
 * Files nobody means as an export: hidden ones (.DS_Store), the README and LICENSE that come with a shared export,
 * and what Windows Explorer leaves behind.
 */
const NEVER_AN_EXPORT = /^(?:\.|readme|licen[cs]e|copying|thumbs\.db$|desktop\.ini$)/i;

/** A file of a folder that is not read and worth naming: a regular file, or a link to one. */
async function isSkippedFile(name: string, file: string, regular: boolean): Promise<boolean> {
  if (NEVER_AN_EXPORT.test(name)) return false;
  if (regular) return true;
  const info = await stat(file).catch(() => null);
  return info?.isFile() ?? false;
}

/**
 * An export may be a link to the admin's copy: it is followed. A link to a folder is left alone like a folder; one
 * that ends anywhere else (nowhere, a FIFO, a device) is refused, not left out: the analysis would silently lack
 * that export (ADPermission.xml missing turns every connector's verdict to unknown).
 */
async function isExportBehindLink(file: string): Promise<boolean> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(file, `named like an export but cannot be read: ${describeReadError(error)}`, {
      cause: error,
    });
  });
  if (info.isDirectory()) return false;
  if (!info.isFile()) throw new InputError(file, 'named like an export but not a regular file');
  return true;
}
