import { shadowedRelayScope } from '../../../src/checks/shadowed-relay-scope.js';
import { connector } from '../../support/builders.js';
import { ruleTester } from '../rule-tester.js';
import { defaultFrontend, relayConnector } from './fixtures.js';

const servers = connector({ name: 'Servers', remoteIPRanges: ['10.1.0.0/16'], permissions: [] });

ruleTester(shadowedRelayScope, {
  valid: [
    {
      name: 'an exact tie is not shadowing: ambiguous-precedence reports it',
      connectors: [
        defaultFrontend,
        connector({ name: 'Scanner', remoteIPRanges: ['10.1.0.0/16'], permissions: [] }),
        relayConnector(['10.1.0.0/16']),
      ],
    },
    {
      name: 'a relay scope nobody else claims',
      connectors: [defaultFrontend, relayConnector(['10.0.0.0/8'])],
    },
    {
      name: 'a connector without relay that is shadowed',
      connectors: [
        defaultFrontend,
        servers,
        connector({ name: 'Wide', remoteIPRanges: ['10.0.0.0/8'], permissions: [] }),
      ],
    },
  ],
  invalid: [
    {
      name: 'part of a relay scope received by a more specific connector',
      connectors: [defaultFrontend, servers, relayConnector(['10.0.0.0/8'])],
      errors: [
        {
          messageId: 'shadowed',
          severity: 'info',
          connector: 'EX01\\Relay',
          subject: null,
          data: { addresses: '65536', ranges: ['10.1.0.0/16'], winners: ['EX01\\Servers'] },
        },
      ],
    },
    {
      // On 10.9.9.9 the bound connectors win their /24s; on every other local address 'Wide' wins the whole /16:
      // the winners' sets overlap, and every connector that takes part of the relay scope is named.
      name: 'a relay scope taken on a specific local address by connectors whose sets overlap a wider one',
      connectors: [
        defaultFrontend,
        connector({ name: 'Wide', remoteIPRanges: ['10.1.0.0/16'], permissions: [] }),
        connector({
          name: 'Bound A',
          remoteIPRanges: ['10.1.5.0/24'],
          bindings: ['10.9.9.9:25'],
          permissions: [],
        }),
        connector({
          name: 'Bound B',
          remoteIPRanges: ['10.1.200.0/24'],
          bindings: ['10.9.9.9:25'],
          permissions: [],
        }),
        relayConnector(['10.1.200.7', '10.0.0.0/8']),
      ],
      errors: [
        {
          messageId: 'shadowed',
          severity: 'info',
          connector: 'EX01\\Relay',
          subject: null,
          data: {
            addresses: '65535',
            ranges: ['10.1.0.0-10.1.200.6', '10.1.200.8-10.1.255.255'],
            winners: ['EX01\\Wide', 'EX01\\Bound A', 'EX01\\Bound B'],
          },
        },
      ],
    },
  ],
});
