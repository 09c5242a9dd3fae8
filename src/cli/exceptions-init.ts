/** The work of `exrelay exceptions init`, loaded when it runs. */

import { randomBytes } from 'node:crypto';
import { lstat, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isSeverity } from '../analysis/severity.js';
import { UsageError } from '../errors.js';
import { connectorScopes } from '../exceptions/apply-exceptions.js';
import { starterFile } from '../exceptions/starter-file.js';
import { buildSnapshot } from '../ingest/build-snapshot.js';
import { loadInputs } from '../ingest/load-files.js';
import { evaluateFindings } from '../pipeline.js';
import { terminalMessage } from '../report/untrusted-text.js';
import type { CommandContext } from './context.js';
import { localDate } from './exceptions-option.js';
import { describeWriteError } from '../fs-errors.js';
import { MAX_EXCEPTIONS_BYTES } from './load-exceptions.js';
import { claimName } from './claim-name.js';
import { resolveOutput } from './output-path.js';
import { removeWhenStopped } from './remove-when-stopped.js';

export async function writeStarterFile(
  argv: { files: string[]; out: string; minSeverity: string },
  context: CommandContext,
): Promise<void> {
  if (!isSeverity(argv.minSeverity))
    throw new UsageError('--min-severity must be one of critical, high, medium, low, info');
  // Checked first: an existing file (perhaps filled in by hand) is never replaced, and a wrong path costs no
  // analysis. Nothing is created until the whole file is written (see writeNewFile).
  await refuseExisting(argv.out);
  await resolveOutput(argv.out, '--out', argv.files);
  const { snapshot, warnings } = buildSnapshot(await loadInputs(argv.files));
  for (const warning of warnings) context.warn(warning);
  const { analysis, findings } = evaluateFindings(snapshot);
  const { text, entries } = starterFile({
    findings,
    connectors: connectorScopes(analysis),
    minSeverity: argv.minSeverity,
    generator: context.generator,
    source: argv.files.join(', '),
    today: localDate(new Date()),
  });
  // Never a file that analyze and audit would then refuse to read.
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_EXCEPTIONS_BYTES)
    throw new UsageError(
      `the starter file would be ${(size / 1024 / 1024).toFixed(0)} MiB (${entries} entries), more than the 16 MiB an exceptions file may have: raise --min-severity, or start from the exports of fewer servers`,
    );
  await writeNewFile(argv.out, text);
  process.stdout.write(
    `Wrote ${terminalMessage(argv.out)}: ${entries} entr${entries === 1 ? 'y' : 'ies'} (findings at or above ${argv.minSeverity}); fill in reason, owner and expires, and delete what you do not approve\n`,
  );
}

const alreadyExists = (path: string) =>
  new UsageError(
    `--out: ${path} already exists; exrelay exceptions init never replaces a file: name a new one`,
  );

/** Anything under the name, a link that leads nowhere included, is a file exceptions init does not replace. */
async function refuseExisting(path: string): Promise<void> {
  if (path === '') throw new UsageError('--out needs a file name');
  try {
    await lstat(path);
  } catch (error) {
    const problem = error as NodeJS.ErrnoException;
    if (problem.code === 'ENOENT') return;
    throw new UsageError(`--out: cannot create ${path}: ${describeWriteError(problem)}`);
  }
  throw alreadyExists(path);
}

/**
 * The starter file, written whole to a temporary file beside it and then given its name, only if no file took
 * that name meanwhile. Created first and then written, an interrupted run (Ctrl-C, a full disk, a killed task)
 * left an empty or cut-off file that looked like a starter file, and that the next init refused to replace.
 */
async function writeNewFile(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.exrelay-exceptions-${randomBytes(6).toString('hex')}.tmp`);
  const stopGuarding = removeWhenStopped(temp);
  try {
    await writeFile(temp, text, { flag: 'wx', mode: 0o666 });
    if (!(await claimName(temp, path))) throw alreadyExists(path);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `--out: cannot write ${path}: ${describeWriteError(error as NodeJS.ErrnoException)}`,
    );
  } finally {
    await rm(temp, { force: true }).catch(() => undefined);
    stopGuarding();
  }
}
