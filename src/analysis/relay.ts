/**
 * Who may relay through a connector: the relay paths of exchange-domain.md §1–2 and §11, decided from the ACL.
 * PermissionGroups is used only as positive evidence, or to notice that the ACL was not read as Exchange wrote
 * it; it never proves that a connector is safe. The verdict fails closed: an ACE granting the relay right to a
 * principal exrelay cannot identify (principals.ts) makes it `unknown`, never `no-relay`.
 */

import type { ReceiveConnector } from '../model/snapshot.js';
import { AUTH_MECHANISMS } from '../model/exchange-enums.js';
import { LOST_VALUE, quote } from '../net/ip-range.js';
import { aclFacts } from './acl-facts.js';
import type { CoveringAce, GrantSource } from './grants.js';
import type { PrincipalDirectory, PrincipalKind, WellKnownPrincipal } from './principals.js';
import { parseTlsCapabilities, type TlsCapabilityEntry } from './tls-capabilities.js';

export type RelayVerdict = 'relay' | 'no-relay' | 'unknown';

export interface RelayPrincipal {
  user: string;
  sid: string | null;
  wellKnown: WellKnownPrincipal | null;
  kind: PrincipalKind;
  /** Exchange's own servers and interop groups. */
  infrastructure: boolean;
  /** The relay right was decided by an inherited ACE (set on a parent container). */
  inherited: boolean;
  source: GrantSource;
  /** The principal also holds ms-Exch-SMTP-Submit; without it, it cannot send at all. */
  canSubmit: boolean;
  /** Every allow ACE of the principal that covers the relay right: what taking the right away must undo. */
  grants: CoveringAce[];
  /**
   * An account or group (Authenticated Users included) that relays once it authenticates, evaluated on a logon
   * token (its own ACEs with those of Everyone and Authenticated Users), not infrastructure, and not merely full
   * control inherited from the configuration container.
   */
  authenticatedRelay: boolean;
}

/** Why a verdict is unknown; one finding each. */
export type UnknownReason =
  | { kind: 'no-acl' }
  | {
      kind: 'acl-error';
      reason: string;
      /**
       * Inputs hold different ACLs for the connector (ReceiveConnector.permissionCopies), and one of them, assessed
       * alone, grants relay without authentication or may: which is current is unknown.
       */
      mayRelay?: boolean;
    }
  | {
      kind: 'unidentified-principal';
      principal: RelayPrincipal;
      /** Printed under an NT AUTHORITY prefix (of a known language): one of Windows' own principals. */
      ntAuthority: boolean;
    }
  | { kind: 'anonymous-group-without-ace' }
  | { kind: 'externally-secured-without-ace' }
  /** The ACL is not in canonical order, and in the order it is listed it grants relay the canonical order denies. */
  | { kind: 'non-canonical-acl'; principal: 'anonymous' | 'externallySecuredServers' }
  /** AuthMechanism names no Exchange version defines: one of them may be ExternalAuthoritative, misread. */
  | { kind: 'unrecognized-auth-mechanism'; values: string[] }
  /** A TlsDomainCapabilities entry the export lost: it may be "NO-TLS:AcceptCrossForestMail", relay for everyone. */
  | { kind: 'lost-tls-capability' }
  /**
   * An allow entry names an extended right exrelay cannot resolve (extended-rights.ts) for a principal whose relay
   * it does not otherwise prove: the right may be ms-Exch-SMTP-Accept-Any-Recipient (or Submit).
   */
  | { kind: 'unresolved-extended-right'; principal: UnresolvedRightHolder };

/** A principal whose allow entries name rights exrelay cannot resolve; shared by the connectors of an ACL. */
export interface UnresolvedRightHolder {
  user: string;
  sid: string | null;
  /** anonymous or externallySecuredServers; null for a principal exrelay cannot identify. */
  wellKnown: 'anonymous' | 'externallySecuredServers' | null;
  /** The names, as the export gives them. */
  rights: readonly string[];
}

export interface RelayAssessment {
  /** `relay`: mail can be relayed without authenticating (anonymous, externally secured, or without TLS). */
  verdict: RelayVerdict;
  /** ANONYMOUS LOGON holds Submit and Accept-Any-Recipient. */
  anonymous: boolean;
  /** ANONYMOUS LOGON holds Accept-Any-Recipient but not Submit: relay is latent (one Submit grant away). */
  anonymousRelayLatent: boolean;
  /** ANONYMOUS LOGON holds Submit: the connector accepts unauthenticated mail for accepted domains. */
  anonymousSubmit: boolean;
  /** AuthMechanism contains ExternalAuthoritative. */
  externallySecuredConfigured: boolean;
  /** ExternalAuthoritative and Externally Secured Servers hold Submit and Accept-Any-Recipient. */
  externallySecured: boolean;
  /** TlsDomainCapabilities grants AcceptCrossForestMail to every session without TLS. */
  certificateRelay: TlsCapabilityEntry | null;
  /** Every TlsDomainCapabilities entry, parsed. */
  tlsCapabilities: TlsCapabilityEntry[];
  /** Everyone holds Accept-Any-Recipient, and no deny takes it from authenticated sessions. */
  everyone: boolean;
  /** Authenticated Users, or an account or group granted the right on purpose: relay after AUTH. */
  authenticated: boolean;
  /** AuthMechanism lets a client authenticate (BasicAuth or Integrated). */
  authenticationOffered: boolean;
  /** Every principal that holds Accept-Any-Recipient. */
  principals: RelayPrincipal[];
  /** Why the ACL cannot decide; the verdict is `unknown` unless relay is proven otherwise. */
  unknownReasons: UnknownReason[];
  /** Why the verdict is what it is, in one sentence. */
  basis: string;
}

/**
 * Whether the list holds the flag, case aside. The exact spelling is tried first and only a value of the flag's
 * length is lower-cased: every connector asks several times, and values are nearly always spelt as Exchange does.
 */
export function hasFlag(values: readonly string[], flag: string): boolean {
  for (let index = 0; index < values.length; index++) {
    const value = values[index] as string;
    if (value === flag || (value.length === flag.length && value.toLowerCase() === flag.toLowerCase()))
      return true;
  }
  return false;
}

/** 'a', 'b' and 3 more, each shortened: a hostile export can hold any values; the finding's data has them whole. */
function quotedList(values: readonly string[], limit = 5): string {
  const shown = values.slice(0, limit).map(quote);
  return values.length > limit ? `${shown.join(', ')} and ${values.length - limit} more` : shown.join(', ');
}

const MECHANISM_NAMES: ReadonlySet<string> = new Set(Object.keys(AUTH_MECHANISMS));
const KNOWN_MECHANISMS = new Set(Object.keys(AUTH_MECHANISMS).map((name) => name.toLowerCase()));

function isKnownMechanism(value: string): boolean {
  // Exchange's own spelling needs no lower-cased copy.
  return MECHANISM_NAMES.has(value) || KNOWN_MECHANISMS.has(value.toLowerCase());
}

/** AuthMechanism values that are none of Exchange's names (a number with bits no version defines, a typo). */
function unrecognizedMechanisms(values: readonly string[]): string[] {
  return values.filter((value) => !isKnownMechanism(value));
}

/**
 * BasicAuth (AUTH LOGIN) and Integrated (NTLM, Kerberos) let a client log on. ExchangeServer is for Exchange's
 * own servers, Tls offers no logon, ExternalAuthoritative needs none [inferred from exchange-domain.md §2].
 */
function offersAuthentication(connector: ReceiveConnector): boolean {
  return hasFlag(connector.authMechanism, 'BasicAuth') || hasFlag(connector.authMechanism, 'Integrated');
}

/** An entry the reader kept as lost (ConvertTo-Json without its domain, Export-Csv's type name). */
function lostCapability(entries: readonly TlsCapabilityEntry[]): boolean {
  return entries.some((entry) => entry.text.trim() === LOST_VALUE);
}

function noTlsRelay(entries: readonly TlsCapabilityEntry[]): TlsCapabilityEntry | null {
  return entries.find((entry) => entry.noTls && entry.effect === 'relay') ?? null;
}

export function assessRelay(connector: ReceiveConnector, directory: PrincipalDirectory): RelayAssessment {
  const externallySecuredConfigured = hasFlag(connector.authMechanism, 'ExternalAuthoritative');
  const tlsCapabilities = parseTlsCapabilities(connector.tlsDomainCapabilities);
  const certificateRelay = noTlsRelay(tlsCapabilities);
  if (connector.permissions === null)
    return assessWithoutAcl(
      connector,
      externallySecuredConfigured,
      tlsCapabilities,
      certificateRelay,
      copyMayRelay(connector, directory),
    );

  const acl = aclFacts(connector.permissions, directory);
  const externallySecured = externallySecuredConfigured && acl.securedRelays;
  // A list of its own: the reasons of the ACL are shared by every connector that has it.
  const unknownReasons: UnknownReason[] = acl.unidentified.slice();
  if (hasFlag(connector.permissionGroups, 'AnonymousUsers') && !acl.anonymousIdentified)
    unknownReasons.push({ kind: 'anonymous-group-without-ace' });
  if (externallySecuredConfigured && !acl.securedIdentified)
    unknownReasons.push({ kind: 'externally-secured-without-ace' });
  // Windows evaluates the DACL in the order it holds; exrelay evaluates it in canonical order, which is the same
  // unless a tool wrote the entries otherwise. When the listed order would grant what canonical order denies,
  // the export may show the real order: the verdict cannot rest on either.
  const anonymous = acl.anonymousSubmit && acl.anonymousRelayRight;
  if (!anonymous && acl.anonymousRelaysAsListed)
    unknownReasons.push({ kind: 'non-canonical-acl', principal: 'anonymous' });
  if (externallySecuredConfigured && !externallySecured && acl.securedRelaysAsListed)
    unknownReasons.push({ kind: 'non-canonical-acl', principal: 'externallySecuredServers' });
  const unrecognized = unrecognizedMechanisms(connector.authMechanism);
  if (unrecognized.length > 0)
    unknownReasons.push({ kind: 'unrecognized-auth-mechanism', values: unrecognized });
  if (lostCapability(tlsCapabilities)) unknownReasons.push({ kind: 'lost-tls-capability' });
  for (const principal of acl.unresolvedRights)
    // Externally Secured Servers' rights count only for sessions ExternalAuthoritative lets in.
    if (principal.wellKnown !== 'externallySecuredServers' || externallySecuredConfigured)
      unknownReasons.push({ kind: 'unresolved-extended-right', principal });

  const proven = anonymous || externallySecured || certificateRelay !== null;
  const verdict: RelayVerdict = proven ? 'relay' : unknownReasons.length > 0 ? 'unknown' : 'no-relay';
  return {
    verdict,
    anonymous,
    anonymousRelayLatent: acl.anonymousRelayRight && !acl.anonymousSubmit,
    anonymousSubmit: acl.anonymousSubmit,
    externallySecuredConfigured,
    externallySecured,
    certificateRelay,
    tlsCapabilities,
    everyone: acl.everyone,
    authenticated: acl.authenticated,
    authenticationOffered: offersAuthentication(connector),
    principals: acl.principals.slice(),
    unknownReasons,
    basis: describeBasis(
      verdict,
      { anonymous, externallySecured, externallySecuredConfigured, certificateRelay },
      unknownReasons,
    ),
  };
}

function describeBasis(
  verdict: RelayVerdict,
  paths: {
    anonymous: boolean;
    externallySecured: boolean;
    externallySecuredConfigured: boolean;
    certificateRelay: TlsCapabilityEntry | null;
  },
  unknownReasons: readonly UnknownReason[],
): string {
  const { anonymous, externallySecured, certificateRelay } = paths;
  if (verdict === 'relay') {
    const reasons = [
      anonymous && 'ANONYMOUS LOGON holds ms-Exch-SMTP-Submit and ms-Exch-SMTP-Accept-Any-Recipient',
      externallySecured &&
        'AuthMechanism includes ExternalAuthoritative and Externally Secured Servers hold Accept-Any-Recipient',
      certificateRelay &&
        `TlsDomainCapabilities gives every session without TLS AcceptCrossForestMail ('${certificateRelay.text}')`,
    ].filter((reason): reason is string => typeof reason === 'string');
    return `${reasons.join('; ')}.`;
  }
  if (verdict === 'unknown') return unknownReasons.map(describeUnknown).join(' ');
  if (paths.externallySecuredConfigured)
    return 'ExternalAuthoritative is set, but Externally Secured Servers lack Submit or Accept-Any-Recipient in the ACL.';
  return 'No unauthenticated principal holds Accept-Any-Recipient in the ACL.';
}

const GRANT_WORDING: Record<GrantSource, string> = {
  'extended-right': 'granted by name',
  'all-extended-rights': 'through ExtendedRight for every extended right',
  'generic-all': 'through GenericAll',
};

export function describeUnknown(reason: UnknownReason): string {
  switch (reason.kind) {
    case 'no-acl':
      return 'No Get-ADPermission data for this connector. PermissionGroups cannot prove the absence of a relay grant.';
    case 'acl-error':
      return reason.mayRelay
        ? `The ACL could not be read (${reason.reason}), and one of them, read alone, grants relay without authentication or may: this may be an open relay.`
        : `The ACL could not be read (${reason.reason}). PermissionGroups cannot prove the absence of a relay grant.`;
    case 'unidentified-principal': {
      const { principal } = reason;
      const how = [...new Set(principal.grants.map((ace) => GRANT_WORDING[ace.source]))].join(', ');
      const rights = principal.canSubmit
        ? 'ms-Exch-SMTP-Submit and ms-Exch-SMTP-Accept-Any-Recipient'
        : 'ms-Exch-SMTP-Accept-Any-Recipient';
      const who = reason.ntAuthority
        ? "It is one of Windows' own principals (NT AUTHORITY in the server's language) that exrelay does not know: it may be ANONYMOUS LOGON, which would make this an open relay."
        : "exrelay cannot tell who that is: it may be ANONYMOUS LOGON in the server's language, which would make this an open relay.";
      return `'${principal.user}' holds ${rights} (${how}). ${who}`;
    }
    case 'anonymous-group-without-ace':
      return 'PermissionGroups includes AnonymousUsers, but no ACE could be identified as ANONYMOUS LOGON: the ACL was not read as Exchange wrote it.';
    case 'externally-secured-without-ace':
      return 'AuthMechanism includes ExternalAuthoritative, but no ACE could be identified as Externally Secured Servers: the ACL was not read as Exchange wrote it.';
    case 'non-canonical-acl':
      return `The ACL is not in the canonical order Windows keeps (explicit deny, explicit allow, inherited deny, inherited allow), and in the order the export lists it ${reason.principal === 'anonymous' ? 'ANONYMOUS LOGON holds' : 'Externally Secured Servers hold'} ms-Exch-SMTP-Submit and ms-Exch-SMTP-Accept-Any-Recipient: Windows evaluates the order the ACL holds, so this may be an open relay.`;
    case 'unrecognized-auth-mechanism':
      if (reason.values.length === 1 && reason.values[0] === LOST_VALUE)
        return 'The export lost AuthMechanism: it may include ExternalAuthoritative, which relays for every sender the connector receives.';
      return `AuthMechanism holds ${quotedList(reason.values)}, which is no mechanism Exchange defines: it may stand for ExternalAuthoritative, which relays for every sender the connector receives.`;
    case 'lost-tls-capability':
      return 'The export lost a TlsDomainCapabilities entry: it may give AcceptCrossForestMail to every session without TLS (NO-TLS), which relays for every sender the connector receives.';
    case 'unresolved-extended-right':
      return describeUnresolvedRights(reason.principal);
  }
}

function describeUnresolvedRights({ user, wellKnown, rights }: UnresolvedRightHolder): string {
  const plural = rights.length === 1 ? 'the extended right' : 'the extended rights';
  const consequence =
    wellKnown === 'anonymous'
      ? 'which would make this an open relay'
      : wellKnown === 'externallySecuredServers'
        ? 'which, with ExternalAuthoritative, relays for every sender the connector receives'
        : "and exrelay cannot tell who that is either: it may be ANONYMOUS LOGON in the server's language, which would make this an open relay";
  return `An allow entry for '${user}' names ${plural} ${quotedList(rights)}, which is no Exchange transport right exrelay knows (a GUID is a right the server could not name): it may be ms-Exch-SMTP-Accept-Any-Recipient, ${consequence}.`;
}

/**
 * Without the ACL only positive evidence counts: ExternalAuthoritative plus the ExchangeServers group, or a
 * relay capability for sessions without TLS, proves unauthenticated relay; nothing proves its absence.
 */
function assessWithoutAcl(
  connector: ReceiveConnector,
  externallySecuredConfigured: boolean,
  tlsCapabilities: TlsCapabilityEntry[],
  certificateRelay: TlsCapabilityEntry | null,
  mayRelay: boolean,
): RelayAssessment {
  const groups = connector.permissionGroups;
  const externallySecured = externallySecuredConfigured && hasFlag(groups, 'ExchangeServers');
  const reason: UnknownReason = connector.permissionsError
    ? { kind: 'acl-error', reason: connector.permissionsError, ...(mayRelay ? { mayRelay } : {}) }
    : { kind: 'no-acl' };
  const proven = externallySecured || certificateRelay !== null;
  const basis = [
    describeUnknown(reason).replace(/ PermissionGroups cannot prove the absence of a relay grant\.$/, ''),
    externallySecured
      ? 'ExternalAuthoritative with the ExchangeServers permission group grants relay to every sender.'
      : certificateRelay
        ? `TlsDomainCapabilities gives every session without TLS AcceptCrossForestMail ('${certificateRelay.text}').`
        : 'PermissionGroups cannot prove the absence of a relay grant.',
  ].join(' ');
  return {
    verdict: proven ? 'relay' : 'unknown',
    anonymous: false,
    anonymousRelayLatent: false,
    anonymousSubmit: hasFlag(groups, 'AnonymousUsers'),
    externallySecuredConfigured,
    externallySecured,
    certificateRelay,
    tlsCapabilities,
    everyone: false,
    authenticated: hasFlag(groups, 'ExchangeUsers'),
    authenticationOffered: offersAuthentication(connector),
    principals: [],
    unknownReasons: [reason],
    basis,
  };
}

/**
 * Whether one of the different ACLs inputs hold for the connector, assessed alone, relays without authentication or
 * may (a reason that scores as anonymous relay would): the ACL is unknown, but that one may be current.
 */
function copyMayRelay(connector: ReceiveConnector, directory: PrincipalDirectory): boolean {
  return (connector.permissionCopies ?? []).some((permissions) => {
    const alone = assessRelay({ ...connector, permissions, permissionCopies: undefined }, directory);
    return alone.verdict === 'relay' || alone.unknownReasons.some((reason) => MAY_RELAY.has(reason.kind));
  });
}

/** Reasons that point at a grant which may be anonymous relay (analyze.ts scores them as it would be). */
export const MAY_RELAY: ReadonlySet<UnknownReason['kind']> = new Set([
  'unidentified-principal',
  'non-canonical-acl',
  'lost-tls-capability',
  'unresolved-extended-right',
]);

/** An account or group that relays once it authenticates (see RelayPrincipal.authenticatedRelay). */
export function isAuthenticatedRelayPrincipal(principal: RelayPrincipal): boolean {
  return principal.authenticatedRelay;
}
