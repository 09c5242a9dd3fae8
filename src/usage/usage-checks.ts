/** Every usage check, in the order they are listed, and the engine that runs them. */

import { severityRank } from '../analysis/severity.js';
import type { Finding, FindingDraft } from '../checks/check.js';
import { stableConnectorKey } from '../checks/fingerprint.js';
import { completeFinding } from '../checks/registry.js';
import type { ReceiveConnector } from '../model/snapshot.js';
import {
  catchAllDomain,
  hubLogsOnly,
  logWindow,
  noEvidence,
  sharedAddress,
  unknownConnector,
} from './checks/blind-spots.js';
import { leastPrivilegeScope } from './checks/least-privilege-scope.js';
import { loggingOff } from './checks/logging-off.js';
import { publicRelay } from './checks/public-relay.js';
import { refusedRelay } from './checks/refused-relay.js';
import { unusedRelayGrant } from './checks/unused-relay-grant.js';
import type { UsageCheck, UsageContext } from './usage-check.js';

export const USAGE_CHECKS: readonly UsageCheck[] = [
  publicRelay,
  leastPrivilegeScope,
  unusedRelayGrant,
  loggingOff,
  refusedRelay,
  catchAllDomain,
  noEvidence,
  hubLogsOnly,
  sharedAddress,
  unknownConnector,
  logWindow,
];

/** Findings of every usage check, most severe first; ties keep check order, then connector order. */
export function runUsageChecks(
  context: UsageContext,
  checks: readonly UsageCheck[] = USAGE_CHECKS,
): Finding[] {
  const connectors = new Map<string, ReceiveConnector>();
  for (const { connector } of context.usage.organization.connectors)
    connectors.set(connector.identity.toLowerCase(), connector);
  return checks
    .flatMap((check) => check.run(context).map((draft) => complete(check, draft, connectors)))
    .map((finding, order) => ({ finding, order }))
    .sort((a, b) => severityRank(b.finding.severity) - severityRank(a.finding.severity) || a.order - b.order)
    .map(({ finding }) => finding);
}

/** A connector only the logs name is fingerprinted by its "server\name", as a snapshot connector without GUID or DN. */
function complete(
  check: UsageCheck,
  draft: FindingDraft,
  connectors: Map<string, ReceiveConnector>,
): Finding {
  if (draft.connector === null) return completeFinding(check.meta, draft, null);
  const slash = draft.connector.indexOf('\\');
  const connector = connectors.get(draft.connector.toLowerCase()) ?? {
    guid: null,
    distinguishedName: null,
    server: slash < 0 ? '' : draft.connector.slice(0, slash),
    name: draft.connector.slice(slash + 1),
  };
  return completeFinding(check.meta, draft, stableConnectorKey(connector));
}
