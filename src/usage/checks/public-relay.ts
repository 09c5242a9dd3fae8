import type { FindingDraft } from '../../checks/check.js';
import { formatCount, plural } from '../../checks/describe.js';
import { note, renderFix, replaceRemoteIpRanges, type FixStep } from '../../checks/remediation.js';
import type { ClientEvidence, ConnectorUsage } from '../analyze-usage.js';
import { revokeUnauthenticatedRelay } from '../fixes.js';
import { grantsUnauthenticatedRelay, notShownPrivate, type ScopeProposal } from '../least-privilege.js';
import type { UsageCheck } from '../usage-check.js';
import { NO_COUNTS } from '../usage-tally.js';
import { clientText, countedList, minuteText } from '../wording.js';

export const publicRelay: UsageCheck = {
  meta: {
    id: 'usage-public-relay',
    title: 'An address outside every private range relayed without authenticating',
    severityRule:
      'Always critical: the logs show relay from the Internet (or another non-private address) happening.',
    explanation:
      'A recipient in no accepted domain was accepted for a client that did not authenticate, from an address outside the private, loopback and link-local ranges, or from a remote endpoint the log does not show readably (nothing proves it private). Either the connector is abused as an open relay, or a partner or cloud service relays through a grant meant for internal devices; partners belong on a connector that authenticates them (TLS certificate or AUTH).',
    messages: {
      'relayed-from-outside': {
        description:
          'One address outside the private ranges relayed through the connector without authenticating.',
        data: [
          'address',
          'addressClass',
          'relayedRecipients',
          'relayedMessages',
          'firstSeen',
          'lastSeen',
          'domains',
        ],
      },
      'relayed-from-many-outside': {
        description:
          'More than ten addresses outside the private ranges relayed through the connector: one finding for all.',
        data: [
          'addresses',
          'addressCount',
          'relayedRecipients',
          'relayedMessages',
          'firstSeen',
          'lastSeen',
          'domains',
        ],
      },
    },
  },
  run({ usage, proposals }) {
    const findings: FindingDraft[] = [];
    for (const connector of usage.connectors) {
      const outside = connector.clients.filter(
        (client) => client.recipients.relayed > 0 && notShownPrivate(client),
      );
      if (outside.length === 0) continue;
      const fix = renderFix(fixFor(connector, proposals.get(connector.identity)));
      const unexplained = configurationNote(connector);
      if (outside.length > MANY) {
        findings.push(manyFinding(connector.identity, outside, fix, unexplained));
        continue;
      }
      for (const client of outside)
        findings.push({
          messageId: 'relayed-from-outside',
          severity: 'critical',
          connector: connector.identity,
          subject: client.address,
          message: `${clientText(client)} relayed ${plural(client.recipients.relayed, 'recipient')} in ${plural(client.relayedMessages, 'message')} without authenticating, to ${countedList(client.relayDomains ?? NO_COUNTS)}, from ${minuteText(client.firstSeen)} to ${minuteText(client.lastSeen)}: abuse, or a partner that belongs on a connector that authenticates it.${unexplained}`,
          ...fix,
          data: {
            address: client.address,
            addressClass: client.addressClass,
            relayedRecipients: client.recipients.relayed,
            relayedMessages: client.relayedMessages,
            firstSeen: client.firstSeen,
            lastSeen: client.lastSeen,
            domains: [...(client.relayDomains ?? NO_COUNTS).keys()],
          },
        });
    }
    return findings;
  },
};

/** When the configuration does not show the grant the logs prove. */
function configurationNote(connector: ConnectorUsage): string {
  const analysis = connector.analysis;
  if (analysis === null || grantsUnauthenticatedRelay(analysis)) return '';
  if (analysis.relay.verdict === 'unknown')
    return ' The snapshot cannot tell whether the connector grants relay (its permissions are unknown): the logs show that it does.';
  return ' The snapshot grants no relay without authentication here: the configuration changed since these logs, or the grant is one exrelay cannot see.';
}

/** Beyond this many addresses on one connector, one finding says it for all (an open relay found by spammers). */
const MANY = 10;

function manyFinding(
  identity: string,
  clients: readonly ClientEvidence[],
  fix: { remediation: string | null; rollback: string | null },
  unexplained: string,
): FindingDraft {
  const sorted = [...clients].sort((a, b) => b.recipients.relayed - a.recipients.relayed);
  const recipients = sorted.reduce((sum, client) => sum + client.recipients.relayed, 0);
  const messages = sorted.reduce((sum, client) => sum + client.relayedMessages, 0);
  const domains = new Map<string, number>();
  for (const client of sorted)
    for (const [domain, count] of client.relayDomains ?? NO_COUNTS)
      domains.set(domain, (domains.get(domain) ?? 0) + count);
  const firstSeen = sorted.reduce(
    (first, client) => (client.firstSeen < first ? client.firstSeen : first),
    sorted[0]?.firstSeen ?? '',
  );
  const lastSeen = sorted.reduce((last, client) => (client.lastSeen > last ? client.lastSeen : last), '');
  const top = sorted
    .slice(0, 5)
    .map((client) => `${client.address ?? '?'} (${formatCount(client.recipients.relayed)})`);
  return {
    messageId: 'relayed-from-many-outside',
    severity: 'critical',
    connector: identity,
    subject: null,
    message: `${plural(sorted.length, 'address', 'addresses')} outside the private ranges relayed ${plural(recipients, 'recipient')} in ${plural(messages, 'message')} without authenticating, to ${countedList(domains)}, from ${minuteText(firstSeen)} to ${minuteText(lastSeen)}; the most: ${top.join(', ')}. This connector is used as an open relay.${unexplained}`,
    ...fix,
    data: {
      addresses: sorted.slice(0, 100).map((client) => client.address ?? '?'),
      addressCount: sorted.length,
      relayedRecipients: recipients,
      relayedMessages: messages,
      firstSeen,
      lastSeen,
      domains: [...domains.keys()].slice(0, 20),
    },
  };
}

/** Keep the private devices that relay and drop the rest; with none, take the grant away. */
function fixFor(connector: ConnectorUsage, proposal: ScopeProposal | undefined): FixStep[] | null {
  const analysis = connector.analysis;
  if (analysis === null) return null;
  if (proposal)
    return [
      note('Keep only the private addresses that relayed in the logs:'),
      replaceRemoteIpRanges(connector.identity, proposal.ranges, analysis.connector.remoteIPRanges),
    ];
  return revokeUnauthenticatedRelay(analysis);
}
