import { acceptedDomainRelay } from '../../../src/checks/accepted-domain-relay.js';
import type { AcceptedDomain } from '../../../src/model/snapshot.js';
import { connector } from '../../support/builders.js';
import { ruleTester } from '../rule-tester.js';
import { defaultFrontend } from './fixtures.js';

function domain(
  domainName: string,
  domainType: AcceptedDomain['domainType'] = 'Authoritative',
): AcceptedDomain {
  return { name: domainName, domainName, domainType, isDefault: false };
}

const authenticatedOnly = connector({ name: 'Client Frontend EX01', permissions: [] });

ruleTester(acceptedDomainRelay, {
  valid: [
    {
      name: 'own domains only',
      connectors: [defaultFrontend],
      snapshot: { acceptedDomains: [domain('contoso.com')] },
    },
    {
      name: 'accepted domains not in the input',
      connectors: [defaultFrontend],
      snapshot: { acceptedDomains: null },
    },
    {
      name: 'an Authoritative subdomain wildcard of the own domain',
      connectors: [defaultFrontend],
      snapshot: { acceptedDomains: [domain('*.contoso.com')] },
    },
  ],
  invalid: [
    {
      name: "'*' with a connector that accepts anonymous mail",
      connectors: [defaultFrontend],
      snapshot: { acceptedDomains: [domain('contoso.com'), domain('*', 'InternalRelay')] },
      errors: [
        {
          messageId: 'open-relay',
          severity: 'critical',
          connector: null,
          subject: '*',
          data: { domainName: '*', anonymousConnectors: 1, example: 'EX01\\Default Frontend EX01' },
          fix: true,
        },
      ],
    },
    {
      name: "'*.com' InternalRelay without anonymous connectors",
      connectors: [authenticatedOnly],
      snapshot: { acceptedDomains: [domain('*.com', 'InternalRelay')] },
      errors: [{ messageId: 'open-relay-authenticated', severity: 'high', data: { example: null } }],
    },
    {
      name: "'*.com' Authoritative",
      connectors: [defaultFrontend],
      snapshot: { acceptedDomains: [domain('*.com')] },
      errors: [{ messageId: 'wide-authoritative', severity: 'low', subject: '*.com' }],
    },
    {
      name: 'a partner domain of type InternalRelay',
      connectors: [defaultFrontend],
      snapshot: { acceptedDomains: [domain('partner.example', 'InternalRelay')] },
      errors: [
        {
          messageId: 'relayable',
          severity: 'info',
          subject: null,
          data: { domains: [{ domainName: 'partner.example', domainType: 'InternalRelay' }] },
          fix: false,
        },
      ],
    },
  ],
});
