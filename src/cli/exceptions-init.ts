/** The work of `exrelay exceptions init`, loaded when it runs. */

import { open } from 'node:fs/promises';
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

export async function writeStarterFile(
  argv: { files: string[]; out: string; minSeverity: string },
  context: CommandContext,
): Promise<void> {
  if (!isSeverity(argv.minSeverity))
    throw new UsageError('--min-severity must be one of critical, high, medium, low, info');
  // Opened first, exclusively: an existing file (perhaps filled in by hand) is never replaced, and a wrong path
  // costs no analysis.
  let file;
  try {
    file = await open(argv.out, 'wx');
  } catch (error) {
    const problem = error as NodeJS.ErrnoException;
    throw new UsageError(
      problem.code === 'EEXIST'
        ? `--out: ${argv.out} already exists; exrelay exceptions init never replaces a file: name a new one`
        : `--out: cannot create ${argv.out}: ${describeWriteError(problem)}`,
    );
  }
  try {
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
    await file.writeFile(text, 'utf8');
    await file.close();
    process.stdout.write(
      `Wrote ${terminalMessage(argv.out)}: ${entries} entr${entries === 1 ? 'y' : 'ies'} (findings at or above ${argv.minSeverity}); fill in reason, owner and expires, and delete what you do not approve\n`,
    );
  } catch (error) {
    // Nothing half-written stays behind under the name the user chose.
    await file.close().catch(() => undefined);
    const { unlink } = await import('node:fs/promises');
    await unlink(argv.out).catch(() => undefined);
    throw error;
  }
}
