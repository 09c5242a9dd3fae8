/** Every check, in the order `exrelay checks` lists them, and the engine that runs them. */

import type { OrganizationAnalysis } from '../analysis/analyze.js';
import { SEVERITIES, severityRank } from '../analysis/severity.js';
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
import { partnerRelay } from './partner-relay.js';
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
  partnerRelay,
  anonymousSubmit,
  incompleteInput,
];

/** Findings of every check, most severe first; ties keep check order, then connector order. */
export function runChecks(analysis: OrganizationAnalysis, checks: readonly Check[] = CHECKS): Finding[] {
  const keys = new ConnectorKeys(analysis);
  // One list per severity, filled in check order, then joined most severe first: the stable sort this replaces
  // wrapped each of tens of thousands of findings in an object to remember its place.
  const bySeverity: Finding[][] = SEVERITIES.map(() => []);
  for (const check of checks)
    for (const draft of check.run(analysis)) {
      const key = draft.connector === null ? null : keys.of(check, draft.connector);
      const finding = completeFinding(check.meta, draft, key);
      (bySeverity[severityRank(finding.severity)] as Finding[]).push(finding);
    }
  return bySeverity.reverse().flat();
}

/**
 * Each connector's stable key, found by its identity as a check reported it. Checks pass the connector's own
 * identity, so it is looked up exactly; case-folded identities are made only for another spelling (identities
 * are unique case-insensitively: the snapshot merges connectors that way).
 */
class ConnectorKeys {
  readonly #analysis: OrganizationAnalysis;
  readonly #keys = new Map<string, string>();
  readonly #byIdentity = new Map<string, ReceiveConnector>();
  #byFolded: Map<string, ReceiveConnector> | undefined;

  constructor(analysis: OrganizationAnalysis) {
    this.#analysis = analysis;
    for (const { connector } of analysis.connectors) this.#byIdentity.set(connector.identity, connector);
  }

  of(check: Check, identity: string): string {
    let key = this.#keys.get(identity);
    if (key === undefined) {
      key = stableConnectorKey(this.#connector(check, identity));
      this.#keys.set(identity, key);
    }
    return key;
  }

  #connector(check: Check, identity: string): ReceiveConnector {
    const connector = this.#byIdentity.get(identity) ?? this.#folded().get(identity.toLowerCase());
    if (!connector)
      throw new Error(`${check.meta.id} reported a finding for the unknown connector '${identity}'`);
    return connector;
  }

  #folded(): Map<string, ReceiveConnector> {
    if (this.#byFolded === undefined) {
      this.#byFolded = new Map();
      for (const { connector } of this.#analysis.connectors)
        this.#byFolded.set(connector.identity.toLowerCase(), connector);
    }
    return this.#byFolded;
  }
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
  let keys = DECLARED_KEYS.get(declared);
  if (keys === undefined) DECLARED_KEYS.set(declared, (keys = new Set(declared.data)));
  if (keys.size !== declared.data.length) return false;
  let own = 0;
  for (const key in data) {
    if (!Object.hasOwn(data, key)) continue;
    if (!keys.has(key)) return false;
    own++;
  }
  return own === keys.size;
}
