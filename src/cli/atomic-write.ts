/** Write a file so that readers see the old content or the new, never half of it: temp file + rename. */

import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.js';

export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, { encoding: 'utf8', flag: 'wx', mode: 0o600 });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot write ${path}: ${code === 'ENOENT' ? 'the folder does not exist' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`,
    );
  }
}
