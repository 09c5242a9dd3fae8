/**
 * The report: the one structure every output format renders, and exactly what `--format json` prints.
 * Its contract is docs/json-report.md: fields may be added, never renamed or removed.
 */

import type { OrganizationAnalysis, ConnectorAnalysis } from '../analysis/analyze.js';
import { maxSeverity, SEVERITIES, severityRank, type Severity } from '../analysis/severity.js';
import type { Finding } from '../checks/check.js';
import type { ExceptionMark, MarkedFinding } from '../exceptions/apply-exceptions.js';
import type { ChangesSection } from '../history/changes.js';
import { rangeTextsOnce, scopeRangeTexts } from '../net/range-texts.js';
import { RangeRecordMemo, RangeRecords } from './range-records.js';
import { summarizeReceives } from './receives.js';
import { TakenByIndex } from './taken-by.js';

export { RangeRecords };

export const REPORT_SCHEMA_VERSION = 1;

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  generator: string;
  source: { method: string; description: string; collectedAt: string | null; partial: boolean };
  summary: ReportSummary;
  connectors: ReportConnector[];
  acceptedDomains: ReportAcceptedDomain[] | null;
  /** Each finding; `exception` is set when an approved exception names it (docs/scheduled-audits.md). */
  findings: MarkedFinding[];
  /** With --exceptions: what the exceptions file did. */
  exceptions?: ReportExceptions;
  /** audit with --snapshot-dir or --baseline: what changed since the baseline. */
  changes?: ChangesSection;
}

export interface ReportExceptions {
  file: string;
  /** The day the entries were judged on (YYYY-MM-DD). */
  date: string;
  entries: number;
  accepted: number;
  expired: number;
  scopeExceeded: number;
  stale: number;
}

export type { ExceptionMark, MarkedFinding };

export interface ReportSummary {
  connectors: number;
  /** Connectors whose verdict is `relay` (anonymous or externally secured), enabled or not. */
  anonymousRelay: number;
  /** Of those, the ones that relay today: enabled and receiving some address (`relay.latent` is null). */
  liveRelay: number;
  /** Connectors holding a relay grant that does not work today (`relay.latent`: disabled, shadowed, …). */
  latentRelay: number;
  /** `latentRelay` by reason, e.g. `{ "disabled": 1, "shadowed": 1 }`. */
  latentByReason: Record<string, number>;
  unknownVerdict: number;
  findings: number;
  highestSeverity: Severity | null;
  bySeverity: Record<Severity, number>;
}

export interface ReportConnector {
  identity: string;
  server: string;
  name: string;
  enabled: boolean;
  transportRole: string | null;
  isDefault: boolean;
  bindings: string[];
  authMechanism: string[];
  permissionGroups: string[];
  relay: {
    anonymous: boolean;
    externallySecured: boolean;
    everyone: boolean;
    authenticated: boolean;
    anonymousSubmit: boolean;
    verdict: 'relay' | 'no-relay' | 'unknown';
    latent: string | null;
    /** Why a grant to Everyone cannot be used today; null when it can or there is none. */
    everyoneLatent: string | null;
    /** TlsDomainCapabilities gives every session without TLS the relay right (AcceptCrossForestMail). */
    certificateRelay: boolean;
    /** Why the ACL cannot decide (verdict-unknown's messageIds); empty when it can. */
    unknownReasons: string[];
    basis: string;
    principals: Array<{
      user: string;
      sid: string | null;
      inherited: boolean;
      grantedBy: string;
      canSubmit: boolean;
      kind: string;
      infrastructure: boolean;
    }>;
  };
  remoteIPRanges: ReportRange[];
  /** Decimal string: the addresses this connector really receives. */
  effectiveAddresses: string;
  /** Short human summary of those addresses, e.g. "IPv4 except 3 ranges, ::/0". */
  receives: string;
  /** Other connectors that receive addresses this one would receive if they did not exist. */
  takenBy: ReportTakenBy[];
  effectiveRanges: readonly string[];
  effectivePublicAddresses: string;
  score: number;
  severity: Severity;
  /** Why the severity is above the band of the exposure of what the connector receives; null when it is not. */
  severityReason: SeverityReason | null;
}

export interface SeverityReason {
  /** `default-connector` or `everyone` (a floor on the score), or `finding` (a finding more severe than the score). */
  by: 'default-connector' | 'everyone' | 'finding';
  /** The finding's check and messageId when `by` is `finding`. */
  checkId: string | null;
  messageId: string | null;
  text: string;
}

export interface ReportTakenBy {
  /** The other connector's identity. */
  connector: string;
  /** Decimal string: how many addresses it takes, over every port and local address they share. */
  addresses: string;
  ranges: readonly string[];
  /** It wins only by Active Directory's enumeration order (an exact tie; ambiguous-precedence). */
  tie: boolean;
}

export interface ReportRange {
  text: string;
  family: 'IPv4' | 'IPv6' | null;
  first: string | null;
  last: string | null;
  addresses: string;
  scope: string | null;
  public: boolean;
  publicAddresses: string;
  score: number;
  format: string | null;
  unused: boolean;
  error: string | null;
}

export interface ReportAcceptedDomain {
  name: string;
  domainName: string;
  domainType: string;
  isDefault: boolean;
  relayable: boolean;
  openRelay: boolean;
}

/**
 * The report with its connectors produced on demand, one at a time: the JSON writer serialises each as it is
 * built, so a large organisation never holds every report connector in memory at once.
 */
export interface ReportStream extends Omit<Report, 'connectors'> {
  connectors: Iterable<StreamedConnector>;
}

/** A connector of a ReportStream: its range records may be made as they are read (RangeRecords). */
export interface StreamedConnector extends Omit<ReportConnector, 'remoteIPRanges'> {
  remoteIPRanges: RangeList;
}

/** What the writers read of a connector's range records: an array, or RangeRecords. */
export interface RangeList extends Iterable<ReportRange> {
  readonly length: number;
  slice(start?: number, end?: number): ReportRange[];
}

/** The whole report in memory, for the writers that need every connector at once. */
export function materializeReport<T extends ReportStream>(
  stream: T,
): Omit<T, 'connectors'> & { connectors: ReportConnector[] } {
  const connectors: ReportConnector[] = [];
  // Spread, then replaced: the field keeps its place, so the JSON of both forms is the same.
  for (const connector of stream.connectors)
    connectors.push({ ...connector, remoteIPRanges: connector.remoteIPRanges.slice() });
  return { ...stream, connectors };
}

export function buildReport(
  analysis: OrganizationAnalysis,
  findings: readonly MarkedFinding[],
  generator: string,
): Report {
  return materializeReport(streamReport(analysis, findings, generator));
}

export function streamReport(
  analysis: OrganizationAnalysis,
  findings: readonly MarkedFinding[],
  generator: string,
): ReportStream {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<
    Severity,
    number
  >;
  for (const finding of findings) bySeverity[finding.severity]++;
  const highest = findings.reduce<Severity | null>(
    (current, finding) => (current === null ? finding.severity : maxSeverity(current, finding.severity)),
    null,
  );
  const { snapshot } = analysis;
  const takenBy = new TakenByIndex(analysis);
  // Shared by the connectors of this report only: what it remembers goes when the report is written.
  const records = new RangeRecordMemo();
  const worstFinding = new Map<string, Finding>();
  for (const finding of findings) {
    if (finding.connector === null) continue;
    const current = worstFinding.get(finding.connector);
    if (!current || severityRank(finding.severity) > severityRank(current.severity))
      worstFinding.set(finding.connector, finding);
  }
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generator,
    source: {
      method: snapshot.source.method,
      description: snapshot.source.description,
      collectedAt: snapshot.collectedAt,
      partial: snapshot.partial,
    },
    summary: {
      connectors: analysis.connectors.length,
      anonymousRelay: analysis.connectors.filter((connector) => connector.relay.verdict === 'relay').length,
      ...relayCounts(analysis.connectors),
      unknownVerdict: analysis.connectors.filter((connector) => connector.relay.verdict === 'unknown').length,
      findings: findings.length,
      highestSeverity: highest,
      bySeverity,
    },
    connectors: {
      *[Symbol.iterator]() {
        for (const connector of analysis.connectors)
          yield reportConnector(
            connector,
            worstFinding.get(connector.connector.identity),
            takenBy.of(connector.index),
            records,
          );
      },
    },
    acceptedDomains:
      analysis.acceptedDomains?.map(({ domain, relayable, openRelay }) => ({
        ...domain,
        relayable,
        openRelay,
      })) ?? null,
    findings: [...findings],
  };
}

/** Live relay apart from latent grants: a headline must not count a disabled connector as relaying. */
function relayCounts(
  connectors: readonly ConnectorAnalysis[],
): Pick<ReportSummary, 'liveRelay' | 'latentRelay' | 'latentByReason'> {
  let liveRelay = 0;
  const latentByReason: Record<string, number> = {};
  for (const { relay, latent } of connectors) {
    if (latent !== null) latentByReason[latent] = (latentByReason[latent] ?? 0) + 1;
    else if (relay.verdict === 'relay') liveRelay++;
  }
  const latentRelay = Object.values(latentByReason).reduce((total, count) => total + count, 0);
  return { liveRelay, latentRelay, latentByReason };
}

/** A connector's severity is its exposure severity raised to that of its worst finding. */
function reportConnector(
  analysis: ConnectorAnalysis,
  worstFinding: Finding | undefined,
  takenBy: ReportTakenBy[],
  records: RangeRecordMemo,
): StreamedConnector {
  const { connector, relay } = analysis;
  const severity = worstFinding ? maxSeverity(analysis.severity, worstFinding.severity) : analysis.severity;
  const effectiveRanges = scopeRangeTexts(analysis.effective, rangeTextsOnce);
  return {
    identity: connector.identity,
    server: connector.server,
    name: connector.name,
    enabled: connector.enabled,
    transportRole: connector.transportRole,
    isDefault: analysis.isDefault,
    bindings: connector.bindings,
    authMechanism: connector.authMechanism,
    permissionGroups: connector.permissionGroups,
    relay: {
      anonymous: relay.anonymous,
      externallySecured: relay.externallySecured,
      everyone: relay.everyone,
      authenticated: relay.authenticated,
      anonymousSubmit: relay.anonymousSubmit,
      verdict: relay.verdict,
      latent: analysis.latent,
      everyoneLatent: analysis.everyoneLatent,
      certificateRelay: relay.certificateRelay !== null,
      unknownReasons: relay.unknownReasons.map((reason) => reason.kind),
      basis: relay.basis,
      principals: relay.principals.map((principal) => ({
        user: principal.user,
        sid: principal.sid,
        inherited: principal.inherited,
        grantedBy: principal.source,
        canSubmit: principal.canSubmit,
        kind: principal.kind,
        infrastructure: principal.infrastructure,
      })),
    },
    remoteIPRanges: new RangeRecords(analysis.scope.ranges, records),
    effectiveAddresses: analysis.effectiveMetrics.addresses.toString(),
    receives: summarizeReceives(analysis.effective, effectiveRanges),
    takenBy,
    effectiveRanges,
    effectivePublicAddresses: analysis.effectiveMetrics.publicAddresses.toString(),
    score: analysis.score,
    severity,
    severityReason: severityReason(analysis, severity, worstFinding),
  };
}

const FLOOR_TEXT = {
  'default-connector':
    'at least high: unauthenticated relay on a default connector belongs on a dedicated connector, whatever it receives',
  everyone: 'at least high: every account that authenticates can relay through a grant to Everyone',
} as const;

function severityReason(
  analysis: ConnectorAnalysis,
  severity: Severity,
  worstFinding: Finding | undefined,
): SeverityReason | null {
  if (worstFinding && severityRank(worstFinding.severity) > severityRank(analysis.severity))
    return {
      by: 'finding',
      checkId: worstFinding.checkId,
      messageId: worstFinding.messageId,
      text: `raised from ${analysis.severity} (score ${analysis.score}) to ${severity} by ${worstFinding.checkId}`,
    };
  if (analysis.scoreFloor)
    return { by: analysis.scoreFloor, checkId: null, messageId: null, text: FLOOR_TEXT[analysis.scoreFloor] };
  return null;
}

/**
 * Findings at or above the threshold decide the exit code; `none` never fails. A finding an approved exception
 * accepts does not count.
 */
export function failsThreshold(findings: readonly MarkedFinding[], failOn: Severity | 'none'): boolean {
  if (failOn === 'none') return false;
  return findings.some(
    (finding) =>
      finding.exception?.status !== 'accepted' && severityRank(finding.severity) >= severityRank(failOn),
  );
}
