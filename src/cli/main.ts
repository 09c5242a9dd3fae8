/**
 * The command line: yargs setup, the commands, and the mapping of errors to one-line messages and exit codes.
 * A stack trace is printed only with --debug.
 */

import yargs from 'yargs';
import { ExitCode, ExrelayError, UsageError, type ExitCodeValue } from '../errors.js';
import { analyzeCommand } from './analyze.js';
import { auditCommand } from './audit.js';
import { checksCommand } from './checks.js';
import { collectCommand } from './collect.js';
import type { CommandContext } from './context.js';
import { generatorName } from './version.js';

/** Exit code for a bug in exrelay itself (anything that is not a typed, user-facing error). */
export const INTERNAL_ERROR_EXIT_CODE = 4;

export const EXIT_CODES_HELP = `Exit codes:
  0  no finding at or above --fail-on (default: high)
  1  findings at or above --fail-on
  2  usage error, or an input file that cannot be read or understood
  3  collection failed or was partial (PowerShell, connection, authentication, timeout)
  4  internal error in exrelay (please report it, with the output of --debug)`;

export interface MainIo {
  stderr: (text: string) => void;
}

export async function main(
  args: readonly string[],
  io: MainIo = { stderr: (text) => process.stderr.write(text) },
): Promise<number> {
  let exitCode: ExitCodeValue = ExitCode.Ok;
  const debug = args.includes('--debug');
  const generator = generatorName();
  const context: CommandContext = {
    generator,
    warn: (message) => io.stderr(`exrelay: warning: ${message}\n`),
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  try {
    await yargs([...args])
      .scriptName('exrelay')
      .usage(
        '$0 <command> [options]\n\nFind every Exchange receive connector that relays mail without authentication.',
      )
      .command(analyzeCommand(context))
      .command(collectCommand(context))
      .command(auditCommand(context))
      .command(checksCommand(context))
      .option('debug', { type: 'boolean', describe: 'Print stack traces for errors' })
      .demandCommand(1, 'Name a command: analyze, collect, audit or checks')
      .strict()
      .recommendCommands()
      .fail((message, error) => {
        throw error ?? new UsageError(`${message.replace(/\s*\n\s*/g, ' ')} (see exrelay --help)`);
      })
      .epilogue(EXIT_CODES_HELP)
      .help()
      .alias('h', 'help')
      .version(generator.replace(/^exrelay /, ''))
      .wrap(Math.min(110, process.stdout.columns ?? 110))
      .exitProcess(false)
      .parseAsync();
  } catch (error) {
    return reportError(error, debug, io);
  }
  return exitCode;
}

function reportError(error: unknown, debug: boolean, io: MainIo): number {
  if (error instanceof ExrelayError) {
    io.stderr(`exrelay: ${error.message}\n`);
    if (debug && error.stack) io.stderr(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(
    `exrelay: internal error: ${message.split('\n')[0]}${debug ? '' : ' (run again with --debug and report it)'}\n`,
  );
  if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return INTERNAL_ERROR_EXIT_CODE;
}
