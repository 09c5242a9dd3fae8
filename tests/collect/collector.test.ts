import { describe, expect, it } from '@jest/globals';
import { collectSnapshot } from '../../src/collect/collector.js';
import { CollectionError } from '../../src/errors.js';
import type { SnapshotSource } from '../../src/model/snapshot.js';
import { contosoInventory, FakeSession, inventoryConnector, relayAcl, runFailure } from './fake-session.js';

const SOURCE: SnapshotSource = {
  method: 'remote',
  description: 'http://ex01.contoso.com/PowerShell/',
  tool: 'exrelay 0.1.0',
};
const NOW = () => new Date('2025-03-04T09:15:00.000Z');

const CONNECTORS = [
  inventoryConnector('EX01', 'Relay Printers'),
  inventoryConnector('EX01', 'Relay Scanners', { remoteIPRanges: ['10.10.30.0/24'] }),
  inventoryConnector('EX01', 'Relay Archive', { remoteIPRanges: ['10.10.95.20'] }),
  inventoryConnector('EX02', 'Relay Printers', { remoteIPRanges: ['10.10.20.0/24'] }),
  // No distinguished name: Get-ADPermission is pointed at the identity instead.
  inventoryConnector('EX02', 'Relay Copiers', { distinguishedName: null, remoteIPRanges: ['10.10.40.7'] }),
];
const KEYS = CONNECTORS.map((connector) => connector.distinguishedName ?? connector.identity);

function everyAclReadable(): Map<string, ReturnType<typeof relayAcl> | string> {
  return new Map(KEYS.map((key) => [key, relayAcl()]));
}

describe('collectSnapshot with a fake PowerShell session', () => {
  it('reads the inventory, then the permissions in chunks, by distinguished name where there is one', async () => {
    const session = new FakeSession(contosoInventory(CONNECTORS), everyAclReadable());
    const snapshot = await collectSnapshot(session, { source: SOURCE, chunkSize: 2, now: NOW });

    expect(session.runs.map((run) => run.args.Step)).toEqual([
      'Inventory',
      'Permissions',
      'Permissions',
      'Permissions',
    ]);
    expect(session.permissionRequests()).toEqual([
      KEYS.slice(0, 2),
      KEYS.slice(2, 4),
      ['EX02\\Relay Copiers'],
    ]);
    expect(session.runs.map((run) => run.options.label)).toEqual([
      'reading servers, receive connectors and accepted domains',
      'reading the permissions of connectors 1-2 of 5',
      'reading the permissions of connectors 3-4 of 5',
      'reading the permissions of connectors 5-5 of 5',
    ]);
    expect(session.runs.every((run) => run.script.includes('function Get-ExrelayInventory'))).toBe(true);

    expect(snapshot).toMatchObject({
      kind: 'exrelay.snapshot',
      schemaVersion: 1,
      collectedAt: '2025-03-04T09:15:00.000Z',
      source: SOURCE,
      partial: false,
      errors: [],
      acceptedDomains: [{ domainName: 'contoso.com', domainType: 'Authoritative', isDefault: true }],
    });
    expect(snapshot.servers.map((server) => server.name)).toEqual(['EX01', 'EX02']);
    expect(snapshot.connectors.map((connector) => connector.identity)).toEqual(
      CONNECTORS.map((c) => c.identity),
    );
    for (const connector of snapshot.connectors) {
      expect(connector.permissions).toHaveLength(5);
      expect(connector.permissionsError).toBeNull();
    }
  });

  it('keeps a connector whose ACL cannot be read, with its error, and marks the snapshot partial', async () => {
    const acls = everyAclReadable();
    const denied =
      'Get-ADPermission: Active Directory operation failed on DC01.contoso.com. Insufficient access rights to perform the operation.';
    acls.set(KEYS[2] as string, denied);
    const snapshot = await collectSnapshot(new FakeSession(contosoInventory(CONNECTORS), acls), {
      source: SOURCE,
    });

    const archive = snapshot.connectors.find((connector) => connector.identity === 'EX01\\Relay Archive');
    expect(archive).toMatchObject({ permissions: null, permissionsError: denied });
    expect(snapshot.partial).toBe(true);
    expect(snapshot.errors).toEqual([{ scope: 'connector', target: 'EX01\\Relay Archive', message: denied }]);
    expect(snapshot.connectors.filter((connector) => connector.permissions !== null)).toHaveLength(4);
  });

  it('records a chunk whose run failed against its connectors and goes on with the next chunk', async () => {
    const failure = runFailure(
      'PowerShell failed while reading the permissions of connectors 3-4 of 5: The WinRM client cannot process the request.',
    );
    const session = new FakeSession(contosoInventory(CONNECTORS), everyAclReadable(), (run) =>
      run.options.label === 'reading the permissions of connectors 3-4 of 5' ? failure : null,
    );
    const snapshot = await collectSnapshot(session, { source: SOURCE, chunkSize: 2 });

    expect(session.runs.map((run) => run.args.Step ?? run.script)).toEqual([
      'Inventory',
      'Permissions',
      'Permissions',
      "'alive'",
      'Permissions',
    ]);
    expect(snapshot.partial).toBe(true);
    expect(snapshot.errors.map((issue) => issue.target)).toEqual([
      'EX01\\Relay Archive',
      'EX02\\Relay Printers',
    ]);
    expect(
      snapshot.errors.every((issue) => issue.scope === 'connector' && issue.message === failure.message),
    ).toBe(true);
    expect(snapshot.connectors.map((connector) => connector.permissions === null)).toEqual([
      false,
      false,
      true,
      true,
      false,
    ]);
  });

  it('gives up with the chunk error when PowerShell no longer answers: no snapshot', async () => {
    const timeout = runFailure(
      'PowerShell did not answer within 120 s while reading the permissions of connectors 1-2 of 5',
    );
    const session = new FakeSession(contosoInventory(CONNECTORS), everyAclReadable(), (run) => {
      if (run.args.Step === 'Permissions') return timeout;
      if (run.script === "'alive'")
        return runFailure(
          'cannot run PowerShell: the session is closed because an earlier command timed out',
        );
      return null;
    });
    await expect(collectSnapshot(session, { source: SOURCE, chunkSize: 2 })).rejects.toBe(timeout);
    expect(session.permissionRequests()).toHaveLength(1);
  });

  it('carries the inventory errors (a server, the accepted domains) into a partial snapshot', async () => {
    const inventory = {
      ...contosoInventory(CONNECTORS.slice(0, 2)),
      acceptedDomains: null,
      errors: [
        {
          scope: 'server' as const,
          target: 'EDGE01',
          message:
            'no receive connectors were returned for Edge server EDGE01: collect on the Edge server itself',
        },
        { scope: 'acceptedDomains' as const, target: null, message: 'Get-AcceptedDomain: Access is denied.' },
      ],
    };
    const snapshot = await collectSnapshot(new FakeSession(inventory, everyAclReadable()), {
      source: SOURCE,
    });
    expect(snapshot.partial).toBe(true);
    expect(snapshot.acceptedDomains).toBeNull();
    expect(snapshot.errors).toEqual(inventory.errors);
  });

  it('fails when no receive connector was found, saying why when the script knows', async () => {
    const inventory = {
      ...contosoInventory([]),
      errors: [
        {
          scope: 'server' as const,
          target: 'EX01',
          message: 'Get-ReceiveConnector -Server EX01: Access is denied.',
        },
      ],
    };
    const failure = collectSnapshot(new FakeSession(inventory, new Map()), { source: SOURCE });
    await expect(failure).rejects.toThrow(CollectionError);
    await expect(failure).rejects.toThrow(
      'no receive connectors were found: Get-ReceiveConnector -Server EX01: Access is denied.',
    );
  });

  it('refuses data that does not make a valid snapshot, naming the field', async () => {
    const broken = inventoryConnector('EX01', 'Relay Printers', {
      bindings: '0.0.0.0:25' as unknown as string[],
    });
    const failure = collectSnapshot(new FakeSession(contosoInventory([broken]), everyAclReadable()), {
      source: SOURCE,
    });
    await expect(failure).rejects.toThrow(
      'the collected data is not a valid snapshot: connectors[0].bindings must be an array of strings',
    );
  });

  it('hands lines PowerShell printed to its host beside the answer to onHostLine', async () => {
    const session = new FakeSession(contosoInventory(CONNECTORS.slice(0, 1)), everyAclReadable());
    session.hostLines = [
      "WARNING: The object EX01\\Relay Printers has been corrupted, and it's in an inconsistent state.",
    ];
    const lines: string[] = [];
    const snapshot = await collectSnapshot(session, {
      source: SOURCE,
      onHostLine: (line) => lines.push(line),
    });
    expect(snapshot.connectors).toHaveLength(1);
    expect(lines).toEqual([
      "The object EX01\\Relay Printers has been corrupted, and it's in an inconsistent state.",
      "The object EX01\\Relay Printers has been corrupted, and it's in an inconsistent state.",
    ]);
  });

  it('reports progress: the inventory phase, then connectors done after each chunk', async () => {
    const events: string[] = [];
    const progress = {
      phase: (text: string) => events.push(`phase ${text}`),
      permissions: (done: number, total: number) => events.push(`${done}/${total}`),
      finish: () => events.push('finish'),
    };
    await collectSnapshot(new FakeSession(contosoInventory(CONNECTORS), everyAclReadable()), {
      source: SOURCE,
      chunkSize: 2,
      progress,
    });
    expect(events).toEqual([
      'phase Reading servers, receive connectors and accepted domains',
      '0/5',
      '2/5',
      '4/5',
      '5/5',
    ]);
  });
});

describe('learning how the server names well-known principals', () => {
  const SWEDISH = 'NT INSTANS\\ANONYM INLOGGNING';
  const unnamed = () =>
    relayAcl().map((entry) => ({
      ...entry,
      sid: null,
      user: entry.user.replace('NT AUTHORITY\\ANONYMOUS LOGON', SWEDISH),
    }));

  it('asks only connectors whose entries lack a SID, a few at most, and records the names', async () => {
    const acls = new Map(KEYS.map((key, index) => [key, index % 2 === 0 ? unnamed() : relayAcl()]));
    const session = new FakeSession(contosoInventory(CONNECTORS), acls);
    session.principalNames = [{ name: SWEDISH, sid: 'S-1-5-7', server: 'ex01.contoso.com' }];
    const snapshot = await collectSnapshot(session, { source: SOURCE, now: NOW });

    const asked = session.runs.filter((run) => run.args.Step === 'PrincipalNames');
    expect(asked.map((run) => run.args.Identity)).toEqual([[KEYS[0], KEYS[2], KEYS[4]]]);
    expect(asked[0]?.options.label).toBe('reading how the server names well-known principals');
    expect(snapshot.principalNames).toEqual([{ name: SWEDISH, sid: 'S-1-5-7', server: 'ex01.contoso.com' }]);
  });

  it('asks nothing when every entry carries its SID', async () => {
    const session = new FakeSession(contosoInventory(CONNECTORS), everyAclReadable());
    const snapshot = await collectSnapshot(session, { source: SOURCE, now: NOW });
    expect(session.runs.some((run) => run.args.Step === 'PrincipalNames')).toBe(false);
    expect(snapshot.principalNames).toEqual([]);
  });

  it('keeps the snapshot whole when asking fails: only the names are missing', async () => {
    const acls = new Map(KEYS.map((key) => [key, unnamed()]));
    const session = new FakeSession(contosoInventory(CONNECTORS), acls, (run) =>
      run.args.Step === 'PrincipalNames' ? runFailure('Get-ADPermission: the operation timed out') : null,
    );
    const snapshot = await collectSnapshot(session, { source: SOURCE, now: NOW });
    expect(snapshot).toMatchObject({ partial: false, principalNames: [] });
  });
});
