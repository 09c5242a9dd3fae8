import { describe, expect, it } from '@jest/globals';
import { assessRelay } from '../../src/analysis/relay.js';
import { ace, anonymousUsersGroup, connector, grant, RELAY, SID, SUBMIT } from '../support/builders.js';

const SECURED = 'MS Exchange\\Externally Secured Servers';

describe('assessRelay', () => {
  it('finds anonymous relay: ANONYMOUS LOGON with Submit and Accept-Any-Recipient', () => {
    const relay = assessRelay(
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
        sid: null,
        wellKnown: 'anonymous',
        inherited: false,
        source: 'extended-right',
        canSubmit: true,
      },
    ]);
  });

  it('finds it on a German server without SIDs', () => {
    const user = 'NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG';
    const relay = assessRelay(
      connector({
        name: 'Empfang Drucker Büro',
        permissions: [...anonymousUsersGroup(user), grant(user, RELAY)],
      }),
    );
    expect(relay.verdict).toBe('relay');
  });

  it('calls anonymous submission without the relay right no-relay', () => {
    const relay = assessRelay(
      connector({ name: 'Default Frontend EX01', permissions: anonymousUsersGroup() }),
    );
    expect(relay).toMatchObject({
      verdict: 'no-relay',
      anonymous: false,
      anonymousSubmit: true,
      anonymousRelayLatent: false,
    });
  });

  it('calls the relay right without Submit latent, not relay', () => {
    const relay = assessRelay(connector({ name: 'Odd', permissions: [grant('S-1-5-7', RELAY)] }));
    expect(relay).toMatchObject({ verdict: 'no-relay', anonymous: false, anonymousRelayLatent: true });
  });

  it('honours an explicit deny that cancels the grant', () => {
    const relay = assessRelay(
      connector({
        name: 'Relay',
        permissions: [
          ...anonymousUsersGroup(),
          grant('S-1-5-7', RELAY),
          grant('S-1-5-7', RELAY, { deny: true }),
        ],
      }),
    );
    expect(relay.verdict).toBe('no-relay');
  });

  it('finds externally secured relay only with ExternalAuthoritative and the secured SID holding the rights', () => {
    const permissions = [grant(SECURED, SUBMIT), grant(SECURED, RELAY)];
    const secured = assessRelay(
      connector({ name: 'Ext', authMechanism: ['Tls', 'ExternalAuthoritative'], permissions }),
    );
    expect(secured).toMatchObject({
      verdict: 'relay',
      externallySecured: true,
      externallySecuredConfigured: true,
      anonymous: false,
    });

    const notConfigured = assessRelay(
      connector({ name: 'Int', authMechanism: ['Tls', 'ExchangeServer'], permissions }),
    );
    expect(notConfigured).toMatchObject({ verdict: 'no-relay', externallySecured: false });

    const stripped = assessRelay(
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
    const relay = assessRelay(
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
    const relay = assessRelay(
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
    const relay = assessRelay(
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
    const relay = assessRelay(
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
    const relay = assessRelay(
      connector({
        name: 'X',
        permissions: null,
        permissionsError: 'Active Directory operation failed on DC01',
      }),
    );
    expect(relay.basis).toContain('Active Directory operation failed on DC01');
  });
});
