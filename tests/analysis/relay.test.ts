import { LOST_VALUE } from '../../src/net/ip-range.js';
import { describe, expect, it } from '@jest/globals';
import {
  ace,
  anonymousUsersGroup,
  connector,
  grant,
  RELAY,
  relayOf,
  SID,
  SUBMIT,
} from '../support/builders.js';

const SECURED = 'MS Exchange\\Externally Secured Servers';

describe('assessRelay', () => {
  it('finds anonymous relay: ANONYMOUS LOGON with Submit and Accept-Any-Recipient', () => {
    const relay = relayOf(
      connector({
        name: 'Relay',
        permissions: [...anonymousUsersGroup(), grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY)],
      }),
    );
    expect(relay).toMatchObject({
      verdict: 'relay',
      anonymous: true,
      anonymousSubmit: true,
      externallySecured: false,
    });
    expect(relay.principals).toEqual([
      {
        user: 'NT AUTHORITY\\ANONYMOUS LOGON',
        sid: 'S-1-5-7',
        wellKnown: 'anonymous',
        kind: 'well-known',
        infrastructure: false,
        inherited: false,
        source: 'extended-right',
        canSubmit: true,
        grants: [{ inherited: false, deny: false, source: 'extended-right', inheritanceType: 'None' }],
        authenticatedRelay: false,
      },
    ]);
  });

  it('finds it on a German server without SIDs', () => {
    const user = 'NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG';
    const relay = relayOf(
      connector({
        name: 'Empfang Drucker Büro',
        permissions: [...anonymousUsersGroup(user), grant(user, RELAY)],
      }),
    );
    expect(relay.verdict).toBe('relay');
  });

  it('calls anonymous submission without the relay right no-relay', () => {
    const relay = relayOf(connector({ name: 'Default Frontend EX01', permissions: anonymousUsersGroup() }));
    expect(relay).toMatchObject({
      verdict: 'no-relay',
      anonymous: false,
      anonymousSubmit: true,
      anonymousRelayLatent: false,
    });
  });

  it('calls the relay right without Submit latent, not relay', () => {
    const relay = relayOf(connector({ name: 'Odd', permissions: [grant('S-1-5-7', RELAY)] }));
    expect(relay).toMatchObject({ verdict: 'no-relay', anonymous: false, anonymousRelayLatent: true });
  });

  it('honours an explicit deny that cancels the grant', () => {
    const relay = relayOf(
      connector({
        name: 'Relay',
        permissions: [
          ...anonymousUsersGroup(),
          grant('S-1-5-7', RELAY, { deny: true }),
          grant('S-1-5-7', RELAY),
        ],
      }),
    );
    expect(relay.verdict).toBe('no-relay');
    expect(relay.unknownReasons).toEqual([]);
  });

  it('is unknown when the ACL is out of canonical order and, as listed, grants the relay rights', () => {
    // Windows evaluates the order the DACL holds: an allow listed before the deny decides there.
    const listedAllowFirst = relayOf(
      connector({
        name: 'Relay',
        permissions: [
          ...anonymousUsersGroup(),
          grant('S-1-5-7', RELAY),
          grant('S-1-5-7', RELAY, { deny: true }),
        ],
      }),
    );
    expect(listedAllowFirst.verdict).toBe('unknown');
    expect(listedAllowFirst.unknownReasons).toEqual([{ kind: 'non-canonical-acl', principal: 'anonymous' }]);
    // Out of order too, but the explicit deny decides either way (inherited entries follow explicit ones).
    const deniedEitherWay = relayOf(
      connector({
        name: 'Relay',
        permissions: [
          ...anonymousUsersGroup(),
          grant('S-1-5-7', RELAY, { inherited: true, inheritanceType: 'All' }),
          grant('S-1-5-7', RELAY, { deny: true }),
        ],
      }),
    );
    expect(deniedEitherWay.verdict).toBe('no-relay');
    const secured = relayOf(
      connector({
        name: 'Ext',
        authMechanism: ['Tls', 'ExternalAuthoritative'],
        permissions: [grant(SECURED, SUBMIT), grant(SECURED, RELAY), grant(SECURED, RELAY, { deny: true })],
      }),
    );
    expect(secured.unknownReasons).toEqual([
      { kind: 'non-canonical-acl', principal: 'externallySecuredServers' },
    ]);
    expect(secured.verdict).toBe('unknown');
  });

  it('finds externally secured relay only with ExternalAuthoritative and the secured SID holding the rights', () => {
    const permissions = [grant(SECURED, SUBMIT), grant(SECURED, RELAY)];
    const secured = relayOf(
      connector({ name: 'Ext', authMechanism: ['Tls', 'ExternalAuthoritative'], permissions }),
    );
    expect(secured).toMatchObject({
      verdict: 'relay',
      externallySecured: true,
      externallySecuredConfigured: true,
      anonymous: false,
    });

    const notConfigured = relayOf(
      connector({ name: 'Int', authMechanism: ['Tls', 'ExchangeServer'], permissions }),
    );
    expect(notConfigured).toMatchObject({ verdict: 'no-relay', externallySecured: false });

    const stripped = relayOf(
      connector({
        name: 'Ext2',
        authMechanism: ['Tls', 'ExternalAuthoritative'],
        permissions: [grant(SECURED, SUBMIT)],
      }),
    );
    expect(stripped).toMatchObject({
      verdict: 'no-relay',
      externallySecuredConfigured: true,
      externallySecured: false,
    });
  });

  it('reports Everyone and authenticated relay separately from the verdict', () => {
    const relay = relayOf(
      connector({
        name: 'Odd',
        permissions: [
          grant('Everyone', RELAY, { sid: SID.everyone }),
          grant('NT AUTHORITY\\Authenticated Users', SUBMIT),
          grant('NT AUTHORITY\\Authenticated Users', RELAY),
          ace({
            user: 'CONTOSO\\Enterprise Admins',
            accessRights: ['GenericAll'],
            inherited: true,
            inheritanceType: 'All',
          }),
        ],
      }),
    );
    expect(relay).toMatchObject({ verdict: 'no-relay', everyone: true, authenticated: true });
    expect(
      relay.principals.map((principal) => [principal.user, principal.source, principal.inherited]),
    ).toEqual([
      ['Everyone', 'extended-right', false],
      ['NT AUTHORITY\\Authenticated Users', 'extended-right', false],
      ['CONTOSO\\Enterprise Admins', 'generic-all', true],
    ]);
  });

  it('does not count full control inherited by administrators as an authenticated relay grant', () => {
    const relay = relayOf(
      connector({
        name: 'Relay',
        permissions: [
          ...anonymousUsersGroup(),
          ace({
            user: 'CONTOSO\\Enterprise Admins',
            accessRights: ['GenericAll'],
            inherited: true,
            inheritanceType: 'All',
          }),
        ],
      }),
    );
    expect(relay.authenticated).toBe(false);
    expect(relay.principals.map((principal) => principal.user)).toEqual(['CONTOSO\\Enterprise Admins']);
  });

  it('never calls a connector without ACL data safe', () => {
    const relay = relayOf(
      connector({
        name: 'Default Frontend EX01',
        permissions: null,
        permissionGroups: ['AnonymousUsers', 'ExchangeServers', 'ExchangeLegacyServers'],
      }),
    );
    expect(relay).toMatchObject({ verdict: 'unknown', anonymousSubmit: true, anonymous: false });
    expect(relay.basis).toMatch(/cannot prove/);
  });

  it('proves externally secured relay from PermissionGroups alone', () => {
    const relay = relayOf(
      connector({
        name: 'Ext',
        permissions: null,
        authMechanism: ['Tls', 'ExternalAuthoritative'],
        permissionGroups: ['ExchangeServers'],
      }),
    );
    expect(relay).toMatchObject({ verdict: 'relay', externallySecured: true });
  });

  it('names the collection error when the ACL could not be read', () => {
    const relay = relayOf(
      connector({
        name: 'X',
        permissions: null,
        permissionsError: 'Active Directory operation failed on DC01',
      }),
    );
    expect(relay.basis).toContain('Active Directory operation failed on DC01');
  });
});

describe('failing closed on principals exrelay cannot identify', () => {
  const swedish = 'NT INSTANS\\ANONYM INLOGGNING';
  const finnish = 'NT-HALLINTA\\ANONYYMI KIRJAUTUMINEN';
  const exchangeServers = grant('CONTOSO\\Exchange Servers', SUBMIT);

  it('finds relay on a Swedish server without SIDs (the issue reproducer)', () => {
    const relay = relayOf(
      connector({
        name: 'Relay',
        permissionGroups: ['AnonymousUsers', 'Custom'],
        permissions: [grant(swedish, SUBMIT), grant(swedish, RELAY)],
      }),
    );
    expect(relay).toMatchObject({ verdict: 'relay', anonymous: true, unknownReasons: [] });
  });

  it.each([
    ['by name', [grant(finnish, SUBMIT), grant(finnish, RELAY)]],
    ['through GenericAll', [ace({ user: finnish, accessRights: ['GenericAll'] })]],
    ['through ExtendedRight for every right', [ace({ user: finnish, accessRights: ['ExtendedRight'] })]],
  ])('never calls a relay grant to an unknown NT AUTHORITY name no-relay (%s)', (_how, aces) => {
    const relay = relayOf(connector({ name: 'Relay', permissions: [exchangeServers, ...aces] }));
    expect(relay.verdict).toBe('unknown');
    // Finnish is not in the built-in table, so its NT AUTHORITY prefix is not known either.
    expect(relay.unknownReasons).toEqual([
      expect.objectContaining({ kind: 'unidentified-principal', ntAuthority: false }),
    ]);
  });

  it('says when the unknown name is under a known NT AUTHORITY prefix', () => {
    const user = 'NT AUTHORITY\\SOMETHING NEW';
    const relay = relayOf(connector({ name: 'Relay', permissions: [exchangeServers, grant(user, RELAY)] }));
    expect(relay.unknownReasons).toEqual([
      expect.objectContaining({ kind: 'unidentified-principal', ntAuthority: true }),
    ]);
  });

  it('names the grant of an account of the organisation (not unknown)', () => {
    const relay = relayOf(
      connector({ name: 'Relay', permissions: [exchangeServers, grant('CONTOSO\\svc-app', RELAY)] }),
    );
    expect(relay).toMatchObject({ verdict: 'no-relay', authenticated: true, unknownReasons: [] });
  });

  it('keeps relay proven by ANONYMOUS LOGON, and lists the unidentified grant beside it', () => {
    const relay = relayOf(
      connector({
        name: 'Relay',
        permissions: [...anonymousUsersGroup(), grant('S-1-5-7', RELAY), grant(finnish, RELAY)],
      }),
    );
    expect(relay.verdict).toBe('relay');
    expect(relay.unknownReasons.map((reason) => reason.kind)).toEqual(['unidentified-principal']);
  });

  it('identifies a name learned while collecting', () => {
    const relay = relayOf(
      connector({ name: 'Relay', permissions: [grant(finnish, SUBMIT), grant(finnish, RELAY)] }),
      [],
      [{ name: finnish, sid: 'S-1-5-7', server: 'EX01' }],
    );
    expect(relay.verdict).toBe('relay');
  });

  it('is unknown when PermissionGroups has AnonymousUsers but no ACE is identified as ANONYMOUS LOGON', () => {
    const relay = relayOf(
      connector({
        name: 'Default Frontend EX01',
        permissionGroups: ['AnonymousUsers'],
        permissions: [exchangeServers, grant(finnish, SUBMIT)],
      }),
    );
    expect(relay.verdict).toBe('unknown');
    expect(relay.unknownReasons.map((reason) => reason.kind)).toEqual(['anonymous-group-without-ace']);
  });

  it('is unknown when ExternalAuthoritative is set and no ACE is identified as Externally Secured Servers', () => {
    const relay = relayOf(
      connector({
        name: 'Ext',
        authMechanism: ['Tls', 'ExternalAuthoritative'],
        permissionGroups: ['ExchangeServers'],
        permissions: [exchangeServers],
      }),
    );
    expect(relay.unknownReasons.map((reason) => reason.kind)).toEqual(['externally-secured-without-ace']);
    expect(relay.verdict).toBe('unknown');
  });

  it('is unknown when AuthMechanism holds a value no Exchange version defines (it may be ExternalAuthoritative)', () => {
    const relay = relayOf(
      connector({
        name: 'Apps',
        authMechanism: ['Tls', '64', 'ExternalAuthoritve'],
        permissionGroups: ['ExchangeServers'],
        permissions: [exchangeServers],
      }),
    );
    expect(relay.verdict).toBe('unknown');
    expect(relay.unknownReasons).toEqual([
      { kind: 'unrecognized-auth-mechanism', values: ['64', 'ExternalAuthoritve'] },
    ]);
    // A hostile export's values are quoted shortened, at most five; the reason keeps them whole.
    const hostile = ['A'.repeat(100_000), '1', '2', '3', '4', '5', '6'];
    const flooded = relayOf(
      connector({
        name: 'Apps',
        authMechanism: hostile,
        permissionGroups: [],
        permissions: [exchangeServers],
      }),
    );
    expect(flooded.unknownReasons).toEqual([{ kind: 'unrecognized-auth-mechanism', values: hostile }]);
    expect(flooded.basis).toBe(
      `AuthMechanism holds '${'A'.repeat(45)}...', '1', '2', '3', '4' and 2 more, which is no mechanism Exchange defines: it may stand for ExternalAuthoritative, which relays for every sender the connector receives.`,
    );
    // Known names in any case are not unrecognised.
    const known = relayOf(
      connector({
        name: 'Apps',
        authMechanism: ['tls', 'BASICAUTH', 'BasicAuthRequireTLS', 'Integrated', 'ExchangeServer', 'None'],
        permissionGroups: ['ExchangeServers'],
        permissions: [exchangeServers],
      }),
    );
    expect(known.verdict).toBe('no-relay');
    // An export that lost AuthMechanism (Select-Object without it): it may have held ExternalAuthoritative.
    const lost = relayOf(
      connector({
        name: 'Apps',
        authMechanism: [LOST_VALUE],
        permissionGroups: [],
        permissions: [exchangeServers],
      }),
    );
    expect(lost.verdict).toBe('unknown');
    expect(lost.basis).toBe(
      'The export lost AuthMechanism: it may include ExternalAuthoritative, which relays for every sender the connector receives.',
    );
  });
});

describe('authenticated sessions, evaluated on a logon token', () => {
  const authenticatedUsers = 'NT AUTHORITY\\Authenticated Users';
  const base = [grant('CONTOSO\\Exchange Servers', SUBMIT)];

  it('lets a deny for Everyone take the right from every account', () => {
    const relay = relayOf(
      connector({
        name: 'Odd',
        authMechanism: ['Tls', 'BasicAuth'],
        permissions: [
          ...base,
          grant(authenticatedUsers, RELAY),
          grant('CONTOSO\\svc-app', RELAY),
          grant('Everyone', RELAY, { sid: SID.everyone, deny: true }),
        ],
      }),
    );
    expect(relay).toMatchObject({ authenticated: false, everyone: false });
  });

  it("lets an explicit deny for Authenticated Users take Everyone's grant from authenticated sessions", () => {
    const relay = relayOf(
      connector({
        name: 'Odd',
        permissions: [...base, grant('Everyone', RELAY), grant(authenticatedUsers, RELAY, { deny: true })],
      }),
    );
    expect(relay.everyone).toBe(false);
  });

  it('keeps an explicit grant over an inherited deny for Everyone, as Windows orders them', () => {
    const relay = relayOf(
      connector({
        name: 'Odd',
        permissions: [
          ...base,
          grant('CONTOSO\\svc-app', RELAY),
          grant('Everyone', RELAY, { deny: true, inherited: true, inheritanceType: 'All' }),
        ],
      }),
    );
    expect(relay.authenticated).toBe(true);
  });

  it("does not call Exchange's own server and interop groups authenticated relay", () => {
    const relay = relayOf(
      connector({
        name: 'Default EX01',
        permissions: [
          grant('CONTOSO\\Exchange Servers', RELAY),
          grant('CONTOSO\\ExchangeLegacyInterop', RELAY),
          grant('MS Exchange\\Hub Transport Servers', RELAY),
        ],
      }),
    );
    expect(relay.authenticated).toBe(false);
    expect(relay.principals.every((principal) => principal.infrastructure)).toBe(true);
  });

  it('knows which AuthMechanism lets a client log on', () => {
    expect(relayOf(connector({ name: 'A', authMechanism: ['Tls'] })).authenticationOffered).toBe(false);
    expect(
      relayOf(connector({ name: 'A', authMechanism: ['Tls', 'ExchangeServer'] })).authenticationOffered,
    ).toBe(false);
    expect(
      relayOf(connector({ name: 'A', authMechanism: ['Tls', 'Integrated'] })).authenticationOffered,
    ).toBe(true);
  });
});

describe('the certificate path', () => {
  it('calls AcceptCrossForestMail for sessions without TLS relay, whatever the ACL', () => {
    const relay = relayOf(
      connector({ name: 'X', tlsDomainCapabilities: ['NO-TLS:AcceptCrossForestMail'], permissions: [] }),
    );
    expect(relay.verdict).toBe('relay');
    expect(relay.certificateRelay?.domain).toBe('NO-TLS');
  });

  it('does not call the hybrid capability relay', () => {
    const relay = relayOf(
      connector({
        name: 'Default Frontend EX01',
        tlsDomainCapabilities: ['mail.protection.outlook.com:AcceptCloudServicesMail'],
        permissions: [],
      }),
    );
    expect(relay.verdict).toBe('no-relay');
  });
});
