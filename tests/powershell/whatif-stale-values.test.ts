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

/**
 * A method call changes the value it is called on. One exrelay did not follow left the variable as it was: the
 * splatting table built with $p.Add() and a range list given .Add($fromOutside) were applied as before, and the
 * review called the change "unchanged" where it opens relay to half the IPv4 Internet.
 */
describeWithPwsh('a value changed by a method call', (pwsh) => {
  const evaluate = fixtureEvaluator(pwsh);

  it('$p.Add() on a splatting table is followed', async () => {
    const result = await evaluate(
      `$p = @{ Identity = 'EX02\\Relay Printers' }\n$p.Add('RemoteIPRanges', '0.0.0.0/1')\nSet-ReceiveConnector @p`,
    );
    expect(result.notEvaluated).toEqual([]);
    expect(result.outcomes.map((outcome) => [outcome.line, outcome.status])).toEqual([[3, 'applied']]);
    expect(result.outcomes[0]?.effects.map((effect) => effect.text).join('\n')).toContain('0.0.0.0/1');
  });

  it.each([
    [
      'a range added that comes from outside the script',
      `$rc = Get-ReceiveConnector 'EX02\\Relay Printers'\n$rc.RemoteIPRanges.Add($env:NEWRANGE)\nSet-ReceiveConnector 'EX02\\Relay Printers' -RemoteIPRanges $rc.RemoteIPRanges`,
    ],
    [
      'a method exrelay does not follow on a copy of the list',
      `$rc = Get-ReceiveConnector 'EX02\\Relay Printers'\n$list = $rc.RemoteIPRanges\n$list.Insert(0, '0.0.0.0/1')\nSet-ReceiveConnector 'EX02\\Relay Printers' -RemoteIPRanges $rc.RemoteIPRanges`,
    ],
    [
      'a method exrelay does not follow on a splatting table',
      `$p = @{ Identity = 'EX02\\Relay Printers'; RemoteIPRanges = '10.10.20.5' }\n$p.Set_Item('RemoteIPRanges', '0.0.0.0/1')\nSet-ReceiveConnector @p`,
    ],
  ])('%s: the command that uses it is not applied', async (_, script) => {
    const result = await evaluate(script);
    expect(result.outcomes).toEqual([]);
    expect(result.notEvaluated.at(-1)?.reason).toMatch(/may have changed/);
  });

  it('a method that changes nothing (.ToUpper) leaves its target as it was', async () => {
    const result = await evaluate(
      `$name = 'EX02\\Relay Printers'\n$x = $name.ToUpper($env:FOO)\nSet-ReceiveConnector $name -RemoteIPRanges 10.10.20.5`,
    );
    expect(result.outcomes.map((outcome) => [outcome.line, outcome.status])).toEqual([[3, 'applied']]);
  });
});

/**
 * Sort-Object and Tee-Object passed their input on with their own arguments appended as if they were objects:
 * `Sort-Object Name | Select-Object -Last 1 | Add-ADPermission …` granted relay to a connector named 'Name',
 * refused as not found ("nothing introduced", exit 0), where PowerShell grants it on the last connector by name.
 */
describeWithPwsh('Sort-Object and Tee-Object in a pipeline', (pwsh) => {
  const evaluate = fixtureEvaluator(pwsh);
  const GRANT = `Add-ADPermission -User 'NT AUTHORITY\\ANONYMOUS LOGON' -ExtendedRights ms-Exch-SMTP-Accept-Any-Recipient`;

  it('the order Sort-Object gives several connectors is not guessed', async () => {
    const result = await evaluate(
      `Get-ReceiveConnector -Server EX02 | Sort-Object Name | Select-Object -Last 1 | ${GRANT}`,
    );
    expect(result.outcomes).toEqual([]);
    expect(result.notEvaluated.map((item) => item.reason)).toEqual([
      expect.stringMatching(/the order Sort-Object puts 6 items in/),
    ]);
  });

  it.each([
    ['Sort-Object Name', 'Sort-Object Name'],
    ['Tee-Object -FilePath', 'Tee-Object -FilePath before.txt'],
    ['Tee-Object with its file as positional argument', 'Tee-Object before.txt'],
  ])('%s passes one connector on, and only it', async (_, middle) => {
    const result = await evaluate(
      `Get-ReceiveConnector 'EX02\\Default Frontend EX02' | ${middle} | ${GRANT}`,
    );
    expect(result.notEvaluated).toEqual([]);
    expect(result.outcomes.map((outcome) => [outcome.target, outcome.status])).toEqual([
      ['EX02\\Default Frontend EX02', 'applied'],
    ]);
  });
});

/**
 * A script parameter's default was used as if it were the value, and the review called itself complete with no
 * word of it: `param($Range = '10.20.0.5')` reviewed as narrowing App Relay, while `.\change.ps1 -Range 0.0.0.0/1`
 * is what the admin runs. The review now names the assumption.
 */
describeWithPwsh('script parameters', (pwsh) => {
  const evaluate = fixtureEvaluator(pwsh);

  it('a default is reviewed as the value, and the review says so', async () => {
    const result = await evaluate(
      `param([string] $Range = '10.20.0.5')\nSet-ReceiveConnector 'EX01\\App Relay' -RemoteIPRanges $Range`,
    );
    expect(result.outcomes.map((outcome) => [outcome.line, outcome.status])).toEqual([[2, 'applied']]);
    expect(result.assumptions).toEqual([
      expect.stringContaining("the script parameter $Range keeps its default ('10.20.0.5')"),
    ]);
  });

  it('a parameter without a default is not evaluated, with no assumption', async () => {
    const result = await evaluate(
      `param([string] $Range)\nSet-ReceiveConnector 'EX01\\App Relay' -RemoteIPRanges $Range`,
    );
    expect(result.outcomes).toEqual([]);
    expect(result.assumptions).toEqual([]);
  });
});
