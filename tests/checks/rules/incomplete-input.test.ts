import { incompleteInput } from '../../../src/checks/incomplete-input.js';
import { ruleTester } from '../rule-tester.js';
import { defaultFrontend } from './fixtures.js';

ruleTester(incompleteInput, {
  valid: [
    {
      name: 'every transport server has connectors, accepted domains present',
      connectors: [defaultFrontend],
      snapshot: {
        servers: [
          { name: 'EX01', version: 'Version 15.2 (Build 1118.7)', roles: ['Mailbox'], isEdge: false },
        ],
      },
    },
    {
      name: 'a server without transport role',
      connectors: [defaultFrontend],
      snapshot: {
        servers: [
          { name: 'OLD01', version: 'Version 14.3 (Build 123.4)', roles: ['Mailbox'], isEdge: false },
        ],
      },
    },
  ],
  invalid: [
    {
      name: 'no accepted domains',
      connectors: [defaultFrontend],
      snapshot: { acceptedDomains: null },
      errors: [
        {
          messageId: 'no-accepted-domains',
          severity: 'low',
          connector: null,
          subject: 'accepted domains',
          fix: true,
        },
      ],
    },
    {
      name: 'an Edge server exported separately',
      connectors: [defaultFrontend],
      snapshot: {
        servers: [{ name: 'EDGE01', version: 'Version 15.2 (Build 1118.7)', roles: ['Edge'], isEdge: true }],
      },
      errors: [
        {
          messageId: 'missing-server',
          severity: 'low',
          subject: 'server EDGE01',
          data: { server: 'EDGE01', edge: true },
        },
      ],
    },
    {
      name: 'a server that could not be read',
      connectors: [defaultFrontend],
      snapshot: {
        errors: [
          {
            scope: 'server',
            target: 'EX02',
            message: 'Get-ReceiveConnector -Server EX02: The RPC server is unavailable.',
          },
        ],
      },
      errors: [
        { messageId: 'input-error', severity: 'low', data: { scope: 'server', target: 'EX02' }, fix: false },
      ],
    },
    {
      name: 'a permissions export filtered with Get-ADPermission -User',
      connectors: [defaultFrontend],
      snapshot: {
        errors: [
          {
            scope: 'input',
            target: 'ADPermission.xml',
            message: 'the permission entries hold no inherited entry',
            kind: 'filtered-permissions',
          },
        ],
      },
      errors: [
        {
          messageId: 'filtered-permissions',
          severity: 'high',
          data: { file: 'ADPermission.xml' },
          fix: true,
        },
      ],
    },
  ],
});
