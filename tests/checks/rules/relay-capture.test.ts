import { relayCapture } from '../../../src/checks/relay-capture.js';
import { connector } from '../../support/builders.js';
import { ruleTester } from '../rule-tester.js';
import { defaultFrontend, relayConnector } from './fixtures.js';

ruleTester(relayCapture, {
  valid: [
    {
      name: 'a connector without relay taking senders',
      connectors: [
        defaultFrontend,
        connector({ name: 'Servers', remoteIPRanges: ['10.1.0.0/16'], permissions: [] }),
      ],
    },
    {
      name: 'a relay connector on another port takes nothing from port 25',
      connectors: [defaultFrontend, relayConnector(['10.1.0.0/16'], { bindings: ['0.0.0.0:2526'] })],
    },
  ],
  invalid: [
    {
      name: 'a /16 taken from Default Frontend',
      connectors: [defaultFrontend, relayConnector(['10.20.0.0/16'], { name: 'App Relay' })],
      errors: [
        {
          messageId: 'many-senders',
          severity: 'low',
          connector: 'EX01\\App Relay',
          subject: 'EX01\\Default Frontend EX01 port 25 IPv4',
          data: {
            from: 'EX01\\Default Frontend EX01',
            addresses: '65536',
            ranges: ['10.20.0.0/16'],
            server: 'EX01',
            transportRole: 'FrontendTransport',
            port: 25,
            family: 'IPv4',
          },
        },
      ],
    },
    {
      name: 'two printers',
      connectors: [defaultFrontend, relayConnector(['10.10.20.31', '10.10.20.32'])],
      errors: [{ messageId: 'few-senders', severity: 'info', data: { addresses: '2' } }],
    },
  ],
});
