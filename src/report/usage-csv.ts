/**
 * `exrelay usage --format csv`: the evidence, one row per connector and client address (RFC 4180, cells that a
 * spreadsheet would run as a formula defused as in csv.ts). Findings are in the other formats.
 */

import type { UsageReport } from '../usage/usage-report.js';
import { csvCell } from './untrusted-text.js';

const HEADER = [
  'connector',
  'server',
  'evidence',
  'address',
  'addressClass',
  'sessions',
  'messages',
  'relayedMessages',
  'recipientsInternal',
  'recipientsCatchAll',
  'recipientsRelayed',
  'recipientsRelayedAuthenticated',
  'recipientsUnclassified',
  'relayRefused',
  'rejected',
  'notAuthenticated',
  'anonymousSessions',
  'authenticatedSessions',
  'users',
  'heloNames',
  'relayDomains',
  'proxiedClients',
  'firstSeen',
  'lastSeen',
  // Added last: columns keep their places for those who read them by position.
  'recipientsRelayedProxied',
];

export function* renderUsageCsvChunks(report: UsageReport): Generator<string> {
  yield `${HEADER.join(',')}\r\n`;
  for (const connector of report.connectors)
    for (const client of connector.clients) {
      const { recipients } = client;
      const row = [
        connector.identity,
        connector.server,
        connector.evidence,
        client.address ?? '',
        client.addressClass ?? '',
        client.sessions,
        client.messages,
        client.relayedMessages,
        recipients.internal,
        recipients.catchAll,
        recipients.relayed,
        recipients.relayedAuthenticated,
        recipients.unclassified,
        recipients.relayRefused,
        recipients.rejected,
        client.notAuthenticated,
        client.anonymousSessions,
        client.authenticatedSessions,
        client.users.map((user) => user.name).join('; '),
        client.heloNames.map((name) => name.name).join('; '),
        client.relayDomains.map((domain) => domain.domain).join('; '),
        client.proxiedClients.map((proxied) => proxied.address).join('; '),
        client.firstSeen,
        client.lastSeen,
        recipients.relayedProxied,
      ];
      yield `${row.map((value) => csvCell(String(value))).join(',')}\r\n`;
    }
}
