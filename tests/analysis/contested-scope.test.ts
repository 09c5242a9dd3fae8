/**
 * One connector read twice with different settings is analysed with the ranges, bindings and enabled state of
 * either copy. That union is the worst case for the connector itself, but it let the connector take senders from
 * a neighbour with a range (or binding, or enabled state) that the current copy may not have: an open relay next
 * to it read as shadowed (latent, low) and the run exited 0, while in the other copy's world it relays for 65,536
 * addresses (high). Which copy is current is unknown, so each connector is judged in the world worst for it.
 */

import { describe, expect, it } from '@jest/globals';
import { buildSnapshot } from '../../src/ingest/build-snapshot.js';
import { readInput, type ParsedInput } from '../../src/ingest/read-input.js';
import type { ReceiveConnector } from '../../src/model/snapshot.js';
import { evaluateFindings } from '../../src/pipeline.js';
import { anonymousUsersGroup, connector, grant, RELAY, snapshot } from '../support/builders.js';

const relay = connector({
  name: 'Relay',
  remoteIPRanges: ['10.0.0.0/16'],
  permissions: [...anonymousUsersGroup(), grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY)],
});
const apps = connector({
  name: 'Apps',
  remoteIPRanges: ['10.0.0.0/17', '10.0.128.0/17'],
  permissions: anonymousUsersGroup(),
});

function input(file: string, connectors: ReceiveConnector[]): ParsedInput {
  return { file, format: 'snapshot', snapshot: snapshot(connectors) };
}

function analyse(...inputs: ParsedInput[]) {
  const { analysis } = evaluateFindings(buildSnapshot(inputs).snapshot);
  const found = analysis.connectors.find((item) => item.connector.name === 'Relay');
  if (!found) throw new Error('no Relay connector');
  return { severity: found.severity, latent: found.latent, reachable: found.reachableMetrics.addresses };
}

describe('connectors read twice with different settings', () => {
  it('judges a relay connector as the neighbour copy that takes nothing from it would leave it', () => {
    // Each copy alone: shadowed by Apps, or receiving all of 10.0.0.0/16.
    expect(analyse(input('a.json', [relay, apps]))).toMatchObject({ severity: 'low', latent: 'shadowed' });
    const narrowed = { ...apps, remoteIPRanges: ['192.168.1.1'] };
    const live = { severity: 'high', latent: null, reachable: 65536n };
    expect(analyse(input('b.json', [relay, narrowed]))).toEqual(live);
    // Both: not the shadowed reading of the first copy.
    expect(analyse(input('a.json', [relay, apps]), input('b.json', [relay, narrowed]))).toEqual(live);
    expect(analyse(input('b.json', [relay, narrowed]), input('a.json', [relay, apps]))).toEqual(live);
  });

  it('does not let a neighbour enabled in one copy only, or bound elsewhere in one, take senders', () => {
    const disabled = { ...apps, enabled: false };
    const live = { severity: 'high', latent: null, reachable: 65536n };
    expect(analyse(input('a.json', [relay, apps]), input('c.json', [relay, disabled]))).toEqual(live);
    const elsewhere = { ...apps, bindings: ['0.0.0.0:2525'] };
    expect(analyse(input('a.json', [relay, apps]), input('d.json', [relay, elsewhere]))).toEqual(live);
  });

  it('lets what every copy agrees on take senders as before', () => {
    const wider = { ...apps, remoteIPRanges: [...apps.remoteIPRanges, '192.168.1.1'] };
    expect(analyse(input('a.json', [relay, apps]), input('e.json', [relay, wider]))).toMatchObject({
      severity: 'low',
      latent: 'shadowed',
    });
  });

  it('judges a disputed relay connector with its own copies as read and its disputed neighbour as agreed', () => {
    const relayWide = { ...relay, remoteIPRanges: ['10.0.0.0/16', '10.1.0.0/16'] };
    const appsWide = { ...apps, remoteIPRanges: [...apps.remoteIPRanges, '10.1.0.0/17', '10.1.128.0/17'] };
    // 10.1.0.0/16 is the relay's in one copy and Apps's in the other: in the world where the relay has it and
    // Apps does not, it relays for all of it.
    expect(analyse(input('a.json', [relay, apps]), input('f.json', [relayWide, appsWide]))).toMatchObject({
      severity: 'high',
      latent: null,
      reachable: 65536n,
    });
  });
});

describe('agreed settings in a snapshot file', () => {
  it('are never read from a file: only the reader sets them when it merges copies', () => {
    const file = snapshot([{ ...apps, agreed: { enabled: false, bindings: [], remoteIPRanges: [] } }]);
    const input = readInput('snap.json', new TextEncoder().encode(JSON.stringify(file)));
    if (input.format !== 'snapshot') throw new Error('not read as a snapshot');
    expect(input.snapshot.connectors[0]?.agreed).toBeUndefined();
  });
});

describe('a connector exported without Enabled', () => {
  it('does not take senders from a relay connector next to it, and is warned about', () => {
    const exported = (record: Record<string, unknown>) => ({
      Server: 'EX01',
      Identity: `EX01\\${String(record.Name)}`,
      TransportRole: 'FrontendTransport',
      Bindings: ['0.0.0.0:25'],
      AuthMechanism: 'Tls',
      PermissionGroups: 'AnonymousUsers',
      ...record,
    });
    const connectors = [
      exported({ Name: 'Relay', RemoteIPRanges: ['10.0.0.0/16'], Enabled: true }),
      // Select-Object without Enabled: it may be disabled.
      exported({ Name: 'Apps', RemoteIPRanges: ['10.0.0.0/17', '10.0.128.0/17'] }),
    ];
    const ace = (identity: string, right: string) => ({
      Identity: identity,
      User: 'NT AUTHORITY\\ANONYMOUS LOGON',
      Deny: false,
      IsInherited: false,
      AccessRights: ['ExtendedRight'],
      ExtendedRights: [right],
      InheritanceType: 'None',
    });
    const permissions = [
      ace('EX01\\Relay', 'ms-Exch-SMTP-Submit'),
      ace('EX01\\Relay', RELAY),
      ace('EX01\\Apps', 'ms-Exch-SMTP-Submit'),
    ];
    const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    const inputs = [
      readInput('ReceiveConnector.json', encode(connectors)),
      readInput('ADPermission.json', encode(permissions)),
    ];
    const { snapshot: built, warnings } = buildSnapshot(inputs);
    expect(warnings.some((warning) => warning.includes('Enabled is missing'))).toBe(true);
    const relayConnector = evaluateFindings(built).analysis.connectors.find(
      (item) => item.connector.name === 'Relay',
    );
    expect(relayConnector).toMatchObject({ severity: 'high', latent: null });
  });
});
