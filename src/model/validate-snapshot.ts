/**
 * Check that parsed JSON really is an exrelay snapshot before anything trusts it; every problem names the
 * field, e.g. "connectors[3].remoteIPRanges[0] must be a string".
 */

import {
  SNAPSHOT_KIND,
  SNAPSHOT_SCHEMA_VERSION,
  type AccessControlEntry,
  type AcceptedDomain,
  type CollectionIssue,
  type ExchangeServerInfo,
  type ReceiveConnector,
  type Snapshot,
} from './snapshot.js';

export class SnapshotFormatError extends Error {}

type Json = unknown;

function fail(path: string, expected: string): never {
  throw new SnapshotFormatError(`${path} must be ${expected}`);
}

function record(value: Json, path: string): Record<string, Json> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object');
  return value as Record<string, Json>;
}

function string(value: Json, path: string): string {
  if (typeof value !== 'string') fail(path, 'a string');
  return value;
}

function nullableString(value: Json, path: string): string | null {
  return value === null || value === undefined ? null : string(value, path);
}

function boolean(value: Json, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'true or false');
  return value;
}

function array<T>(value: Json, path: string, item: (value: Json, path: string) => T): T[] {
  if (!Array.isArray(value)) fail(path, 'an array');
  return value.map((entry, index) => item(entry, `${path}[${index}]`));
}

function oneOf<T extends string>(value: Json, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    fail(path, `one of ${allowed.join(', ')}`);
  return value as T;
}

export function isSnapshotLike(value: Json): boolean {
  return (
    typeof value === 'object' && value !== null && (value as Record<string, Json>).kind === SNAPSHOT_KIND
  );
}

export function validateSnapshot(value: Json): Snapshot {
  const root = record(value, 'snapshot');
  if (root.kind !== SNAPSHOT_KIND) fail('kind', `"${SNAPSHOT_KIND}"`);
  const version = root.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    fail('schemaVersion', 'a positive integer');
  if (version > SNAPSHOT_SCHEMA_VERSION)
    throw new SnapshotFormatError(
      `schemaVersion ${version} is newer than this exrelay understands (${SNAPSHOT_SCHEMA_VERSION}); upgrade exrelay`,
    );
  const source = record(root.source, 'source');
  return {
    kind: SNAPSHOT_KIND,
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collectedAt: nullableString(root.collectedAt, 'collectedAt'),
    source: {
      method: oneOf(source.method, 'source.method', ['remote', 'local', 'script', 'files'] as const),
      description: string(source.description, 'source.description'),
      tool: nullableString(source.tool, 'source.tool'),
    },
    partial: boolean(root.partial, 'partial'),
    servers: array(root.servers, 'servers', server),
    connectors: array(root.connectors, 'connectors', connector),
    acceptedDomains:
      root.acceptedDomains === null ? null : array(root.acceptedDomains, 'acceptedDomains', acceptedDomain),
    errors: array(root.errors, 'errors', issue),
  };
}

function server(value: Json, path: string): ExchangeServerInfo {
  const item = record(value, path);
  return {
    name: string(item.name, `${path}.name`),
    version: nullableString(item.version, `${path}.version`),
    roles: array(item.roles, `${path}.roles`, string),
    isEdge: boolean(item.isEdge, `${path}.isEdge`),
  };
}

function connector(value: Json, path: string): ReceiveConnector {
  const item = record(value, path);
  return {
    identity: string(item.identity, `${path}.identity`),
    server: string(item.server, `${path}.server`),
    name: string(item.name, `${path}.name`),
    distinguishedName: nullableString(item.distinguishedName, `${path}.distinguishedName`),
    enabled: boolean(item.enabled, `${path}.enabled`),
    transportRole: nullableString(item.transportRole, `${path}.transportRole`),
    bindings: array(item.bindings, `${path}.bindings`, string),
    remoteIPRanges: array(item.remoteIPRanges, `${path}.remoteIPRanges`, string),
    authMechanism: array(item.authMechanism, `${path}.authMechanism`, string),
    permissionGroups: array(item.permissionGroups, `${path}.permissionGroups`, string),
    permissions: item.permissions === null ? null : array(item.permissions, `${path}.permissions`, ace),
    permissionsError: nullableString(item.permissionsError, `${path}.permissionsError`),
  };
}

function ace(value: Json, path: string): AccessControlEntry {
  const item = record(value, path);
  return {
    user: string(item.user, `${path}.user`),
    sid: nullableString(item.sid, `${path}.sid`),
    deny: boolean(item.deny, `${path}.deny`),
    inherited: boolean(item.inherited, `${path}.inherited`),
    accessRights: array(item.accessRights, `${path}.accessRights`, string),
    extendedRights: array(item.extendedRights, `${path}.extendedRights`, string),
    inheritanceType: nullableString(item.inheritanceType, `${path}.inheritanceType`),
  };
}

function acceptedDomain(value: Json, path: string): AcceptedDomain {
  const item = record(value, path);
  return {
    name: string(item.name, `${path}.name`),
    domainName: string(item.domainName, `${path}.domainName`),
    domainType: oneOf(item.domainType, `${path}.domainType`, [
      'Authoritative',
      'InternalRelay',
      'ExternalRelay',
    ] as const),
    isDefault: boolean(item.isDefault, `${path}.isDefault`),
  };
}

function issue(value: Json, path: string): CollectionIssue {
  const item = record(value, path);
  return {
    scope: oneOf(item.scope, `${path}.scope`, [
      'organization',
      'server',
      'connector',
      'acceptedDomains',
      'input',
    ] as const),
    target: nullableString(item.target, `${path}.target`),
    message: string(item.message, `${path}.message`),
  };
}
