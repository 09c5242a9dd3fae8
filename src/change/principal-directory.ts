/**
 * How the organisation names its principals, learned from the snapshot's own ACEs: what -User resolves to
 * (exchange-domain.md §5: a SID first, then a name the Exchange server can translate), and how a new ACE for a
 * principal is printed. Exchange's own groups are found by the names setup gives them.
 */

import type { AccessControlEntry, Snapshot } from '../model/snapshot.js';
import {
  identifyPrincipal,
  isSidString,
  wellKnownSid,
  type WellKnownPrincipal,
} from '../analysis/principals.js';

/** Principals a permission group grants to, beyond the well-known SIDs: domain groups found by name. */
export type GroupPrincipal = WellKnownPrincipal | 'exchangeServers' | 'exchangeLegacyInterop';

export interface Principal {
  user: string;
  sid: string | null;
}

/** English names Windows and Exchange print when nothing in the organisation says otherwise. */
const DEFAULT_NAMES: Readonly<Record<WellKnownPrincipal, string>> = {
  anonymous: 'NT AUTHORITY\\ANONYMOUS LOGON',
  everyone: 'Everyone',
  authenticatedUsers: 'NT AUTHORITY\\Authenticated Users',
  externallySecuredServers: 'MS Exchange\\Externally Secured Servers',
  hubTransportServers: 'MS Exchange\\Hub Transport Servers',
  edgeTransportServers: 'MS Exchange\\Edge Transport Servers',
  partnerServers: 'MS Exchange\\Partner Servers',
  legacyExchangeServers: 'MS Exchange\\Legacy Exchange Servers',
};

/** The account part setup gives the two domain groups (found by well-known GUID in Exchange; by name here). */
const DOMAIN_GROUP_ACCOUNTS: Readonly<Record<'exchangeServers' | 'exchangeLegacyInterop', string>> = {
  exchangeServers: 'exchange servers',
  exchangeLegacyInterop: 'exchangelegacyinterop',
};

export type UserResolution =
  { ok: true; principal: Principal; note: string | null } | { ok: false; reason: string };

export class PrincipalDirectory {
  /** Upper-case SID → the name the organisation prints for it. */
  private readonly namesBySid = new Map<string, string>();
  /** Folded name → SID (null when the organisation prints the name without a SID). */
  private readonly sidsByName = new Map<string, string | null>();
  private readonly domainGroups = new Map<string, Principal>();
  /** Well-known principals whose printed name is known, so another language's name would not resolve. */
  private readonly printedWellKnown = new Set<WellKnownPrincipal>();

  constructor(snapshot: Snapshot) {
    for (const known of snapshot.principalNames ?? []) this.learn(known.name, known.sid);
    for (const connector of snapshot.connectors)
      for (const ace of connector.permissions ?? []) this.learnAce(ace);
  }

  private learnAce(ace: AccessControlEntry): void {
    this.learn(ace.user, ace.sid);
    const account = ace.user.split('\\').pop()?.trim().toLowerCase();
    for (const [group, name] of Object.entries(DOMAIN_GROUP_ACCOUNTS)) {
      if (account === name && ace.user.includes('\\') && !this.domainGroups.has(group))
        this.domainGroups.set(group, { user: ace.user, sid: ace.sid });
    }
  }

  private learn(name: string, sid: string | null): void {
    const folded = fold(name);
    const wellKnownName = identifyPrincipal(name, null).wellKnown;
    const sidText =
      sid && isSidString(sid)
        ? sid.trim().toUpperCase()
        : wellKnownName && !isSidString(name)
          ? wellKnownSid(wellKnownName)
          : null;
    if (sidText && !this.namesBySid.has(sidText)) this.namesBySid.set(sidText, name);
    if (!this.sidsByName.has(folded) || (sidText && this.sidsByName.get(folded) === null))
      this.sidsByName.set(folded, sidText);
    const wellKnown = identifyPrincipal(name, sid).wellKnown;
    if (wellKnown && !isSidString(name)) this.printedWellKnown.add(wellKnown);
  }

  /** How a principal of a permission group is printed and identified in this organisation. */
  groupPrincipal(principal: GroupPrincipal): Principal {
    if (principal === 'exchangeServers' || principal === 'exchangeLegacyInterop')
      return (
        this.domainGroups.get(principal) ?? {
          user: principal === 'exchangeServers' ? 'Exchange Servers' : 'ExchangeLegacyInterop',
          sid: null,
        }
      );
    const sid = wellKnownSid(principal);
    return { user: this.namesBySid.get(sid) ?? DEFAULT_NAMES[principal], sid };
  }

  /**
   * -User as Exchange resolves it: a SID string always works; a name works when the server can translate it. A
   * well-known name in another language than the one this organisation prints does not (a German server does
   * not know "NT AUTHORITY\ANONYMOUS LOGON"); an account exrelay has never seen is taken as given.
   */
  resolveUser(text: string): UserResolution {
    const trimmed = text.trim();
    if (trimmed === '') return { ok: false, reason: 'the -User value is empty' };
    if (isSidString(trimmed)) {
      const sid = trimmed.toUpperCase();
      // The server prints the SID translated; a well-known one nobody in the input printed gets its English name.
      const wellKnown = identifyPrincipal(sid, sid).wellKnown;
      const user = this.namesBySid.get(sid) ?? (wellKnown ? DEFAULT_NAMES[wellKnown] : trimmed);
      return { ok: true, principal: { user, sid }, note: null };
    }
    const folded = fold(trimmed);
    if (this.sidsByName.has(folded)) {
      const sid = this.sidsByName.get(folded) ?? null;
      return { ok: true, principal: { user: (sid && this.namesBySid.get(sid)) ?? trimmed, sid }, note: null };
    }
    const wellKnown = identifyPrincipal(trimmed, null).wellKnown;
    if (wellKnown) {
      const sid = wellKnownSid(wellKnown);
      const printed = this.namesBySid.get(sid);
      if (printed && this.printedWellKnown.has(wellKnown) && !sameAccount(trimmed, printed))
        return {
          ok: false,
          reason: `User or group "${trimmed}" wasn't found: this organisation's servers name ${sid} "${printed}" (use the SID: -User ${sid})`,
        };
      return { ok: true, principal: { user: this.namesBySid.get(sid) ?? trimmed, sid }, note: null };
    }
    return {
      ok: true,
      principal: { user: trimmed, sid: null },
      note: `'${trimmed}' is not a principal exrelay has seen in this organisation: taken as an account Exchange can resolve (if it cannot, Exchange refuses the command)`,
    };
  }
}

/** The same name in the server's language: the account part matches, and the domain part when both have one. */
function sameAccount(given: string, printed: string): boolean {
  const [givenDomain, givenAccount] = splitAccount(given);
  const [printedDomain, printedAccount] = splitAccount(printed);
  return givenAccount === printedAccount && (givenDomain === null || givenDomain === printedDomain);
}

function splitAccount(name: string): [string | null, string] {
  const folded = fold(name);
  const at = folded.lastIndexOf('\\');
  return at < 0 ? [null, folded] : [folded.slice(0, at), folded.slice(at + 1)];
}

function fold(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}
