/**
 * `exit` and `return` end a change script: a command after them never runs, so evaluating it would report a change
 * that does not happen (an opened connector "closed again" by a line PowerShell never reaches).
 */

import { expect, it } from '@jest/globals';
import { describeWithPwsh } from '../helpers/pwsh.js';
import { fixtureEvaluator } from '../helpers/script-reader.js';

const OPEN = `Set-ReceiveConnector 'EX02\\Relay Printers' -RemoteIPRanges 10.0.0.0/8`;
const RESTORE = `Set-ReceiveConnector 'EX02\\Relay Printers' -RemoteIPRanges 10.20.0.0/24`;

describeWithPwsh('exit and return in a change script', (pwsh) => {
  const evaluate = fixtureEvaluator(pwsh);

  it.each([
    ['return', `${OPEN}\nreturn\n${RESTORE}`, 2, 'return ends the script'],
    ['exit in an if', `${OPEN}\nif ($true) { exit 1 }\n${RESTORE}`, 2, 'exit ends the script'],
    [
      'return in a try',
      `try { ${OPEN}; return } finally { Write-Host done }\n${RESTORE}`,
      1,
      'return ends the script',
    ],
  ])('%s: the commands after it are not applied', async (_, script, line, reason) => {
    const result = await evaluate(script);
    expect(result.outcomes.map((outcome) => [outcome.line, outcome.status])).toEqual([[1, 'applied']]);
    expect(result.notEvaluated).toEqual([]);
    expect(result.stoppedAt).toEqual(expect.objectContaining({ line, reason }));
  });

  it('a return whose value runs a command is listed as not evaluated, and still ends the script', async () => {
    const result = await evaluate(`return (${OPEN})\n${RESTORE}`);
    expect(result.outcomes).toEqual([]);
    expect(result.notEvaluated.map((item) => [item.line, item.reason])).toEqual([
      [1, 'what this return runs before the script ends is not evaluated'],
    ]);
    expect(result.stoppedAt).toEqual(expect.objectContaining({ line: 1 }));
  });
});
