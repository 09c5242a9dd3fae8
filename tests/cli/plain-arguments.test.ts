/**
 * Plain arguments are read without yargs (start-up time). Whatever that reader accepts must reach the command's
 * handler exactly as yargs would hand it over; whatever yargs refuses or reads in a way of its own must be left
 * to yargs (null), so that every message stays yargs' own.
 */
import { describe, expect, it } from '@jest/globals';
import type { CommandContext } from '../../src/cli/context.js';
import { COMMANDS, GLOBAL_OPTIONS, commandLine } from '../../src/cli/main.js';
import { readPlainArguments } from '../../src/cli/plain-arguments.js';
import { runCli } from '../support/run-cli.js';

const context: CommandContext = {
  generator: 'exrelay 0.1.0',
  warn: () => undefined,
  setExitCode: () => undefined,
};

/** Each command with a handler that only keeps the argv it is given. */
function capturing(): { commands: ReturnType<(typeof COMMANDS)[number]>[]; argv: () => unknown } {
  let captured: unknown = 'handler not run';
  const commands = COMMANDS.map((factory) => ({
    ...factory(context),
    handler: (argv: unknown) => {
      captured = argv;
    },
  }));
  return { commands, argv: () => captured };
}

async function yargsArgv(args: readonly string[]): Promise<unknown> {
  const { commands, argv } = capturing();
  try {
    await (await commandLine(args, context, { columns: 80 }, commands)).parseAsync();
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  }
  return argv();
}

function plainArgv(args: readonly string[]): unknown {
  return readPlainArguments(args, capturing().commands, GLOBAL_OPTIONS)?.argv ?? null;
}

const FILES = [
  ['export'],
  ['a.xml', 'b folder'],
  ['10', '1e3', '0x10', '.5'],
  ['a=b', "'quoted'", '"double"', 'Käyttäjät.xml', 'x.y.z'],
  ['\u2013format', 'json'],
  ['./-name.xml', 'true'],
];

const OPTIONS = [
  [],
  ['--format', 'json'],
  ['-f', 'csv'],
  ['--format=html'],
  ['-f=json'],
  ['-fjson'],
  ['--format', '1'],
  ['--format', 'jsn'],
  ['--format', 'json', '--format', 'csv'],
  ['--output', 'out.json'],
  ['-o', 'report.md'],
  ['--output=a=b'],
  ['--output', '123'],
  ['--output', "'q'"],
  ['--output', '-'],
  ['--output'],
  ['--output', ''],
  ['--output='],
  ['--Output', 'x'],
  ['--show-info'],
  ['--show-info', 'true'],
  ['--show-info', 'false'],
  ['--show-info=false'],
  ['--show-info', '--show-info'],
  ['--verbose'],
  ['--no-verbose'],
  ['--fail-on', 'none'],
  ['--fail-on=low'],
  ['--failOn', 'low'],
  ['--fail-on', 'severe'],
  ['--principal', 'A=S-1-5-7'],
  ['--principal', 'A=S-1-5-7', '--principal', 'B=S-1-5-8'],
  ['--principal=A=S-1-5-7'],
  ['--exceptions', 'exceptions.yaml'],
  ['--debug'],
  ['--debug', 'false'],
  ['--help'],
  ['-h'],
  ['--version'],
  ['--'],
  ['--', 'more'],
  ['--unknown'],
  ['-x'],
  ['-'],
  ['--snapshot-dir', 'dir'],
];

/** Every command line of the corpus: each option alone and in pairs around the files, for each command. */
function corpus(): string[][] {
  const lines: string[][] = [];
  for (const command of ['analyze', 'checks', 'diff', 'exceptions', 'audit', 'Analyze', 'analyse']) {
    for (const files of FILES) for (const option of OPTIONS) lines.push([command, ...option, ...files]);
    for (const before of OPTIONS)
      for (const after of OPTIONS) lines.push([command, ...before, ...(FILES[0] as string[]), ...after]);
  }
  for (const option of OPTIONS) lines.push([...option, 'analyze', 'export'], [...option]);
  return lines;
}

describe('arguments read without yargs', () => {
  it('reach the handler exactly as yargs hands them over, or are left to yargs', async () => {
    let accepted = 0;
    for (const args of corpus()) {
      const plain = plainArgv(args);
      if (plain === null) continue;
      accepted++;
      expect({ args, argv: plain }).toEqual({ args, argv: await yargsArgv(args) });
    }
    // The reader must not leave everything to yargs (the test would then hold nothing).
    expect(accepted).toBeGreaterThan(250);
  });

  it('include the usual analyze and checks command lines', () => {
    for (const args of [
      ['analyze', 'export'],
      ['analyze', 'a.xml', 'b.xml', '--format', 'json', '--output', 'report.json', '--fail-on', 'none'],
      ['analyze', 'export', '-f', 'html', '-o', 'report.html', '--show-info', '--verbose', '--debug'],
      ['analyze', 'export', '--exceptions', 'exceptions.yaml', '--principal', 'A=S-1-5-7'],
      ['checks', '--format', 'json'],
    ])
      expect({ args, plain: plainArgv(args) !== null }).toEqual({ args, plain: true });
  });

  it('leave commands whose options the reader does not know to yargs', () => {
    for (const args of [
      ['collect', '--local'],
      ['exceptions', 'init', 'export'],
      ['usage', 'logs'],
      ['audit', '--local'],
    ])
      expect({ args, plain: plainArgv(args) }).toEqual({ args, plain: null });
  });

  it('give the same output and exit code as yargs does, through the built CLI', () => {
    // --debug as the first argument is not plain: yargs reads that command line.
    for (const args of [
      ['analyze', 'fixtures/orgs/sample', '--format', 'json', '--fail-on', 'none'],
      ['checks', '--format', 'json'],
    ])
      expect(runCli(args)).toEqual(runCli(['--debug', ...args]));
  });
});
