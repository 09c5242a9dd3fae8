/** Every check, in the order `exrelay checks` lists them, and the engine that runs them. */

import type { OrganizationAnalysis } from '../analysis/analyze.js';
import { severityRank } from '../analysis/severity.js';
import type { Check, Finding } from './check.js';
import { acceptedDomainRelay } from './accepted-domain-relay.js';
import { ambiguousPrecedence } from './ambiguous-precedence.js';
import { anonymousRelay } from './anonymous-relay.js';
import { anonymousSubmit } from './anonymous-submit.js';
import { authenticatedRelay } from './authenticated-relay.js';
import { basicAuthWithoutTls } from './basic-auth-without-tls.js';
import { defaultConnectorRelay } from './default-connector-relay.js';
import { everyoneRelay } from './everyone-relay.js';
import { externallySecuredRelay } from './externally-secured-relay.js';
import { incompleteInput } from './incomplete-input.js';
import { inconsistentRelayScope } from './inconsistent-relay-scope.js';
import { relayCapture } from './relay-capture.js';
import { shadowedRelayScope } from './shadowed-relay-scope.js';
import { unparseableRange } from './unparseable-range.js';
import { unusedRangeFamily } from './unused-range-family.js';
import { verdictUnknown } from './verdict-unknown.js';

export const CHECKS: readonly Check[] = [
  defaultConnectorRelay,
  anonymousRelay,
  externallySecuredRelay,
  everyoneRelay,
  acceptedDomainRelay,
  verdictUnknown,
  basicAuthWithoutTls,
  ambiguousPrecedence,
  relayCapture,
  shadowedRelayScope,
  inconsistentRelayScope,
  unparseableRange,
  unusedRangeFamily,
  authenticatedRelay,
  anonymousSubmit,
  incompleteInput,
];

/** Findings of every check, most severe first; ties keep check order, then connector order. */
export function runChecks(analysis: OrganizationAnalysis, checks: readonly Check[] = CHECKS): Finding[] {
  const findings = checks.flatMap((check) => check.run(analysis));
  return findings
    .map((finding, order) => ({ finding, order }))
    .sort((a, b) => severityRank(b.finding.severity) - severityRank(a.finding.severity) || a.order - b.order)
    .map(({ finding }) => finding);
}
