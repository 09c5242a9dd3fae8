/**
 * How Windows prints the principals that matter on a receive connector, per OS language, each with its source.
 * Get-ADPermission prints an ACE's principal as the Exchange server translates its SID, in that server's
 * language (exchange-domain.md §5). A language missing here is no risk to the verdict: a name exrelay cannot
 * identify never counts as "no relay" (principals.ts); `--principal 'NAME=SID'` or the names learned while
 * collecting identify it. Matching is case-insensitive.
 *
 * Sources, by key:
 *   KB243330  "Security identifiers" (KB 243330), learn.microsoft.com/windows-server/identity/ad-ds/manage/
 *             understand-security-identifiers: Anonymous Logon S-1-5-7, Everyone S-1-1-0, Authenticated Users
 *             S-1-5-11, Local System S-1-5-18; its German edition names S-1-1-0 "Jeder", its Swedish edition
 *             "Alla".
 *   SQLDOCS   SQL Server documentation, "Configure Windows service accounts and permissions", table
 *             "Localized service names": NT AUTHORITY\SYSTEM and BUILTIN\Administrators as English, German
 *             (NT-AUTORITÄT, VORDEFINIERT), French (AUTORITE NT), Italian, Spanish and Russian (NT AUTHORITY\СИСТЕМА)
 *             Windows print them.
 *   EXD5      exchange-domain.md §5: German admin pages and scripts (NT-AUTORITÄT\ANONYMOUS-ANMELDUNG,
 *             NT-AUTORITÄT\Authentifizierte Benutzer), a French Exchange script (AUTORITE NT\ANONYMOUS LOGON),
 *             the Spanish and Portuguese prefixes AUTORIDAD NT and AUTORIDADE NT.
 *   FRACL     Get-Acl output published with French PowerShell scripts: "AUTORITE NT\Système",
 *             "AUTORITE NT\Utilisateurs authentifiés"; "Tout le monde" in French ACL scripts.
 *   SVDOCS    Microsoft's Swedish documentation: "NT INSTANS\SYSTEM" (Azure Files ACL steps), the Windows help
 *             on anonymous access ("gruppen Anonym inloggning"), the Azure AD Connect ACL table ("Autentiserade
 *             användare"). The Swedish ANONYMOUS LOGON and Authenticated Users names are these account names
 *             under the NT INSTANS prefix.
 */

export interface LocalizedName {
  name: string;
  sid: string;
  language: string;
  source: 'KB243330' | 'SQLDOCS' | 'EXD5' | 'FRACL' | 'SVDOCS' | 'EXCHANGE';
}

export const ANONYMOUS_LOGON_SID = 'S-1-5-7';
export const EVERYONE_SID = 'S-1-1-0';
export const AUTHENTICATED_USERS_SID = 'S-1-5-11';
const LOCAL_SYSTEM_SID = 'S-1-5-18';
export const EXCHANGE_SID_PREFIX = 'S-1-9-1419165041-1139599005-3936102811-1022490595-';

export const LOCALIZED_NAMES: readonly LocalizedName[] = [
  { name: 'NT AUTHORITY\\ANONYMOUS LOGON', sid: ANONYMOUS_LOGON_SID, language: 'en', source: 'KB243330' },
  { name: 'ANONYMOUS LOGON', sid: ANONYMOUS_LOGON_SID, language: 'en', source: 'KB243330' },
  { name: 'Everyone', sid: EVERYONE_SID, language: 'en', source: 'KB243330' },
  {
    name: 'NT AUTHORITY\\Authenticated Users',
    sid: AUTHENTICATED_USERS_SID,
    language: 'en',
    source: 'KB243330',
  },
  { name: 'NT AUTHORITY\\SYSTEM', sid: LOCAL_SYSTEM_SID, language: 'en', source: 'SQLDOCS' },
  { name: 'NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG', sid: ANONYMOUS_LOGON_SID, language: 'de', source: 'EXD5' },
  { name: 'Jeder', sid: EVERYONE_SID, language: 'de', source: 'KB243330' },
  {
    name: 'NT-AUTORITÄT\\Authentifizierte Benutzer',
    sid: AUTHENTICATED_USERS_SID,
    language: 'de',
    source: 'EXD5',
  },
  { name: 'NT-AUTORITÄT\\SYSTEM', sid: LOCAL_SYSTEM_SID, language: 'de', source: 'SQLDOCS' },
  { name: 'AUTORITE NT\\ANONYMOUS LOGON', sid: ANONYMOUS_LOGON_SID, language: 'fr', source: 'EXD5' },
  { name: 'Tout le monde', sid: EVERYONE_SID, language: 'fr', source: 'FRACL' },
  {
    name: 'AUTORITE NT\\Utilisateurs authentifiés',
    sid: AUTHENTICATED_USERS_SID,
    language: 'fr',
    source: 'FRACL',
  },
  { name: 'AUTORITE NT\\SYSTEM', sid: LOCAL_SYSTEM_SID, language: 'fr', source: 'SQLDOCS' },
  { name: 'AUTORITE NT\\Système', sid: LOCAL_SYSTEM_SID, language: 'fr', source: 'FRACL' },
  { name: 'NT AUTHORITY\\СИСТЕМА', sid: LOCAL_SYSTEM_SID, language: 'ru', source: 'SQLDOCS' },
  { name: 'NT INSTANS\\ANONYM INLOGGNING', sid: ANONYMOUS_LOGON_SID, language: 'sv', source: 'SVDOCS' },
  { name: 'Alla', sid: EVERYONE_SID, language: 'sv', source: 'KB243330' },
  {
    name: 'NT INSTANS\\Autentiserade användare',
    sid: AUTHENTICATED_USERS_SID,
    language: 'sv',
    source: 'SVDOCS',
  },
  { name: 'NT INSTANS\\SYSTEM', sid: LOCAL_SYSTEM_SID, language: 'sv', source: 'SVDOCS' },
  // Exchange's own aliases for its SIDs, printed the same in every language (exchange-domain.md §5).
  {
    name: 'MS Exchange\\Partner Servers',
    sid: `${EXCHANGE_SID_PREFIX}10`,
    language: '*',
    source: 'EXCHANGE',
  },
  {
    name: 'MS Exchange\\Hub Transport Servers',
    sid: `${EXCHANGE_SID_PREFIX}21`,
    language: '*',
    source: 'EXCHANGE',
  },
  {
    name: 'MS Exchange\\Edge Transport Servers',
    sid: `${EXCHANGE_SID_PREFIX}22`,
    language: '*',
    source: 'EXCHANGE',
  },
  {
    name: 'MS Exchange\\Externally Secured Servers',
    sid: `${EXCHANGE_SID_PREFIX}23`,
    language: '*',
    source: 'EXCHANGE',
  },
  {
    name: 'MS Exchange\\Legacy Exchange Servers',
    sid: `${EXCHANGE_SID_PREFIX}24`,
    language: '*',
    source: 'EXCHANGE',
  },
];

/**
 * The domain part Windows prints for NT AUTHORITY principals, per language. Under such a prefix an account name
 * exrelay does not know may be ANONYMOUS LOGON in that language: it is never an organisation's account.
 */
export const NT_AUTHORITY_PREFIXES: readonly string[] = [
  'NT AUTHORITY', // KB243330; also Italian, Spanish, Russian, Chinese, Japanese, Korean (SQLDOCS)
  'NT-AUTORITÄT', // German (SQLDOCS)
  'AUTORITE NT', // French (SQLDOCS)
  'AUTORITÉ NT', // French, accented (EXD5)
  'AUTORIDAD NT', // Spanish (EXD5)
  'AUTORIDADE NT', // Portuguese (EXD5)
  'NT INSTANS', // Swedish (SVDOCS)
];

/** The domain part of BUILTIN groups (S-1-5-32-…): local groups, never ANONYMOUS LOGON. */
export const BUILTIN_PREFIXES: readonly string[] = [
  'BUILTIN', // English, French, Italian, Spanish, Russian (SQLDOCS)
  'VORDEFINIERT', // German (SQLDOCS)
];

/** Exchange's own prefix for its well-known SIDs, the same in every language. */
export const EXCHANGE_PREFIX = 'MS Exchange';

/**
 * Groups Exchange setup creates in the organisation's domain, always with these English names: its servers and
 * its interop and permission groups. They relay as part of Exchange's own mail flow (exchange-domain.md §1.2).
 */
export const EXCHANGE_GROUPS: readonly string[] = [
  'Exchange Servers',
  'Exchange Trusted Subsystem',
  'ExchangeLegacyInterop',
  'Exchange Windows Permissions',
  'Exchange Install Domain Servers',
  'Exchange Domain Servers', // Exchange 2003 and earlier, still present in migrated organisations
  'Exchange Enterprise Servers',
];

/**
 * Other groups whose domain part names a domain of the organisation: Exchange's administrators (created in
 * English) and the forest's administrator groups as an English forest names them. Not infrastructure.
 */
export const DOMAIN_GROUP_HINTS: readonly string[] = [
  'Organization Management',
  'Enterprise Admins',
  'Domain Admins',
  'Schema Admins',
];
