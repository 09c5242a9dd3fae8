/**
 * Who an ACE is for. Get-ADPermission prints principals in the Exchange server's OS language, so names are matched
 * against a table of known localizations; a SID, when present, always wins.
 */

export type WellKnownPrincipal =
  | 'anonymous'
  | 'everyone'
  | 'authenticatedUsers'
  | 'externallySecuredServers'
  | 'hubTransportServers'
  | 'edgeTransportServers'
  | 'partnerServers'
  | 'legacyExchangeServers';

export interface PrincipalIdentity {
  /** The well-known role of the principal, or null for any other account or group. */
  wellKnown: WellKnownPrincipal | null;
  /** Case-folded key that identifies the principal across ACEs: the SID when known, else the name. */
  key: string;
}

const EXCHANGE_SID_PREFIX = 'S-1-9-1419165041-1139599005-3936102811-1022490595-';

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

/**
 * Names as Windows prints them per OS language (sid.Translate(NTAccount) on the Exchange server).
 * Sources: exchange-domain.md §5. To support another language, add its names here; matching is case-insensitive.
 * "MS Exchange\…" aliases are Exchange's own and never localized.
 */
const WELL_KNOWN_NAMES: Readonly<Record<WellKnownPrincipal, readonly string[]>> = {
  anonymous: [
    'NT AUTHORITY\\ANONYMOUS LOGON', // English
    'NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG', // German
    'AUTORITE NT\\ANONYMOUS LOGON', // French
    'AUTORITÉ NT\\ANONYMOUS LOGON', // French, accented variant
    'AUTORIDAD NT\\ANONYMOUS LOGON', // Spanish (account name kept in English)
    'AUTORIDADE NT\\ANONYMOUS LOGON', // Portuguese (account name kept in English)
    'AUTORIDADE NT\\LOGON ANÔNIMO', // Portuguese (Brazil), reported, unconfirmed
    'ANONYMOUS LOGON',
  ],
  everyone: [
    'Everyone',
    'Jeder', // German
    'Tout le monde', // French
    'Todos', // Spanish, Portuguese
    'Tutti', // Italian
    'Iedereen', // Dutch
  ],
  authenticatedUsers: [
    'NT AUTHORITY\\Authenticated Users',
    'NT-AUTORITÄT\\Authentifizierte Benutzer',
    'AUTORITE NT\\Utilisateurs authentifiés',
    'AUTORITÉ NT\\Utilisateurs authentifiés',
    'AUTORIDAD NT\\Usuarios autentificados',
    'AUTORIDADE NT\\Usuários autenticados',
  ],
  externallySecuredServers: ['MS Exchange\\Externally Secured Servers'],
  hubTransportServers: ['MS Exchange\\Hub Transport Servers'],
  edgeTransportServers: ['MS Exchange\\Edge Transport Servers'],
  partnerServers: ['MS Exchange\\Partner Servers'],
  legacyExchangeServers: ['MS Exchange\\Legacy Exchange Servers'],
};

const NAME_INDEX: ReadonlyMap<string, WellKnownPrincipal> = new Map(
  Object.entries(WELL_KNOWN_NAMES).flatMap(([principal, names]) =>
    names.map((name) => [foldName(name), principal as WellKnownPrincipal] as const),
  ),
);

const SID_PATTERN = /^S-1(-\d+)+$/i;

function foldName(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}

export function isSidString(text: string): boolean {
  return SID_PATTERN.test(text.trim());
}

/** ACLs repeat the same few principals thousands of times; remember the answers (bounded), by SID then name. */
const identified = new Map<string | null, Map<string, PrincipalIdentity>>();
let remembered = 0;
const MAX_REMEMBERED = 10_000;

/** Identify the principal of an ACE from its SID (preferred) or printed name, which may itself be a raw SID. */
export function identifyPrincipal(user: string, sid: string | null): PrincipalIdentity {
  let byUser = identified.get(sid);
  const known = byUser?.get(user);
  if (known) return known;
  const identity = identify(user, sid);
  if (remembered >= MAX_REMEMBERED) {
    identified.clear();
    remembered = 0;
    byUser = undefined;
  }
  if (!byUser) identified.set(sid, (byUser = new Map()));
  byUser.set(user, identity);
  remembered++;
  return identity;
}

function identify(user: string, sid: string | null): PrincipalIdentity {
  const sidText =
    sid && isSidString(sid) ? sid.trim().toUpperCase() : isSidString(user) ? user.trim().toUpperCase() : null;
  if (sidText) {
    return { wellKnown: WELL_KNOWN_SIDS.get(sidText) ?? null, key: sidText };
  }
  const folded = foldName(user);
  const wellKnown = NAME_INDEX.get(folded) ?? null;
  // Key well-known principals by SID so that ACEs with and without a SID for the same principal meet.
  return { wellKnown, key: wellKnown ? wellKnownSid(wellKnown) : folded };
}

/** The SID to use in remediation commands: -User with a SID works on every OS language. */
export function wellKnownSid(principal: WellKnownPrincipal): string {
  for (const [sid, name] of WELL_KNOWN_SIDS) if (name === principal) return sid;
  throw new Error(`no SID for ${principal}`);
}
