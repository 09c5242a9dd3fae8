/**
 * Check that parsed JSON really is an exrelay snapshot before anything trusts it; every problem names the
 * field, e.g. "connectors[3].remoteIPRanges[0] must be a string". Validation works in place (the parsed JSON
 * becomes the Snapshot, missing optional fields filled in) and paths are only spelled out on failure: a large
 * organisation has millions of fields, and a copy would double the memory.
 */

import {
  EMPTY_ACL_ERROR,
  SNAPSHOT_KIND,
  SNAPSHOT_SCHEMA_VERSION,
  type AccessControlEntry,
  type AcceptedDomain,
  type CollectionIssue,
  type ExchangeServerInfo,
  type PrincipalName,
  type ProtocolLogPath,
  type ReceiveConnector,
  type Snapshot,
} from './snapshot.js';
import type { ElementSink, RepeatedItems } from '../ingest/json-elements.js';
import { flags, joinCapabilities, splitFlattened } from '../ingest/ps-read.js';
import {
  ACTIVE_DIRECTORY_RIGHTS,
  AUTH_MECHANISMS,
  PERMISSION_GROUPS,
  firstUnknownRight,
  isActiveDirectoryRight,
  SECURITY_INHERITANCE,
} from './exchange-enums.js';
import { isSharedAce, SharedValues } from './shared-values.js';

export class SnapshotFormatError extends Error {}

type Json = unknown;
type JsonObject = Record<string, Json>;

/** Where a value sits, as a chain of keys; rendered only for an error message. */
class Path {
  constructor(
    private readonly parent: Path | null,
    private readonly key: string | number,
  ) {}

  field(key: string): Path {
    return new Path(this, key);
  }

  toString(): string {
    if (this.parent === null) return String(this.key);
    const head = this.parent.toString();
    return typeof this.key === 'number'
      ? `${head}[${this.key}]`
      : head === ''
        ? this.key
        : `${head}.${this.key}`;
  }
}

const ROOT = new Path(null, '');

function fail(path: Path, key: string | null, expected: string): never {
  throw new SnapshotFormatError(
    `${key === null ? path.toString() : path.field(key).toString()} must be ${expected}`,
  );
}

function object(value: Json, path: Path, key: string | null): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, key, 'an object');
  return value as JsonObject;
}

function string(item: JsonObject, path: Path, key: string): string {
  const value = item[key];
  if (typeof value !== 'string') fail(path, key, 'a string');
  return value;
}

function nullableString(item: JsonObject, path: Path, key: string): string | null {
  const value = item[key];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') fail(path, key, 'a string or null');
  return value;
}

/** yyyy-mm-ddThh:mm[:ss[.fff…]] and Z or ±hh:mm: what collect, Get-ExrelaySnapshot.ps1 and .NET's 'o' write. */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/**
 * An ISO 8601 time with its zone, on a real calendar day, or null. A baseline's exceptions are judged on the day it
 * was collected: a time that is no time ("not a date", 2026-02-30) would judge them on no day at all.
 */
function nullableTime(item: JsonObject, path: Path, key: string): string | null {
  const value = nullableString(item, path, key);
  if (value === null) return null;
  const match = ISO_TIME.exec(value);
  const [year, month, day] = match ? match.slice(1, 4).map(Number) : [];
  const date = match ? new Date(Date.UTC(year!, month! - 1, day!)) : null;
  if (
    !date ||
    date.getUTCMonth() !== month! - 1 ||
    date.getUTCDate() !== day ||
    Number.isNaN(Date.parse(value))
  )
    fail(
      path,
      key,
      `an ISO 8601 time such as 2025-03-04T09:15:00Z, or null (not ${JSON.stringify(value.slice(0, 40))})`,
    );
  return value;
}

function boolean(item: JsonObject, path: Path, key: string): boolean {
  const value = item[key];
  if (typeof value !== 'boolean') fail(path, key, 'true or false');
  return value;
}

function strings(item: JsonObject, path: Path, key: string): string[] {
  const value = item[key];
  if (!Array.isArray(value)) fail(path, key, 'an array of strings');
  for (let index = 0; index < value.length; index++) {
    if (typeof value[index] !== 'string') fail(path.field(key), null, 'an array of strings');
  }
  return value as string[];
}

function objects<T>(
  item: JsonObject,
  path: Path,
  key: string,
  read: (value: JsonObject, path: Path) => T,
): T[] {
  const value = item[key];
  if (!Array.isArray(value)) fail(path, key, 'an array');
  const list = path.field(key);
  for (let index = 0; index < value.length; index++) {
    const at = new Path(list, index);
    value[index] = read(object(value[index], at, null), at);
  }
  return value as T[];
}

function nullableObjects<T>(
  item: JsonObject,
  path: Path,
  key: string,
  read: (value: JsonObject, path: Path) => T,
): T[] | null {
  if (item[key] === null) return null;
  if (!Array.isArray(item[key])) fail(path, key, 'an array or null');
  return objects(item, path, key, read);
}

function oneOf<T extends string>(item: JsonObject, path: Path, key: string, allowed: readonly T[]): T {
  const value = item[key];
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    fail(path, key, `one of ${allowed.join(', ')}`);
  return value as T;
}

export function isSnapshotLike(value: Json): boolean {
  return typeof value === 'object' && value !== null && (value as JsonObject).kind === SNAPSHOT_KIND;
}

export function validateSnapshot(value: Json): Snapshot {
  const readers = listReaders(new SharedValues());
  return validateRoot(value, (root, key) => objects(root, ROOT, key, readers[key]));
}

/** The root's lists, each with the reader of its elements. */
interface ListItems {
  servers: ExchangeServerInfo;
  connectors: ReceiveConnector;
  acceptedDomains: AcceptedDomain;
  errors: CollectionIssue;
  principalNames: PrincipalName;
}
type ListKey = keyof ListItems;
type ListReaders = { [K in ListKey]: (item: JsonObject, path: Path) => ListItems[K] };

function listReaders(shared: SharedValues): ListReaders {
  return {
    servers: server,
    connectors: connectorReader(shared),
    acceptedDomains: acceptedDomain,
    errors: issue,
    principalNames: principalName,
  };
}

const LIST_KEYS = new Set<string>(['servers', 'connectors', 'acceptedDomains', 'errors', 'principalNames']);

/** The root's list `key`, checked: an array whose elements are all valid, or a SnapshotFormatError. */
type ListCheck = <K extends ListKey>(root: JsonObject, key: K) => ListItems[K][];

function validateRoot(value: Json, list: ListCheck): Snapshot {
  const root = object(value, new Path(null, 'snapshot'), null);
  if (root.kind !== SNAPSHOT_KIND) fail(ROOT, 'kind', `"${SNAPSHOT_KIND}"`);
  const version = root.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    fail(ROOT, 'schemaVersion', 'a positive integer');
  if (version > SNAPSHOT_SCHEMA_VERSION)
    throw new SnapshotFormatError(
      `schemaVersion ${version} is newer than this exrelay understands (${SNAPSHOT_SCHEMA_VERSION}); upgrade exrelay`,
    );
  const sourcePath = ROOT.field('source');
  const source = object(root.source, ROOT, 'source');
  return {
    kind: SNAPSHOT_KIND,
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collectedAt: nullableTime(root, ROOT, 'collectedAt'),
    source: {
      method: oneOf(source, sourcePath, 'method', ['remote', 'local', 'script', 'files'] as const),
      description: string(source, sourcePath, 'description'),
      tool: nullableString(source, sourcePath, 'tool'),
    },
    partial: boolean(root, ROOT, 'partial'),
    servers: list(root, 'servers'),
    connectors: list(root, 'connectors'),
    acceptedDomains: root.acceptedDomains === null ? null : list(root, 'acceptedDomains'),
    errors: list(root, 'errors'),
    principalNames:
      root.principalNames === undefined || root.principalNames === null ? [] : list(root, 'principalNames'),
  };
}

/**
 * A snapshot validated while it is read: each element of the root's lists is checked as soon as it is parsed
 * (its raw form can be let go at once), and the root last. Errors are the same as validateSnapshot's: the first
 * problem in each list is kept, and thrown when `finish` comes to that list.
 */
export class SnapshotElements {
  readonly #readers = listReaders(new SharedValues());
  /** Each list read, by its key: the checked elements, and the first problem. */
  readonly #lists = new Map<string, { items: unknown[]; problem: SnapshotFormatError | null }>();

  /**
   * The sink for the root member `key` when it is one of the lists, else undefined (it is checked by finish).
   * A connector's ACEs repeat: one whose bytes equal an earlier shared ACE's may come as that ACE (see ElementSink).
   */
  list(key: string): ElementSink | undefined {
    if (!LIST_KEYS.has(key)) return undefined;
    const read = this.#readers[key as ListKey] as (item: JsonObject, path: Path) => unknown;
    const path = ROOT.field(key);
    const state = { items: [] as unknown[], problem: null as SnapshotFormatError | null };
    // A repeated member: its last value counts, as with JSON.parse.
    this.#lists.set(key, state);
    let index = 0;
    return {
      add: (element) => {
        const at = new Path(path, index++);
        if (state.problem !== null) return;
        try {
          state.items.push(read(object(element, at, null), at));
        } catch (error) {
          if (!(error instanceof SnapshotFormatError)) throw error;
          state.problem = error;
        }
      },
      finish: () => state.items,
      repeated: key === 'connectors' ? REPEATED_ACES : undefined,
    };
  }

  /** The snapshot, from the root object whose lists came through `list`. */
  finish(value: Json): Snapshot {
    return validateRoot(value, (root, key) => {
      const read = this.#lists.get(key);
      // Not read through `list` (not an array): checked here, with the error validateSnapshot gives.
      if (read === undefined || read.items !== root[key]) return objects(root, ROOT, key, this.#readers[key]);
      if (read.problem !== null) throw read.problem;
      return read.items as ListItems[typeof key][];
    });
  }
}

function principalName(item: JsonObject, path: Path): PrincipalName {
  return {
    name: string(item, path, 'name'),
    sid: string(item, path, 'sid'),
    server: nullableString(item, path, 'server'),
  };
}

function protocolLogPath(item: JsonObject, path: Path): ProtocolLogPath {
  return { transportRole: string(item, path, 'transportRole'), path: string(item, path, 'path') };
}

function nullableStrings(item: JsonObject, path: Path, key: string): string[] | null {
  return item[key] === null || item[key] === undefined ? null : strings(item, path, key);
}

function server(item: JsonObject, path: Path): ExchangeServerInfo {
  return {
    name: string(item, path, 'name'),
    version: nullableString(item, path, 'version'),
    roles: strings(item, path, 'roles'),
    isEdge: boolean(item, path, 'isEdge'),
    receiveProtocolLogPaths:
      item.receiveProtocolLogPaths === undefined || item.receiveProtocolLogPaths === null
        ? null
        : objects(item, path, 'receiveProtocolLogPaths', protocolLogPath),
  };
}

/** A connector's ACEs: those shared (and so already checked) can stand for any ACE with the same bytes. */
const REPEATED_ACES: RepeatedItems = { key: 'permissions', reusable: isSharedAce };

/** Connectors whose ACEs share equal strings and lists. */
function connectorReader(shared: SharedValues): (item: JsonObject, path: Path) => ReceiveConnector {
  const readAce = (item: JsonObject, path: Path) =>
    isSharedAce(item) ? (item as unknown as AccessControlEntry) : sharedAce(ace(item, path), shared);
  return (item, path) => connector(item, path, readAce);
}

function connector(
  item: JsonObject,
  path: Path,
  readAce: (item: JsonObject, path: Path) => AccessControlEntry,
): ReceiveConnector {
  // Set by the reader when it merges copies, never taken from a file (ReceiveConnector.agreed).
  delete item.agreed;
  delete item.permissionCopies;
  return Object.assign(item, {
    identity: string(item, path, 'identity'),
    server: string(item, path, 'server'),
    name: string(item, path, 'name'),
    distinguishedName: nullableString(item, path, 'distinguishedName'),
    guid: nullableString(item, path, 'guid'),
    enabled: boolean(item, path, 'enabled'),
    transportRole: nullableString(item, path, 'transportRole'),
    bindings: strings(item, path, 'bindings'),
    remoteIPRanges: strings(item, path, 'remoteIPRanges'),
    authMechanism: enumFlags(strings(item, path, 'authMechanism'), AUTH_MECHANISMS),
    permissionGroups: enumFlags(strings(item, path, 'permissionGroups'), PERMISSION_GROUPS),
    ...permissionsOf(item, path, readAce),
    tlsDomainCapabilities: capabilityEntries(nullableStrings(item, path, 'tlsDomainCapabilities')),
    protocolLoggingLevel: nullableString(item, path, 'protocolLoggingLevel'),
  });
}

/** One entry holding two domains' entries ("a:X, NO-TLS:Y"): a whole list flattened to one string. */
const SECOND_ENTRY = /[\s,{][^\s,{}:]+:/;

/**
 * TlsDomainCapabilities entries. One string that holds several entries ("{a:X, NO-TLS:AcceptCrossForestMail}",
 * a list flattened by a converter) is split as the export reader splits it: read whole, its second domain became
 * a capability name nobody knows, and relay for every session without TLS read as Exchange Online's hybrid entry
 * (info, exit 0). Other entries are kept as written.
 */
function capabilityEntries(entries: string[] | null): string[] | null {
  if (entries === null || !entries.some((entry) => SECOND_ENTRY.test(entry.trim()))) return entries;
  return entries.flatMap((entry) => (SECOND_ENTRY.test(entry.trim()) ? joinCapabilities(entry) : [entry]));
}

/**
 * AuthMechanism or PermissionGroups flag names. A number ("33") or a ToString text ("Tls, ExternalAuthoritative")
 * is read as the names it stands for, as the export reader reads them (ingest/ps-read.ts): kept whole, it named
 * no mechanism, and an externally secured open relay read as unknown (medium) instead of relay. Other names are
 * kept as written (an unknown AuthMechanism name makes the verdict unknown).
 */
function enumFlags(names: string[], table: Readonly<Record<string, number>>): string[] {
  // exrelay's own snapshots hold names only: nothing copied.
  if (names.every((name) => Object.hasOwn(table, name))) return names;
  return flags(names, table);
}

/**
 * A connector's ACL, or none when an entry's AccessRights keeps bits no ActiveDirectoryRights name stands for
 * (a number such as 2097152 after decoding): read as granting nothing they could hide a right, so the ACL is
 * unknown, as the export reader makes it (ingest/exchange-objects.ts). An empty list is none too (EMPTY_ACL_ERROR).
 */
function permissionsOf(
  item: JsonObject,
  path: Path,
  readAce: (item: JsonObject, path: Path) => AccessControlEntry,
): Pick<ReceiveConnector, 'permissions' | 'permissionsError'> {
  const permissions = nullableObjects(item, path, 'permissions', readAce);
  const permissionsError = nullableString(item, path, 'permissionsError');
  if (permissions !== null && permissions.length === 0)
    return { permissions: null, permissionsError: permissionsError ?? EMPTY_ACL_ERROR };
  const unnamed = permissions === null ? undefined : unnamedRights(permissions);
  if (unnamed === undefined) return { permissions, permissionsError };
  return {
    permissions: null,
    permissionsError: `a permission entry's AccessRights keeps bits no ActiveDirectoryRights name stands for (${unnamed})`,
  };
}

/** The first right left as a number by decoding, if any; shared ACEs repeat, so their lists are checked once. */
function unnamedRights(permissions: readonly AccessControlEntry[]): string | undefined {
  for (const entry of permissions) {
    if (CHECKED_RIGHTS.has(entry.accessRights)) continue;
    const unnamed = firstUnknownRight(entry.accessRights);
    if (unnamed !== undefined) return unnamed;
    CHECKED_RIGHTS.add(entry.accessRights);
  }
  return undefined;
}

/** AccessRights lists found to hold names only. */
const CHECKED_RIGHTS = new WeakSet<readonly string[]>();

function ace(item: JsonObject, path: Path): AccessControlEntry {
  string(item, path, 'user');
  boolean(item, path, 'deny');
  boolean(item, path, 'inherited');
  item.accessRights = accessRights(item, path);
  item.extendedRights = extendedRights(item, path);
  item.sid = nullableString(item, path, 'sid');
  item.inheritanceType = inheritanceType(item, path);
  return item as unknown as AccessControlEntry;
}

/** Right names hold none of these; Format-Table's braces, a joined list or a stray space do. */
const FLATTENED_RIGHT = /[\s,{}]/;

/**
 * Extended right names. An item printed as Format-Table shows it ("{ms-Exch-SMTP-Accept-Any-Recipient}"), a list
 * joined into one string, or a name with a stray space is split and trimmed, as the export reader reads them
 * (ps-read.ts textList): kept as written it matched no right, and anonymous relay read as no-relay.
 */
function extendedRights(item: JsonObject, path: Path): string[] {
  const names = strings(item, path, 'extendedRights');
  if (!names.some((name) => FLATTENED_RIGHT.test(name))) return names;
  const split = names.flatMap(splitFlattened);
  // "{}" or " " names no right: emptied, the entry would cover every extended right (a deny then hides relay).
  return split.length > 0 ? split : names;
}

const INHERITANCE_NAMES: ReadonlyMap<string, string> = new Map(
  Object.entries(SECURITY_INHERITANCE).flatMap(([name, code]) => [
    [name.toLowerCase(), name],
    [String(code), name],
  ]),
);
/** A flags value as a number, as a converter of its own may write it (ToString of a value with an unnamed bit). */
const FLAGS_NUMBER = /^[0-9]{1,10}$/;

/**
 * ActiveDirectoryRights names. A number or a ToString text ("983551", "ReadProperty, GenericAll") is read as the
 * names it stands for, as the export reader reads them (ingest/ps-read.ts); any other name is refused. Kept as a
 * name nobody recognises, GenericAll written another way granted nothing, and an open relay read as no-relay.
 */
function accessRights(item: JsonObject, path: Path): string[] {
  const names = strings(item, path, 'accessRights');
  // exrelay's own snapshots hold names only: one look-up each, nothing copied.
  if (names.every(isActiveDirectoryRight)) return names;
  const read = flags(names, ACTIVE_DIRECTORY_RIGHTS);
  const unknown = read.find((name) => !isActiveDirectoryRight(name) && !FLAGS_NUMBER.test(name));
  if (unknown !== undefined)
    fail(
      path,
      'accessRights',
      `ActiveDirectoryRights names such as ExtendedRight or GenericAll (not '${unknown.slice(0, 40)}')`,
    );
  return read;
}

/**
 * ActiveDirectorySecurityInheritance by name (any case) or number. Another value is refused: whether an entry is
 * inherit-only decides whether its deny applies to the connector.
 */
function inheritanceType(item: JsonObject, path: Path): string | null {
  const value = nullableString(item, path, 'inheritanceType');
  if (value === null || value === '' || Object.hasOwn(SECURITY_INHERITANCE, value)) return value;
  const name = INHERITANCE_NAMES.get(value.trim().toLowerCase());
  if (name === undefined)
    fail(
      path,
      'inheritanceType',
      `None, All, Descendents, SelfAndChildren, Children or null (not '${value.slice(0, 40)}')`,
    );
  // Another case of a name stays as written: the analysis compares names ignoring case.
  return name.toLowerCase() === value.toLowerCase() ? value : name;
}

function sharedAce(entry: AccessControlEntry, shared: SharedValues): AccessControlEntry {
  // Only an entry as exrelay writes it is replaced by an equal one: other fields, or another order, stay its own.
  if (hasAceFieldsInOrder(entry)) return shared.ace(entry);
  entry.user = shared.string(entry.user);
  if (entry.sid !== null) entry.sid = shared.string(entry.sid);
  if (entry.inheritanceType !== null) entry.inheritanceType = shared.string(entry.inheritanceType);
  entry.accessRights = shared.list(entry.accessRights);
  entry.extendedRights = shared.list(entry.extendedRights);
  return entry;
}

const ACE_FIELDS: readonly (keyof AccessControlEntry)[] = [
  'user',
  'sid',
  'deny',
  'inherited',
  'accessRights',
  'extendedRights',
  'inheritanceType',
];

/** Whether the entry has exactly the fields of an ACE, in the order exrelay's snapshots hold them. */
function hasAceFieldsInOrder(entry: AccessControlEntry): boolean {
  let index = 0;
  for (const key in entry) if (key !== ACE_FIELDS[index++]) return false;
  return index === ACE_FIELDS.length;
}

function acceptedDomain(item: JsonObject, path: Path): AcceptedDomain {
  return {
    name: string(item, path, 'name'),
    domainName: string(item, path, 'domainName'),
    domainType: oneOf(item, path, 'domainType', ['Authoritative', 'InternalRelay', 'ExternalRelay'] as const),
    isDefault: boolean(item, path, 'isDefault'),
  };
}

function issue(item: JsonObject, path: Path): CollectionIssue {
  return {
    scope: oneOf(item, path, 'scope', [
      'organization',
      'server',
      'connector',
      'acceptedDomains',
      'input',
    ] as const),
    target: nullableString(item, path, 'target'),
    message: string(item, path, 'message'),
    ...(item.kind === undefined
      ? {}
      : { kind: oneOf(item, path, 'kind', ['filtered-permissions'] as const) }),
  };
}
