/**
 * A large CLIXML export read in windows of its text (clixml-scanner.ts, ClixmlWindows) instead of as one string:
 * the whole file as bytes and then as text was ~230 MB of fresh memory for the 10,000-connector export, which a
 * machine whose page faults are dear (a small VM) pays for in time too. Windows end between two top-level objects,
 * which Export-Clixml writes on lines of their own, indented by two spaces. Where that guess is wrong the scanner
 * declines, and the file is read whole as before: windows only ever make reading faster, never different.
 */

import { closeSync, readSync } from 'node:fs';
import { InputError } from '../errors.js';
import { describeReadError } from '../fs-errors.js';
import type { ClixmlWindows } from './clixml-scanner.js';
import { DecodeError, decodePiece, type PieceEncoding } from './encoding.js';
import { isUnchanged, openForReading, type FileVersion } from '../file-probe.js';

/**
 * Bytes read at a time. A window's text stays under V8's large-object size (128 KB as one-byte text), so it is
 * made in the young generation, whose memory is used again, rather than in memory of its own.
 */
export const WINDOW_BYTES = 96 * 1024;

/**
 * A window grows to hold an object longer than itself, up to this many times its size (96 MiB): past that the file
 * is not what windows are for (no Export-Clixml object is near it), and it is read whole instead, which refuses
 * or reads it as before.
 */
const MAX_WINDOW_GROWTH = 1024;

/** Thrown from the windows when the file is not text they can hand on; it is then read whole, which says why. */
export class NotWindowable extends Error {
  constructor() {
    super('not read in windows');
    this.name = 'NotWindowable';
  }
}

/** The bytes windows are cut by, in one encoding. */
interface Marks {
  /** Bytes of one character: a match must start at a character. */
  unit: number;
  /** A top-level object's start as Export-Clixml writes it (after CR LF or LF). */
  topLevelStart: Buffer;
  space: Buffer;
  greaterThan: Buffer;
  carriageReturn: Buffer;
  refTag: Buffer;
}

function marksOf(encoding: 'latin1' | 'utf16le'): Marks {
  return {
    unit: encoding === 'latin1' ? 1 : 2,
    topLevelStart: Buffer.from('\n  <Obj', encoding),
    space: Buffer.from(' ', encoding),
    greaterThan: Buffer.from('>', encoding),
    carriageReturn: Buffer.from('\r', encoding),
    refTag: Buffer.from('<Ref', encoding),
  };
}

const MARKS: Record<PieceEncoding, Marks> = { 'utf-8': marksOf('latin1'), 'utf-16le': marksOf('utf16le') };

/** Where the text starts (after the BOM) and how it is written. */
export interface WindowedFile {
  file: string;
  encoding: PieceEncoding;
  bomLength: number;
  /**
   * The file as it was when its head was read, since the windows are read twice (the <Ref> pass, then the
   * objects); null to take it as it is found.
   */
  version: FileVersion | null;
}

/** The file's windows; each call reads it again from the start. `windowBytes` is for tests. */
export function fileWindows(source: WindowedFile, windowBytes = WINDOW_BYTES): ClixmlWindows {
  return {
    windows: () => readWindows(source, windowBytes, false),
    windowsWithRefTags: () => readWindows(source, windowBytes, true),
  };
}

function* readWindows(
  source: WindowedFile,
  windowBytes: number,
  onlyWithRefTags: boolean,
): Generator<string> {
  const { file, encoding } = source;
  const marks = MARKS[encoding];
  const fd = open(file);
  try {
    assertVersion(fd, source.version);
    let buffer = Buffer.allocUnsafeSlow(windowBytes);
    let position = source.bomLength;
    let filled = 0;
    for (;;) {
      const read = fill(source.file, fd, buffer, filled, position);
      // At the end, the file must still be the version the pass began with, before the last window is handed on.
      if (read.atEnd) assertVersion(fd, source.version);
      position += read.filled - filled;
      filled = read.filled;
      const end = read.atEnd ? filled : lastWindowEnd(buffer, filled, encoding);
      if (end <= 0) {
        if (read.atEnd) return;
        // One object longer than the window: a larger window.
        if (buffer.length >= windowBytes * MAX_WINDOW_GROWTH) throw new NotWindowable();
        const larger = Buffer.allocUnsafeSlow(buffer.length * 2);
        buffer.copy(larger, 0, 0, filled);
        buffer = larger;
        continue;
      }
      const window = buffer.subarray(0, end);
      if (!onlyWithRefTags || window.includes(marks.refTag)) yield decodeWindow(window, encoding);
      if (read.atEnd) return;
      buffer.copyWithin(0, end, filled);
      filled -= end;
    }
  } finally {
    closeSync(fd);
  }
}

/** NotWindowable when the file is no longer the version its head was read from. */
function assertVersion(fd: number, version: FileVersion | null): void {
  if (version !== null && !isUnchanged(fd, version)) throw new NotWindowable();
}

function open(file: string): number {
  try {
    // Not blocking: the file was a regular file when its head was read, but it may have been replaced since.
    return openForReading(file);
  } catch (error) {
    throw new InputError(file, describeReadError(error as NodeJS.ErrnoException), { cause: error });
  }
}

/** Reads the file from `position` into `buffer` after `filled`, until it is full or the file ends. */
function fill(
  file: string,
  fd: number,
  buffer: Buffer,
  filled: number,
  position: number,
): { filled: number; atEnd: boolean } {
  let at = filled;
  while (at < buffer.length) {
    let read: number;
    try {
      read = readSync(fd, buffer, at, buffer.length - at, position + at - filled);
    } catch (error) {
      throw new InputError(file, describeReadError(error as NodeJS.ErrnoException), { cause: error });
    }
    if (read === 0) return { filled: at, atEnd: true };
    at += read;
  }
  return { filled: at, atEnd: false };
}

/**
 * Where the last whole window in bytes[0, filled) ends: after the ">" that closes the line before the last
 * top-level object's start. 0 when there is none.
 */
export function lastWindowEnd(bytes: Uint8Array, filled: number, encoding: PieceEncoding = 'utf-8'): number {
  const { unit, topLevelStart, space, greaterThan, carriageReturn } = MARKS[encoding];
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, filled);
  const isAt = (mark: Buffer, at: number) => at >= 0 && buffer.subarray(at, at + mark.length).equals(mark);
  for (
    let start = buffer.lastIndexOf(topLevelStart);
    start > 0;
    start = buffer.lastIndexOf(topLevelStart, start - 1)
  ) {
    // A match across two characters, or a name that goes on (`<Objs`, or one not read yet), is no object's start.
    const after = start + topLevelStart.length;
    if (start % unit !== 0 || !(isAt(space, after) || isAt(greaterThan, after))) continue;
    const end = isAt(carriageReturn, start - unit) ? start - unit : start;
    if (isAt(greaterThan, end - unit)) return end;
  }
  return 0;
}

/** Decodes a window as the whole file would be decoded; NotWindowable where that would fail. */
function decodeWindow(bytes: Buffer, encoding: PieceEncoding): string {
  try {
    return decodePiece(bytes, encoding);
  } catch (error) {
    // Bytes that are not UTF-8 or UTF-16LE, a NUL, or text longer than V8's longest string.
    if (error instanceof DecodeError) throw new NotWindowable();
    throw error;
  }
}
