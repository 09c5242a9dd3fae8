/**
 * -AuthMechanism and -PermissionGroups given as numbers, which PowerShell binds to the flags of their bits:
 * `-AuthMechanism 32` is ExternalAuthoritative, an open relay for the connector's scope, not a refused command.
 */

import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { whatIf, type WhatIfResult } from '../../src/change/whatif.js';
import { regressions } from '../../src/diff/diff.js';
import { buildSnapshot } from '../../src/ingest/build-snapshot.js';
import { loadInputs } from '../../src/ingest/load-files.js';
import { describeWithPwsh } from '../helpers/pwsh.js';
import { openScriptReader, type OpenReader } from '../helpers/script-reader.js';

describeWithPwsh('flags written as numbers in a change script', (pwsh) => {
  let open: OpenReader;
  beforeAll(async () => {
    open = await openScriptReader(pwsh);
  });
  afterAll(async () => {
    await open.close();
  });

  async function review(script: string): Promise<WhatIfResult> {
    const [parsed] = await open.reader.parseTexts([script]);
    expect(parsed?.parseErrors).toEqual([]);
    const { snapshot } = buildSnapshot(await loadInputs(['fixtures/orgs/fabrikam-2019']));
    return whatIf(snapshot, parsed!.body!, { connectedServer: null });
  }

  const created = (result: WhatIfResult) =>
    result.after.analysis.connectors.find((entry) => entry.connector.identity === 'EX01\\Scanners');

  it.each([
    ['-PermissionGroups 5 -AuthMechanism 32', ['ExternalAuthoritative']],
    ["-PermissionGroups '4' -AuthMechanism '33'", ['Tls', 'ExternalAuthoritative']],
    ['-PermissionGroups ExchangeServers -AuthMechanism 1,32', ['Tls', 'ExternalAuthoritative']],
  ])('New-ReceiveConnector %s is externally secured relay', async (flags, mechanisms) => {
    const result = await review(
      `New-ReceiveConnector -Name Scanners -Server EX01 -TransportRole FrontendTransport -Bindings 0.0.0.0:25 -RemoteIPRanges 10.70.0.0/16 ${flags}`,
    );
    expect(result.evaluation.outcomes.map((outcome) => outcome.status)).toEqual(['applied']);
    expect(created(result)?.connector.authMechanism).toEqual(mechanisms);
    expect(created(result)?.relay.verdict).toBe('relay');
    expect(regressions(result.diff, 'high').map((finding) => finding.checkId)).toEqual([
      'externally-secured-relay',
    ]);
  });

  it('a number with a bit no flag has, or inside a string of names, is refused as PowerShell refuses it', async () => {
    for (const value of ['64', "'Tls,32'"]) {
      const result = await review(
        `New-ReceiveConnector -Name Scanners -Server EX01 -TransportRole FrontendTransport -Custom -Bindings 0.0.0.0:25 -RemoteIPRanges 10.70.0.0/16 -AuthMechanism ${value}`,
      );
      expect(result.evaluation.outcomes.map((outcome) => outcome.status)).toEqual(['refused']);
    }
  });

  it.each([
    '-AccessRights 256',
    "-AccessRights '983551'",
    '-ExtendedRights ms-Exch-SMTP-Submit,ms-Exch-SMTP-Accept-Any-Recipient -InheritanceType 1',
  ])('Add-ADPermission for ANONYMOUS LOGON with %s opens relay', async (rights) => {
    const result = await review(
      `Add-ADPermission -Identity 'EX01\\Partner Inbound Litware' -User 'NT AUTHORITY\\ANONYMOUS LOGON' ${rights}`,
    );
    expect(result.evaluation.outcomes.map((outcome) => outcome.status)).toEqual(['applied']);
    expect(
      regressions(result.diff, 'high').map((finding) => [finding.checkId, finding.severity.after]),
    ).toEqual([['anonymous-relay', 'critical']]);
  });

  it('an AccessRights name PowerShell cannot bind is refused, not added as a right that grants nothing', async () => {
    const result = await review(
      "Add-ADPermission -Identity 'EX01\\Partner Inbound Litware' -User 'NT AUTHORITY\\ANONYMOUS LOGON' -AccessRights ExtendedRights",
    );
    expect(result.evaluation.outcomes.map((outcome) => outcome.status)).toEqual(['refused']);
  });
});
