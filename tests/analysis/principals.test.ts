import { describe, expect, it } from '@jest/globals';
import { principalDirectory, wellKnownSid } from '../../src/analysis/principals.js';
import { LOCALIZED_NAMES } from '../../src/analysis/principal-names.js';
import { ace, connector, grant, RELAY, SID } from '../support/builders.js';

/** A directory learned from one connector's ACL. */
function directory(
  aces: Parameters<typeof ace>[0][] = [],
  principalNames: { name: string; sid: string; server: string | null }[] = [],
) {
  return principalDirectory({
    connectors: [connector({ name: 'R', permissions: aces.map(ace) })],
    principalNames,
  });
}

const empty = directory();

describe('identifying principals', () => {
  it.each([
    ['NT AUTHORITY\\ANONYMOUS LOGON'],
    ['nt authority\\anonymous logon'],
    ['NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG'],
    ['AUTORITE NT\\ANONYMOUS LOGON'],
    ['NT INSTANS\\ANONYM INLOGGNING'],
    ['S-1-5-7'],
  ])('recognises %s as ANONYMOUS LOGON', (name) => {
    expect(empty.identify(name, null)).toMatchObject({
      kind: 'well-known',
      wellKnown: 'anonymous',
      key: SID.anonymous,
    });
  });

  it('recognises German text in decomposed Unicode (NFD) as well', () => {
    expect(empty.identify('NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG'.normalize('NFD'), null).wellKnown).toBe(
      'anonymous',
    );
  });

  it('trusts the SID over the printed name', () => {
    expect(empty.identify('Some Renamed Group', SID.externallySecured).wellKnown).toBe(
      'externallySecuredServers',
    );
    expect(empty.identify('NT AUTHORITY\\ANONYMOUS LOGON', 'S-1-5-21-1-2-3-1105')).toMatchObject({
      kind: 'account',
      wellKnown: null,
    });
  });

  it.each([
    ['Everyone', 'everyone'],
    ['Jeder', 'everyone'],
    ['Alla', 'everyone'],
    ['NT AUTHORITY\\Authenticated Users', 'authenticatedUsers'],
    ['NT-AUTORITÄT\\Authentifizierte Benutzer', 'authenticatedUsers'],
    ['AUTORITE NT\\Utilisateurs authentifiés', 'authenticatedUsers'],
    ['MS Exchange\\Externally Secured Servers', 'externallySecuredServers'],
    ['MS Exchange\\Hub Transport Servers', 'hubTransportServers'],
  ])('recognises %s', (name, expected) => {
    expect(empty.identify(name, null).wellKnown).toBe(expected);
  });

  it('names every entry of the built-in table with a source', () => {
    for (const entry of LOCALIZED_NAMES)
      expect(entry.source).toMatch(/^(KB243330|SQLDOCS|EXD5|FRACL|SVDOCS|EXCHANGE)$/);
  });
});

describe('failing closed on names it cannot identify', () => {
  it('leaves an account of an unknown domain unidentified', () => {
    expect(empty.identify('CONTOSO\\svc-scanner', null)).toMatchObject({
      kind: 'unidentified',
      wellKnown: null,
    });
  });

  it("learns the organisation's domain from Exchange's own groups and from domain SIDs", () => {
    const byGroup = directory([{ user: 'CONTOSO\\Exchange Servers' }]);
    expect(byGroup.identify('CONTOSO\\svc-scanner', null)).toMatchObject({
      kind: 'account',
      key: 'contoso\\svc-scanner',
    });
    expect(byGroup.identify('CONTOSO\\Exchange Servers', null)).toMatchObject({
      kind: 'account',
      infrastructure: true,
    });
    const bySid = directory([{ user: 'FABRIKAM\\jdoe', sid: 'S-1-5-21-1-2-3-1105' }]);
    expect(bySid.identify('FABRIKAM\\svc-mail', null).kind).toBe('account');
  });

  it('never takes an NT AUTHORITY prefix, known or learned from a SID, for an organisation domain', () => {
    const forged = directory([
      { user: 'NT INSTANS\\Exchange Servers' },
      { user: 'NT-HALLINTA\\SYSTEM', sid: 'S-1-5-18' },
      { user: 'NT-HALLINTA\\Exchange Servers' },
    ]);
    expect(forged.identify('NT INSTANS\\SOMETHING', null).kind).toBe('unidentified');
    expect(forged.identify('NT-HALLINTA\\ANONYYMI KIRJAUTUMINEN', null).kind).toBe('unidentified');
    expect(forged.isNtAuthorityName('NT-HALLINTA\\ANONYYMI KIRJAUTUMINEN')).toBe(true);
  });

  it('leaves unknown NT AUTHORITY accounts, unknown prefixes and names without prefix unidentified', () => {
    const org = directory([{ user: 'CONTOSO\\Exchange Servers' }]);
    for (const name of ['NT AUTHORITY\\SOMETHING NEW', 'NT-VIRANOMAINEN\\X', 'Todos'])
      expect(org.identify(name, null).kind).toBe('unidentified');
    expect(org.isNtAuthorityName('NT AUTHORITY\\SOMETHING NEW')).toBe(true);
  });

  it('knows BUILTIN groups and Exchange aliases are not ANONYMOUS LOGON', () => {
    expect(empty.identify('VORDEFINIERT\\Administratoren', null).kind).toBe('account');
    expect(empty.identify('MS Exchange\\Some Future Alias', null).kind).toBe('account');
  });

  it('identifies names learned while collecting or given with --principal', () => {
    const learned = directory(
      [],
      [{ name: 'NT-HALLINTA\\ANONYYMI KIRJAUTUMINEN', sid: 'S-1-5-7', server: 'EX01' }],
    );
    expect(learned.identify('nt-hallinta\\anonyymi kirjautuminen', null).wellKnown).toBe('anonymous');
    expect(learned.isNtAuthorityName('NT-HALLINTA\\KAIKKI')).toBe(true);
  });

  it('keys unidentified names apart from accounts of the same spelling', () => {
    expect(empty.identify('X\\y', null).key).toBe('unidentified:x\\y');
  });

  it('gives SIDs for remediation commands', () => {
    expect(wellKnownSid('anonymous')).toBe('S-1-5-7');
    expect(wellKnownSid('everyone')).toBe('S-1-1-0');
  });

  it('uses the relay grant only to find principals, not to name them', () => {
    expect(directory([grant('CONTOSO\\Exchange Servers', RELAY)]).identify('CONTOSO\\app', null).kind).toBe(
      'account',
    );
  });
});
