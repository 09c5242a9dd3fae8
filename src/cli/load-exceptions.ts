/** Reads an exceptions file: one-line errors naming file, line and column (exit 2); nothing half-read. */

import { InputError } from '../errors.js';
import { ExceptionsFileError, type ExceptionsFile } from '../exceptions/exception-entry.js';
import type { ExceptionsInput } from '../pipeline.js';
import { readRegularFile } from '../file-probe.js';

/** The largest exceptions file read (the YAML parser needs ~45 times a file's size in memory). */
export const MAX_EXCEPTIONS_BYTES = 16 * 1024 * 1024;

export async function readExceptionsFile(path: string): Promise<ExceptionsFile> {
  // An exceptions file is a few hundred entries; a huge file is a mistake, not a list.
  const bytes = readRegularFile(path, MAX_EXCEPTIONS_BYTES, 'larger than 16 MiB; not an exceptions file');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new InputError(path, 'not UTF-8 text: save the exceptions file as UTF-8');
  }
  // The YAML parser loads only when there is a file to read: most runs have none, and it costs ~30 ms.
  const { parseExceptions } = await import('../exceptions/parse-exceptions.js');
  try {
    return parseExceptions(text);
  } catch (error) {
    throw asInputError(path, error);
  }
}

/** An ExceptionsFileError (from parsing, or from matching entries to findings) as `file:line:column: problem`. */
export function asInputError(path: string, error: unknown): unknown {
  if (!(error instanceof ExceptionsFileError)) return error;
  const { line, column } = error.position;
  return new InputError(`${path}:${line}:${column}`, error.message);
}

/** Runs `work`, naming the exceptions file in an error an entry caused while it was matched to findings. */
export function withExceptionsFile<T>(exceptions: ExceptionsInput | undefined, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw exceptions ? asInputError(exceptions.source, error) : error;
  }
}

/** The exceptions to apply, judged on `today`; undefined without --exceptions. */
export async function loadExceptions(
  path: string | undefined,
  today: string,
): Promise<ExceptionsInput | undefined> {
  if (path === undefined) return undefined;
  return { file: await readExceptionsFile(path), source: path, today };
}
