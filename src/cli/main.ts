/**
 * The command line: the commands, and the mapping of errors to one-line messages and exit codes. A stack trace
 * is printed only with --debug.
 *
 * Start-up is kept short: `--version` and `--help` are answered before yargs loads, plain arguments are read
 * without it (plain-arguments.ts), and each command module imports only its options at the top and loads its
 * pipeline inside its handler (`await import(...)`).
 * A new command is one file src/cli/<command>.ts, added to COMMANDS below.
 */

import type { Argv, CommandModule } from 'yargs';
import { ExitCode, ExrelayError, InputError, UsageError, type ExitCodeValue } from '../errors.js';
import { analyzeCommand } from './analyze.js';
import { auditCommand } from './audit.js';
import { checksCommand } from './checks.js';
import { collectCommand } from './collect.js';
import { diffCommand } from './diff.js';
import { exceptionsCommand } from './exceptions.js';
import type { CommandContext } from './context.js';
import { helpWidth, renderHelp, type HelpPage } from './help.js';
import { findOptionFault, rejectOptionFaults, type DeclaredOptions } from './option-faults.js';
import { readPlainArguments, type OptionSpec } from './plain-arguments.js';
import { usageCommand } from './usage.js';
import { generatorName, versionOf } from './version.js';
import { LINE_LIMIT, terminalCell, terminalMessage } from '../report/untrusted-text.js';
import { whatifCommand } from './whatif.js';

/** Each command's arguments differ; yargs' own signature for a list of commands says `any` too. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = CommandModule<object, any>;

/** Every command, in the order --help lists them. */
export const COMMANDS: ReadonlyArray<(context: CommandContext) => AnyCommand> = [
  analyzeCommand,
  collectCommand,
  auditCommand,
  checksCommand,
  usageCommand,
  whatifCommand,
  diffCommand,
  exceptionsCommand,
];

/** Exit code for a bug in exrelay itself (anything that is not a typed, user-facing error). */
export const INTERNAL_ERROR_EXIT_CODE = 4;

export const EXIT_CODES_HELP = `Exit codes:
  0  no finding at or above --fail-on (default: high)
  1  findings at or above --fail-on
  2  usage error, an input file that cannot be read or understood, or output that cannot be written
  3  collection failed or was partial (PowerShell, connection, authentication, timeout)
  4  internal error in exrelay (please report it, with the output of --debug)`;

const USAGE =
  '$0 <command> [options]\n\nFind every Exchange receive connector that relays mail without authentication.';
const DEBUG_DESCRIPTION = 'Print stack traces for errors';
/** The options every command takes. */
export const GLOBAL_OPTIONS: ReadonlyMap<string, OptionSpec> = new Map([
  ['debug', { type: 'boolean', describe: DEBUG_DESCRIPTION }],
]);

export interface MainIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The terminal's width, when standard output is one. */
  columns: number | undefined;
}

const PROCESS_IO: MainIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  get columns() {
    return process.stdout.columns;
  },
};

export async function main(args: readonly string[], io: MainIo = PROCESS_IO): Promise<number> {
  let exitCode: ExitCodeValue = ExitCode.Ok;
  const debug = args.includes('--debug');
  const generator = generatorName();
  const context: CommandContext = {
    generator,
    warn: (message) => io.stderr(`exrelay: warning: ${terminalMessage(message)}\n`),
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  const only = args.length === 1 ? args[0] : undefined;
  if (only === '--version') {
    io.stdout(`${versionOf(generator)}\n`);
    return ExitCode.Ok;
  }
  if (only === '--help' || only === '-h') {
    io.stdout(`${renderHelp(helpPage(context), helpWidth(io.columns))}\n`);
    return ExitCode.Ok;
  }
  try {
    const commands = COMMANDS.map((command) => command(context));
    const plain = readPlainArguments(args, commands, GLOBAL_OPTIONS);
    if (plain) await plain.command.handler(plain.argv);
    else await (await commandLine(args, context, io, commands)).parseAsync();
  } catch (error) {
    return reportError(error, debug, io);
  }
  return exitCode;
}

/** The yargs parser for these arguments; yargs itself is loaded only here. */
export async function commandLine(
  args: readonly string[],
  context: CommandContext,
  io: Pick<MainIo, 'columns'>,
  commands: readonly AnyCommand[] = COMMANDS.map((command) => command(context)),
): Promise<Argv> {
  const { default: yargs } = await import('yargs');
  const parser = yargs([...args]);
  skipHelpCache(parser);
  return parser
    .scriptName('exrelay')
    .usage(USAGE)
    .command([...commands])
    .options(Object.fromEntries(GLOBAL_OPTIONS))
    .middleware(() => rejectOptionFaults(args, declaredOptions(parser)), true)
    .demandCommand(1, 'Name a command: analyze, collect, audit, checks, usage, whatif, diff or exceptions')
    .strict()
    .recommendCommands()
    .fail((message, error) => {
      // A fault yargs did not name (an option without its value, arguments after --) explains its message better.
      const fault = findOptionFault(args, declaredOptions(parser));
      throw error ?? new UsageError(fault ?? `${message.replace(/\s*\n\s*/g, ' ')} (see exrelay --help)`);
    })
    .epilogue(EXIT_CODES_HELP)
    .help()
    .alias('h', 'help')
    .version(versionOf(context.generator))
    .wrap(helpWidth(io.columns))
    .exitProcess(false);
}

/**
 * yargs renders the whole help text each time a command runs, to have it ready should the handler fail later
 * (tens of milliseconds of every run). exrelay answers every failure with its own one-line error (see fail
 * above) and renders help only for --help, which yargs builds on request: the cache is never read. Not in
 * yargs' published types.
 */
function skipHelpCache(parser: object): void {
  const internal = parser as { getInternalMethods?(): { getUsageInstance(): { cacheHelpMessage(): void } } };
  const usage = internal.getInternalMethods?.().getUsageInstance();
  if (usage) usage.cacheHelpMessage = () => undefined;
}

/** yargs' own record of the options declared so far (the command's included); not in its published types. */
function declaredOptions(parser: object): DeclaredOptions {
  return (parser as { getOptions(): DeclaredOptions }).getOptions();
}

/** The top-level help page, as yargs would lay out the commands and options configured above. */
export function helpPage(context: CommandContext): HelpPage {
  return {
    usage: USAGE.replace(/\$0/g, 'exrelay'),
    commands: COMMANDS.map((factory) => {
      const command = factory(context);
      return { left: `exrelay ${String(command.command)}`, text: String(command.describe) };
    }),
    options: [
      { left: '--debug', indent: 4, text: DEBUG_DESCRIPTION, hint: '[boolean]' },
      { left: '--version', indent: 4, text: 'Show version number', hint: '[boolean]' },
      { left: '-h, --help', text: 'Show help', hint: '[boolean]' },
    ],
    epilogue: EXIT_CODES_HELP,
  };
}

/**
 * The error as one line. A file's name may hold a line break (Linux allows one): written as an escape, like any
 * other hidden character, it cannot split the line that names the file.
 */
function errorLine(error: ExrelayError): string {
  if (!(error instanceof InputError) || !error.file) return terminalMessage(error.message);
  return `${terminalCell(error.file, LINE_LIMIT)}: ${terminalMessage(error.problem)}`;
}

function reportError(error: unknown, debug: boolean, io: MainIo): number {
  if (error instanceof ExrelayError) {
    io.stderr(`exrelay: ${errorLine(error)}\n`);
    if (debug && error.stack) io.stderr(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(
    `exrelay: internal error: ${terminalMessage(message.split('\n')[0] ?? '')}${debug ? '' : ' (run again with --debug and report it)'}\n`,
  );
  if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return INTERNAL_ERROR_EXIT_CODE;
}
