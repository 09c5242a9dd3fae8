/**
 * A statement exrelay cannot evaluate that changes a variable leaves the variable unknown: a later command that
 * uses it is listed as not evaluated too. Before, the command was applied with the value from before that
 * statement, and the review showed the printers' relay narrowed to one host where the script opens it to a /8.
 */

import { expect, it } from '@jest/globals';
import { describeWithPwsh } from '../helpers/pwsh.js';
import { fixtureEvaluator } from '../helpers/script-reader.js';

const SET = `Set-ReceiveConnector 'EX02\\Relay Printers' -RemoteIPRanges $r`;

describeWithPwsh('a variable changed by a statement that is not evaluated', (pwsh) => {
  const evaluate = fixtureEvaluator(pwsh);

  it.each([
    [
      'replaced by a call exrelay does not follow',
      `$r = '10.20.0.5'\n$r = [IO.File]::ReadAllText('r.txt')\n${SET}`,
    ],
    [
      'added to by a call exrelay does not follow',
      `$r = '10.20.0.5'\n$r += [IO.File]::ReadAllText('r.txt')\n${SET}`,
    ],
    ['an item of it assigned', `$r = @('10.20.0.5')\n$r[0] = '10.0.0.0/8'\n${SET}`],
    [
      'a splatted hashtable changed by index',
      `$p = @{ Identity = 'EX02\\Relay Printers'; RemoteIPRanges = '10.20.0.5' }\n$p['RemoteIPRanges'] = '10.0.0.0/8'\nSet-ReceiveConnector @p`,
    ],
  ])('%s: the command that uses it is not applied', async (_, script) => {
    const result = await evaluate(script);
    expect(result.outcomes).toEqual([]);
    expect(result.notEvaluated.map((item) => item.line)).toEqual([2, 3]);
    expect(result.notEvaluated[1]?.reason).toMatch(
      /as a statement exrelay does not evaluate left it \(line 2\)/,
    );
  });

  it('a variable that statement does not touch is still followed', async () => {
    const result = await evaluate(`$r = '10.20.0.5'\n$other = [IO.File]::ReadAllText('r.txt')\n${SET}`);
    expect(result.outcomes.map((outcome) => [outcome.line, outcome.status])).toEqual([[3, 'applied']]);
  });
});
