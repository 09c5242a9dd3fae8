/**
 * docs/usage.md quotes exrelay usage's real output. Each block below a marker
 *
 *   <!-- usage-run: ARGS[; exit: N] -->
 *
 * is checked by running `exrelay usage ARGS` from the repository root: every line of the block (but lines holding
 * only `…`) must be a line of its standard output or standard error, and the exit code must be N.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ROOT, runCli } from '../support/run-cli.js';

const PAGE = 'docs/usage.md';
const MARKER = /^<!--\s*usage-run:\s*(.*?)\s*-->$/;

interface Quote {
  line: number;
  args: string[];
  exit: number | null;
  lines: string[];
}

function quotes(): Quote[] {
  const lines = readFileSync(`${ROOT}${PAGE}`, 'utf8').split('\n');
  const found: Quote[] = [];
  lines.forEach((text, index) => {
    const marker = MARKER.exec(text.trim());
    if (!marker) return;
    const [command = '', ...options] = (marker[1] ?? '').split(';').map((part) => part.trim());
    const exit = options.find((option) => option.startsWith('exit:'));
    const open = lines.findIndex((candidate, at) => at > index && candidate.startsWith('```'));
    const close = lines.findIndex((candidate, at) => at > open && candidate.startsWith('```'));
    if (open < 0 || close < 0 || lines.slice(index + 1, open).some((between) => between.trim() !== ''))
      throw new Error(`${PAGE}:${index + 1}: a usage-run marker needs a fenced block right below it`);
    found.push({
      line: index + 1,
      args: command.split(/\s+/),
      exit: exit ? Number(exit.slice('exit:'.length)) : null,
      lines: lines.slice(open + 1, close),
    });
  });
  return found;
}

describe(`${PAGE} quotes exrelay usage's real output`, () => {
  const all = quotes();

  it('has quotes to check', () => {
    expect(all.length).toBeGreaterThanOrEqual(3);
  });

  it.each(all.map((quote) => [quote.line, quote] as const))('the block below line %i', (_line, quote) => {
    const result = runCli(['usage', ...quote.args], { env: { COLUMNS: '110' } });
    if (quote.exit !== null) expect(result.status).toBe(quote.exit);
    const printed = new Set([...result.stdout.split('\n'), ...result.stderr.split('\n')]);
    const missing = quote.lines.filter((line) => line.trim() !== '…' && !printed.has(line));
    expect(missing).toEqual([]);
  });
});
