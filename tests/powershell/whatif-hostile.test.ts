/**
 * Change scripts written to exhaust the evaluator: values doubled in a loop (a billion characters or items) and a
 * collection too large to spread into a call. Each is listed as not evaluated, with why; none ends in an internal
 * error or a crash of Node.js.
 */

import { expect, it } from '@jest/globals';
import { MAX_ITEMS, MAX_TEXT_LENGTH } from '../../src/change/value-limits.js';
import { describeWithPwsh } from '../helpers/pwsh.js';
import { fixtureEvaluator } from '../helpers/script-reader.js';

const FORTY = Array.from({ length: 40 }, (_, index) => index + 1).join(',');

describeWithPwsh('change scripts that grow their values without bound', (pwsh) => {
  const evaluate = fixtureEvaluator(pwsh);

  it('a string doubled forty times stops at the limit, and the statement is listed', async () => {
    const result = await evaluate(
      [
        `$s = 'x'`,
        `foreach ($i in @(${FORTY})) { $s = $s + $s }`,
        `Set-ReceiveConnector 'EX02\\Default Frontend EX02' -Enabled $false`,
      ].join('\n'),
    );
    const size = 2 ** Math.ceil(Math.log2(MAX_TEXT_LENGTH + 1));
    expect(result.notEvaluated).toEqual([
      expect.objectContaining({
        line: 2,
        text: '$s = $s + $s',
        reason: `it builds a string of ${size.toLocaleString('en-US')} characters, more than exrelay follows`,
      }),
    ]);
    // The rest of the script is still evaluated.
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual(['applied']);
  });

  it('a collection doubled forty times stops at the limit, and the statement is listed', async () => {
    const result = await evaluate(
      [`$a = @('10.0.0.1')`, `foreach ($i in @(${FORTY})) { $a += $a }`, `$n = $a.Count`].join('\n'),
    );
    const size = 2 ** Math.ceil(Math.log2(MAX_ITEMS + 1));
    expect(result.notEvaluated).toEqual([
      expect.objectContaining({
        line: 2,
        text: '$a += $a',
        reason: `it builds a collection of ${size.toLocaleString('en-US')} items, more than exrelay follows`,
      }),
    ]);
  });

  it('a -match that would backtrack for minutes is stopped at its time budget, and the statement is listed', async () => {
    const started = Date.now();
    const result = await evaluate(
      [
        `$names = @('EX02\\Default Frontend EX02', '${'a'.repeat(60)}!')`,
        `$hit = $names | Where-Object { $_ -match '^(a+)+$' }`,
        `if ('EX02\\Default Frontend EX02' -match '^ex02\\\\') { Set-ReceiveConnector 'EX02\\Default Frontend EX02' -Enabled $false }`,
      ].join('\n'),
    );
    // Without the budget this match alone ran for hours (each character doubles it: 78 s at 46).
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.notEvaluated).toEqual([
      expect.objectContaining({
        line: 2,
        reason: expect.stringMatching(
          /^the regular expression '\^\(a\+\)\+\$' is not one exrelay can evaluate: matching took longer than 2 s on one value$/,
        ),
      }),
    ]);
    // The next -match runs in a fresh worker: the rest of the script is evaluated.
    expect(result.outcomes.map((outcome) => [outcome.line, outcome.status])).toEqual([[3, 'applied']]);
  });

  it('@() around 262,144 items is evaluated (spreading them into one call overflowed the stack: exit 4)', async () => {
    const result = await evaluate(
      [
        `$a = @('10.0.0.1')`,
        `foreach ($i in @(${Array.from({ length: 18 }, (_, index) => index + 1).join(',')})) { $a = $a + $a }`,
        `$b = @($a)`,
        `if ($b.Count -eq 262144) { Set-ReceiveConnector 'EX02\\Default Frontend EX02' -Enabled $false }`,
      ].join('\n'),
    );
    expect(result.notEvaluated).toEqual([]);
    expect(result.outcomes.map((outcome) => [outcome.line, outcome.status])).toEqual([[4, 'applied']]);
  });
});
