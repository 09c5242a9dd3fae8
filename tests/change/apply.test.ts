/**
 * The change model applied command by command (no PowerShell): permission groups write Exchange's ACEs, plain
 * RemoteIPRanges replaces and says what it drops, and what Exchange refuses changes nothing.
 */

import { describe, expect, it } from '@jest/globals';
import { applyCommand } from '../../src/change/apply.js';
import type { ChangeCommand } from '../../src/change/commands.js';
import { computePermissionGroups, groupAces, principalKey } from '../../src/change/permission-groups.js';
import { WorkingState } from '../../src/change/working-state.js';
import { buildSnapshot } from '../../src/ingest/build-snapshot.js';
import { loadInputs } from '../../src/ingest/load-files.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { evaluate } from '../../src/pipeline.js';
import { anonymousUsersGroup, connector, grant, RELAY, SID, snapshot } from '../support/builders.js';

const ORGS = [
  'adatum-overlap',
  'contoso-2010',
  'fabrikam-2019',
  'litware-edge',
  'sample',
  'tailspin-de',
  'woodgrove-extsec',
];

async function org(name: string): Promise<Snapshot> {
  return buildSnapshot(await loadInputs([`fixtures/orgs/${name}`])).snapshot;
}

function run(state: WorkingState, command: ChangeCommand) {
  return applyCommand(state, command);
}

const servers = [{ name: 'EX01', version: 'Version 15.2 (Build 1544.4)', roles: ['Mailbox'], isEdge: false }];

describe('permission groups as Exchange writes and reads them', () => {
  it.each(ORGS)('PermissionGroups computed from each ACL of %s equals what the export says', async (name) => {
    const input = await org(name);
    const state = new WorkingState(input, null);
    const withAcl = input.connectors.filter((entry) => entry.permissions !== null);
    expect(withAcl.length).toBeGreaterThan(0);
    for (const entry of withAcl)
      expect([
        entry.identity,
        computePermissionGroups(entry.permissions!, state.serverKind(entry.server), state.directory),
      ]).toEqual([entry.identity, entry.permissionGroups]);
  });

  it.each(ORGS)(
    'every group of each connector of %s has exactly the ACEs the model writes for it',
    async (name) => {
      const input = await org(name);
      const state = new WorkingState(input, null);
      for (const entry of input.connectors.filter((item) => item.permissions !== null)) {
        for (const group of entry.permissionGroups.filter((value) => !['None', 'Custom'].includes(value))) {
          const expected = groupAces(group as never, state.serverKind(entry.server), state.directory);
          expect(expected.length).toBeGreaterThan(0);
          for (const ace of expected) {
            const present = entry.permissions!.some(
              (existing) =>
                !existing.inherited &&
                existing.deny === ace.deny &&
                principalKey(existing) === principalKey(ace) &&
                existing.extendedRights.join() === ace.extendedRights.join(),
            );
            expect([entry.identity, group, ace.user, ace.extendedRights[0], present]).toEqual([
              entry.identity,
              group,
              ace.user,
              ace.extendedRights[0],
              true,
            ]);
          }
        }
      }
    },
  );

  it('setting ExchangeServers after AnonymousUsers removes the anonymous group, but not an extra relay ACE', () => {
    const relay = connector({
      name: 'Relay',
      remoteIPRanges: ['10.0.0.5'],
      permissions: [
        ...anonymousUsersGroup(),
        grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY, { sid: SID.anonymous }),
      ],
      permissionGroups: ['AnonymousUsers', 'Custom'],
    });
    const state = new WorkingState(snapshot([relay], { servers }), null);
    const result = run(state, {
      kind: 'set-connector',
      identity: 'EX01\\Relay',
      settings: { permissionGroups: ['ExchangeServers'] },
    });
    expect(result.status).toBe('applied');
    const after = state.result().connectors[0]!;
    const anonymous = after.permissions!.filter((ace) => ace.user === 'NT AUTHORITY\\ANONYMOUS LOGON');
    expect(anonymous.map((ace) => ace.extendedRights[0])).toEqual([RELAY]);
    expect(after.permissionGroups).toEqual(['ExchangeServers', 'Custom']);
    const analysis = evaluate(state.result(), 'test').analysis.connectors[0]!;
    expect(analysis.relay.anonymous).toBe(false);
    expect(analysis.relay.anonymousRelayLatent).toBe(true);
  });
});

describe('RemoteIPRanges', () => {
  const relay = () =>
    connector({
      name: 'Relay',
      remoteIPRanges: ['10.1.1.5', '10.1.1.6'],
      permissions: anonymousUsersGroup(),
      permissionGroups: ['AnonymousUsers'],
    });

  it('a plain value replaces the list and names the ranges it drops', () => {
    const state = new WorkingState(snapshot([relay()], { servers }), null);
    const result = run(state, {
      kind: 'set-connector',
      identity: 'EX01\\Relay',
      settings: { remoteIPRanges: { replace: ['10.1.1.7'] } },
    });
    expect(result.effects.find((effect) => effect.kind === 'ranges-dropped')?.values).toEqual([
      '10.1.1.5',
      '10.1.1.6',
    ]);
    expect(state.result().connectors[0]!.remoteIPRanges).toEqual(['10.1.1.7']);
  });

  it('@{Add; Remove} changes the list in place, matching ranges by their addresses', () => {
    const state = new WorkingState(snapshot([relay()], { servers }), null);
    const result = run(state, {
      kind: 'set-connector',
      identity: 'EX01\\Relay',
      settings: { remoteIPRanges: { add: ['10.1.1.9'], remove: ['10.1.1.5/32'] } },
    });
    expect(result.status).toBe('applied');
    expect(state.result().connectors[0]!.remoteIPRanges).toEqual(['10.1.1.6', '10.1.1.9']);
  });

  it('refuses an invalid value, an empty list, and leaves the connector as it was', () => {
    const state = new WorkingState(snapshot([relay()], { servers }), null);
    const invalid = run(state, {
      kind: 'set-connector',
      identity: 'EX01\\Relay',
      settings: { remoteIPRanges: { replace: ['10.0.0.300'] } },
    });
    expect(invalid.status).toBe('refused');
    expect(invalid.reason).toContain("'10.0.0.300' is not a valid RemoteIPRanges value");
    const empty = run(state, {
      kind: 'set-connector',
      identity: 'EX01\\Relay',
      settings: { remoteIPRanges: { add: [], remove: ['10.1.1.5', '10.1.1.6'] } },
    });
    expect(empty).toMatchObject({ status: 'refused', reason: 'RemoteIPRanges cannot be empty' });
    expect(state.result().connectors[0]!.remoteIPRanges).toEqual(['10.1.1.5', '10.1.1.6']);
  });

  it('refuses a list that gives one range twice, naming that value alone (the list can be huge)', () => {
    const state = new WorkingState(snapshot([relay()], { servers }), null);
    const list = Array.from({ length: 5000 }, (_, index) => `10.2.${index >> 8}.${index & 255}`);
    const result = run(state, {
      kind: 'set-connector',
      identity: 'EX01\\Relay',
      settings: { remoteIPRanges: { replace: [...list, '10.2.0.7/32'] } },
    });
    expect(result).toMatchObject({
      status: 'refused',
      reason: 'a RemoteIPRanges value is given twice (10.2.0.7/32)',
    });
    expect(state.result().connectors[0]!.remoteIPRanges).toEqual(['10.1.1.5', '10.1.1.6']);
  });

  it('refuses ranges that partially overlap another connector on the same binding; nesting is fine', () => {
    const other = connector({ name: 'Other', remoteIPRanges: ['10.1.0.0/24'], permissions: [] });
    const state = new WorkingState(snapshot([relay(), other], { servers }), null);
    const partial = run(state, {
      kind: 'set-connector',
      identity: 'EX01\\Relay',
      settings: { remoteIPRanges: { replace: ['10.1.0.128-10.1.1.10'] } },
    });
    expect(partial.status).toBe('refused');
    expect(partial.reason).toContain("conflict with 'EX01\\Other'");
    const nested = run(state, {
      kind: 'set-connector',
      identity: 'EX01\\Relay',
      settings: { remoteIPRanges: { replace: ['10.1.0.5'] } },
    });
    expect(nested.status).toBe('applied');
    const equal = run(state, {
      kind: 'set-connector',
      identity: 'EX01\\Relay',
      settings: { remoteIPRanges: { replace: ['10.1.0.0/24'] } },
    });
    expect(equal.reason).toContain('is the same as');
  });
});

describe('what else Exchange refuses', () => {
  it('AuthMechanism rules: ExternalAuthoritative only with Tls and with the ExchangeServers group', () => {
    const relay = connector({
      name: 'Relay',
      remoteIPRanges: ['10.1.1.5'],
      permissions: [],
      permissionGroups: ['None'],
    });
    const state = new WorkingState(snapshot([relay], { servers }), null);
    expect(
      run(state, {
        kind: 'set-connector',
        identity: 'EX01\\Relay',
        settings: { authMechanism: ['ExternalAuthoritative'] },
      }).reason,
    ).toBe('AuthMechanism ExternalAuthoritative requires the ExchangeServers permission group');
    expect(
      run(state, {
        kind: 'set-connector',
        identity: 'EX01\\Relay',
        settings: {
          authMechanism: ['ExternalAuthoritative', 'BasicAuth'],
          permissionGroups: ['ExchangeServers'],
        },
      }).reason,
    ).toContain('can only be combined with Tls');
    expect(
      run(state, {
        kind: 'set-connector',
        identity: 'EX01\\Relay',
        settings: { authMechanism: ['BasicAuthRequireTLS', 'BasicAuth'] },
      }).reason,
    ).toBe('AuthMechanism BasicAuthRequireTLS requires both BasicAuth and Tls');
    const secured = run(state, {
      kind: 'set-connector',
      identity: 'EX01\\Relay',
      settings: { authMechanism: ['Tls', 'ExternalAuthoritative'], permissionGroups: ['ExchangeServers'] },
    });
    expect(secured.status).toBe('applied');
    expect(evaluate(state.result(), 'test').analysis.connectors[0]!.relay.externallySecured).toBe(true);
  });

  it("a well-known name in another language than the organisation's is not found; the SID always is", async () => {
    const state = new WorkingState(await org('tailspin-de'), null);
    const target = state.connectors.find((entry) => entry.name.startsWith('Default Frontend'))!.identity;
    const english = run(state, {
      kind: 'add-permission',
      identity: target,
      ace: {
        user: 'NT AUTHORITY\\ANONYMOUS LOGON',
        extendedRights: [RELAY],
        accessRights: [],
        deny: false,
        inheritanceType: null,
      },
    });
    expect(english.status).toBe('refused');
    expect(english.reason).toContain('NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG');
    const bySid = run(state, {
      kind: 'add-permission',
      identity: target,
      ace: { user: 'S-1-5-7', extendedRights: [RELAY], accessRights: [], deny: false, inheritanceType: null },
    });
    expect(bySid.status).toBe('applied');
  });

  it('a deny added by Add-ADPermission goes before the allows, as Windows writes it: the relay is closed', async () => {
    // Appended after the allow ACEs, the deny left the ACL out of canonical order: the verdict read "unknown, may
    // be an open relay" (high) for the change that closes the relay.
    const state = new WorkingState(await org('fabrikam-2019'), null);
    const result = run(state, {
      kind: 'add-permission',
      identity: 'EX01\\App Relay',
      ace: { user: 'S-1-5-7', extendedRights: [RELAY], accessRights: [], deny: true, inheritanceType: null },
    });
    expect(result.status).toBe('applied');
    const after = state.result();
    const acl = after.connectors.find((entry) => entry.identity === 'EX01\\App Relay')!.permissions!;
    const firstAllow = acl.findIndex((ace) => !ace.deny);
    expect(acl.findIndex((ace) => ace.deny && ace.extendedRights.includes(RELAY))).toBeLessThan(firstAllow);
    const analysed = evaluate(after, 'test').analysis.connectors.find(
      (entry) => entry.connector.identity === 'EX01\\App Relay',
    )!;
    expect(analysed.relay.verdict).toBe('no-relay');
  });

  it('an inherited ACE cannot be removed on the connector', () => {
    const relay = connector({
      name: 'Relay',
      remoteIPRanges: ['10.1.1.5'],
      permissions: [grant('Everyone', RELAY, { sid: SID.everyone, inherited: true, inheritanceType: 'All' })],
    });
    const state = new WorkingState(snapshot([relay], { servers }), null);
    const result = run(state, {
      kind: 'remove-permission',
      identity: 'EX01\\Relay',
      ace: { user: 'S-1-1-0', extendedRights: [RELAY], accessRights: [], deny: false, inheritanceType: null },
    });
    expect(result.status).toBe('refused');
    expect(result.reason).toContain('inherited');
  });

  it('never changes the snapshot it was given', async () => {
    const input = await org('sample');
    const copy = JSON.stringify(input);
    const state = new WorkingState(input, 'PWEX01');
    run(state, { kind: 'remove-connector', identity: 'PWEX01\\Relay Printers' });
    run(state, {
      kind: 'set-connector',
      identity: 'PWEX02\\Relay Printers',
      settings: { remoteIPRanges: { replace: ['10.10.20.31'] }, name: 'Printers' },
    });
    expect(state.result().connectors.map((entry) => entry.identity)).toContain('PWEX02\\Printers');
    expect(JSON.stringify(input)).toBe(copy);
  });
});
