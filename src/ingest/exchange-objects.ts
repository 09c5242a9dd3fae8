/**
 * Turn serialised Exchange objects (CLIXML or ConvertTo-Json, real or Deserialized.* types) into model records.
 * Objects are recognised by type name first and by their properties when a format dropped the type names.
 */

import type {
  AcceptedDomainType,
  AccessControlEntry,
  AcceptedDomain,
  ExchangeServerInfo,
  ReceiveConnector,
} from '../model/snapshot.js';
import {
  ACCEPTED_DOMAIN_TYPES,
  ACTIVE_DIRECTORY_RIGHTS,
  AUTH_MECHANISMS,
  firstUnknownRight,
  PERMISSION_GROUPS,
  PROTOCOL_LOGGING_LEVELS,
  RANGE_FORMATS,
  SECURITY_INHERITANCE,
  SERVER_ROLES,
} from '../model/exchange-enums.js';
import { SharedValues } from '../model/shared-values.js';
import { isSidString } from '../analysis/principals.js';
import { parseIpAddress } from '../net/ip-address.js';
import { exactPrefixLength, LOST_VALUE } from '../net/ip-range.js';
import {
  bool,
  enumName,
  flags,
  flatten,
  isTypeNamePlaceholder,
  list,
  number,
  prop,
  joinCapabilities,
  text,
  textList,
} from './ps-read.js';
import { isPsObject, plainTypeName, type PsObject, type PsValue } from './ps-value.js';

/** How an ACE names its connector: Identity's text ("EX01\Relay") and, when serialised, its DN. */
export interface ObjectReference {
  text: string | null;
  distinguishedName: string | null;
}

export type ExchangeRecord =
  | {
      kind: 'connector';
      value: ReceiveConnector;
      /** What the export lost and what was assumed instead. */
      warnings: string[];
    }
  | { kind: 'ace'; target: ObjectReference; value: AccessControlEntry; unreadable: UnusableEntry | null }
  | { kind: 'acceptedDomain'; value: AcceptedDomain }
  | { kind: 'server'; value: ExchangeServerInfo }
  | { kind: 'unknown'; description: string };

/** Why a permission entry cannot be trusted: it makes its connector's whole ACL unknown. */
export interface UnusableEntry {
  /** For the warning about the file. */
  reason: string;
  /** The connector's permissionsError. */
  aclError: string;
  /** What to do, for the warning. */
  advice: string;
}

const EXTENDED_RIGHTS_LOST: UnusableEntry = {
  reason: 'the export lost the extended right names (ConvertTo-Json writes them as {})',
  aclError: 'ConvertTo-Json dropped the names of its extended rights',
  advice: 'Export Get-ADPermission with Export-Clixml instead',
};

/** ExtendedRights printed as its type name ("…ExtendedRightIdParameter[]"), as Export-Csv writes an array. */
const EXTENDED_RIGHTS_TYPE_NAME: UnusableEntry = {
  reason:
    'the export lost the extended right names (it holds the type name instead, as Export-Csv writes them)',
  aclError: 'the export holds a type name instead of the names of its extended rights',
  advice: 'Export Get-ADPermission with Export-Clixml instead',
};

/**
 * AccessRights, which Exchange always writes, missing or empty (Select-Object without it): GenericAll, or
 * ExtendedRight with no right named (every extended right), would read as granting nothing.
 */
const ACCESS_RIGHTS_LOST: UnusableEntry = {
  reason: 'the export lost their AccessRights, which may grant GenericAll or every extended right',
  aclError: 'the export lost the AccessRights of its permission entries',
  advice: 'Export Get-ADPermission with Export-Clixml, without Select-Object',
};

/**
 * A deny entry without ExtendedRights or InheritanceType (Select-Object without them): read as denying every
 * extended right on the connector itself, it could hide a grant it does not cover.
 */
const DENY_SCOPE_LOST: UnusableEntry = {
  reason:
    'the export lost the ExtendedRights or InheritanceType of deny entries, so what they deny is unknown',
  aclError: 'the export lost what its deny entries deny',
  advice: 'Export Get-ADPermission with Export-Clixml, without Select-Object',
};

/** A property the export lost: not written at all, null, or empty. */
function isLost(value: PsValue | undefined): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  return list(value).length === 0;
}

/**
 * An AccessRights value that names no ActiveDirectoryRights (a hand-made export's 'FullControl', or bits no
 * name covers): read as granting nothing, it could hide GenericAll, so the entry cannot be trusted.
 */
function strangeRights(accessRights: readonly string[]): UnusableEntry | null {
  const name = firstUnknownRight(accessRights);
  if (name === undefined) return null;
  const shown = JSON.stringify(name.slice(0, 40));
  return {
    reason: `AccessRights ${shown} is not an ActiveDirectoryRights name`,
    aclError: `a permission entry's AccessRights ${shown} is not an ActiveDirectoryRights name`,
    advice: 'Export Get-ADPermission again with Export-Clixml',
  };
}

type Kind = Exclude<ExchangeRecord['kind'], 'unknown'>;

const TYPE_SUFFIXES: ReadonlyArray<[string, Kind]> = [
  ['.ReceiveConnector', 'connector'],
  ['.ADAcePresentationObject', 'ace'],
  ['.AcceptedDomain', 'acceptedDomain'],
  ['.ExchangeServer', 'server'],
];

/**
 * What type names say, by list: CLIXML names a list once and every later object of the type shares it (<TNRef>),
 * so 200,000 permission entries look their kind up rather than compare suffixes again.
 */
const KIND_BY_TYPE_NAMES = new WeakMap<readonly string[], Kind | null>();

function kindOfTypeNames(typeNames: readonly string[]): Kind | null {
  let found = KIND_BY_TYPE_NAMES.get(typeNames);
  if (found === undefined) {
    found = null;
    search: for (const typeName of typeNames) {
      const plain = plainTypeName(typeName);
      for (const [suffix, kind] of TYPE_SUFFIXES) {
        if (plain.endsWith(suffix)) {
          found = kind;
          break search;
        }
      }
    }
    KIND_BY_TYPE_NAMES.set(typeNames, found);
  }
  return found;
}

function kindOf(object: PsObject): Kind | null {
  // JSON objects have no type names, each its own empty list: nothing to remember.
  if (object.typeNames.length > 0) {
    const kind = kindOfTypeNames(object.typeNames);
    if (kind !== null) return kind;
  }
  const has = (name: string) => prop(object, name) !== undefined;
  if (has('Bindings') && has('RemoteIPRanges')) return 'connector';
  if (has('User') && (has('ExtendedRights') || has('AccessRights')) && has('Identity')) return 'ace';
  if (has('DomainName') && has('DomainType')) return 'acceptedDomain';
  if (has('AdminDisplayVersion') && has('ServerRole')) return 'server';
  return null;
}

/**
 * The record an object becomes. `shared` gives equal strings and lists of permission entries one copy: a large
 * organisation has hundreds of thousands of entries, all naming the same few principals and rights.
 */
export function recognize(value: PsValue, shared: SharedValues = new SharedValues()): ExchangeRecord {
  if (!isPsObject(value)) return { kind: 'unknown', description: describe(value) };
  switch (kindOf(value)) {
    case 'connector':
      return toConnectorRecord(value);
    case 'ace':
      return toAce(value, shared);
    case 'acceptedDomain':
      return { kind: 'acceptedDomain', value: toAcceptedDomain(value) };
    case 'server':
      return { kind: 'server', value: toServer(value) };
    case null:
      return { kind: 'unknown', description: describe(value) };
  }
}

function describe(value: PsValue): string {
  if (isPsObject(value))
    return (
      value.typeNames[0] ?? `an object with properties ${[...value.properties.keys()].slice(0, 4).join(', ')}`
    );
  return Array.isArray(value) ? 'a nested array' : `a ${value === null ? 'null' : typeof value} value`;
}

function requiredText(object: PsObject, name: string): string {
  const value = text(prop(object, name));
  if (value === null || value.trim() === '') throw new MappingError(`has no ${name}`);
  return value;
}

/** A record that is recognised but lacks what we need; the reader reports it with the file name. */
export class MappingError extends Error {}

/** "CN=Relay,CN=SMTP Receive Connectors,CN=Protocols,CN=EX01,CN=Servers,…" → "EX01". */
export function serverFromDistinguishedName(dn: string): string | null {
  const match = /,CN=Protocols,CN=([^,]+),CN=Servers,/i.exec(dn);
  return match?.[1] ?? null;
}

function reference(value: PsValue | undefined): ObjectReference {
  // An object beyond Export-Clixml's -Depth (<Obj><S>EX01\Relay</S></Obj>) is read as the text it is.
  if (isPsObject(value) && !isTextBeyondDepth(value)) {
    return {
      text: value.toStringText ?? text(prop(value, 'Name')),
      distinguishedName: text(prop(value, 'DistinguishedName')),
    };
  }
  const printed = text(value);
  return printed !== null && startsWithCn(printed)
    ? { text: null, distinguishedName: printed }
    : { text: printed, distinguishedName: null };
}

/**
 * Whether text starts with "CN=" in any case, without the upper-cased copy of each of 200,000 identities that
 * toUpperCase() made (only "c" and "n" upper-case to "C" and "N").
 */
function startsWithCn(text: string): boolean {
  return /^[Cc][Nn]=/.test(text);
}

function toConnectorRecord(object: PsObject): ExchangeRecord {
  const warnings: string[] = [];
  const value = toConnector(object, warnings);
  return { kind: 'connector', value, warnings };
}

function toConnector(object: PsObject, warnings: string[]): ReceiveConnector {
  const name = requiredText(object, 'Name');
  const distinguishedName =
    text(prop(object, 'DistinguishedName')) ?? reference(prop(object, 'Identity')).distinguishedName;
  const identityText = reference(prop(object, 'Identity')).text;
  const serverValue = prop(object, 'Server');
  const server =
    text(serverValue) ??
    (isPsObject(serverValue) ? text(prop(serverValue, 'Name')) : null) ??
    (distinguishedName ? serverFromDistinguishedName(distinguishedName) : null) ??
    (identityText?.includes('\\') ? (identityText.split('\\')[0] ?? null) : null);
  if (!server) throw new MappingError(`connector '${name}' names no server`);
  const transportRole = prop(object, 'TransportRole');
  const enabled = bool(prop(object, 'Enabled'));
  const assumed = new Set<string>();
  const connector: ReceiveConnector = {
    identity: identityText?.includes('\\') ? identityText : `${server}\\${name}`,
    server,
    name,
    distinguishedName,
    guid: guidOf(object),
    enabled: enabled ?? true,
    transportRole:
      transportRole === undefined || transportRole === null ? null : enumName(transportRole, SERVER_ROLES),
    bindings: readableList(prop(object, 'Bindings'), (binding) => bindingText(binding, assumed)),
    remoteIPRanges: readableList(prop(object, 'RemoteIPRanges'), rangeText),
    authMechanism: authMechanisms(prop(object, 'AuthMechanism'), warnings),
    permissionGroups: flags(prop(object, 'PermissionGroups'), PERMISSION_GROUPS),
    permissions: null,
    tlsDomainCapabilities:
      capabilityList(prop(object, 'TlsDomainCapabilities')) ?? missingCapabilities(object, warnings),
    protocolLoggingLevel: optionalEnum(object, 'ProtocolLoggingLevel', PROTOCOL_LOGGING_LEVELS),
  };
  if (enabled === null) {
    // Read as enabled, its own grants count; but a connector that may be disabled must not take senders away
    // from a relay connector next to it (an open relay would read as shadowed): see analysis/contested-scope.ts.
    connector.agreed = {
      enabled: false,
      bindings: connector.bindings,
      remoteIPRanges: connector.remoteIPRanges,
    };
    warnings.push(ENABLED_MISSING);
  }
  if (assumed.size > 0) {
    // [::] is the worst case for the connector's own reach, not for its neighbours: bound to one address in
    // truth, it takes no senders from a relay connector on the others (an open relay would read as shadowed).
    connector.agreed = {
      enabled: connector.agreed?.enabled ?? connector.enabled,
      bindings: connector.bindings.filter((binding) => !assumed.has(binding)),
      remoteIPRanges: connector.remoteIPRanges,
    };
    warnings.push(IPV6_ADDRESS_LOST);
  }
  return connector;
}

/**
 * TlsDomainCapabilities not in the export. Exchange 2010 and later always write it (empty or not); without it,
 * "NO-TLS:AcceptCrossForestMail", relay for every session, would read as no capability. An object with the
 * properties every version writes (Exchange 2007's too) is whole, and then has no such property; one without them
 * is a Select-Object subset, which may have dropped it.
 */
function missingCapabilities(object: PsObject, warnings: string[]): string[] | null {
  if (WRITTEN_BY_EVERY_VERSION.every((name) => prop(object, name) !== undefined)) return null;
  warnings.push(TLS_CAPABILITIES_MISSING);
  return [LOST_VALUE];
}

/** Receive connector properties of Exchange 2007 to Subscription Edition alike. */
const WRITTEN_BY_EVERY_VERSION = ['Fqdn', 'MaxMessageSize', 'ConnectionTimeout'] as const;

const TLS_CAPABILITIES_MISSING =
  'TlsDomainCapabilities is missing (Select-Object without it?): an entry such as NO-TLS:AcceptCrossForestMail would relay for every session, so the verdict is unknown';

const IPV6_ADDRESS_LOST =
  'the export lost the address of IPv6 bindings: [::] is assumed for what the connector receives, and on IPv6 it is taken to receive no sender from another connector';

/**
 * Exchange always writes AuthMechanism (0 is None): missing, Nil or empty, the export lost it (Select-Object
 * without it, a converter). It may have held ExternalAuthoritative, which relays for every sender, so it is kept as
 * a lost value, which the analysis never reads as safe.
 */
function authMechanisms(value: PsValue | undefined, warnings: string[]): string[] {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    warnings.push(AUTH_MECHANISM_MISSING);
    return [LOST_VALUE];
  }
  return flags(value, AUTH_MECHANISMS);
}

const AUTH_MECHANISM_MISSING =
  'AuthMechanism is missing or empty: it may include ExternalAuthoritative, so the verdict cannot be no-relay';

const ENABLED_MISSING =
  'Enabled is missing or unreadable: read as enabled for its own grants, and as disabled where it would take senders from another connector';

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The AD object GUID: the object's own Guid property, else its Identity's ObjectGuid; lower case. */
function guidOf(object: PsObject): string | null {
  const identity = prop(object, 'Identity');
  const candidates = [
    text(prop(object, 'Guid')),
    isPsObject(identity) ? text(prop(identity, 'ObjectGuid')) : null,
  ];
  for (const candidate of candidates) {
    const trimmed = candidate?.trim();
    if (trimmed && GUID_PATTERN.test(trimmed)) return trimmed.toLowerCase();
  }
  return null;
}

/**
 * TlsDomainCapabilities entries as Exchange prints them ("domain:Capability, Capability"); null when the export
 * does not have the property. ConvertTo-Json writes each entry as {Domain, Capabilities, SmtpX509Identifier}, and
 * a list beyond its depth as one string in which entries and capabilities are both separated by spaces or commas.
 * Dropped or split apart, an entry such as "NO-TLS:AcceptCrossForestMail" made an open relay read as no-relay.
 */
function capabilityList(value: PsValue | undefined): string[] | null {
  if (value === undefined) return null;
  if (typeof value === 'string') return isTypeNamePlaceholder(value) ? [LOST_VALUE] : joinCapabilities(value);
  const entries: string[] = [];
  for (const item of list(value)) {
    if (item === null) continue;
    if (isTypeNamePlaceholder(item)) entries.push(LOST_VALUE);
    else if (isPropertyBag(item)) entries.push(capabilityEntry(item));
    else {
      const printed = text(item)?.trim();
      if (printed) entries.push(printed);
    }
  }
  return entries;
}

/** SmtpReceiveDomainCapabilities written as its properties; an entry without its domain was lost. */
function capabilityEntry(item: PsObject): string {
  const domainValue = prop(item, 'Domain');
  const domain =
    isPsObject(domainValue) && domainValue.toStringText === null
      ? smtpDomainText(domainValue)
      : text(domainValue);
  if (!domain) return LOST_VALUE;
  // A name list, or a number ConvertTo-Json left undecoded: kept as written, an unknown capability then.
  const capabilities = flags(prop(item, 'Capabilities'), {});
  return `${domain}:${capabilities.join(', ')}`;
}

function optionalEnum(
  object: PsObject,
  name: string,
  table: Readonly<Record<string, number>>,
): string | null {
  const value = prop(object, name);
  return value === undefined || value === null ? null : enumName(value, table);
}

/**
 * Bindings and RemoteIPRanges, which Exchange never leaves empty: a property the export does not have, or holds
 * as null, is one lost value, and so is an item that cannot be read. Dropped instead, they would make the
 * connector look as if it received nothing (a latent grant) when it may receive the Internet.
 */
function readableList(value: PsValue | undefined, read: (item: PsValue) => string[]): string[] {
  if (value === undefined || value === null) return [LOST_VALUE];
  return flatten(list(value), (item) => {
    // "Microsoft.Exchange.Data.MultiValuedProperty`1[…]" from a CSV export: the values are gone, not malformed.
    if (isTypeNamePlaceholder(item)) return [LOST_VALUE];
    const texts = read(item);
    return texts.length === 0 && item !== null ? [LOST_VALUE] : texts;
  });
}

/** The text alone, which Export-Clixml writes for an object beyond its -Depth (<Obj><S>0.0.0.0:25</S></Obj>). */
function isTextBeyondDepth(value: PsObject): boolean {
  return value.toStringText === null && typeof value.value === 'string';
}

/** An object known only by its properties (ConvertTo-Json), not by its text (a ToString, or isTextBeyondDepth). */
function isPropertyBag(value: PsValue): value is PsObject {
  return isPsObject(value) && value.toStringText === null && !isTextBeyondDepth(value);
}

/** IPBinding: its ToString, or {Address, Port} from ConvertTo-Json. */
function bindingText(value: PsValue, assumed: Set<string>): string[] {
  if (isPropertyBag(value)) {
    const port = number(prop(value, 'Port'));
    const written = addressText(prop(value, 'Address'));
    const address = written ?? bareAddress(prop(value, 'Address'));
    if (address === null || port === null) return [LOST_VALUE];
    const binding = address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
    // The IPv6 address is lost, and [::] stands in for it: `assumed` collects these for toConnector.
    if (written === null && address === '::') assumed.add(binding);
    return [binding];
  }
  return textList(value);
}

/** System.Net.Sockets.AddressFamily, the two values an IP address has. */
const ADDRESS_FAMILIES = { InterNetwork: 2, InterNetworkV6: 23 } as const;

/**
 * ConvertTo-Json of System.Net.IPAddress without its IPAddressToString: IPv4 survives as the obsolete Address
 * number (little-endian), IPv6 not at all. Exchange's IPv6 bindings are nearly always [::], so that is assumed,
 * aloud, and only where it cannot hide another connector's relay (toConnector).
 */
function bareAddress(value: PsValue | undefined): string | null {
  if (!isPsObject(value)) return null;
  const family = enumName(prop(value, 'AddressFamily'), ADDRESS_FAMILIES);
  const numeric = number(prop(value, 'Address'));
  if (family === 'InterNetwork' && numeric !== null && numeric >= 0 && numeric <= 0xffffffff)
    return [numeric & 255, (numeric >>> 8) & 255, (numeric >>> 16) & 255, numeric >>> 24].join('.');
  if (family === 'InterNetworkV6') return '::';
  return null;
}

function addressText(value: PsValue | undefined): string | null {
  if (isPsObject(value)) return text(prop(value, 'IPAddressToString')) ?? value.toStringText;
  return text(value);
}

/** IPRange: its ToString, or rebuilt from LowerBound/UpperBound/RangeFormat when a format dropped it. */
function rangeText(value: PsValue): string[] {
  if (!isPropertyBag(value)) return textList(value);
  const lower = addressText(prop(value, 'LowerBound'));
  const upper = addressText(prop(value, 'UpperBound'));
  const expression = text(prop(value, 'Expression'));
  if (lower === null) return expression ? [expression] : [LOST_VALUE];
  const format = enumName(prop(value, 'RangeFormat'), RANGE_FORMATS);
  // Without its upper bound a range is not its lower bound alone: only a single address may lack one.
  if (upper === null) return format === 'SingleAddress' ? [lower] : expression ? [expression] : [LOST_VALUE];
  if (format === 'SingleAddress' || upper === lower) return [lower];
  const prefix = format === 'CIDR' || format === 'Netmask' ? prefixLength(lower, upper) : null;
  return [prefix === null ? `${lower}-${upper}` : `${lower}/${prefix}`];
}

function prefixLength(lower: string, upper: string): number | null {
  const first = parseIpAddress(lower);
  const last = parseIpAddress(upper);
  if (!first || !last || first.family !== last.family || first.value > last.value) return null;
  return exactPrefixLength({ family: first.family, first: first.value, last: last.value });
}

/**
 * A permission entry, and why it cannot be trusted when a serializer lost part of it: ConvertTo-Json writes
 * ExtendedRightIdParameter as {} (no public properties), which would otherwise read as "every extended right".
 */
function toAce(object: PsObject, shared: SharedValues): ExchangeRecord {
  const target = reference(prop(object, 'Identity'));
  const user = prop(object, 'User');
  const sid = sidOf(user);
  const printed = parameterText(user) ?? sid;
  if (printed === null) throw new MappingError('permission entry has no User');
  const rights = list(prop(object, 'ExtendedRights'));
  const lost = rights.some((item) => isPsObject(item) && parameterText(item) === null);
  // Read as a right name, a type name matches no right: the entry would grant nothing, whatever it granted.
  const typeName = rights.some(isTypeNamePlaceholder);
  const value = ace(object, printed, sid, rights, shared);
  return {
    kind: 'ace',
    target,
    value,
    unreadable: lost
      ? EXTENDED_RIGHTS_LOST
      : typeName
        ? EXTENDED_RIGHTS_TYPE_NAME
        : isLost(prop(object, 'AccessRights'))
          ? ACCESS_RIGHTS_LOST
          : value.deny && (!written(object, 'ExtendedRights') || !written(object, 'InheritanceType'))
            ? DENY_SCOPE_LOST
            : strangeRights(value.accessRights),
  };
}

/** Whether the export wrote the property at all (null counts: Exchange writes Nil for "none"). */
function written(object: PsObject, name: string): boolean {
  return prop(object, name) !== undefined;
}

function ace(
  object: PsObject,
  printed: string,
  sid: string | null,
  rights: PsValue[],
  shared: SharedValues,
): AccessControlEntry {
  const inheritanceType = enumName(prop(object, 'InheritanceType'), SECURITY_INHERITANCE);
  // One object per distinct entry, as a snapshot's reader gives: the analysis recognises a repeated ACL by the
  // identity of its entries (analysis/acl-facts.ts), and 200,000 entries are mostly repeats of a few dozen.
  return shared.ace({
    user: printed,
    sid,
    deny: bool(prop(object, 'Deny')) ?? false,
    inherited: bool(prop(object, 'IsInherited')) ?? false,
    // SharedValues.ace shares the lists too.
    accessRights: flatten(list(prop(object, 'AccessRights')), (item) => flags(item, ACTIVE_DIRECTORY_RIGHTS)),
    extendedRights: flatten(rights, (item) =>
      isPsObject(item) ? nameList(parameterText(item)) : textList(item),
    ),
    inheritanceType,
  });
}

function nameList(name: string | null): string[] {
  return name === null ? [] : [name];
}

/**
 * Exchange's *IdParameter values (User, ExtendedRights): their ToString, or, from ConvertTo-Json, which writes
 * them as objects, their RawIdentity.
 */
function parameterText(value: PsValue | undefined): string | null {
  const printed = text(value);
  if (printed !== null || !isPsObject(value)) return printed?.trim() ?? null;
  return text(prop(value, 'RawIdentity')) ?? text(prop(value, 'Name'));
}

function sidOf(user: PsValue | undefined): string | null {
  if (!isPsObject(user)) return null;
  // Property names are case-insensitive (prop), so 'Sid' also finds 'SID'.
  for (const name of ['SecurityIdentifier', 'Sid']) {
    const value = prop(user, name);
    const sid = isPsObject(value) ? (text(prop(value, 'Value')) ?? text(value)) : text(value);
    if (sid && isSidString(sid)) return sid.trim().toUpperCase();
  }
  return null;
}

function toAcceptedDomain(object: PsObject): AcceptedDomain {
  const domain = prop(object, 'DomainName');
  // text() first: an object beyond Export-Clixml's -Depth holds its text alone (<Obj><S>contoso.com</S></Obj>).
  const domainName = text(domain) ?? (isPsObject(domain) ? smtpDomainText(domain) : null);
  if (!domainName) throw new MappingError('accepted domain has no DomainName');
  const type = enumName(prop(object, 'DomainType'), ACCEPTED_DOMAIN_TYPES) ?? 'Authoritative';
  // Own keys only: 'constructor' or 'toString' from an export is not a domain type.
  if (!Object.hasOwn(ACCEPTED_DOMAIN_TYPES, type))
    throw new MappingError(`accepted domain '${domainName}' has unknown DomainType '${type}'`);
  return {
    name: text(prop(object, 'Name')) ?? domainName,
    domainName,
    domainType: type as AcceptedDomainType,
    isDefault: bool(prop(object, 'Default')) ?? false,
  };
}

/** SmtpDomainWithSubdomains from ConvertTo-Json: {Domain, IncludeSubDomains, IsStar}. */
function smtpDomainText(domain: PsObject): string | null {
  if (bool(prop(domain, 'IsStar'))) return '*';
  const name = text(prop(domain, 'Domain')) ?? text(prop(domain, 'Address'));
  if (!name) return null;
  return bool(prop(domain, 'IncludeSubDomains')) ? `*.${name}` : name;
}

function toServer(object: PsObject): ExchangeServerInfo {
  const roles = flags(prop(object, 'ServerRole'), SERVER_ROLES);
  return {
    name: requiredText(object, 'Name'),
    version: text(prop(object, 'AdminDisplayVersion')),
    roles,
    isEdge: bool(prop(object, 'IsEdgeServer')) ?? roles.includes('Edge'),
  };
}
