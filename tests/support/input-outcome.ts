/** What reading an input gives, for tests that compare two ways of reading one file: its records, or its error. */
import { InputError } from '../../src/errors.js';
import type { ParsedInput } from '../../src/ingest/read-input.js';

export type Outcome = { input: ParsedInput } | { error: string };

export async function outcome(read: () => ParsedInput | Promise<ParsedInput>): Promise<Outcome> {
  try {
    return { input: await read() };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { error: error.message };
  }
}
