/**
 * Write a report or snapshot where output-path.ts decided: a file so that readers see the old content or the new,
 * never half of it (a temporary file in the same folder, then rename); a FIFO or device in place. Content may
 * come in chunks (a large report does not fit in one string).
 */

import { randomBytes } from 'node:crypto';
import { fstatSync, writeSync } from 'node:fs';
import { constants, type FileHandle } from 'node:fs/promises';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isatty } from 'node:tty';
import { UsageError } from '../errors.js';
import { describeWriteError } from '../fs-errors.js';
import { type OutputTarget } from './output-path.js';
import { removeWhenStopped } from './remove-when-stopped.js';

/**
 * Chunks are batched into stream writes of about this many characters: each batch is a string, under V8's
 * large-object size (128 KB) even as two-byte text, so it dies young. 4 MB batches went to the large-object space
 * and piled up until a full collection: the 10,000-connector report peaked at 580 MB RSS against 425 MB, at the
 * same speed.
 */
const BATCH = 60_000;

/** String batches for a stream, which may keep each one until it is written. */
function* batches(chunks: Iterable<string>): Generator<string> {
  let pending: string[] = [];
  let size = 0;
  for (const chunk of chunks) {
    // A chunk as large as a batch is written as it is, not copied into one.
    if (chunk.length >= BATCH) {
      if (pending.length > 0) yield pending.join('');
      pending = [];
      size = 0;
      yield chunk;
      continue;
    }
    pending.push(chunk);
    size += chunk.length;
    if (size >= BATCH) {
      yield pending.join('');
      pending = [];
      size = 0;
    }
  }
  if (pending.length > 0) yield pending.join('');
}

export async function writeOutput(target: OutputTarget, content: string | Iterable<string>): Promise<void> {
  const chunks = typeof content === 'string' ? [content] : content;
  if (target.kind === 'stream') await writeInPlace(target.path, chunks);
  else await writeFileAtomic(target.path, chunks, target.mode);
}

/**
 * Replace `path` atomically. A new file gets 0666 minus the umask, as with a shell redirection (monitoring tools
 * run as other users read reports); a replaced file keeps its permission bits.
 */
export async function writeFileAtomic(
  path: string,
  content: string | Iterable<string>,
  mode: number | null = null,
): Promise<void> {
  const chunks = typeof content === 'string' ? [content] : content;
  const temp = join(dirname(path), tempName(basename(path)));
  const stopGuarding = removeWhenStopped(temp);
  try {
    const handle = await open(temp, 'wx', 0o666);
    try {
      await writeChunks(handle, chunks);
      if (mode !== null) await handle.chmod(mode);
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    // Removing may fail for the reason writing did (the folder gone, a name the file system refuses): the write's
    // error is the one to report.
    await rm(temp, { force: true }).catch(() => undefined);
    throw new UsageError(`cannot write ${path}: ${describeWriteError(error as NodeJS.ErrnoException)}`);
  } finally {
    stopGuarding();
  }
}

/** Bytes of the report's name kept in its temporary file's name; a file name may have 255. */
const TEMP_NAME_BYTES = 200;

/**
 * `.<name>.<random>.tmp`, with the name shortened so that the whole stays within 255 bytes: a report named with 250
 * characters is a valid file name, and its temporary file must be one too.
 */
function tempName(name: string): string {
  let kept = name;
  while (Buffer.byteLength(kept, 'utf8') > TEMP_NAME_BYTES) kept = kept.slice(0, kept.length - 1);
  // Never half a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
  return `.${kept}.${randomBytes(6).toString('hex')}.tmp`;
}

/** A FIFO or a character device: opened for writing as it is (never created, truncated or replaced). */
async function writeInPlace(path: string, chunks: Iterable<string>): Promise<void> {
  let handle: FileHandle | null = null;
  try {
    handle = await open(path, constants.O_WRONLY);
    await writeChunks(handle, chunks);
  } catch (error) {
    // A reader that stops early is not an error, as on standard output.
    if ((error as NodeJS.ErrnoException).code !== 'EPIPE')
      throw new UsageError(`cannot write ${path}: ${describeWriteError(error as NodeJS.ErrnoException)}`);
  } finally {
    await handle?.close();
  }
}

/**
 * Bytes of one file write. Buffers live outside V8's heap, so they can be larger than a string batch: 1 MiB
 * writes took ~20 % less CPU than 180 KB ones on the 10,000-connector report (~60 writes instead of ~350).
 */
const BATCH_BYTES = 1024 * 1024;

/**
 * Chunks encoded straight into two reused buffers, one being written while the other fills: no batch string is
 * joined only to be encoded (on the 10,000-connector report that was 62 MB of garbage and ~50 ms). A chunk too
 * large for a buffer is written as it is. One write in flight while the next batch is rendered: waiting for each
 * write before rendering more left the CPU idle for ~5 % of a large report's run. Writes still happen one after
 * another, in order.
 */
async function writeChunks(handle: FileHandle, chunks: Iterable<string>): Promise<void> {
  let filling = Buffer.allocUnsafeSlow(BATCH_BYTES);
  let spare = Buffer.allocUnsafeSlow(BATCH_BYTES);
  let used = 0;
  let writing: Promise<unknown> | null = null;
  const write = async (content: string | Uint8Array): Promise<void> => {
    if (writing !== null) await writing;
    writing = writeAll(handle, content);
    // Awaited before the next write or at the end; until then a failure must not count as unhandled.
    writing.catch(() => undefined);
  };
  for (const chunk of chunks) {
    // The chunk might not fit in what is left (its UTF-8 length is at most three bytes per character).
    if (chunk.length * 3 > BATCH_BYTES - used) {
      if (used > 0) {
        await write(filling.subarray(0, used));
        // The spare buffer's write was awaited before this one started.
        [filling, spare] = [spare, filling];
        used = 0;
      }
      if (chunk.length * 3 > BATCH_BYTES) {
        await write(chunk);
        continue;
      }
    }
    used += filling.write(chunk, used, 'utf8');
  }
  if (used > 0) await write(filling.subarray(0, used));
  if (writing !== null) await writing;
}

/** All of `content`: a write to a file may take only part of the bytes. */
async function writeAll(handle: FileHandle, content: string | Uint8Array): Promise<void> {
  let bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  while (bytes.length > 0) {
    const { bytesWritten } = await handle.write(bytes, 0, bytes.length, null);
    if (bytesWritten === 0) throw tookNothing();
    bytes = bytes.subarray(bytesWritten);
  }
}

/** A write that took no byte of a non-empty buffer: asked again, it would take none again, for ever. */
function tookNothing(): Error {
  return new Error('the device took no more bytes');
}

/**
 * All of `bytes` to the file descriptor `fd`, synchronously, or an error (ENOSPC, EFBIG, or a write that takes
 * nothing). On a full disk write() first takes the bytes that still fit and says how many: Node's stream for a
 * standard output that is a file ignores that count, and `> report.json` on a full disk kept a cut-off report
 * with exit 0. `write` is a parameter so that a test can be a disk that fills.
 */
export function writeAllSync(fd: number, bytes: Uint8Array, write: typeof writeSync = writeSync): void {
  let rest = bytes;
  while (rest.length > 0) {
    const written = write(fd, rest, 0, rest.length, null);
    if (written === 0) throw tookNothing();
    rest = rest.subarray(written);
  }
}

/** A stream that Node writes synchronously to a file or a device (`> report.json`, `> /dev/full`): its descriptor. */
function fileDescriptorOf(stream: NodeJS.WritableStream): number | null {
  const fd = (stream as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return null;
  try {
    const info = fstatSync(fd);
    return info.isFile() || (info.isCharacterDevice() && !isatty(fd)) ? fd : null;
  } catch {
    return null;
  }
}

/**
 * Write chunks to a stream (standard output), waiting whenever it asks to. When the reader goes away (a closed
 * pipe destroys the stream) the rest is not rendered: the caller still finishes and decides the exit code. A
 * file or device is written directly, every byte or an error (writeAllSync), which stops the run with exit 2
 * like any output that cannot be written.
 */
export async function writeToStream(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  const fd = fileDescriptorOf(stream);
  if (fd !== null) {
    for (const batch of batches(chunks)) {
      try {
        writeAllSync(fd, Buffer.from(batch, 'utf8'));
      } catch (error) {
        throw new UsageError(
          `cannot write to standard output: ${describeWriteError(error as NodeJS.ErrnoException)}`,
        );
      }
    }
    return;
  }
  const writable = stream as NodeJS.WritableStream & { destroyed?: boolean };
  for (const batch of batches(chunks)) {
    if (writable.destroyed) return;
    if (!stream.write(batch)) await drainedOrClosed(stream);
  }
}

function drainedOrClosed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const event of EVENTS) stream.off(event, done);
      resolve();
    };
    for (const event of EVENTS) stream.on(event, done);
  });
}

const EVENTS = ['drain', 'close', 'error'] as const;
