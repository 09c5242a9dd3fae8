/**
 * The analysis pipeline: Snapshot in, OrganizationAnalysis out. Pure: no files, processes or terminals.
 * principals → grants → relay verdicts; ranges → precedence (effective scope) → exposure scores.
 */

import type { ReceiveConnector, Snapshot } from '../model/snapshot.js';
import { familySets, NO_ADDRESSES } from '../net/family-sets.js';
import { IntervalSet } from '../net/interval-set.js';
import type { IpFamily } from '../net/ip-address.js';
import { analyzeAcceptedDomain, type AcceptedDomainAnalysis } from './accepted-domains.js';
import { assessCertificatePaths, type CertificatePath } from './certificate-paths.js';
import { analyzeConnectorScope, type ConnectorScope } from './connector-scope.js';
import { contestedReach } from './contested-scope.js';
import { isDefaultConnector } from './default-connectors.js';
import { buildListeners } from './listeners.js';
import { resolvePrecedence, type PrecedenceResult } from './precedence.js';
import { principalDirectory } from './principals.js';
import { ScopeTexts } from './scope-texts.js';
import { assessRelay, hasFlag, MAY_RELAY, type RelayAssessment, type UnknownReason } from './relay.js';
import {
  defaultConnectorFloor,
  everyoneScore,
  FIXED_SCORES,
  LATENT_SCORE,
  measureScope,
  relayExposureScore,
  type ScopeMetrics,
  UNREADABLE_SCOPE_SCORE,
} from './scoring.js';
import { BAND_FLOOR, severityOfScore, type Severity } from './severity.js';

/**
 * Why a grant receives no mail today: the connector is disabled; none of its RemoteIPRanges entries is of a
 * family it listens on; more specific connectors receive every address; ANONYMOUS LOGON lacks Submit; nobody can
 * log on (Everyone and authenticated relay); the connector offers no STARTTLS (certificate paths).
 */
export type LatentReason =
  'disabled' | 'no-usable-range' | 'shadowed' | 'no-submit' | 'no-authentication' | 'no-tls';

export interface ExposureAspects {
  /** Anonymous, externally secured, or certificate-free (NO-TLS) relay; latent grants included, scored low. */
  unauthenticatedRelay: number | null;
  everyoneRelay: number | null;
  unknownVerdict: number | null;
  basicAuthWithoutTls: number | null;
  anonymousSubmit: number | null;
  /** The strongest TlsDomainCapabilities entry for a certificate's domain (certificate-paths.ts). */
  certificatePath: number | null;
}

export interface ConnectorAnalysis {
  /** Position in the snapshot: AD enumeration order for precedence ties. */
  index: number;
  connector: ReceiveConnector;
  isDefault: boolean;
  scope: ConnectorScope;
  /** The addresses this connector receives in this export's AD order (empty when disabled). */
  effective: Record<IpFamily, IntervalSet>;
  effectiveMetrics: ScopeMetrics;
  /** Addresses it ties for with another connector and loses only by AD order: they can go live unchanged. */
  tiedAway: Record<IpFamily, IntervalSet>;
  /**
   * Addresses it receives unless another connector, read twice with different settings (ingest/merge-copies.ts),
   * is as the copy that takes them: which copy is current is unknown (contested-scope.ts).
   */
  contestedAway: Record<IpFamily, IntervalSet>;
  /**
   * What it receives or can receive without a configuration change, or may receive today: effective plus
   * tiedAway and contestedAway. Scores use it.
   */
  reachable: Record<IpFamily, IntervalSet>;
  reachableMetrics: ScopeMetrics;
  /**
   * Nothing of its scope could be read (no RemoteIPRanges entry or binding parses, or the export lost them): it
   * may receive anything, so it is never "no usable range", and its exposure is UNREADABLE_SCOPE_SCORE.
   */
  scopeUnreadable: boolean;
  relay: RelayAssessment;
  /** Why the connector's relay grant receives no mail today (its unauthenticated grant, else Everyone's). */
  latent: LatentReason | null;
  /** Why authenticated sessions cannot use a grant to Everyone today. */
  everyoneLatent: LatentReason | null;
  certificatePaths: CertificatePath[];
  aspects: ExposureAspects;
  score: number;
  /** A rule that lifted the score above the exposure of what the connector receives; null when none did. */
  scoreFloor: 'default-connector' | 'everyone' | null;
  severity: Severity;
}

export interface OrganizationAnalysis {
  snapshot: Snapshot;
  connectors: ConnectorAnalysis[];
  precedence: PrecedenceResult;
  /** null when the input had no accepted domains. */
  acceptedDomains: AcceptedDomainAnalysis[] | null;
}

const EMPTY_SCOPE = NO_ADDRESSES as Record<IpFamily, IntervalSet>;

export function analyzeOrganization(snapshot: Snapshot): OrganizationAnalysis {
  const directory = principalDirectory(snapshot);
  const texts = new ScopeTexts();
  const scopes = snapshot.connectors.map((connector) => analyzeConnectorScope(connector, texts));
  const precedence = resolvePrecedence(
    buildListeners(
      (index) => ({
        connector: snapshot.connectors[index] as ReceiveConnector,
        scope: scopes[index] as ConnectorScope,
      }),
      snapshot.connectors.keys(),
    ),
    (index) => (scopes[index] as ConnectorScope).configured,
  );
  const tiedAway = tieLosses(precedence);
  const contested = contestedReach(snapshot.connectors, scopes, precedence.effective, texts);
  const connectors = snapshot.connectors.map((connector, index) =>
    analyzeConnector(
      connector,
      index,
      scopes[index] as ConnectorScope,
      precedence.effective.get(index) ?? EMPTY_SCOPE,
      tiedAway.get(index) ?? EMPTY_SCOPE,
      contested.get(index) ?? EMPTY_SCOPE,
      assessRelay(connector, directory),
    ),
  );
  return {
    snapshot,
    connectors,
    precedence,
    acceptedDomains: snapshot.acceptedDomains?.map(analyzeAcceptedDomain) ?? null,
  };
}

/** Per connector, the addresses it loses to another connector only because AD returns that one first. */
function tieLosses(precedence: PrecedenceResult): Map<number, Record<IpFamily, IntervalSet>> {
  const losses = new Map<number, Record<IpFamily, IntervalSet>>();
  for (const tie of precedence.ties) {
    const loser = tie.connectors[1];
    let current = losses.get(loser);
    if (current === undefined) {
      current = familySets(IntervalSet.EMPTY, IntervalSet.EMPTY);
      losses.set(loser, current);
    }
    current[tie.context.family] = current[tie.context.family].union(tie.addresses);
  }
  return losses;
}

function analyzeConnector(
  connector: ReceiveConnector,
  index: number,
  scope: ConnectorScope,
  effective: Record<IpFamily, IntervalSet>,
  tiedAway: Record<IpFamily, IntervalSet>,
  contestedAway: Record<IpFamily, IntervalSet>,
  relay: RelayAssessment,
): ConnectorAnalysis {
  const isDefault = isDefaultConnector(connector.name, connector.server);
  const effectiveMetrics = measureScope(effective);
  // Most connectors tie for nothing: their reachable scope is their effective one (the same record), measured
  // already.
  const reachable4 = effective[4].union(tiedAway[4]).union(contestedAway[4]);
  const reachable6 = effective[6].union(tiedAway[6]).union(contestedAway[6]);
  const reachable =
    reachable4 === effective[4] && reachable6 === effective[6]
      ? effective
      : familySets(reachable4, reachable6);
  const reachableMetrics = reachable === effective ? effectiveMetrics : measureScope(reachable);
  const scopeUnreadable = isScopeUnreadable(scope);
  const exposure = scopeUnreadable
    ? UNREADABLE_SCOPE_SCORE
    : relayExposureScore(reachableMetrics, scope.hostsOnly);
  const liveExposure = isDefault ? defaultConnectorFloor(exposure) : exposure;

  const receiving = receivingReason(connector, scopeUnreadable, scope, reachableMetrics);
  const unauthenticatedGrant = relay.verdict === 'relay' || relay.anonymousRelayLatent;
  const unauthenticatedLatent = !unauthenticatedGrant
    ? null
    : (receiving ?? (relay.anonymousRelayLatent && relay.verdict !== 'relay' ? 'no-submit' : null));
  const everyoneLatent = !relay.everyone
    ? null
    : (receiving ?? (relay.authenticationOffered ? null : 'no-authentication'));
  const certificatePaths = assessCertificatePaths(connector, relay.tlsCapabilities, receiving, liveExposure);

  const aspects: ExposureAspects = {
    unauthenticatedRelay: unauthenticatedGrant ? (unauthenticatedLatent ? LATENT_SCORE : liveExposure) : null,
    everyoneRelay: relay.everyone ? (everyoneLatent ? LATENT_SCORE : everyoneScore(exposure)) : null,
    unknownVerdict: relay.verdict === 'unknown' ? unknownScore(relay, receiving, liveExposure) : null,
    basicAuthWithoutTls:
      connector.enabled && weakBasicAuth(connector, relay, reachableMetrics)
        ? FIXED_SCORES.basicAuthWithoutTls
        : null,
    anonymousSubmit:
      relay.anonymousSubmit && relay.verdict === 'no-relay' && reachableMetrics.addresses > 0n
        ? FIXED_SCORES.anonymousSubmit
        : null,
    certificatePath: certificatePaths.reduce<number | null>(
      (best, path) => (best === null || path.score > best ? path.score : best),
      null,
    ),
  };
  let score = 0;
  for (const value of Object.values(aspects)) if (value !== null && value > score) score = value;
  const scoreFloor =
    score > exposure && score === aspects.unauthenticatedRelay && isDefault && !unauthenticatedLatent
      ? 'default-connector'
      : score > exposure && score === aspects.everyoneRelay && !everyoneLatent
        ? 'everyone'
        : null;
  return {
    index,
    connector,
    isDefault,
    scope,
    effective,
    effectiveMetrics,
    tiedAway,
    contestedAway,
    reachable,
    reachableMetrics,
    scopeUnreadable,
    relay,
    latent: unauthenticatedLatent ?? (unauthenticatedGrant ? null : everyoneLatent),
    everyoneLatent,
    certificatePaths,
    aspects,
    score,
    scoreFloor,
    severity: severityOfScore(score),
  };
}

/** Why the analysed connector receives no mail at all, whoever holds what: null when it receives some. */
export function receivesNothing(analysis: ConnectorAnalysis): LatentReason | null {
  return receivingReason(
    analysis.connector,
    analysis.scopeUnreadable,
    analysis.scope,
    analysis.reachableMetrics,
  );
}

/** Why the connector receives no mail at all, whoever holds what: null when it receives some. */
function receivingReason(
  connector: ReceiveConnector,
  scopeUnreadable: boolean,
  scope: ConnectorScope,
  reachable: ScopeMetrics,
): LatentReason | null {
  if (!connector.enabled) return 'disabled';
  if (scopeUnreadable) return null;
  if (scope.configured[4].isEmpty() && scope.configured[6].isEmpty()) return 'no-usable-range';
  return reachable.addresses === 0n ? 'shadowed' : null;
}

/**
 * Whether the scope is empty only because entries or bindings could not be read: a connector whose ranges the
 * export lost would otherwise read as one that receives no mail today (a latent grant, low).
 */
function isScopeUnreadable(scope: ConnectorScope): boolean {
  if (!scope.configured[4].isEmpty() || !scope.configured[6].isEmpty()) return false;
  if (scope.invalidBindings.length > 0) return true;
  for (let index = 0; index < scope.ranges.length; index++) if (!scope.ranges.parsed(index)) return true;
  return false;
}

/**
 * A verdict that cannot be shown safe is never below medium (low when the connector is disabled). A principal
 * that exrelay cannot identify holding the relay right may be ANONYMOUS LOGON, an ACL out of canonical order may
 * grant it the relay rights, and so may one of two different ACLs that inputs hold for the connector (which one is
 * current is unknown): these score as anonymous relay would (failing closed). An ACL that was not read at all, or a
 * mechanism exrelay cannot decode, may hold any grant but shows none: scored as anonymous relay would be up to high,
 * so that a connector the Internet reaches fails a run at the default --fail-on instead of passing it unexamined.
 */
function unknownScore(relay: RelayAssessment, receiving: LatentReason | null, liveExposure: number): number {
  if (receiving === 'disabled') return FIXED_SCORES.unknownVerdictDisabled;
  if (receiving) return FIXED_SCORES.unknownVerdict;
  let score: number = FIXED_SCORES.unknownVerdict;
  for (const reason of relay.unknownReasons) {
    if (MAY_RELAY.has(reason.kind) || (reason.kind === 'acl-error' && reason.mayRelay))
      score = Math.max(score, liveExposure);
    else if (NOT_READ.has(reason.kind)) score = Math.max(score, Math.min(liveExposure, BAND_FLOOR.high));
  }
  return score;
}

/** Reasons that leave unread what decides the verdict (the whole ACL, or the mechanisms offered). */
const NOT_READ: ReadonlySet<UnknownReason['kind']> = new Set([
  'no-acl',
  'acl-error',
  'unrecognized-auth-mechanism',
]);

/** Authenticated relay where BasicAuth is offered without BasicAuthRequireTLS to Internet addresses. */
function weakBasicAuth(
  connector: ReceiveConnector,
  relay: RelayAssessment,
  reachable: ScopeMetrics,
): boolean {
  return (
    (relay.authenticated || relay.everyone) &&
    hasFlag(connector.authMechanism, 'BasicAuth') &&
    !hasFlag(connector.authMechanism, 'BasicAuthRequireTLS') &&
    reachable.publicAddresses > 0n
  );
}
