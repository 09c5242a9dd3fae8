/** Small builders for hand-made snapshots in unit tests; realistic defaults from the Exchange 2019 export. */

import { principalDirectory } from '../../src/analysis/principals.js';
import { assessRelay } from '../../src/analysis/relay.js';
import type { AccessControlEntry, ReceiveConnector, Snapshot } from '../../src/model/snapshot.js';

export const SID = {
  anonymous: 'S-1-5-7',
  everyone: 'S-1-1-0',
  authenticatedUsers: 'S-1-5-11',
  externallySecured: 'S-1-9-1419165041-1139599005-3936102811-1022490595-23',
  hubTransport: 'S-1-9-1419165041-1139599005-3936102811-1022490595-21',
} as const;

export function ace(overrides: Partial<AccessControlEntry> & { user: string }): AccessControlEntry {
  return {
    sid: null,
    deny: false,
    inherited: false,
    accessRights: ['ExtendedRight'],
    extendedRights: [],
    inheritanceType: 'None',
    ...overrides,
  };
}

export function grant(
  user: string,
  right: string,
  extra: Partial<AccessControlEntry> = {},
): AccessControlEntry {
  return ace({ user, extendedRights: [right], ...extra });
}

/**
 * An entry every real connector inherits from its containers (Get-ADPermission lists them): an export without one
 * was filtered (incomplete-input).
 */
export function inheritedRead(user = 'CONTOSO\\Organization Management'): AccessControlEntry {
  return ace({
    user,
    accessRights: ['ReadProperty', 'GenericExecute'],
    inherited: true,
    inheritanceType: 'All',
  });
}

export const SUBMIT = 'ms-Exch-SMTP-Submit';
export const RELAY = 'ms-Exch-SMTP-Accept-Any-Recipient';

/** The ACEs the AnonymousUsers permission group writes (exchange-domain.md §1.2). */
export function anonymousUsersGroup(user = 'NT AUTHORITY\\ANONYMOUS LOGON'): AccessControlEntry[] {
  return [
    SUBMIT,
    'ms-Exch-SMTP-Accept-Any-Sender',
    'ms-Exch-SMTP-Accept-Authoritative-Domain-Sender',
    'ms-Exch-Accept-Headers-Routing',
  ].map((right) => grant(user, right));
}

export function connector(
  overrides: Partial<ReceiveConnector> & { name: string; server?: string },
): ReceiveConnector {
  const server = overrides.server ?? 'EX01';
  return {
    identity: `${server}\\${overrides.name}`,
    server,
    distinguishedName: null,
    enabled: true,
    transportRole: 'FrontendTransport',
    bindings: ['0.0.0.0:25'],
    remoteIPRanges: ['0.0.0.0-255.255.255.255'],
    authMechanism: ['Tls'],
    permissionGroups: [],
    permissions: [],
    ...overrides,
  };
}

export function snapshot(connectors: ReceiveConnector[], overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    kind: 'exrelay.snapshot',
    schemaVersion: 1,
    collectedAt: null,
    source: { method: 'files', description: 'test', tool: null },
    partial: false,
    servers: [],
    connectors,
    acceptedDomains: [],
    errors: [],
    ...overrides,
  };
}

/** The principal directory of a snapshot holding these connectors (and these learned names). */
export function directoryOf(connectors: ReceiveConnector[], principalNames: Snapshot['principalNames'] = []) {
  return principalDirectory({ connectors, principalNames });
}

/** The directory of a single ACL, as if it were one connector's. */
export function directoryOfAcl(permissions: AccessControlEntry[]) {
  return directoryOf([connector({ name: 'ACL', permissions })]);
}

/** A connector's relay assessment, in a snapshot of it and `others`. */
export function relayOf(
  subject: ReceiveConnector,
  others: ReceiveConnector[] = [],
  principalNames: Snapshot['principalNames'] = [],
) {
  return assessRelay(subject, directoryOf([subject, ...others], principalNames));
}
