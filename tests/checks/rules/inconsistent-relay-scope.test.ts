import { inconsistentRelayScope } from '../../../src/checks/inconsistent-relay-scope.js';
import { ruleTester } from '../rule-tester.js';
import { relayConnector } from './fixtures.js';

const copy = (server: string, remoteIPRanges: string[]) =>
  relayConnector(remoteIPRanges, { name: 'Relay Printers', server });

ruleTester(inconsistentRelayScope, {
  valid: [
    {
      name: 'the same scope on both servers',
      connectors: [copy('EX01', ['10.1.1.1']), copy('EX02', ['10.1.1.1'])],
    },
    { name: 'one server only', connectors: [copy('EX01', ['10.1.1.1'])] },
  ],
  invalid: [
    {
      name: 'a copy widened to a /24',
      connectors: [copy('EX01', ['10.10.20.31']), copy('EX02', ['10.10.20.0/24'])],
      errors: [
        {
          messageId: 'drift',
          severity: 'low',
          connector: 'EX02\\Relay Printers',
          subject: null,
          data: {
            name: 'Relay Printers',
            reference: 'EX01\\Relay Printers',
            copies: [
              { identity: 'EX01\\Relay Printers', addresses: '1' },
              { identity: 'EX02\\Relay Printers', addresses: '256' },
            ],
          },
          fix: true,
        },
      ],
    },
    {
      name: 'every copy public',
      connectors: [copy('EX01', ['94.130.88.1']), copy('EX02', ['94.130.88.0/25'])],
      errors: [{ messageId: 'drift-all-public', severity: 'low' }],
    },
  ],
});
