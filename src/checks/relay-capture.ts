import { FEW_HOSTS } from '../analysis/scoring.js';
import type { Check, FindingDraft } from './check.js';
import { countText } from '../net/count-text.js';
import { familyRanges, listTexts, plural } from './describe.js';
import {
  connectorAt,
  describeListener,
  familyName,
  otherConnectorSubject,
  relays,
} from './precedence-text.js';
import { flat } from './flat.js';

const DATA = ['from', 'addresses', 'ranges', 'server', 'transportRole', 'port', 'family'] as const;

export const relayCapture: Check = {
  meta: {
    id: 'relay-capture',
    title: 'Relay connector takes addresses from another connector',
    severityRule: `Info for up to ${FEW_HOSTS} addresses (the devices the connector was made for); low above that.`,
    explanation:
      'A relay connector with a more specific RemoteIPRanges entry wins those senders from the connector that served them before (usually Default Frontend). Every sender it takes gets its relay permission: with a subnet instead of single hosts, that is every workstation and server in it.',
    messages: {
      'few-senders': {
        description: `Takes at most ${FEW_HOSTS} sender addresses from data.from.`,
        data: DATA,
      },
      'many-senders': {
        description: `Takes more than ${FEW_HOSTS} sender addresses from data.from.`,
        data: DATA,
      },
    },
  },
  run(analysis) {
    const findings: FindingDraft[] = [];
    for (const capture of analysis.precedence.captures) {
      const winner = connectorAt(analysis, capture.winner);
      const from = connectorAt(analysis, capture.from);
      if (!relays(winner) || relays(from)) continue;
      const count = capture.addresses.size();
      const many = count > BigInt(FEW_HOSTS);
      const ranges = familyRanges(capture.context.family, capture.addresses);
      findings.push({
        messageId: many ? 'many-senders' : 'few-senders',
        severity: many ? 'low' : 'info',
        connector: winner.connector.identity,
        subject: otherConnectorSubject(from, capture.context),
        message: flat`Takes ${plural(count, 'sender address', 'sender addresses')} (${listTexts(ranges)}) from '${from.connector.identity}' on ${describeListener(capture.context)}: those senders now get this connector's relay permission.`,
        data: {
          from: from.connector.identity,
          addresses: countText(count),
          ranges,
          // The listener, written out: no object made for each finding only to be spread.
          server: capture.context.server,
          transportRole: capture.context.transportRole,
          port: capture.context.port,
          family: familyName(capture.context),
        },
        remediation: null,
        rollback: null,
      });
    }
    return findings;
  },
};
