import { anonymousSubmit } from '../../../src/checks/anonymous-submit.js';
import { ruleTester } from '../rule-tester.js';
import { defaultFrontend, relayConnector } from './fixtures.js';

ruleTester(anonymousSubmit, {
  valid: [
    {
      name: 'an unread ACL is not "no relay"',
      connectors: [{ ...defaultFrontend, permissions: null, permissionGroups: ['AnonymousUsers'] }],
    },
    { name: 'anonymous relay is reported by the relay checks', connectors: [relayConnector(['10.1.1.1'])] },
    { name: 'a disabled connector receives nothing', connectors: [{ ...defaultFrontend, enabled: false }] },
  ],
  invalid: [
    {
      name: 'Default Frontend as installed',
      connectors: [defaultFrontend],
      errors: [
        {
          messageId: 'submit',
          severity: 'info',
          connector: 'EX01\\Default Frontend EX01',
          subject: null,
          data: { addresses: '340282366920938463463374607436063178752' },
          fix: false,
        },
      ],
    },
  ],
});
