/**
 * Two states of one organisation for history and exceptions tests: between them a relay range is widened from a
 * /16 to a /8, a connector is added, one removed, one renamed (same GUID), one disabled, one gains an Everyone
 * relay grant, one changes its AuthMechanism and bindings, and the accepted domains are retyped and extended. The
 * Printers connector and its finding stay exactly as they were. Every connector carries its AD GUID, as collection
 * and CLIXML exports do.
 */

import type { AcceptedDomain, ReceiveConnector, Snapshot } from '../../src/model/snapshot.js';
import { anonymousUsersGroup, connector, grant, RELAY, SID, snapshot } from './builders.js';

const guid = (n: number) => `6f1c2a3b-0000-4000-8000-${String(n).padStart(12, '0')}`;

const anonymousRelay = () => [
  ...anonymousUsersGroup(),
  grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY, { sid: SID.anonymous }),
];

function relayConnector(n: number, name: string, ranges: string[], extra: Partial<ReceiveConnector> = {}) {
  return connector({
    name,
    guid: guid(n),
    remoteIPRanges: ranges,
    permissions: anonymousRelay(),
    permissionGroups: ['AnonymousUsers', 'Custom'],
    ...extra,
  });
}

const frontend = () =>
  connector({
    name: 'Default Frontend EX01',
    guid: guid(1),
    permissions: anonymousUsersGroup(),
    permissionGroups: ['AnonymousUsers'],
  });

const domains = (relay: boolean): AcceptedDomain[] => [
  {
    name: 'contoso.com',
    domainName: 'contoso.com',
    domainType: relay ? 'InternalRelay' : 'Authoritative',
    isDefault: true,
  },
  ...(relay
    ? [{ name: 'All', domainName: '*', domainType: 'ExternalRelay', isDefault: false } as AcceptedDomain]
    : []),
];

export const IDENTITY = {
  apps: 'EX01\\Relay Apps',
  printers: 'EX01\\Relay Printers',
  scanners: 'EX01\\Relay Scanners',
  scannersRenamed: 'EX01\\Relay Scanners Floor 2',
  fax: 'EX01\\Old Fax Relay',
  legacy: 'EX01\\Legacy Relay',
  added: 'EX01\\Relay New App',
  everyone: 'EX01\\Relay Monitoring',
  appliances: 'EX01\\Appliances',
} as const;

export function beforeSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return snapshot(
    [
      frontend(),
      relayConnector(2, 'Relay Apps', ['10.20.0.0/16']),
      relayConnector(3, 'Relay Printers', ['10.40.0.0/16']),
      relayConnector(4, 'Relay Scanners', ['10.30.2.0/28']),
      relayConnector(5, 'Old Fax Relay', ['10.30.3.15']),
      relayConnector(6, 'Legacy Relay', ['10.30.4.0/24']),
      relayConnector(7, 'Relay Monitoring', ['10.30.5.7']),
      relayConnector(8, 'Appliances', ['10.30.6.0/28'], { authMechanism: ['Tls'] }),
    ],
    { acceptedDomains: domains(false), collectedAt: '2025-03-03T06:00:00.000Z', ...overrides },
  );
}

export function afterSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  const monitoring = relayConnector(7, 'Relay Monitoring', ['10.30.5.7']);
  monitoring.permissions = [...monitoring.permissions!, grant('Everyone', RELAY, { sid: SID.everyone })];
  return snapshot(
    [
      frontend(),
      relayConnector(2, 'Relay Apps', ['10.0.0.0/8']),
      relayConnector(3, 'Relay Printers', ['10.40.0.0/16']),
      relayConnector(4, 'Relay Scanners Floor 2', ['10.30.2.0/28']),
      relayConnector(5, 'Old Fax Relay', ['10.30.3.15'], { enabled: false }),
      monitoring,
      relayConnector(8, 'Appliances', ['10.30.6.0/28'], {
        authMechanism: ['Tls', 'ExternalAuthoritative'],
        bindings: ['0.0.0.0:25', '0.0.0.0:2525'],
      }),
      relayConnector(9, 'Relay New App', ['10.30.7.20']),
    ],
    { acceptedDomains: domains(true), collectedAt: '2025-03-04T06:00:00.000Z', ...overrides },
  );
}
