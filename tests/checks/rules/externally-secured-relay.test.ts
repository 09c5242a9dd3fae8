import { externallySecuredRelay } from '../../../src/checks/externally-secured-relay.js';
import { connector, SID } from '../../support/builders.js';
import { LOST_VALUE } from '../../../src/net/ip-range.js';
import { ruleTester } from '../rule-tester.js';
import { defaultFrontend, externallySecuredAcl } from './fixtures.js';

function secured(remoteIPRanges: string[], extra: Partial<Parameters<typeof connector>[0]> = {}) {
  return connector({
    name: 'Ext',
    remoteIPRanges,
    authMechanism: ['Tls', 'ExternalAuthoritative'],
    permissionGroups: ['ExchangeServers'],
    permissions: externallySecuredAcl,
    ...extra,
  });
}

ruleTester(externallySecuredRelay, {
  valid: [
    {
      name: 'ExternalAuthoritative without the relay right for Externally Secured Servers',
      connectors: [defaultFrontend, secured(['10.1.1.0/24'], { permissions: [] })],
    },
    {
      name: 'the relay right without ExternalAuthoritative',
      connectors: [defaultFrontend, secured(['10.1.1.0/24'], { authMechanism: ['Tls'] })],
    },
  ],
  invalid: [
    {
      name: 'a private /24',
      connectors: [defaultFrontend, secured(['192.168.50.0/24'])],
      errors: [
        {
          messageId: 'network',
          severity: 'medium',
          connector: 'EX01\\Ext',
          subject: SID.externallySecured,
          fix: true,
        },
      ],
    },
    {
      name: 'a public block beside a host',
      connectors: [defaultFrontend, secured(['192.168.50.10', '185.40.12.16/28'])],
      errors: [{ messageId: 'public', severity: 'critical', data: { publicAddresses: '16' } }],
    },
    {
      name: 'ranges lost by the export',
      connectors: [defaultFrontend, secured([LOST_VALUE])],
      errors: [{ messageId: 'unreadable-scope', severity: 'high', data: { latent: null } }],
    },
    {
      name: 'a single host',
      connectors: [defaultFrontend, secured(['10.1.1.1'])],
      errors: [{ messageId: 'few-hosts', severity: 'low', data: { hosts: ['10.1.1.1'] }, fix: false }],
    },
    {
      name: 'twelve single hosts',
      connectors: [defaultFrontend, secured(Array.from({ length: 12 }, (_, index) => `10.1.1.${index + 1}`))],
      errors: [{ messageId: 'many-hosts', severity: 'medium' }],
    },
    {
      name: 'a disabled connector',
      connectors: [defaultFrontend, secured(['10.1.1.0/24'], { enabled: false })],
      errors: [{ messageId: 'latent', severity: 'low', data: { latent: 'disabled' }, fix: true }],
    },
    {
      name: 'a default connector narrowed to private addresses',
      connectors: [
        secured(['10.1.1.0/24'], { name: 'Default Frontend EX01', identity: 'EX01\\Default Frontend EX01' }),
      ],
      errors: [{ messageId: 'default-connector', severity: 'high' }],
    },
    {
      name: 'without the ACL, ExternalAuthoritative and ExchangeServers prove relay',
      connectors: [defaultFrontend, secured(['10.1.1.0/24'], { permissions: null })],
      errors: [{ messageId: 'network', severity: 'medium' }],
    },
  ],
});
