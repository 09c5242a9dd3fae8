import { anonymousRelay } from '../../../src/checks/anonymous-relay.js';
import { grant, RELAY, SID } from '../../support/builders.js';
import { LOST_VALUE } from '../../../src/net/ip-range.js';
import { ruleTester } from '../rule-tester.js';
import { ANONYMOUS, defaultFrontend, relayConnector } from './fixtures.js';

ruleTester(anonymousRelay, {
  valid: [
    { name: 'Default Frontend as installed', connectors: [defaultFrontend] },
    {
      name: 'anonymous relay on a default connector belongs to default-connector-relay',
      connectors: [
        {
          ...defaultFrontend,
          permissions: [...(defaultFrontend.permissions ?? []), grant(ANONYMOUS, RELAY)],
        },
      ],
    },
    {
      name: 'a relay connector without the relay right',
      connectors: [
        defaultFrontend,
        relayConnector(['10.0.0.0/8'], { permissions: defaultFrontend.permissions }),
      ],
    },
  ],
  invalid: [
    {
      name: 'public addresses',
      connectors: [defaultFrontend, relayConnector(['185.40.12.0/24'])],
      errors: [
        {
          messageId: 'public',
          severity: 'critical',
          connector: 'EX01\\Relay',
          subject: SID.anonymous,
          data: { addresses: '256', publicAddresses: '256', ranges: ['185.40.12.0/24'], latent: null },
          fix: true,
        },
      ],
    },
    {
      name: 'a private /16',
      connectors: [defaultFrontend, relayConnector(['10.20.0.0/16'])],
      errors: [
        { messageId: 'network', severity: 'high', data: { addresses: '65536', publicAddresses: '0' } },
      ],
    },
    {
      name: 'three single hosts',
      connectors: [defaultFrontend, relayConnector(['10.10.20.31', '10.10.20.32', '10.10.20.45'])],
      errors: [
        {
          messageId: 'few-hosts',
          severity: 'low',
          data: { hosts: ['10.10.20.31', '10.10.20.32', '10.10.20.45'] },
          fix: false,
        },
      ],
    },
    {
      name: 'twelve single hosts',
      connectors: [
        defaultFrontend,
        relayConnector(Array.from({ length: 12 }, (_, index) => `10.10.20.${index + 1}`)),
      ],
      errors: [{ messageId: 'many-hosts', severity: 'medium', fix: false }],
    },
    {
      name: 'a disabled connector',
      connectors: [defaultFrontend, relayConnector(['0.0.0.0/0'], { enabled: false })],
      errors: [{ messageId: 'latent', severity: 'low', data: { latent: 'disabled' }, fix: true }],
    },
    {
      name: 'an exact tie lost only to AD order keeps its live severity',
      connectors: [
        defaultFrontend,
        relayConnector(['10.10.90.0/24'], { name: 'Scanner Finance', permissions: [] }),
        relayConnector(['10.10.90.0/24']),
      ],
      errors: [
        {
          messageId: 'network',
          severity: 'medium',
          data: { latent: null, addresses: '256', tiedAddresses: '256' },
        },
      ],
    },
    {
      // An export that lost RemoteIPRanges (Export-Csv's type name, a null property) read as a grant that
      // receives no mail today: low, and counted as latent, for what may be an open relay.
      name: 'every range lost by the export: what it receives is unknown, at least high, never latent',
      connectors: [defaultFrontend, relayConnector([LOST_VALUE])],
      errors: [{ messageId: 'unreadable-scope', severity: 'high', data: { latent: null }, fix: false }],
    },
    {
      name: 'no entry parses',
      connectors: [defaultFrontend, relayConnector(['10.10.70.300', 'printer.contoso.com'])],
      errors: [{ messageId: 'unreadable-scope', severity: 'high', data: { latent: null } }],
    },
    {
      name: 'IPv6 entries only on an IPv4 binding: no usable range',
      connectors: [defaultFrontend, relayConnector(['fd00::/64'])],
      errors: [{ messageId: 'latent', severity: 'low', data: { latent: 'no-usable-range' } }],
    },
    {
      name: 'every address received by more specific connectors',
      connectors: [
        defaultFrontend,
        relayConnector(['10.0.0.0/24'], { name: 'Low', permissions: [] }),
        relayConnector(['10.0.1.0/24'], { name: 'High', permissions: [] }),
        relayConnector(['10.0.0.0/23']),
      ],
      errors: [{ messageId: 'latent', severity: 'low', data: { latent: 'shadowed' } }],
    },
    {
      name: 'the relay right without Submit',
      connectors: [
        defaultFrontend,
        relayConnector(['10.0.0.0/8'], { permissions: [grant(ANONYMOUS, RELAY)] }),
      ],
      errors: [{ messageId: 'latent', severity: 'low', data: { latent: 'no-submit' } }],
    },
  ],
});
