/**
 * Who an ACE is for. A SID, when present, always decides. Without one (remote collection loses SIDs), the name
 * Get-ADPermission printed in the server's language decides, and exrelay fails closed: a name is either
 * recognised, or known to be an ordinary account, or "unidentified", and an unidentified principal may be
 * ANONYMOUS LOGON in a language exrelay does not know (relay.ts never calls such a connector safe).
 *
 * The rule, for a name without SID (docs/checks/verdict-unknown.md explains it to users):
 * 1. a name of the built-in table (principal-names.ts), of the snapshot's principalNames (learned while
 *    collecting, or given with --principal), or a SID printed as the name: identified by that SID;
 * 2. `DOMAIN\account` where DOMAIN is a domain of the organisation: an account. The organisation's domains are
 *    learned from the snapshot: the domain part of every name that arrives with a domain SID (S-1-5-21-…), and
 *    of Exchange's own groups (created with English names in every language) and the administrator groups of
 *    an English forest (principal-names.ts);
 * 3. `BUILTIN\group` (and its translations): a local group;
 * 4. anything else is unidentified: an unknown account under an NT AUTHORITY prefix (in any language, known or
 *    learned from names that came with an NT AUTHORITY SID), an unknown prefix, or a name without prefix
 *    (Everyone has none). A prefix known as NT AUTHORITY or BUILTIN never counts as an organisation's domain.
 */

import type { Snapshot } from '../model/snapshot.js';
import {
  BUILTIN_PREFIXES,
  DOMAIN_GROUP_HINTS,
  EXCHANGE_GROUPS,
  EXCHANGE_PREFIX,
  EXCHANGE_SID_PREFIX,
  LOCALIZED_NAMES,
  NT_AUTHORITY_PREFIXES,
} from './principal-names.js';

export type WellKnownPrincipal =
  | 'anonymous'
  | 'everyone'
  | 'authenticatedUsers'
  | 'externallySecuredServers'
  | 'hubTransportServers'
  | 'edgeTransportServers'
  | 'partnerServers'
  | 'legacyExchangeServers';

/** well-known: one of WellKnownPrincipal; account: any other principal known not to be one; unidentified: see above. */
export type PrincipalKind = 'well-known' | 'account' | 'unidentified';

export interface PrincipalIdentity {
  kind: PrincipalKind;
  /** The well-known role of the principal, or null. */
  wellKnown: WellKnownPrincipal | null;
  /** Exchange's own servers and interop groups: their relay right is part of Exchange's mail flow. */
  infrastructure: boolean;
  /** The SID when the ACE carried it or the name resolved to it. */
  sid: string | null;
  /** Case-folded key that identifies the principal across ACEs: the SID when known, else the name. */
  key: string;
}

export interface PrincipalDirectory {
  identify(user: string, sid: string | null): PrincipalIdentity;
  /** The name is printed under a prefix known (or learned) as NT AUTHORITY: one of Windows' own principals. */
  isNtAuthorityName(user: string): boolean;
}

const WELL_KNOWN_SIDS: ReadonlyMap<string, WellKnownPrincipal> = new Map([
  ['S-1-5-7', 'anonymous'],
  ['S-1-1-0', 'everyone'],
  ['S-1-5-11', 'authenticatedUsers'],
  [`${EXCHANGE_SID_PREFIX}10`, 'partnerServers'],
  [`${EXCHANGE_SID_PREFIX}21`, 'hubTransportServers'],
  [`${EXCHANGE_SID_PREFIX}22`, 'edgeTransportServers'],
  [`${EXCHANGE_SID_PREFIX}23`, 'externallySecuredServers'],
  [`${EXCHANGE_SID_PREFIX}24`, 'legacyExchangeServers'],
]);

const INFRASTRUCTURE: ReadonlySet<WellKnownPrincipal> = new Set([
  'hubTransportServers',
  'edgeTransportServers',
  'legacyExchangeServers',
]);

const SID_PATTERN = /^S-1(-\d+)+$/i;

function fold(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}

export function isSidString(text: string): boolean {
  return SID_PATTERN.test(text.trim());
}

/** The SID to use in remediation commands: -User with a SID works on every OS language. */
export function wellKnownSid(principal: WellKnownPrincipal): string {
  for (const [sid, name] of WELL_KNOWN_SIDS) if (name === principal) return sid;
  throw new Error(`no SID for ${principal}`);
}

/** "DOMAIN\account" → ["domain", "account"] (folded); a name without backslash has no domain. */
function splitName(name: string): [string | null, string] {
  const folded = fold(name);
  const slash = folded.indexOf('\\');
  return slash < 0 ? [null, folded] : [folded.slice(0, slash), folded.slice(slash + 1)];
}

type SidClass = 'domain' | 'builtin' | 'nt-authority' | 'other';

function classifySid(sid: string): SidClass {
  if (sid.startsWith('S-1-5-21-')) return 'domain';
  if (sid.startsWith('S-1-5-32-')) return 'builtin';
  return sid.startsWith('S-1-5-') ? 'nt-authority' : 'other';
}

const EXCHANGE_GROUP_NAMES = new Set(EXCHANGE_GROUPS.map(fold));
const DOMAIN_HINTS = new Set([...EXCHANGE_GROUPS, ...DOMAIN_GROUP_HINTS].map(fold));

/** Answers remembered per directory; hostile input can hold millions of distinct names. */
const MAX_ANSWERS = 10_000;

class SnapshotPrincipals implements PrincipalDirectory {
  private readonly names = new Map<string, string>();
  private readonly ntAuthority = new Set(NT_AUTHORITY_PREFIXES.map(fold));
  private readonly builtin = new Set(BUILTIN_PREFIXES.map(fold));
  private readonly domains = new Set<string>();
  /** ACLs repeat a few principals thousands of times: one answer per (SID, name). */
  private readonly answers = new Map<string, Map<string, PrincipalIdentity>>();
  private answerCount = 0;

  constructor(snapshot: Pick<Snapshot, 'connectors' | 'principalNames'>) {
    for (const entry of LOCALIZED_NAMES) this.names.set(fold(entry.name), entry.sid);
    const learned = new Map<string, string | null>();
    for (const known of snapshot.principalNames ?? []) {
      if (!isSidString(known.sid)) continue;
      this.names.set(fold(known.name), known.sid.trim().toUpperCase());
      learned.set(known.name, known.sid);
    }
    for (const connector of snapshot.connectors)
      for (const ace of connector.permissions ?? [])
        if (!learned.has(ace.user) || (learned.get(ace.user) === null && ace.sid))
          learned.set(ace.user, ace.sid);
    // First what SIDs say about prefixes, then Exchange's groups, so a prefix proven NT AUTHORITY or BUILTIN
    // can never become an organisation's domain.
    const candidates: string[] = [];
    for (const [user, sid] of learned) {
      const [domain, account] = splitName(user);
      if (domain === null) continue;
      if (sid && isSidString(sid)) {
        const kind = classifySid(sid.trim().toUpperCase());
        if (kind === 'nt-authority') this.ntAuthority.add(domain);
        else if (kind === 'builtin') this.builtin.add(domain);
        else if (kind === 'domain') candidates.push(domain);
      } else if (DOMAIN_HINTS.has(account)) candidates.push(domain);
    }
    const exchange = fold(EXCHANGE_PREFIX);
    for (const domain of candidates)
      if (!this.ntAuthority.has(domain) && !this.builtin.has(domain) && domain !== exchange)
        this.domains.add(domain);
  }

  isNtAuthorityName(user: string): boolean {
    const [domain] = splitName(user);
    return domain !== null && this.ntAuthority.has(domain);
  }

  identify(user: string, sid: string | null): PrincipalIdentity {
    // By SID, then by name: no key string is built for each of hundreds of thousands of ACEs.
    let bySid = this.answers.get(sid ?? '');
    let identity = bySid?.get(user);
    if (!identity) {
      identity = this.resolve(user, sid);
      if (this.answerCount >= MAX_ANSWERS) {
        this.answers.clear();
        this.answerCount = 0;
        bySid = undefined;
      }
      if (!bySid) this.answers.set(sid ?? '', (bySid = new Map()));
      bySid.set(user, identity);
      this.answerCount++;
    }
    return identity;
  }

  private resolve(user: string, sid: string | null): PrincipalIdentity {
    const [domain, account] = splitName(user);
    const sidText =
      sid && isSidString(sid)
        ? sid.trim().toUpperCase()
        : isSidString(user)
          ? user.trim().toUpperCase()
          : (this.names.get(fold(user)) ?? null);
    if (sidText) {
      const wellKnown = WELL_KNOWN_SIDS.get(sidText) ?? null;
      const exchangeGroup = classifySid(sidText) === 'domain' && EXCHANGE_GROUP_NAMES.has(account);
      return {
        kind: wellKnown ? 'well-known' : 'account',
        wellKnown,
        infrastructure: (wellKnown !== null && INFRASTRUCTURE.has(wellKnown)) || exchangeGroup,
        sid: sidText,
        key: sidText,
      };
    }
    const folded = fold(user);
    // Exchange prints only its own SIDs under "MS Exchange\": whatever the alias, never ANONYMOUS LOGON.
    const known =
      domain !== null &&
      (this.domains.has(domain) || this.builtin.has(domain) || domain === fold(EXCHANGE_PREFIX));
    return {
      kind: known ? 'account' : 'unidentified',
      wellKnown: null,
      infrastructure: known && this.domains.has(domain as string) && EXCHANGE_GROUP_NAMES.has(account),
      sid: null,
      key: known ? folded : `unidentified:${folded}`,
    };
  }
}

/** The principals of one snapshot: built-in names, the snapshot's learned names, and its own domains. */
export function principalDirectory(
  snapshot: Pick<Snapshot, 'connectors' | 'principalNames'>,
): PrincipalDirectory {
  return new SnapshotPrincipals(snapshot);
}

const BUILT_IN = new SnapshotPrincipals({ connectors: [], principalNames: [] });

/**
 * Identify a principal by its SID or a name of the built-in table only, without a snapshot's learned names and
 * domains: a stable key for comparing ACEs (the change model, the diff). Verdicts use principalDirectory().
 */
export function identifyPrincipal(user: string, sid: string | null): PrincipalIdentity {
  return BUILT_IN.identify(user, sid);
}
