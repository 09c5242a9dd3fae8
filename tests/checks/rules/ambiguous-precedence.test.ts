import { ambiguousPrecedence } from '../../../src/checks/ambiguous-precedence.js';
import { connector } from '../../support/builders.js';
import { ruleTester } from '../rule-tester.js';
import { defaultFrontend, relayConnector } from './fixtures.js';

const scanner = (remoteIPRanges: string[]) =>
  connector({ name: 'Scanner Finance', remoteIPRanges, permissions: [] });

ruleTester(ambiguousPrecedence, {
  valid: [
    {
      name: 'nested ranges are not a tie',
      connectors: [defaultFrontend, relayConnector(['10.0.0.0/8']), scanner(['10.1.0.0/16'])],
    },
    {
      name: 'a specific binding beats the wildcard on equal size',
      connectors: [relayConnector(['10.1.0.0/16'], { bindings: ['10.0.0.5:25'] }), scanner(['10.1.0.0/16'])],
    },
  ],
  invalid: [
    {
      name: 'a relay connector tied with another',
      connectors: [
        defaultFrontend,
        relayConnector(['10.10.90.0/24', '10.10.20.31']),
        scanner(['10.10.90.0/24']),
      ],
      errors: [
        {
          messageId: 'tie-relay',
          severity: 'medium',
          connector: 'EX01\\Relay',
          subject: 'EX01\\Scanner Finance port 25 IPv4',
          data: {
            other: 'EX01\\Scanner Finance',
            addresses: '256',
            ranges: ['10.10.90.0/24'],
            port: 25,
            family: 'IPv4',
          },
          fix: true,
        },
      ],
    },
    {
      name: 'two connectors without relay',
      connectors: [
        scanner(['10.10.90.0/24']),
        { ...scanner(['10.10.90.0/24']), name: 'Copy', identity: 'EX01\\Copy' },
      ],
      errors: [{ messageId: 'tie', severity: 'low', connector: 'EX01\\Scanner Finance' }],
    },
  ],
});
