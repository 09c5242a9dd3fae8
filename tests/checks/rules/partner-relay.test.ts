import { partnerRelay } from '../../../src/checks/partner-relay.js';
import { connector, grant, RELAY, SID, SUBMIT } from '../../support/builders.js';
import { ruleTester } from '../rule-tester.js';

const PARTNER = 'MS Exchange\\Partner Servers';
const PARTNER_SID = 'S-1-9-1419165041-1139599005-3936102811-1022490595-10';
/** The Partners permission group as Exchange writes it (exchange-domain.md §1.2). */
const partnersGroup = [
  grant(PARTNER, SUBMIT, { sid: PARTNER_SID }),
  grant(PARTNER, 'ms-Exch-Accept-Headers-Routing', { sid: PARTNER_SID }),
];

const edge = (extra: Partial<Parameters<typeof connector>[0]> = {}) =>
  connector({
    name: 'Default internal receive connector EDGE01',
    server: 'EDGE01',
    authMechanism: ['Tls', 'ExchangeServer'],
    permissionGroups: ['ExchangeServers', 'Partners', 'Custom'],
    permissions: [...partnersGroup, grant(PARTNER, RELAY, { sid: PARTNER_SID })],
    ...extra,
  });

ruleTester(partnerRelay, {
  valid: [
    {
      name: 'the Partners permission group as Exchange writes it',
      connectors: [edge({ permissions: partnersGroup })],
    },
    {
      name: "Exchange's own servers hold the relay right",
      connectors: [
        edge({
          permissions: [
            ...partnersGroup,
            grant('MS Exchange\\Hub Transport Servers', RELAY, { sid: SID.hubTransport }),
          ],
        }),
      ],
    },
    {
      name: 'a deny takes the added right away',
      connectors: [
        edge({
          permissions: [
            grant(PARTNER, RELAY, { sid: PARTNER_SID, deny: true }),
            ...partnersGroup,
            grant(PARTNER, RELAY, { sid: PARTNER_SID }),
          ],
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'added for Partner Servers on a connector that offers Tls: low',
      connectors: [edge()],
      errors: [
        {
          messageId: 'live',
          severity: 'low',
          connector: 'EDGE01\\Default internal receive connector EDGE01',
          subject: PARTNER_SID,
          data: { latent: null, inherited: false, addresses: '4294967296' },
        },
      ],
    },
    {
      name: 'printed by name only, inherited from a container',
      connectors: [
        edge({
          permissions: [...partnersGroup, grant(PARTNER, RELAY, { inherited: true, inheritanceType: 'All' })],
        }),
      ],
      errors: [{ messageId: 'live', severity: 'low', data: { inherited: true } }],
    },
    {
      name: 'no Tls: no partner can authenticate',
      connectors: [edge({ authMechanism: ['ExchangeServer'] })],
      errors: [{ messageId: 'latent', severity: 'info', data: { latent: 'no-tls' } }],
    },
    {
      name: 'the relay right without Submit: partners cannot send',
      connectors: [edge({ permissions: [grant(PARTNER, RELAY, { sid: PARTNER_SID })] })],
      errors: [{ messageId: 'latent', severity: 'info', data: { latent: 'no-submit' } }],
    },
    {
      name: 'a disabled connector',
      connectors: [edge({ enabled: false })],
      errors: [{ messageId: 'latent', severity: 'info', data: { latent: 'disabled' } }],
    },
  ],
});
