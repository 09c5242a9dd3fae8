import type { FindingDraft } from '../../checks/check.js';
import { plural } from '../../checks/describe.js';
import { renderFix } from '../../checks/remediation.js';
import { isLoggingOff, type ConnectorUsage } from '../analyze-usage.js';
import { enableProtocolLog } from '../fixes.js';
import { relayGrantedOrProven } from '../least-privilege.js';
import type { UsageCheck } from '../usage-check.js';
import { minuteText } from '../wording.js';

export const loggingOff: UsageCheck = {
  meta: {
    id: 'usage-logging-off',
    title: 'A relay connector without a protocol log',
    severityRule: 'Medium: the grant may be used or not, and nobody can tell.',
    explanation:
      'ProtocolLoggingLevel None is the default for connectors an administrator creates. A connector that lets senders relay without authenticating and logs nothing leaves no audit trail: who relays through it cannot be known, and exrelay reports it as "no evidence", never as unused. Turn the log on (Verbose) and read it again after a few weeks.',
    messages: {
      'no-protocol-log': { description: 'A relay connector with ProtocolLoggingLevel None.', data: [] },
      'no-protocol-log-now': {
        description:
          'A relay connector with ProtocolLoggingLevel None now, whose earlier sessions are in the logs.',
        data: [],
      },
    },
  },
  run({ usage }) {
    const findings: FindingDraft[] = [];
    for (const connector of usage.connectors) {
      const analysis = connector.analysis;
      if (analysis === null || !analysis.connector.enabled || !isLoggingOff(analysis)) continue;
      if (!relayGrantedOrProven(connector)) continue;
      const logged = connector.totals.sessions > 0;
      findings.push({
        messageId: logged ? 'no-protocol-log-now' : 'no-protocol-log',
        severity: 'medium',
        connector: connector.identity,
        subject: null,
        message: logged
          ? `It lets senders relay without authenticating, and its ProtocolLoggingLevel is None now: the logs read hold ${plural(connector.totals.sessions, 'session')} from when it logged, until ${minuteText(lastSeen(connector))}, and nothing after. Turn the protocol log on again.`
          : 'It lets senders relay without authenticating, and its ProtocolLoggingLevel is None: no audit trail, and no evidence of who relays through it (not "unused": unknown). Turn the protocol log on.',
        ...renderFix([
          enableProtocolLog(connector.identity, analysis.connector.protocolLoggingLevel ?? 'None'),
        ]),
        data: {},
      });
    }
    return findings;
  },
};

function lastSeen(connector: ConnectorUsage): string {
  return connector.clients.reduce((last, client) => (client.lastSeen > last ? client.lastSeen : last), '');
}
