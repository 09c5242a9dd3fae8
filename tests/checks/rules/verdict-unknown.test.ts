import { verdictUnknown } from '../../../src/checks/verdict-unknown.js';
import { anonymousUsersGroup, connector, grant, RELAY, SUBMIT } from '../../support/builders.js';
import { LOST_VALUE } from '../../../src/net/ip-range.js';
import { ruleTester } from '../rule-tester.js';
import { defaultFrontend } from './fixtures.js';

const archive = (extra: Partial<Parameters<typeof connector>[0]> = {}) =>
  connector({
    name: 'Relay Archive',
    remoteIPRanges: ['10.10.95.20'],
    permissionGroups: ['AnonymousUsers', 'Custom'],
    permissions: null,
    ...extra,
  });

ruleTester(verdictUnknown, {
  valid: [
    { name: 'the ACL was read', connectors: [defaultFrontend] },
    {
      name: 'an account of the organisation holds the relay right',
      connectors: [
        archive({
          permissionGroups: [],
          permissions: [grant('CONTOSO\\Exchange Servers', SUBMIT), grant('CONTOSO\\svc-app', RELAY)],
        }),
      ],
    },
    {
      name: 'the Swedish ANONYMOUS LOGON is known: relay, not unknown',
      connectors: [
        archive({
          permissions: [
            grant('NT INSTANS\\ANONYM INLOGGNING', SUBMIT),
            grant('NT INSTANS\\ANONYM INLOGGNING', RELAY),
          ],
        }),
      ],
    },
    {
      name: 'ExternalAuthoritative with ExchangeServers proves relay without the ACL',
      connectors: [
        archive({ authMechanism: ['Tls', 'ExternalAuthoritative'], permissionGroups: ['ExchangeServers'] }),
      ],
    },
    {
      name: 'ANONYMOUS LOGON also holds a right that is plainly not a transport right (Send-As)',
      connectors: [
        archive({
          permissions: [...anonymousUsersGroup(), grant('NT AUTHORITY\\ANONYMOUS LOGON', 'Send-As')],
        }),
      ],
    },
    {
      name: 'an unresolved right beside relay that is proven already: relay, not unknown',
      connectors: [
        archive({
          permissions: [
            ...anonymousUsersGroup(),
            grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY),
            grant('NT AUTHORITY\\ANONYMOUS LOGON', '5bcf4f0b-5c11-4a63-9c2d-6f0e8a1d3b27'),
          ],
        }),
      ],
    },
    {
      name: 'an account of the organisation with an unresolved right: it relays only after AUTH',
      connectors: [
        archive({
          permissionGroups: ['Custom'],
          // Exchange's own group tells exrelay that CONTOSO is the organisation's domain.
          permissions: [
            grant('CONTOSO\\Exchange Servers', SUBMIT),
            grant('CONTOSO\\svc-app', '5bcf4f0b-5c11-4a63-9c2d-6f0e8a1d3b27'),
          ],
        }),
      ],
    },
    {
      name: 'Externally Secured Servers with an unresolved right, without ExternalAuthoritative',
      connectors: [
        archive({
          permissionGroups: ['ExchangeServers'],
          permissions: [
            grant('MS Exchange\\Externally Secured Servers', SUBMIT),
            grant('MS Exchange\\Externally Secured Servers', 'ms-Exch-SMTP-Accept-Any-Recipent'),
          ],
        }),
      ],
    },
    {
      name: 'a deny naming an unresolved right takes nothing it could hide from a no-relay verdict',
      connectors: [
        archive({
          permissions: [
            grant('NT AUTHORITY\\ANONYMOUS LOGON', '5bcf4f0b-5c11-4a63-9c2d-6f0e8a1d3b27', { deny: true }),
            ...anonymousUsersGroup(),
          ],
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'no ACL in the input',
      connectors: [archive()],
      errors: [
        {
          messageId: 'no-acl',
          severity: 'medium',
          connector: 'EX01\\Relay Archive',
          subject: null,
          data: { enabled: true },
        },
      ],
    },
    {
      name: 'a disabled connector without ACL',
      connectors: [archive({ enabled: false })],
      errors: [{ messageId: 'no-acl', severity: 'low', data: { enabled: false } }],
    },
    {
      name: 'an NT AUTHORITY name in a language exrelay does not know holds the relay right',
      connectors: [
        archive({
          remoteIPRanges: ['0.0.0.0-255.255.255.255'],
          permissions: [
            grant('CONTOSO\\Exchange Servers', SUBMIT),
            grant('NT-HALLINTA\\ANONYYMI KIRJAUTUMINEN', SUBMIT),
            grant('NT-HALLINTA\\ANONYYMI KIRJAUTUMINEN', RELAY),
          ],
        }),
      ],
      errors: [
        {
          messageId: 'unidentified-principal',
          severity: 'critical',
          subject: 'NT-HALLINTA\\ANONYYMI KIRJAUTUMINEN',
          data: { user: 'NT-HALLINTA\\ANONYYMI KIRJAUTUMINEN', rights: ['extended-right'], canSubmit: true },
          fix: true,
        },
        {
          messageId: 'anonymous-group-without-ace',
          severity: 'critical',
          subject: 'S-1-5-7',
          fix: true,
        },
      ],
    },
    {
      name: 'ExternalAuthoritative without any ACE for Externally Secured Servers',
      connectors: [
        archive({
          authMechanism: ['Tls', 'ExternalAuthoritative'],
          permissionGroups: ['ExchangeServers'],
          permissions: [grant('CONTOSO\\Exchange Servers', SUBMIT)],
        }),
      ],
      errors: [{ messageId: 'externally-secured-without-ace', severity: 'medium' }],
    },
    {
      name: 'the ACL, as listed, grants ANONYMOUS LOGON relay that canonical order denies',
      connectors: [
        archive({
          permissions: [
            grant('NT AUTHORITY\\ANONYMOUS LOGON', SUBMIT, { sid: 'S-1-5-7' }),
            grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY, { sid: 'S-1-5-7' }),
            grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY, { sid: 'S-1-5-7', deny: true }),
          ],
        }),
      ],
      errors: [{ messageId: 'non-canonical-acl', severity: 'medium', data: { principal: 'anonymous' } }],
    },
    {
      name: 'AuthMechanism holds a value that is no mechanism',
      connectors: [
        archive({
          authMechanism: ['Tls', '96'],
          permissionGroups: ['ExchangeServers'],
          permissions: [grant('CONTOSO\\Exchange Servers', SUBMIT)],
        }),
      ],
      errors: [{ messageId: 'unrecognized-auth-mechanism', severity: 'medium', data: { values: ['96'] } }],
    },
    {
      // Export-Csv's type name, or ConvertTo-Json's entry without its domain: it may be
      // NO-TLS:AcceptCrossForestMail, relay for every session, whatever the ACL says.
      name: 'a TlsDomainCapabilities entry the export lost, beside an ACL that grants no relay',
      connectors: [
        archive({
          permissionGroups: ['ExchangeServers'],
          permissions: [grant('CONTOSO\\Exchange Servers', SUBMIT)],
          tlsDomainCapabilities: [LOST_VALUE],
        }),
      ],
      errors: [{ messageId: 'lost-tls-capability', severity: 'medium', data: { enabled: true } }],
    },
    {
      name: 'the ACL could not be read',
      connectors: [archive({ permissionsError: 'Get-ADPermission: Access is denied.' })],
      errors: [
        {
          messageId: 'acl-error',
          severity: 'medium',
          data: { reason: 'Get-ADPermission: Access is denied.' },
        },
      ],
    },
    {
      name: 'ANONYMOUS LOGON holds a right printed as a GUID (the server could not name it)',
      connectors: [
        archive({
          permissions: [
            ...anonymousUsersGroup(),
            grant('NT AUTHORITY\\ANONYMOUS LOGON', '{5BCF4F0B-5C11-4A63-9C2D-6F0E8A1D3B27}', {
              sid: 'S-1-5-7',
            }),
          ],
        }),
      ],
      errors: [
        {
          messageId: 'unresolved-extended-right',
          severity: 'medium',
          subject: 'S-1-5-7',
          data: {
            enabled: true,
            user: 'NT AUTHORITY\\ANONYMOUS LOGON',
            principal: 'anonymous',
            rights: ['{5BCF4F0B-5C11-4A63-9C2D-6F0E8A1D3B27}'],
          },
        },
      ],
    },
    {
      name: 'the relay right padded with a space, on a connector the Internet reaches: critical',
      connectors: [
        archive({
          remoteIPRanges: ['0.0.0.0-255.255.255.255'],
          permissions: [...anonymousUsersGroup(), grant('NT AUTHORITY\\ANONYMOUS LOGON', `${RELAY} `)],
        }),
      ],
      errors: [
        {
          messageId: 'unresolved-extended-right',
          severity: 'critical',
          data: { principal: 'anonymous', rights: [`${RELAY} `] },
        },
      ],
    },
    {
      name: 'Externally Secured Servers hold a misspelt relay right, with ExternalAuthoritative',
      connectors: [
        archive({
          authMechanism: ['Tls', 'ExternalAuthoritative'],
          permissionGroups: ['Custom'],
          permissions: [
            grant('MS Exchange\\Externally Secured Servers', SUBMIT),
            grant('MS Exchange\\Externally Secured Servers', 'ms-Exch-SMTP-Accept-Any-Recipent'),
          ],
        }),
      ],
      errors: [
        {
          messageId: 'unresolved-extended-right',
          severity: 'medium',
          data: { principal: 'externallySecuredServers', rights: ['ms-Exch-SMTP-Accept-Any-Recipent'] },
        },
      ],
    },
    {
      name: 'a principal exrelay cannot identify holds Submit and an unresolved right',
      connectors: [
        archive({
          permissionGroups: ['Custom'],
          permissions: [
            grant('NT-HALLINTA\\ANONYYMI KIRJAUTUMINEN', SUBMIT),
            grant('NT-HALLINTA\\ANONYYMI KIRJAUTUMINEN', ''),
          ],
        }),
      ],
      errors: [
        {
          messageId: 'unresolved-extended-right',
          severity: 'medium',
          subject: 'NT-HALLINTA\\ANONYYMI KIRJAUTUMINEN',
          data: { user: 'NT-HALLINTA\\ANONYYMI KIRJAUTUMINEN', principal: null, rights: [''] },
        },
      ],
    },
  ],
});
