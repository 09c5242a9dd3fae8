import { severityOfScore } from '../analysis/severity.js';
import type { Check, Finding } from './check.js';
import { comment } from './remediation.js';

export const verdictUnknown: Check = {
  meta: {
    id: 'verdict-unknown',
    title: 'Relay verdict unknown: no permission data',
    severityRule: 'Medium for an enabled connector, low for a disabled one: it cannot be shown to be safe.',
    explanation:
      "Whether a connector relays depends on its ACL, which only Get-ADPermission shows. PermissionGroups is computed from that ACL and becomes 'Custom' once extra entries exist, so it cannot prove that nobody holds the relay right. Export the permissions and run the audit again.",
  },
  run(analysis) {
    const findings: Finding[] = [];
    for (const connector of analysis.connectors) {
      if (connector.relay.verdict !== 'unknown') continue;
      const identity = connector.connector.identity;
      findings.push({
        checkId: 'verdict-unknown',
        severity: severityOfScore(connector.aspects.unknownVerdict ?? 0),
        connector: identity,
        message: `Relay verdict unknown. ${connector.relay.basis}`,
        remediation: [
          comment(
            'Export the permissions of every connector once, then analyse again with this file included:',
          ),
          'Get-ReceiveConnector | Get-ADPermission | Export-Clixml -Path .\\ADPermission.xml',
        ].join('\n'),
      });
    }
    return findings;
  },
};
