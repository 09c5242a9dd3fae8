/**
 * Identities and range values as admins write them, read by PowerShell's parser: a wildcard identity
 * (`Get-ReceiveConnector *Frontend*`), a connector name without its server on an organisation where several
 * servers have it, and addresses in .NET's short forms (`10/8`). None may end as a refusal that leaves the review
 * "complete" with nothing changed: each is either applied or listed as not evaluated, with why.
 */

import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { evaluateChangeScript } from '../../src/change/evaluate.js';
import { dotnetIpv4Reading } from '../../src/change/loose-address.js';
import { buildSnapshot } from '../../src/ingest/build-snapshot.js';
import { loadInputs } from '../../src/ingest/load-files.js';
import { describeWithPwsh } from '../helpers/pwsh.js';
import { openScriptReader, type OpenReader } from '../helpers/script-reader.js';

const ANONYMOUS_RELAY = `-User 'NT AUTHORITY\\ANONYMOUS LOGON' -ExtendedRights ms-Exch-SMTP-Accept-Any-Recipient`;

describeWithPwsh('identities and range values as admins write them', (pwsh) => {
  let open: OpenReader;

  beforeAll(async () => {
    open = await openScriptReader(pwsh);
  });
  afterAll(async () => {
    await open.close();
  });

  async function evaluate(script: string, connectedServer: string | null = null) {
    const [parsed] = await open.reader.parseTexts([script]);
    expect(parsed?.parseErrors).toEqual([]);
    const { snapshot } = buildSnapshot(await loadInputs(['fixtures/orgs/fabrikam-2019']));
    return evaluateChangeScript(snapshot, parsed!.body!, { connectedServer });
  }

  const applied = (result: Awaited<ReturnType<typeof evaluate>>) =>
    result.outcomes.map((outcome) => [outcome.cmdlet, outcome.target, outcome.status]);

  it('Get-ReceiveConnector with a wildcard identity lists every connector it matches', async () => {
    const result = await evaluate(
      `Get-ReceiveConnector '*Default Frontend*' | Add-ADPermission ${ANONYMOUS_RELAY}`,
    );
    expect(result.notEvaluated).toEqual([]);
    expect(applied(result)).toEqual([
      ['Add-ADPermission', 'EX01\\Default Frontend EX01', 'applied'],
      ['Add-ADPermission', 'EX02\\Default Frontend EX02', 'applied'],
    ]);
    expect(result.assumptions).toEqual([
      expect.stringContaining("'*Default Frontend*': exrelay matched the wildcard against connector names"),
    ]);
  });

  it('a wildcard with a server part, and -Server with a wildcard, stay on the servers they match', async () => {
    const result = await evaluate(
      [
        `Get-ReceiveConnector 'EX02\\Default*' | Add-ADPermission ${ANONYMOUS_RELAY}`,
        `Get-ReceiveConnector -Server EX0* | Where-Object { $_.Name -eq 'Relay Printers' } | Set-ReceiveConnector -Enabled $false`,
      ].join('\n'),
    );
    expect(result.notEvaluated).toEqual([]);
    expect(applied(result)).toEqual([
      ['Add-ADPermission', 'EX02\\Default EX02', 'applied'],
      ['Add-ADPermission', 'EX02\\Default Frontend EX02', 'applied'],
      ['Set-ReceiveConnector', 'EX01\\Relay Printers', 'applied'],
      ['Set-ReceiveConnector', 'EX02\\Relay Printers', 'applied'],
    ]);
  });

  it('a change cmdlet takes a wildcard that matches one connector; one that matches several is not evaluated', async () => {
    const result = await evaluate(
      [
        `Set-ReceiveConnector 'EX02\\Relay Print*' -RemoteIPRanges 10.0.0.0/8`,
        `Set-ReceiveConnector '*Relay Printers' -RemoteIPRanges 10.0.0.0/8`,
        `Set-ReceiveConnector 'EX02\\Relay Scan*' -RemoteIPRanges 10.0.0.0/8`,
      ].join('\n'),
    );
    expect(applied(result)).toEqual([
      ['Set-ReceiveConnector', 'EX02\\Relay Printers', 'applied'],
      ['Set-ReceiveConnector', 'EX02\\Relay Scan*', 'refused'],
    ]);
    expect(result.outcomes[1]?.reason).toMatch(/'EX02\\Relay Scan\*' couldn't be found/);
    expect(result.notEvaluated).toEqual([
      expect.objectContaining({
        line: 2,
        reason: expect.stringMatching(
          /^the wildcard '\*Relay Printers' matches 2 connectors \(EX01\\Relay Printers, EX02\\Relay Printers\)/,
        ),
      }),
    ]);
  });

  it('a name on two servers, read from one and written by name alone, is not evaluated without --connected-server', async () => {
    const script = [
      `$rc = Get-ReceiveConnector 'EX01\\Relay Printers'`,
      `$rc.RemoteIPRanges += '10.0.0.0/8'`,
      `Set-ReceiveConnector 'Relay Printers' -RemoteIPRanges $rc.RemoteIPRanges`,
      `Get-ReceiveConnector 'Relay Printers' | Add-ADPermission ${ANONYMOUS_RELAY}`,
    ].join('\n');
    const unknown = await evaluate(script);
    expect(unknown.outcomes).toEqual([]);
    expect(unknown.notEvaluated.map((item) => [item.line, item.reason])).toEqual([
      [
        3,
        expect.stringMatching(/^'Relay Printers' names a connector on 2 servers .*pass --connected-server/),
      ],
      [
        4,
        expect.stringMatching(/^'Relay Printers' names a connector on 2 servers .*pass --connected-server/),
      ],
    ]);
    // With the connected server known, the name is the one on that server, as in Exchange.
    const known = await evaluate(script, 'EX02');
    expect(known.notEvaluated).toEqual([]);
    expect(applied(known)).toEqual([
      ['Set-ReceiveConnector', 'EX02\\Relay Printers', 'applied'],
      ['Add-ADPermission', 'EX02\\Relay Printers', 'unchanged'],
    ]);
  });

  it("a GUID in any of .NET's forms, a DN with spaces, and the server as an FQDN name the connector", async () => {
    const { snapshot } = buildSnapshot(await loadInputs(['fixtures/orgs/fabrikam-2019']));
    const target = snapshot.connectors.find((entry) => entry.identity === 'EX02\\Relay Printers')!;
    const guid = target.guid!;
    const forms = [
      `{${guid}}`,
      `(${guid.toUpperCase()})`,
      guid.replace(/-/g, ''),
      target.distinguishedName!.split(',').join(', '),
      'EX02.corp.fabrikam.com\\Relay Printers',
    ];
    const result = await evaluate(
      forms.map((form) => `Set-ReceiveConnector '${form}' -Enabled $false -WhatIf`).join('\n'),
    );
    expect(result.notEvaluated).toEqual([]);
    expect(applied(result)).toEqual(
      forms.map(() => ['Set-ReceiveConnector', 'EX02\\Relay Printers', 'skipped']),
    );
  });

  it.each([
    ['10/8', "'10', which .NET's address parser (used by Exchange) reads as 0.0.0.10"],
    ['0-4294967295', "'0', which .NET's address parser (used by Exchange) reads as 0.0.0.0"],
    ['10.1', "'10.1', which .NET's address parser (used by Exchange) reads as 10.0.0.1"],
    ['010.0.0.0/8', "'010.0.0.0', which .NET's address parser (used by Exchange) reads as 8.0.0.0"],
    ['[::]/0', "'[::]', which .NET's address parser (used by Exchange) reads as ::"],
  ])('a range Exchange reads with .NET (%s) is not evaluated rather than refused', async (value, reading) => {
    const result = await evaluate(
      [
        `Set-ReceiveConnector 'EX02\\Relay Printers' -RemoteIPRanges '${value}'`,
        `Set-ReceiveConnector 'EX01\\Relay Printers' -RemoteIPRanges @{Add='${value}'}`,
      ].join('\n'),
    );
    expect(result.outcomes).toEqual([]);
    expect(result.notEvaluated.map((item) => [item.line, item.reason])).toEqual([
      [1, expect.stringContaining(reading)],
      [2, expect.stringContaining(reading)],
    ]);
  });

  it('reads IPv4 short, octal and hex forms exactly as .NET IPAddress.TryParse does', () => {
    const texts = [
      '10',
      '10.1',
      '10.0.1',
      '1.2.3',
      '010.0.0.1',
      '0x0A.0.0.1',
      '0',
      '00',
      '4294967295',
      '4294967296',
      '0xFFFFFFFF',
      '08',
      '09.1.1.1',
      '0x',
      '1..2',
      '1.2.3.4.',
      '.1',
      '1.256.0',
      '1.16777215',
      '1.16777216',
      '1.2.3.0377',
      '1.2.3.0400',
      '+1.2.3.4',
      '0.0.0.0x1',
      '017777777777',
      '040000000000',
      '10.0.0.1a',
      '1e2.0.0.1',
    ];
    const script = `foreach ($t in $args) { $a = $null; if ([System.Net.IPAddress]::TryParse($t, [ref] $a) -and $a.AddressFamily -eq 'InterNetwork') { "$a" } else { '-' } }`;
    const dotnet = execFileSync(
      pwsh,
      ['-NoProfile', '-NonInteractive', '-Command', `& { ${script} }`, ...texts],
      {
        encoding: 'utf8',
      },
    )
      .trim()
      .split(/\r?\n/);
    expect(texts.map((text) => [text, dotnetIpv4Reading(text) ?? '-'])).toEqual(
      texts.map((text, index) => [text, dotnet[index]]),
    );
  });
});
