import type { FindingDraft } from '../../checks/check.js';
import { renderFix } from '../../checks/remediation.js';
import { enableProtocolLog } from '../fixes.js';
import { grantsUnauthenticatedRelay } from '../least-privilege.js';
import type { UsageCheck } from '../usage-check.js';

export const loggingOff: UsageCheck = {
  meta: {
    id: 'usage-logging-off',
    title: 'A relay connector without a protocol log',
    severityRule: 'Medium: the grant may be used or not, and nobody can tell.',
    explanation:
      'ProtocolLoggingLevel None is the default for connectors an administrator creates. A connector that lets senders relay without authenticating and logs nothing leaves no audit trail: who relays through it cannot be known, and exrelay reports it as "no evidence", never as unused. Turn the log on (Verbose) and read it again after a few weeks.',
    messages: {
      'no-protocol-log': { description: 'A relay connector with ProtocolLoggingLevel None.', data: [] },
    },
  },
  run({ usage }) {
    const findings: FindingDraft[] = [];
    for (const connector of usage.connectors) {
      const analysis = connector.analysis;
      if (analysis === null || connector.evidence !== 'logging-off' || !grantsUnauthenticatedRelay(analysis))
        continue;
      findings.push({
        messageId: 'no-protocol-log',
        severity: 'medium',
        connector: connector.identity,
        subject: null,
        message:
          'It lets senders relay without authenticating, and its ProtocolLoggingLevel is None: no audit trail, and no evidence of who relays through it (not "unused": unknown). Turn the protocol log on.',
        ...renderFix([
          enableProtocolLog(connector.identity, analysis.connector.protocolLoggingLevel ?? 'None'),
        ]),
        data: {},
      });
    }
    return findings;
  },
};
