/**
 * The analysis pipeline: Snapshot in, OrganizationAnalysis out. Pure: no files, processes or terminals.
 * principals → grants → relay verdicts; ranges → precedence (effective scope) → exposure scores.
 */

import type { ReceiveConnector, Snapshot } from '../model/snapshot.js';
import { IntervalSet } from '../net/interval-set.js';
import type { IpFamily } from '../net/ip-address.js';
import { analyzeAcceptedDomain, type AcceptedDomainAnalysis } from './accepted-domains.js';
import { analyzeConnectorScope, type ConnectorScope } from './connector-scope.js';
import { isDefaultConnector } from './default-connectors.js';
import { resolvePrecedence, type Listener, type PrecedenceResult } from './precedence.js';
import { assessRelay, type RelayAssessment } from './relay.js';
import {
  defaultConnectorFloor,
  everyoneScore,
  FIXED_SCORES,
  LATENT_SCORE,
  measureScope,
  relayExposureScore,
  type ScopeMetrics,
} from './scoring.js';
import { severityOfScore, type Severity } from './severity.js';

/** Why a relay grant receives no mail today. */
export type LatentReason = 'disabled' | 'shadowed' | 'no-submit';

export interface ExposureAspects {
  /** Anonymous or externally secured relay (latent grants included, scored low). */
  unauthenticatedRelay: number | null;
  everyoneRelay: number | null;
  unknownVerdict: number | null;
  basicAuthWithoutTls: number | null;
  anonymousSubmit: number | null;
}

export interface ConnectorAnalysis {
  /** Position in the snapshot: AD enumeration order for precedence ties. */
  index: number;
  connector: ReceiveConnector;
  isDefault: boolean;
  scope: ConnectorScope;
  /** The addresses this connector really receives (empty when disabled). */
  effective: Record<IpFamily, IntervalSet>;
  effectiveMetrics: ScopeMetrics;
  relay: RelayAssessment;
  latent: LatentReason | null;
  aspects: ExposureAspects;
  score: number;
  severity: Severity;
}

export interface OrganizationAnalysis {
  snapshot: Snapshot;
  connectors: ConnectorAnalysis[];
  precedence: PrecedenceResult;
  /** null when the input had no accepted domains. */
  acceptedDomains: AcceptedDomainAnalysis[] | null;
}

const EMPTY_SCOPE: Record<IpFamily, IntervalSet> = { 4: IntervalSet.EMPTY, 6: IntervalSet.EMPTY };

export function analyzeOrganization(snapshot: Snapshot): OrganizationAnalysis {
  const scopes = snapshot.connectors.map(analyzeConnectorScope);
  const precedence = resolvePrecedence(buildListeners(snapshot.connectors, scopes));
  const connectors = snapshot.connectors.map((connector, index) =>
    analyzeConnector(
      connector,
      index,
      scopes[index] as ConnectorScope,
      precedence.effective.get(index) ?? EMPTY_SCOPE,
    ),
  );
  return {
    snapshot,
    connectors,
    precedence,
    acceptedDomains: snapshot.acceptedDomains?.map(analyzeAcceptedDomain) ?? null,
  };
}

/** 2007/2010 connectors have no TransportRole: one transport service, which 2013+ calls HubTransport. */
export function transportRoleOf(connector: ReceiveConnector): string {
  return connector.transportRole ?? 'HubTransport';
}

function buildListeners(
  connectors: readonly ReceiveConnector[],
  scopes: readonly ConnectorScope[],
): Listener[] {
  const listeners = new Map<string, Listener>();
  connectors.forEach((connector, index) => {
    if (!connector.enabled) return;
    const scope = scopes[index] as ConnectorScope;
    for (const binding of scope.bindings) {
      const role = transportRoleOf(connector);
      const key = [connector.server.toLowerCase(), role.toLowerCase(), binding.port, binding.family].join(
        '|',
      );
      let listener = listeners.get(key);
      if (!listener) {
        listener = {
          server: connector.server,
          transportRole: role,
          port: binding.port,
          family: binding.family,
          entries: [],
        };
        listeners.set(key, listener);
      }
      const localAddress = binding.wildcard ? null : binding.address;
      // Exchange compares each RemoteIPRanges entry on its own size: never merge a connector's entries first.
      for (const range of scope.ranges) {
        if (range.family !== binding.family || range.first === null || range.last === null) continue;
        listener.entries.push({ connector: index, localAddress, first: range.first, last: range.last });
      }
    }
  });
  return [...listeners.values()];
}

function analyzeConnector(
  connector: ReceiveConnector,
  index: number,
  scope: ConnectorScope,
  effective: Record<IpFamily, IntervalSet>,
): ConnectorAnalysis {
  const relay = assessRelay(connector);
  const isDefault = isDefaultConnector(connector.name, connector.server);
  const effectiveMetrics = measureScope(effective);
  const exposure = relayExposureScore(effectiveMetrics, scope.hostsOnly);

  const latent = latentReason(connector, relay, effectiveMetrics);
  const unauthenticatedRelay = scoreUnauthenticatedRelay(relay, latent, isDefault, exposure);
  const aspects: ExposureAspects = {
    unauthenticatedRelay,
    everyoneRelay: relay.everyone ? (latent ? LATENT_SCORE : everyoneScore(exposure)) : null,
    unknownVerdict:
      relay.verdict === 'unknown'
        ? connector.enabled
          ? FIXED_SCORES.unknownVerdict
          : FIXED_SCORES.unknownVerdictDisabled
        : null,
    basicAuthWithoutTls: weakBasicAuth(connector, relay, effectiveMetrics)
      ? FIXED_SCORES.basicAuthWithoutTls
      : null,
    anonymousSubmit:
      relay.anonymousSubmit && relay.verdict === 'no-relay' && effectiveMetrics.addresses > 0n
        ? FIXED_SCORES.anonymousSubmit
        : null,
  };
  const score = Math.max(0, ...Object.values(aspects).filter((value): value is number => value !== null));
  return {
    index,
    connector,
    isDefault,
    scope,
    effective,
    effectiveMetrics,
    relay,
    latent,
    aspects,
    score,
    severity: severityOfScore(score),
  };
}

function latentReason(
  connector: ReceiveConnector,
  relay: RelayAssessment,
  effective: ScopeMetrics,
): LatentReason | null {
  const grant = relay.verdict === 'relay' || relay.everyone || relay.anonymousRelayLatent;
  if (!grant) return null;
  if (!connector.enabled) return 'disabled';
  if (effective.addresses === 0n) return 'shadowed';
  if (relay.anonymousRelayLatent && relay.verdict !== 'relay') return 'no-submit';
  return null;
}

function scoreUnauthenticatedRelay(
  relay: RelayAssessment,
  latent: LatentReason | null,
  isDefault: boolean,
  exposure: number,
): number | null {
  if (relay.verdict !== 'relay' && !relay.anonymousRelayLatent) return null;
  if (latent) return LATENT_SCORE;
  return isDefault ? defaultConnectorFloor(exposure) : exposure;
}

/** Authenticated relay where BasicAuth is offered without BasicAuthRequireTLS to Internet addresses. */
function weakBasicAuth(
  connector: ReceiveConnector,
  relay: RelayAssessment,
  effective: ScopeMetrics,
): boolean {
  const mechanisms = connector.authMechanism.map((name) => name.toLowerCase());
  return (
    relay.authenticated &&
    mechanisms.includes('basicauth') &&
    !mechanisms.includes('basicauthrequiretls') &&
    effective.publicAddresses > 0n
  );
}
