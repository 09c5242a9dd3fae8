/**
 * `exrelay --help` and `--version` are answered without loading yargs (start-up time); these tests hold that
 * answer to what yargs itself prints for the same commands and options.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { commandLine, helpPage } from '../../src/cli/main.js';
import { helpWidth, renderHelp, wrap } from '../../src/cli/help.js';
import type { CommandContext } from '../../src/cli/context.js';
import { runCli } from '../support/run-cli.js';

const context: CommandContext = {
  generator: 'exrelay 0.1.0',
  warn: () => undefined,
  setExitCode: () => undefined,
};

async function yargsHelp(columns: number | undefined): Promise<string> {
  return (await commandLine([], context, { columns })).getHelp();
}

describe('the top-level help page', () => {
  it('is exactly the page yargs lays out, at every terminal width from 24 to 130 columns and without one', async () => {
    const widths = [undefined, ...Array.from({ length: 107 }, (_, index) => 24 + index)];
    for (const columns of widths) {
      const expected = await yargsHelp(columns);
      expect({ columns, help: renderHelp(helpPage(context), helpWidth(columns)) }).toEqual({
        columns,
        help: expected,
      });
    }
  });

  it('names every command and exit code', () => {
    const help = renderHelp(helpPage(context), 110);
    for (const text of ['exrelay analyze <files..>', 'exrelay collect', 'exrelay audit', 'exrelay checks'])
      expect(help).toContain(text);
    expect(help).toContain('4  internal error in exrelay');
  });

  it('is what the CLI prints for --help and -h, the same as through yargs', () => {
    const fast = runCli(['--help']);
    const short = runCli(['-h']);
    // With a second argument the fast path does not apply and yargs answers.
    const throughYargs = runCli(['--help', '--debug']);
    expect(fast.status).toBe(0);
    expect(fast.stdout).toContain('Commands:');
    expect(short.stdout).toBe(fast.stdout);
    expect(throughYargs.stdout).toBe(fast.stdout);
  });
});

describe('--version', () => {
  it('prints the package version, as yargs does', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const fast = runCli(['--version']);
    expect(fast).toMatchObject({ status: 0, stdout: `${version}\n`, stderr: '' });
    expect(runCli(['--version', '--debug']).stdout).toBe(fast.stdout);
  });
});

describe('wrap', () => {
  it('breaks at spaces, keeps inner double spaces, and cuts words longer than the column', () => {
    expect(wrap('0  no finding at all', 10)).toBe('0  no\nfinding at\nall');
    expect(wrap('abcdefghijkl xy', 5)).toBe('abcde\nfghij\nkl xy');
    expect(wrap('   ', 5)).toBe('');
  });
});
