/** Every check, in the order `exrelay checks` lists them, and the engine that runs them. */

import type { OrganizationAnalysis } from '../analysis/analyze.js';
import { severityRank } from '../analysis/severity.js';
import type { ReceiveConnector } from '../model/snapshot.js';
import type { Check, CheckMeta, Finding, FindingDraft, MessageMeta } from './check.js';
import { findingFingerprint, stableConnectorKey } from './fingerprint.js';
import { acceptedDomainRelay } from './accepted-domain-relay.js';
import { ambiguousPrecedence } from './ambiguous-precedence.js';
import { anonymousRelay } from './anonymous-relay.js';
import { anonymousSubmit } from './anonymous-submit.js';
import { authenticatedRelay } from './authenticated-relay.js';
import { basicAuthWithoutTls } from './basic-auth-without-tls.js';
import { certificateRelay } from './certificate-relay.js';
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
  certificateRelay,
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
  const connectors = new Map<string, ReceiveConnector>();
  for (const { connector } of analysis.connectors)
    connectors.set(connector.identity.toLowerCase(), connector);
  const keys = new Map<string, string>();
  const findings = checks.flatMap((check) =>
    check.run(analysis).map((draft) => complete(check, draft, connectors, keys)),
  );
  return findings
    .map((finding, order) => ({ finding, order }))
    .sort((a, b) => severityRank(b.finding.severity) - severityRank(a.finding.severity) || a.order - b.order)
    .map(({ finding }) => finding);
}

/**
 * The draft with its check id and fingerprint, after checking it against the check's declared messages. `keys`
 * remembers each connector's stable key (by lower-cased identity): a connector has many findings.
 */
function complete(
  check: Check,
  draft: FindingDraft,
  connectors: Map<string, ReceiveConnector>,
  keys: Map<string, string>,
): Finding {
  if (draft.connector === null) return completeFinding(check.meta, draft, null);
  const identity = draft.connector.toLowerCase();
  let key = keys.get(identity);
  if (key === undefined) {
    const connector = connectors.get(identity);
    if (!connector)
      throw new Error(`${check.meta.id} reported a finding for the unknown connector '${draft.connector}'`);
    key = stableConnectorKey(connector);
    keys.set(identity, key);
  }
  return completeFinding(check.meta, draft, key);
}

/**
 * A draft checked against its check's declared messages, with the check id and the fingerprint (from the
 * connector's stable key): shared with the usage checks, whose connectors may be known only from logs.
 */
export function completeFinding(meta: CheckMeta, draft: FindingDraft, connectorKey: string | null): Finding {
  const declared = meta.messages[draft.messageId];
  if (!declared) throw new Error(`${meta.id} reported the undeclared messageId '${draft.messageId}'`);
  if (!hasDeclaredKeys(draft.data, declared))
    throw new Error(
      `${meta.id}/${draft.messageId} reported data keys [${Object.keys(draft.data).sort().join(', ')}], declared [${declared.data.join(', ')}]`,
    );
  return {
    checkId: meta.id,
    messageId: draft.messageId,
    severity: draft.severity,
    connector: draft.connector,
    subject: draft.subject,
    message: draft.message,
    data: draft.data,
    remediation: draft.remediation,
    rollback: draft.rollback,
    fingerprint: findingFingerprint(meta.id, connectorKey, draft.subject),
  };
}

/** Each message's declared data keys as a set, made once: a large organisation has tens of thousands of findings. */
const DECLARED_KEYS = new WeakMap<MessageMeta, ReadonlySet<string>>();

/** Whether the data has exactly the declared keys, no more and no fewer. */
function hasDeclaredKeys(data: object, declared: MessageMeta): boolean {
  const keys = DECLARED_KEYS.get(declared) ?? new Set(declared.data);
  DECLARED_KEYS.set(declared, keys);
  const own = Object.keys(data);
  return keys.size === declared.data.length && own.length === keys.size && own.every((key) => keys.has(key));
}
