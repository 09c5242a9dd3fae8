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
import { markedFences } from './marked-fences.js';

const PAGE = 'docs/usage.md';

function quotes() {
  return markedFences(readFileSync(`${ROOT}${PAGE}`, 'utf8'), 'usage-run', PAGE).map((quote) => ({
    ...quote,
    args: quote.command.split(/\s+/),
  }));
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
