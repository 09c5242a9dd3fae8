import { certificateRelay } from '../../../src/checks/certificate-relay.js';
import { connector } from '../../support/builders.js';
import { ruleTester } from '../rule-tester.js';
import { defaultFrontend } from './fixtures.js';

const frontend = (tlsDomainCapabilities: string[], extra: Partial<Parameters<typeof connector>[0]> = {}) => ({
  ...defaultFrontend,
  tlsDomainCapabilities,
  authMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS', 'ExchangeServer', 'Integrated'],
  ...extra,
});

ruleTester(certificateRelay, {
  valid: [
    { name: 'no TlsDomainCapabilities', connectors: [frontend([])] },
    {
      name: 'the property not in the input',
      connectors: [{ ...defaultFrontend, tlsDomainCapabilities: null }],
    },
  ],
  invalid: [
    {
      name: 'the Hybrid Configuration Wizard entry on Default Frontend',
      connectors: [frontend(['mail.protection.outlook.com:AcceptCloudServicesMail'])],
      errors: [
        {
          messageId: 'hybrid',
          severity: 'info',
          connector: 'EX01\\Default Frontend EX01',
          subject: 'mail.protection.outlook.com',
          data: { capabilities: ['AcceptCloudServicesMail'], latent: null },
          fix: false,
        },
      ],
    },
    {
      name: 'the same capability for another domain (the real Exchange 2019 lab export)',
      connectors: [frontend(['fabrikam.com:AcceptCloudServicesMail'])],
      errors: [{ messageId: 'submit-as-internal', severity: 'low', subject: 'fabrikam.com', fix: true }],
    },
    {
      name: 'AcceptCrossForestMail for a partner domain',
      connectors: [frontend(['partner.example:AcceptCrossForestMail'])],
      errors: [{ messageId: 'relay-domain', severity: 'medium', fix: true }],
    },
    {
      name: "AcceptCrossForestMail for Exchange Online's shared certificate, open to the Internet",
      connectors: [frontend(['mail.protection.outlook.com:AcceptCrossForestMail'])],
      errors: [{ messageId: 'relay-shared-service', severity: 'critical' }],
    },
    {
      // Anyone can get a certificate for a .com domain of their own: relay for the Internet, not medium.
      name: 'AcceptCrossForestMail for a wildcard over a whole public suffix, open to the Internet',
      connectors: [frontend(['*.com:AcceptCrossForestMail'])],
      errors: [{ messageId: 'relay-any-certificate', severity: 'critical', subject: '*.com', fix: true }],
    },
    {
      name: 'submission as internal and organisation headers for a public-suffix wildcard',
      connectors: [frontend(['*.co.uk:AllowSubmit', '*.net:AcceptOrgHeaders'])],
      errors: [
        { messageId: 'submit-as-internal', severity: 'medium' },
        { messageId: 'organization-headers', severity: 'medium' },
      ],
    },
    {
      name: "a wildcard under one organisation's domain is that domain's certificates",
      connectors: [frontend(['*.partner.example:AcceptCrossForestMail'])],
      errors: [{ messageId: 'relay-domain', severity: 'medium' }],
    },
    {
      name: 'AcceptCrossForestMail for every session without TLS',
      connectors: [frontend(['NO-TLS:AcceptCrossForestMail'])],
      errors: [{ messageId: 'relay-without-tls', severity: 'critical', subject: 'NO-TLS', fix: true }],
    },
    {
      name: 'submission as internal for every session without TLS',
      connectors: [frontend(['NO-TLS:AllowSubmit'])],
      errors: [{ messageId: 'submit-as-internal', severity: 'medium' }],
    },
    {
      name: 'organisation headers for a domain',
      connectors: [frontend(['partner.example:AcceptOrgHeaders'])],
      errors: [{ messageId: 'organization-headers', severity: 'low' }],
    },
    {
      name: 'the 2010 hybrid protocol and a name exrelay does not know',
      connectors: [frontend(['contoso.com:AcceptOorgProtocol', 'contoso.com:SomethingNew'])],
      errors: [
        { messageId: 'other', severity: 'info', fix: false },
        { messageId: 'other', severity: 'info', data: { capabilities: ['SomethingNew'] } },
      ],
    },
    {
      name: 'a wildcard domain, which Exchange ignores',
      connectors: [frontend(['*:AcceptCrossForestMail'])],
      errors: [{ messageId: 'ignored', severity: 'info', fix: false }],
    },
    {
      name: 'a certificate entry on a connector without STARTTLS',
      connectors: [frontend(['partner.example:AcceptCrossForestMail'], { authMechanism: ['None'] })],
      errors: [{ messageId: 'latent', severity: 'low', data: { latent: 'no-tls' } }],
    },
  ],
});
