/**
 * What decides whether a change script goes on after a refused command (the command's own -ErrorAction, then
 * $ErrorActionPreference, a trap), and what a change cmdlet hands on down the pipeline (New-ReceiveConnector's new
 * connector). Each case here once let a script that opens relay pass review as complete and harmless.
 */

import { expect, it } from '@jest/globals';
import { describeWithPwsh } from '../helpers/pwsh.js';
import { fixtureEvaluator } from '../helpers/script-reader.js';

const MISSING = `Set-ReceiveConnector 'EX01\\No Such Connector' -Enabled $true`;
const OPEN_DEFAULT = `Add-ADPermission 'EX02\\Default Frontend EX02' -User 'NT AUTHORITY\\ANONYMOUS LOGON' -ExtendedRights ms-Exch-SMTP-Accept-Any-Recipient`;
const NEW_APPS = `New-ReceiveConnector -Name 'Apps' -Server EX01 -TransportRole FrontendTransport -Custom -Bindings 0.0.0.0:25 -RemoteIPRanges 0.0.0.0/1 -PermissionGroups AnonymousUsers`;
const GRANT = `Add-ADPermission -User 'NT AUTHORITY\\ANONYMOUS LOGON' -ExtendedRights ms-Exch-SMTP-Accept-Any-Recipient`;

describeWithPwsh('a refused command in a change script', (pwsh) => {
  const evaluate = fixtureEvaluator(pwsh);
  const statuses = (result: Awaited<ReturnType<typeof evaluate>>) =>
    result.outcomes.map((outcome) => [outcome.line, outcome.status]);

  it.each([
    ['SilentlyContinue', `${MISSING} -ErrorAction SilentlyContinue`],
    ['Ignore, abbreviated', `${MISSING} -ea Ignore`],
    ['Continue', `${MISSING} -ErrorAction Continue`],
    ['0 (SilentlyContinue by number)', `${MISSING} -ErrorAction 0`],
  ])("-ErrorAction %s wins over $ErrorActionPreference = 'Stop': the script goes on", async (_, refused) => {
    const result = await evaluate([`$ErrorActionPreference = 'Stop'`, refused, OPEN_DEFAULT].join('\n'));
    expect(statuses(result)).toEqual([
      [2, 'refused'],
      [3, 'applied'],
    ]);
    expect(result.stoppedAt).toBeNull();
    expect(result.notEvaluated).toEqual([]);
  });

  it.each([
    ['-ErrorAction Stop', `${MISSING} -ErrorAction Stop`, ''],
    ['-ErrorAction 1 (Stop by number)', `${MISSING} -ErrorAction 1`, ''],
    ["$ErrorActionPreference = 'Stop'", MISSING, `$ErrorActionPreference = 'Stop'`],
    ["$global:ErrorActionPreference = 'Stop'", MISSING, `$global:ErrorActionPreference = 'Stop'`],
    ["$script:ErrorActionPreference = 'Stop'", MISSING, `$script:ErrorActionPreference = 'Stop'`],
  ])('%s stops the script there', async (_, refused, preface) => {
    const result = await evaluate([preface, refused, OPEN_DEFAULT].join('\n'));
    expect(statuses(result)).toEqual([[2, 'refused']]);
    expect(result.stoppedAt).toEqual(expect.objectContaining({ line: 2 }));
  });

  it('-ErrorAction Inquire asks whoever runs the script: the refusal is listed, and the rest evaluated', async () => {
    const result = await evaluate(
      [`$ErrorActionPreference = 'Stop'`, `${MISSING} -ErrorAction Inquire`, OPEN_DEFAULT].join('\n'),
    );
    expect(statuses(result)).toEqual([
      [2, 'refused'],
      [3, 'applied'],
    ]);
    expect(result.notEvaluated).toEqual([
      expect.objectContaining({
        line: 2,
        reason:
          'whether the script goes on after this refusal is not known: its -ErrorAction is inquire: whoever runs the script decides whether it goes on',
      }),
    ]);
  });

  it('an -ErrorAction whose value is not known: the command is listed, and the rest evaluated', async () => {
    const result = await evaluate(
      [`$ErrorActionPreference = 'Stop'`, `${MISSING} -ErrorAction $env:EA`, OPEN_DEFAULT].join('\n'),
    );
    expect(statuses(result)).toEqual([[3, 'applied']]);
    expect(result.notEvaluated.map((item) => item.line)).toEqual([2]);
    expect(result.stoppedAt).toBeNull();
  });

  it.each([
    ['a trap that continues', 'trap { continue }'],
    ['a trap that writes and goes on', "trap { Write-Host 'oops' }"],
    ['a trap written after the commands', null],
  ])('%s: the trap is listed, and the commands after the refusal are evaluated', async (_, trap) => {
    const lines = [`$ErrorActionPreference = 'Stop'`, MISSING, OPEN_DEFAULT];
    const script = trap === null ? [...lines, 'trap { continue }'] : [trap, ...lines];
    const result = await evaluate(script.join('\n'));
    const offset = trap === null ? 0 : 1;
    expect(statuses(result)).toEqual([
      [2 + offset, 'refused'],
      [3 + offset, 'applied'],
    ]);
    expect(result.stoppedAt).toBeNull();
    expect(result.notEvaluated.map((item) => item.reason)).toEqual([
      'a TrapStatementAst is not something exrelay evaluates (it decides whether the script goes on after an error)',
      'a trap in the script decides whether it goes on after this refusal',
    ]);
  });
});

describeWithPwsh("New-ReceiveConnector's output", (pwsh) => {
  const evaluate = fixtureEvaluator(pwsh);

  it.each([
    ['piped to Add-ADPermission', `${NEW_APPS} | ${GRANT}`, 1],
    ['kept in a variable, then piped', `$c = ${NEW_APPS}\n$c | ${GRANT}`, 2],
    [
      'kept in a variable, its Identity given',
      `$c = ${NEW_APPS}\n${GRANT.replace('Add-ADPermission', 'Add-ADPermission -Identity $c.Identity')}`,
      2,
    ],
  ])('%s: the grant lands on the new connector', async (_, script, grantLine) => {
    const result = await evaluate(script);
    expect(
      result.outcomes.map((outcome) => [outcome.line, outcome.cmdlet, outcome.target, outcome.status]),
    ).toEqual([
      [1, 'New-ReceiveConnector', 'EX01\\Apps', 'applied'],
      [grantLine, 'Add-ADPermission', 'EX01\\Apps', 'applied'],
    ]);
    expect(result.notEvaluated).toEqual([]);
    const apps = result.after.connectors.find((connector) => connector.identity === 'EX01\\Apps');
    expect(
      apps?.permissions?.some(
        (ace) =>
          ace.user === 'NT AUTHORITY\\ANONYMOUS LOGON' &&
          ace.extendedRights.includes('ms-Exch-SMTP-Accept-Any-Recipient'),
      ),
    ).toBe(true);
  });

  it('piped to Set-ReceiveConnector: the change lands on the new connector', async () => {
    const result = await evaluate(
      `${NEW_APPS} | Set-ReceiveConnector -PermissionGroups ExchangeServers -AuthMechanism Tls,ExternalAuthoritative`,
    );
    const apps = result.after.connectors.find((connector) => connector.identity === 'EX01\\Apps');
    expect(apps?.authMechanism).toEqual(['Tls', 'ExternalAuthoritative']);
  });

  it("Add-ADPermission's own output, piped on, is listed as not evaluated rather than dropped", async () => {
    const result = await evaluate(
      `${GRANT.replace('Add-ADPermission', "Add-ADPermission 'EX02\\Relay Printers'")} | Set-ReceiveConnector -Enabled $false`,
    );
    expect(result.notEvaluated).toHaveLength(1);
  });
});

describeWithPwsh('$PSDefaultParameterValues in a change script', (pwsh) => {
  const evaluate = fixtureEvaluator(pwsh);

  it.each([
    ['set whole', `$PSDefaultParameterValues = @{ '*:ErrorAction' = 'SilentlyContinue' }`],
    [
      'set in the global scope',
      `$global:PSDefaultParameterValues = @{ '*:ErrorAction' = 'SilentlyContinue' }`,
    ],
    [
      'added to',
      `$PSDefaultParameterValues += @{ 'Add-ADPermission:User' = 'NT AUTHORITY\\ANONYMOUS LOGON' }`,
    ],
    ['indexed', `$PSDefaultParameterValues['Set-ReceiveConnector:RemoteIPRanges'] = '0.0.0.0/1'`],
    ['by .Add()', `$PSDefaultParameterValues.Add('*:ErrorAction', 'Ignore')`],
  ])('%s: it and every command after it are listed as not evaluated', async (_, change) => {
    const result = await evaluate(
      [`$ErrorActionPreference = 'Stop'`, change, MISSING, OPEN_DEFAULT, `Write-Host done`].join('\n'),
    );
    expect(result.outcomes).toEqual([]);
    expect(result.stoppedAt).toBeNull();
    expect(result.notEvaluated.map((item) => [item.line, item.reason])).toEqual([
      [
        2,
        'it changes $PSDefaultParameterValues, which gives later commands parameters exrelay does not apply',
      ],
      ...[3, 4, 5].map((line) => [
        line,
        '$PSDefaultParameterValues, changed on line 2, may give it parameters exrelay does not see',
      ]),
    ]);
  });

  it('reading it changes nothing', async () => {
    const result = await evaluate([`$d = $PSDefaultParameterValues`, OPEN_DEFAULT].join('\n'));
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual(['applied']);
  });
});
