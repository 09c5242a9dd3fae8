/** Every usage check with valid and invalid cases (see usage-tester.ts). */

import { grant, RELAY, SUBMIT } from '../support/builders.js';
import {
  ANONYMOUS,
  defaultFrontend,
  externallySecuredAcl,
  relayConnector,
} from '../checks/rules/fixtures.js';
import {
  catchAllDomain,
  hubLogsOnly,
  logWindow,
  noEvidence,
  sharedAddress,
  unknownConnector,
} from '../../src/usage/checks/blind-spots.js';
import { leastPrivilegeScope } from '../../src/usage/checks/least-privilege-scope.js';
import { loggingOff } from '../../src/usage/checks/logging-off.js';
import { publicRelay } from '../../src/usage/checks/public-relay.js';
import { refusedRelay } from '../../src/usage/checks/refused-relay.js';
import { unusedRelayGrant } from '../../src/usage/checks/unused-relay-grant.js';
import { connector } from '../support/builders.js';
import { usageTester, type SessionSpec } from './usage-tester.js';

const RELAY_DENIED = '550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain';
const relay = relayConnector(['10.1.1.5', '10.1.1.6', '10.1.1.7']);
const frontendHeartbeat: SessionSpec[] = [
  { connector: 'EX01\\Default Frontend EX01', remote: '40.107.22.31', day: 0 },
  { connector: 'EX01\\Default Frontend EX01', remote: '40.107.22.31', day: 10 },
];
const anonymousRelayOnDefault = {
  ...defaultFrontend,
  permissions: [...(defaultFrontend.permissions ?? []), grant(ANONYMOUS, RELAY)],
};

usageTester(publicRelay, {
  valid: [
    {
      name: 'private devices relaying',
      connectors: [defaultFrontend, relay],
      sessions: [{ connector: 'EX01\\Relay', remote: '10.1.1.5', rcpt: ['x@supplier.example'] }],
    },
    {
      name: 'a public sender to accepted domains only',
      connectors: [defaultFrontend],
      sessions: [{ connector: 'EX01\\Default Frontend EX01', remote: '40.107.22.31' }],
    },
    {
      name: 'a public sender relaying after AUTH',
      connectors: [defaultFrontend],
      sessions: [
        {
          connector: 'EX01\\Default Frontend EX01',
          remote: '40.107.22.31',
          auth: 'CONTOSO\\app',
          rcpt: ['x@gmail.com'],
        },
      ],
    },
  ],
  invalid: [
    {
      // A damaged or doctored remote-endpoint proves nothing about where the sender was: never judged harmless.
      name: 'relay from a remote endpoint that does not parse',
      connectors: [defaultFrontend, relay],
      sessions: [{ connector: 'EX01\\Relay', remote: '94.130.88.300', rcpt: ['x@gmail.com'] }],
      errors: [
        {
          messageId: 'relayed-from-outside',
          severity: 'critical',
          connector: 'EX01\\Relay',
          subject: null,
          data: { address: null, addressClass: null, relayedRecipients: 1 },
        },
      ],
    },
    {
      name: 'a public IPv6 host relaying without authenticating, next to a private device',
      connectors: [defaultFrontend, relayConnector(['10.1.1.5', '2a02:8108:1140:5d00::25'])],
      sessions: [
        {
          connector: 'EX01\\Relay',
          remote: '2a02:8108:1140:5d00::25',
          rcpt: ['kunde@example.org'],
          repeat: 2,
        },
        { connector: 'EX01\\Relay', remote: '10.1.1.5', rcpt: ['x@supplier.example'] },
      ],
      errors: [
        {
          messageId: 'relayed-from-outside',
          severity: 'critical',
          connector: 'EX01\\Relay',
          subject: '2a02:8108:1140:5d00::25',
          data: {
            addressClass: 'public',
            relayedRecipients: 2,
            relayedMessages: 2,
            domains: ['example.org'],
          },
          fix: true,
        },
      ],
    },
    {
      name: 'an open relay found by spammers: one finding for many addresses',
      connectors: [anonymousRelayOnDefault],
      sessions: Array.from({ length: 12 }, (_, index) => ({
        connector: 'EX01\\Default Frontend EX01',
        remote: `91.121.55.${index + 1}`,
        rcpt: ['x@yahoo.example'],
      })),
      errors: [
        {
          messageId: 'relayed-from-many-outside',
          severity: 'critical',
          subject: null,
          data: { addressCount: 12, relayedRecipients: 12 },
          fix: true,
        },
      ],
    },
  ],
});

usageTester(leastPrivilegeScope, {
  valid: [
    {
      name: 'every address in scope relayed',
      connectors: [defaultFrontend, relayConnector(['10.1.1.5'])],
      sessions: [{ connector: 'EX01\\Relay', remote: '10.1.1.5', rcpt: ['x@supplier.example'] }],
    },
    {
      name: 'nobody relayed (the unused-grant check speaks)',
      connectors: [defaultFrontend, relay],
      sessions: [{ connector: 'EX01\\Relay', remote: '10.1.1.5' }],
    },
  ],
  invalid: [
    {
      name: 'two of three hosts relayed; the third only sends inside and moves to Default Frontend',
      connectors: [defaultFrontend, relay],
      sessions: [
        { connector: 'EX01\\Relay', remote: '10.1.1.6', rcpt: ['x@supplier.example'] },
        { connector: 'EX01\\Relay', remote: '10.1.1.5', rcpt: ['x@supplier.example'] },
        { connector: 'EX01\\Relay', remote: '10.1.1.7' },
      ],
      errors: [
        {
          messageId: 'narrow-scope',
          severity: 'low',
          connector: 'EX01\\Relay',
          data: {
            ranges: ['10.1.1.5', '10.1.1.6'],
            addressesBefore: '3',
            addressesAfter: '2',
            relayers: ['10.1.1.5', '10.1.1.6'],
          },
          fix: true,
        },
      ],
    },
    {
      name: 'a relaying address that another connector would take after the change is named, not dropped',
      connectors: [
        defaultFrontend,
        connector({
          name: 'Scanner Exception',
          remoteIPRanges: ['10.1.1.5'],
          permissions: defaultFrontend.permissions,
        }),
        relay,
      ],
      sessions: [
        { connector: 'EX01\\Relay', remote: '10.1.1.5', rcpt: ['x@supplier.example'] },
        { connector: 'EX01\\Relay', remote: '10.1.1.6', rcpt: ['x@supplier.example'] },
      ],
      errors: [
        {
          messageId: 'narrow-scope',
          severity: 'low',
          data: { relayers: ['10.1.1.5', '10.1.1.6'], lost: ['10.1.1.5'] },
        },
      ],
    },
    {
      name: 'one device in a /16',
      connectors: [defaultFrontend, relayConnector(['10.20.0.0/16'])],
      sessions: [{ connector: 'EX01\\Relay', remote: '10.20.4.7', rcpt: ['x@supplier.example'] }],
      errors: [
        {
          messageId: 'narrow-scope',
          severity: 'medium',
          data: { ranges: ['10.20.4.7'], addressesBefore: '65536' },
        },
      ],
    },
    {
      name: 'a device relaying through Default Frontend: a dedicated connector',
      connectors: [anonymousRelayOnDefault],
      sessions: [
        { connector: 'EX01\\Default Frontend EX01', remote: '10.1.1.5', rcpt: ['x@supplier.example'] },
      ],
      errors: [
        {
          messageId: 'dedicated-connector',
          severity: 'high',
          data: { relayers: ['10.1.1.5'], newConnector: 'EX01\\Relay EX01' },
          fix: true,
        },
      ],
    },
  ],
});

usageTester(unusedRelayGrant, {
  valid: [
    {
      // Renamed since the logs were written: its sessions are in them under the old name, which the snapshot
      // lacks. Read as "nobody connected to it: disable it", the grant the printers relay through was cut off.
      name: 'the logs of its service name a connector the snapshot lacks (renamed since?)',
      connectors: [defaultFrontend, { ...relay, protocolLoggingLevel: 'Verbose' }],
      sessions: [
        ...frontendHeartbeat,
        { connector: 'EX01\\Relay Old Name', remote: '10.1.1.5', rcpt: ['x@supplier.example'], repeat: 3 },
      ],
    },
    {
      name: 'the grant is used',
      connectors: [defaultFrontend, relay],
      sessions: [
        ...frontendHeartbeat,
        { connector: 'EX01\\Relay', remote: '10.1.1.5', rcpt: ['x@supplier.example'] },
      ],
    },
    {
      // Relay for a client an Exchange server proxies is counted apart, but it used this connector's rights.
      name: 'the grant is used by sessions that proxy a client (XPROXYFROM)',
      connectors: [defaultFrontend, relay],
      sessions: [
        ...frontendHeartbeat,
        { connector: 'EX01\\Relay', remote: '10.1.1.5', proxyFor: '10.9.9.9', rcpt: ['x@supplier.example'] },
      ],
    },
    {
      name: 'its logging is off: no evidence, never unused',
      connectors: [defaultFrontend, { ...relay, protocolLoggingLevel: 'None' }],
      sessions: frontendHeartbeat,
    },
    {
      name: 'its service was not read',
      connectors: [defaultFrontend, { ...relay, server: 'EX02', identity: 'EX02\\Relay' }],
      sessions: frontendHeartbeat,
    },
    {
      // A connector an administrator creates logs nothing by default: with its ProtocolLoggingLevel not in the
      // input, no session is no evidence. Read as logged, it was "nobody connected: disable it".
      name: 'its ProtocolLoggingLevel is not in the input and no session is in the logs',
      connectors: [defaultFrontend, { ...relay, protocolLoggingLevel: null }],
      sessions: frontendHeartbeat,
    },
    {
      // Without the accepted domains nothing tells relay from submission: an Internet host relaying to
      // gmail.com read as "every recipient in an accepted domain; remove the grant".
      name: 'the input has no accepted domains: its accepted recipients may be relay',
      connectors: [defaultFrontend, relay],
      acceptedDomains: null,
      sessions: [
        ...frontendHeartbeat,
        { connector: 'EX01\\Relay', remote: '203.0.113.9', rcpt: ['x@gmail.com'], repeat: 3 },
      ],
    },
  ],
  invalid: [
    {
      name: 'clients send only to accepted domains for ten days',
      connectors: [defaultFrontend, relay],
      sessions: [...frontendHeartbeat, { connector: 'EX01\\Relay', remote: '10.1.1.5', repeat: 3 }],
      errors: [
        {
          messageId: 'no-relay',
          severity: 'medium',
          connector: 'EX01\\Relay',
          data: { sessions: 3, clients: 1, days: 10 },
          fix: true,
        },
      ],
    },
    {
      name: 'nobody connected in a short window',
      // Its logging on: with no ProtocolLoggingLevel in the input, no session would be no evidence.
      connectors: [defaultFrontend, { ...relay, protocolLoggingLevel: 'Verbose' }],
      sessions: [
        { connector: 'EX01\\Default Frontend EX01', remote: '40.107.22.31', day: 0 },
        { connector: 'EX01\\Default Frontend EX01', remote: '40.107.22.31', day: 2 },
      ],
      errors: [{ messageId: 'no-sessions', severity: 'low', data: { sessions: 0, days: 2 }, fix: true }],
    },
    {
      // Its logging is None now: after its last session it may have relayed every day, unlogged. Read with the
      // service's ten days, it was "not used: remove it" (medium) while usage-logging-off said nothing after
      // 2026-03-03 is known.
      name: 'logging off now: only the time of its own sessions counts',
      connectors: [defaultFrontend, { ...relay, protocolLoggingLevel: 'None' }],
      sessions: [...frontendHeartbeat, { connector: 'EX01\\Relay', remote: '10.1.1.5', repeat: 2 }],
      errors: [
        {
          messageId: 'no-relay',
          severity: 'low',
          connector: 'EX01\\Relay',
          data: { sessions: 2, days: 1, from: '2026-03-02T00:00:00.000Z' },
          fix: true,
        },
      ],
    },
    {
      // Rotation gap: logs of the first and the last days are not twelve days of evidence. Read as twelve days,
      // the grant was "unused" (medium), though it may have been used every day in between.
      name: 'logs of the first and the last day only, eleven days missing between them',
      connectors: [defaultFrontend, { ...relay, protocolLoggingLevel: 'Verbose' }],
      sessions: [
        {
          connector: 'EX01\\Default Frontend EX01',
          remote: '40.107.22.31',
          day: 0,
          file: 'RECV2026030200-1.LOG',
        },
        {
          connector: 'EX01\\Default Frontend EX01',
          remote: '40.107.22.31',
          day: 0.5,
          file: 'RECV2026030212-1.LOG',
        },
        {
          connector: 'EX01\\Default Frontend EX01',
          remote: '40.107.22.31',
          day: 12,
          file: 'RECV2026031400-1.LOG',
        },
        {
          connector: 'EX01\\Default Frontend EX01',
          remote: '40.107.22.31',
          day: 12.5,
          file: 'RECV2026031412-1.LOG',
        },
      ],
      errors: [
        {
          messageId: 'no-sessions',
          severity: 'low',
          connector: 'EX01\\Relay',
          data: { sessions: 0, days: 12.5, loggedDays: 1 },
          fix: true,
        },
      ],
    },
    {
      name: 'a file for every half day: no gap, twelve days of evidence',
      connectors: [defaultFrontend, { ...relay, protocolLoggingLevel: 'Verbose' }],
      sessions: Array.from({ length: 26 }, (_, index) => ({
        connector: 'EX01\\Default Frontend EX01',
        remote: '40.107.22.31',
        day: index / 2,
        file: `RECV202603${String(2 + Math.floor(index / 2)).padStart(2, '0')}${index % 2 === 0 ? '00' : '12'}-1.LOG`,
      })),
      errors: [
        {
          messageId: 'no-sessions',
          severity: 'medium',
          connector: 'EX01\\Relay',
          data: { sessions: 0, days: 12.5, loggedDays: 12.5 },
          fix: true,
        },
      ],
    },
  ],
});

usageTester(loggingOff, {
  valid: [
    {
      name: 'a relay connector that logs',
      connectors: [defaultFrontend, { ...relay, protocolLoggingLevel: 'Verbose' }],
      sessions: frontendHeartbeat,
    },
    {
      name: 'no logging on a connector without relay',
      connectors: [{ ...defaultFrontend, protocolLoggingLevel: 'None' }],
      sessions: frontendHeartbeat,
    },
  ],
  invalid: [
    {
      name: 'relay without a log',
      connectors: [defaultFrontend, { ...relay, protocolLoggingLevel: 'None' }],
      sessions: frontendHeartbeat,
      errors: [{ messageId: 'no-protocol-log', severity: 'medium', connector: 'EX01\\Relay', fix: true }],
    },
    {
      name: 'logging off now, sessions in older logs',
      connectors: [defaultFrontend, { ...relay, protocolLoggingLevel: 'None' }],
      sessions: [{ connector: 'EX01\\Relay', remote: '10.1.1.5' }],
      errors: [{ messageId: 'no-protocol-log-now', severity: 'medium' }],
    },
  ],
});

usageTester(refusedRelay, {
  valid: [
    {
      name: 'refused fewer times than the threshold',
      connectors: [defaultFrontend],
      sessions: [
        {
          connector: 'EX01\\Default Frontend EX01',
          remote: '10.30.0.9',
          rcpt: [['x@supplier.example', RELAY_DENIED]],
          repeat: 4,
        },
      ],
    },
  ],
  invalid: [
    {
      name: 'a device refused five times',
      connectors: [defaultFrontend],
      sessions: [
        {
          connector: 'EX01\\Default Frontend EX01',
          remote: '10.30.0.9',
          helo: 'MFP-3OG',
          rcpt: [['x@supplier.example', RELAY_DENIED]],
          repeat: 5,
        },
      ],
      errors: [
        {
          messageId: 'device-refused',
          severity: 'medium',
          subject: '10.30.0.9',
          data: { relayRefused: 5, sessions: 5, helo: ['mfp-3og'] },
          fix: false,
        },
      ],
    },
    {
      name: 'a prober refused, and the 2010 wording counts too',
      connectors: [defaultFrontend],
      sessions: [
        {
          connector: 'EX01\\Default Frontend EX01',
          remote: '185.220.101.4',
          rcpt: [['a@gmx.de', '550 5.7.1 Unable to relay']],
          repeat: 5,
        },
      ],
      errors: [{ messageId: 'probing', severity: 'low', subject: '185.220.101.4' }],
    },
    {
      name: 'many probers: one finding',
      connectors: [defaultFrontend],
      sessions: Array.from({ length: 11 }, (_, index) => ({
        connector: 'EX01\\Default Frontend EX01',
        remote: `185.220.101.${index + 1}`,
        rcpt: [['a@gmx.de', RELAY_DENIED]],
        repeat: 5,
      })),
      errors: [{ messageId: 'probing-many', severity: 'low', data: { addressCount: 11, relayRefused: 55 } }],
    },
  ],
});

usageTester(catchAllDomain, {
  valid: [
    {
      name: 'no catch-all domain: relay is relay',
      connectors: [defaultFrontend, relay],
      sessions: [{ connector: 'EX01\\Relay', remote: '10.1.1.5', rcpt: ['x@supplier.example'] }],
    },
  ],
  invalid: [
    {
      name: '"*": an Internet sender gets any recipient accepted',
      connectors: [defaultFrontend],
      acceptedDomains: [
        { name: 'contoso.com', domainName: 'contoso.com', domainType: 'Authoritative', isDefault: true },
        { name: 'All', domainName: '*', domainType: 'InternalRelay', isDefault: false },
      ],
      sessions: [
        { connector: 'EX01\\Default Frontend EX01', remote: '45.141.84.120', rcpt: ['x@gmail.com'] },
      ],
      errors: [
        {
          messageId: 'accepted-through-catch-all',
          severity: 'high',
          data: { recipients: 1, outsideClients: 1, acceptedDomains: ['* (InternalRelay)'] },
        },
      ],
    },
    {
      name: '"*.com" used by a private device',
      connectors: [defaultFrontend, relay],
      acceptedDomains: [{ name: 'com', domainName: '*.com', domainType: 'InternalRelay', isDefault: false }],
      sessions: [{ connector: 'EX01\\Relay', remote: '10.1.1.5', rcpt: ['x@gmail.com'] }],
      errors: [{ messageId: 'accepted-through-catch-all', severity: 'medium' }],
    },
    {
      name: '"*" used by an anonymous sender whose remote endpoint does not parse',
      connectors: [defaultFrontend],
      acceptedDomains: [
        { name: 'contoso.com', domainName: 'contoso.com', domainType: 'Authoritative', isDefault: true },
        { name: 'All', domainName: '*', domainType: 'InternalRelay', isDefault: false },
      ],
      sessions: [
        { connector: 'EX01\\Default Frontend EX01', remote: '45.141.84.300', rcpt: ['x@gmail.com'] },
      ],
      errors: [{ messageId: 'accepted-through-catch-all', severity: 'high', data: { outsideClients: 1 } }],
    },
  ],
});

usageTester(noEvidence, {
  valid: [
    { name: 'its service was read', connectors: [defaultFrontend, relay], sessions: frontendHeartbeat },
  ],
  invalid: [
    {
      name: 'a relay connector on a server whose logs were not given',
      connectors: [defaultFrontend, { ...relay, server: 'EX02', identity: 'EX02\\Relay' }],
      sessions: frontendHeartbeat,
      snapshot: {
        servers: [
          {
            name: 'EX02',
            version: null,
            roles: ['Mailbox'],
            isEdge: false,
            receiveProtocolLogPaths: [
              {
                transportRole: 'FrontendTransport',
                path: 'D:\\Exchange\\FrontEnd\\ProtocolLog\\SmtpReceive',
              },
            ],
          },
        ],
      },
      errors: [
        {
          messageId: 'logs-not-read',
          severity: 'info',
          connector: 'EX02\\Relay',
          data: { folder: 'D:\\Exchange\\FrontEnd\\ProtocolLog\\SmtpReceive' },
        },
      ],
    },
  ],
});

const hubDefault = connector({
  name: 'Default EX01',
  transportRole: 'HubTransport',
  bindings: ['0.0.0.0:2525'],
  permissions: [],
});
usageTester(hubLogsOnly, {
  valid: [
    {
      name: 'Front End logs read too',
      connectors: [defaultFrontend, hubDefault],
      sessions: [
        ...frontendHeartbeat,
        { connector: 'EX01\\Default EX01', remote: '10.0.0.1', localPort: 2525 },
      ],
    },
  ],
  invalid: [
    {
      name: 'only the Transport service',
      connectors: [defaultFrontend, hubDefault],
      sessions: [{ connector: 'EX01\\Default EX01', remote: '10.0.0.1', localPort: 2525 }],
      errors: [
        { messageId: 'hub-without-frontend', severity: 'info', subject: 'EX01', data: { senders: 1 } },
      ],
    },
  ],
});

usageTester(sharedAddress, {
  valid: [
    {
      name: 'nine names',
      connectors: [defaultFrontend],
      sessions: Array.from({ length: 9 }, (_, index) => ({
        connector: 'EX01\\Default Frontend EX01',
        remote: '10.10.40.5',
        helo: `app${index}`,
      })),
    },
  ],
  invalid: [
    {
      name: 'ten names behind one address',
      connectors: [defaultFrontend],
      sessions: Array.from({ length: 10 }, (_, index) => ({
        connector: 'EX01\\Default Frontend EX01',
        remote: '10.10.40.5',
        helo: `app${index}`,
      })),
      errors: [{ messageId: 'many-helo-names', severity: 'info', subject: '10.10.40.5' }],
    },
  ],
});

usageTester(unknownConnector, {
  valid: [{ name: 'known connectors', connectors: [defaultFrontend], sessions: frontendHeartbeat }],
  invalid: [
    {
      name: 'a connector renamed since',
      connectors: [defaultFrontend],
      sessions: [
        ...frontendHeartbeat,
        { connector: 'EX01\\Relay, old "Scanners"', remote: '10.1.1.5', rcpt: ['x@supplier.example'] },
      ],
      errors: [
        {
          messageId: 'not-in-snapshot',
          severity: 'info',
          connector: 'EX01\\Relay, old "Scanners"',
          data: { sessions: 1, relayed: 1 },
        },
      ],
    },
  ],
});

usageTester(logWindow, {
  valid: [],
  invalid: [
    {
      name: 'any logs',
      connectors: [defaultFrontend],
      sessions: frontendHeartbeat,
      errors: [
        {
          messageId: 'window',
          severity: 'info',
          connector: null,
          data: { files: 1, versions: ['15.0.0.0'] },
        },
      ],
    },
  ],
});

// An externally secured connector: relay without AUTH, the fix removes ExternalAuthoritative and keeps submission.
usageTester(
  {
    ...unusedRelayGrant,
    meta: { ...unusedRelayGrant.meta, messages: { 'no-relay': unusedRelayGrant.meta.messages['no-relay']! } },
  },
  {
    valid: [],
    invalid: [
      {
        name: 'externally secured, only internal mail',
        connectors: [
          defaultFrontend,
          connector({
            name: 'Mainframe',
            remoteIPRanges: ['192.168.50.0/24'],
            authMechanism: ['Tls', 'ExternalAuthoritative'],
            permissionGroups: ['ExchangeServers'],
            permissions: [...externallySecuredAcl, grant('X', SUBMIT)],
          }),
        ],
        sessions: [...frontendHeartbeat, { connector: 'EX01\\Mainframe', remote: '192.168.50.10' }],
        errors: [{ messageId: 'no-relay', severity: 'medium', connector: 'EX01\\Mainframe', fix: true }],
      },
    ],
  },
);
