/**
 * docs/whatif.md quotes real `exrelay whatif` output under `<!-- whatif: ARGS; exit: N -->` markers: every quoted
 * line must be a line the command prints, and the exit code must match, so the page stays true.
 */

import { readFileSync } from 'node:fs';
import { expect, it } from '@jest/globals';
import { describeWithPwsh } from '../helpers/pwsh.js';
import { runCli } from '../support/run-cli.js';

const PAGE = 'docs/whatif.md';
const MARKER = /^<!--\s*whatif:\s*(.*?);\s*exit:\s*(\d)\s*-->$/;

interface Quote {
  line: number;
  args: string[];
  exit: number;
  lines: string[];
}

function quotes(): Quote[] {
  const lines = readFileSync(PAGE, 'utf8').split('\n');
  const found: Quote[] = [];
  lines.forEach((text, index) => {
    const match = MARKER.exec(text.trim());
    if (!match) return;
    const open = lines.findIndex((candidate, at) => at > index && candidate.startsWith('```'));
    const close = lines.findIndex((candidate, at) => at > open && candidate === '```');
    found.push({
      line: index + 1,
      args: (match[1] as string).split(/\s+/),
      exit: Number(match[2]),
      lines: lines.slice(open + 1, close),
    });
  });
  return found;
}

describeWithPwsh(`${PAGE} quotes real output`, (pwsh) => {
  it('has quotes to check', () => {
    expect(quotes().length).toBeGreaterThanOrEqual(2);
  });

  it.each(quotes().map((quote) => [quote.line, quote] as const))('the quote at line %i', (_line, quote) => {
    const result = runCli(['whatif', ...quote.args, '--shell', pwsh]);
    const printed = new Set(result.stdout.split('\n'));
    expect(quote.lines.filter((line) => !printed.has(line))).toEqual([]);
    expect(result.status).toBe(quote.exit);
  });
});
