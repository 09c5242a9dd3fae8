import { FEW_HOSTS } from '../analysis/scoring.js';
import type { Check, Finding } from './check.js';
import { listScope, plural, singleFamily } from './describe.js';
import { connectorAt, describeListener, mergeLocalAddresses, relays } from './precedence-text.js';

export const relayCapture: Check = {
  meta: {
    id: 'relay-capture',
    title: 'Relay connector takes addresses from another connector',
    severityRule: `Info for up to ${FEW_HOSTS} addresses (the devices the connector was made for); low above that.`,
    explanation:
      'A relay connector with a more specific RemoteIPRanges entry wins those senders from the connector that served them before (usually Default Frontend). Every sender it takes gets its relay permission: with a subnet instead of single hosts, that is every workstation and server in it.',
  },
  run(analysis) {
    const findings: Finding[] = [];
    for (const capture of mergeLocalAddresses(
      analysis.precedence.captures,
      (item) => `${item.winner}:${item.from}`,
    )) {
      const winner = connectorAt(analysis, capture.winner);
      const from = connectorAt(analysis, capture.from);
      if (!relays(winner) || relays(from)) continue;
      const count = capture.addresses.size();
      findings.push({
        checkId: 'relay-capture',
        severity: count > BigInt(FEW_HOSTS) ? 'low' : 'info',
        connector: winner.connector.identity,
        message: `Takes ${plural(count, 'sender address', 'sender addresses')} (${listScope(singleFamily(capture.context.family, capture.addresses))}) from '${from.connector.identity}' on ${describeListener(capture.context)}: those senders now get this connector's relay permission.`,
        remediation: null,
      });
    }
    return findings;
  },
};
