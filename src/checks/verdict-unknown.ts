import { severityOfScore } from '../analysis/severity.js';
import type { Check, FindingDraft } from './check.js';
import { note, renderFix } from './remediation.js';

export const verdictUnknown: Check = {
  meta: {
    id: 'verdict-unknown',
    title: 'Relay verdict unknown: no permission data',
    severityRule: 'Medium for an enabled connector, low for a disabled one: it cannot be shown to be safe.',
    explanation:
      "Whether a connector relays depends on its ACL, which only Get-ADPermission shows. PermissionGroups is computed from that ACL and becomes 'Custom' once extra entries exist, so it cannot prove that nobody holds the relay right. Export the permissions and run the audit again.",
    messages: {
      'no-acl': {
        description: 'The input has no Get-ADPermission data for the connector.',
        data: ['enabled'],
      },
      'acl-error': {
        description: 'Reading the ACL failed or its entries cannot be trusted; data.reason says why.',
        data: ['enabled', 'reason'],
      },
    },
  },
  run(analysis) {
    const findings: FindingDraft[] = [];
    for (const connector of analysis.connectors) {
      if (connector.relay.verdict !== 'unknown') continue;
      const { identity, enabled, permissionsError } = connector.connector;
      const reason = permissionsError ?? null;
      findings.push({
        messageId: reason === null ? 'no-acl' : 'acl-error',
        severity: severityOfScore(connector.aspects.unknownVerdict ?? 0),
        connector: identity,
        subject: null,
        message: `Relay verdict unknown. ${connector.relay.basis}`,
        data: reason === null ? { enabled } : { enabled, reason },
        ...renderFix([
          note('Export the permissions of every connector once, then analyse again with this file included:'),
          {
            command: 'Get-ReceiveConnector | Get-ADPermission | Export-Clixml -Path .\\ADPermission.xml',
            undo: null,
          },
        ]),
      });
    }
    return findings;
  },
};
