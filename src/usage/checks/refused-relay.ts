import type { FindingDraft } from '../../checks/check.js';
import { formatCount, plural } from '../../checks/describe.js';
import type { ClientEvidence } from '../analyze-usage.js';
import { isOutsidePrivateRanges } from '../least-privilege.js';
import type { UsageCheck } from '../usage-check.js';
import { clientText, minuteText } from '../wording.js';

const DATA = ['address', 'addressClass', 'relayRefused', 'sessions', 'firstSeen', 'lastSeen', 'helo'];

export const refusedRelay: UsageCheck = {
  meta: {
    id: 'usage-refused-relay',
    title: 'Relay refused again and again from one address',
    severityRule:
      'Medium from a private address (an internal device whose mail is refused); low from any other (probing, and the connector held). From the --refused-threshold-th refusal (default 5) on one connector.',
    explanation:
      'Exchange answered "550 5.7.54 Unable to relay" (2016 and later) or "550 5.7.1 Unable to relay" (before) to the same address many times. From inside the organisation that is a device that lost its grant, or that lands on another connector than the relay connector meant for it, and its mail is not delivered. From outside it is somebody probing for an open relay.',
    messages: {
      'device-refused': { description: 'A private address refused relay repeatedly.', data: DATA },
      probing: { description: 'An address outside the private ranges refused relay repeatedly.', data: DATA },
      'probing-many': {
        description:
          'More than ten addresses outside the private ranges refused relay repeatedly: one finding for all.',
        data: ['addresses', 'addressCount', 'relayRefused'],
      },
    },
  },
  run({ usage, options }) {
    const findings: FindingDraft[] = [];
    for (const connector of usage.connectors) {
      const refused = connector.clients.filter(
        (client) => client.recipients.relayRefused >= options.refusedThreshold,
      );
      const probers = refused.filter(isOutsidePrivateRanges);
      for (const client of refused) {
        const outside = isOutsidePrivateRanges(client);
        if (outside && probers.length > MANY) continue;
        findings.push(clientFinding(connector.identity, client, outside));
      }
      if (probers.length > MANY) findings.push(manyProbersFinding(connector.identity, probers));
    }
    return findings;
  },
};

/** Beyond this many probing addresses on one connector, one finding says it for all. */
const MANY = 10;

function clientFinding(identity: string, client: ClientEvidence, outside: boolean): FindingDraft {
  const refused = client.recipients.relayRefused;
  const when = `from ${minuteText(client.firstSeen)} to ${minuteText(client.lastSeen)}`;
  return {
    messageId: outside ? 'probing' : 'device-refused',
    severity: outside ? 'low' : 'medium',
    connector: identity,
    subject: client.address,
    message: outside
      ? `${clientText(client)} tried to relay and was refused ${plural(refused, 'time')} in ${plural(client.sessions, 'session')} ${when}: probing for an open relay (this connector held).`
      : `${clientText(client)} was refused relay ${plural(refused, 'time')} in ${plural(client.sessions, 'session')} ${when}: a device that lost its relay grant, or that reaches this connector instead of the relay connector meant for it; its mail is not delivered.`,
    remediation: null,
    rollback: null,
    data: {
      address: client.address,
      addressClass: client.addressClass,
      relayRefused: refused,
      sessions: client.sessions,
      firstSeen: client.firstSeen,
      lastSeen: client.lastSeen,
      helo: [...client.heloNames.keys()],
    },
  };
}

function manyProbersFinding(identity: string, probers: readonly ClientEvidence[]): FindingDraft {
  const sorted = [...probers].sort((a, b) => b.recipients.relayRefused - a.recipients.relayRefused);
  const refused = sorted.reduce((sum, client) => sum + client.recipients.relayRefused, 0);
  return {
    messageId: 'probing-many',
    severity: 'low',
    connector: identity,
    subject: null,
    message: `${plural(sorted.length, 'address', 'addresses')} outside the private ranges tried to relay and were refused ${plural(refused, 'time')}; the most: ${sorted
      .slice(0, 5)
      .map((client) => `${client.address} (${formatCount(client.recipients.relayRefused)})`)
      .join(', ')}. Probing for an open relay (this connector held).`,
    remediation: null,
    rollback: null,
    data: {
      addresses: sorted.slice(0, 100).map((client) => client.address as string),
      addressCount: sorted.length,
      relayRefused: refused,
    },
  };
}
