/**
 * Write a file so that readers see the old content or the new, never half of it: a temp file in the same
 * folder, then rename. Content may come in chunks (a large report does not fit in one string).
 */

import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import { UsageError } from '../errors.js';

/** Chunks are batched into writes of about this size. */
const BATCH = 4 * 1024 * 1024;

function* batches(chunks: Iterable<string>): Generator<string> {
  let pending: string[] = [];
  let size = 0;
  for (const chunk of chunks) {
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

export async function writeFileAtomic(path: string, content: string | Iterable<string>): Promise<void> {
  const chunks = typeof content === 'string' ? [content] : content;
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      for (const batch of batches(chunks)) await handle.write(batch, null, 'utf8');
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new UsageError(`cannot write ${path}: ${describe(error as NodeJS.ErrnoException)}`);
  }
}

/** Write chunks to a stream (standard output), waiting whenever it asks to. */
export async function writeToStream(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  for (const batch of batches(chunks)) {
    if (!stream.write(batch)) await once(stream, 'drain');
  }
}

function describe(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'the folder does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return error.message;
  }
}
