/**
 * The usage report: what every output format renders, and exactly what `exrelay usage --format json` prints
 * (docs/usage.md describes it; fields may be added, never renamed or removed).
 */

import { maxSeverity, SEVERITIES, type Severity } from '../analysis/severity.js';
import type { LogProblem } from '../logs/read-log-file.js';
import type {
  ClientEvidence,
  ConnectorUsage,
  Evidence,
  UsageAnalysis,
  UsageTotals,
} from './analyze-usage.js';
import type { Finding } from '../checks/check.js';
import { grantsUnauthenticatedRelay } from './least-privilege.js';
import type { RecipientCounts } from './smtp-session.js';
import { NO_COUNTS } from './usage-tally.js';

export const USAGE_REPORT_KIND = 'exrelay.usage';
export const USAGE_REPORT_SCHEMA_VERSION = 1;

export interface UsageReport {
  kind: typeof USAGE_REPORT_KIND;
  schemaVersion: typeof USAGE_REPORT_SCHEMA_VERSION;
  generator: string;
  snapshot: { method: string; description: string; collectedAt: string | null; partial: boolean };
  logs: {
    files: number;
    bytes: number;
    from: string | null;
    to: string | null;
    versions: string[];
    services: {
      server: string;
      transportRole: string;
      files: number;
      bytes: number;
      from: string | null;
      to: string | null;
      /** Stretches of more than a day inside from–to without any line of the service. */
      gaps: { from: string; to: string }[];
    }[];
    /** Every line or file that could not be used, with its file and line. */
    problems: LogProblem[];
  };
  summary: UsageSummary;
  connectors: UsageReportConnector[];
  findings: Finding[];
}

export interface UsageSummary {
  connectors: number;
  /** Connectors with logs read and sessions in them. */
  connectorsWithSessions: number;
  clients: number;
  sessions: number;
  messages: number;
  /** Recipients relayed without authenticating. */
  relayedRecipients: number;
  relayedAuthenticatedRecipients: number;
  relayRefused: number;
  logProblems: number;
  findings: number;
  highestSeverity: Severity | null;
  bySeverity: Record<Severity, number>;
}

export interface UsageReportConnector {
  identity: string;
  server: string;
  transportRole: string;
  inSnapshot: boolean;
  enabled: boolean | null;
  isDefault: boolean | null;
  /** The configuration's verdict (exrelay analyze): relay without authentication, or not, or unknown. */
  relayVerdict: 'relay' | 'no-relay' | 'unknown' | null;
  /** Senders may relay without authenticating (anonymous, externally secured or Everyone). */
  unauthenticatedRelay: boolean | null;
  protocolLoggingLevel: string | null;
  evidence: Evidence;
  window: { from: string; to: string } | null;
  totals: UsageTotals;
  clients: UsageReportClient[];
}

export interface UsageReportClient {
  address: string | null;
  addressClass: string | null;
  sessions: number;
  partialSessions: number;
  messages: number;
  relayedMessages: number;
  firstSeen: string;
  lastSeen: string;
  anonymousSessions: number;
  authenticatedSessions: number;
  users: { name: string; sessions: number }[];
  heloNames: { name: string; sessions: number }[];
  recipients: RecipientCounts;
  notAuthenticated: number;
  outOfOrderLines: number;
  relayDomains: { domain: string; recipients: number }[];
  proxiedClients: { address: string; sessions: number }[];
  anonymousRelayPermissionSessions: number;
  localPorts: { port: number; sessions: number }[];
}

export function buildUsageReport(
  usage: UsageAnalysis,
  findings: readonly Finding[],
  problems: readonly LogProblem[],
  generator: string,
): UsageReport {
  const { snapshot } = usage.organization;
  const connectors = usage.connectors.map(reportConnector);
  const clients = usage.connectors.flatMap((connector) => connector.clients);
  const sum = (pick: (client: ClientEvidence) => number) =>
    clients.reduce((total, client) => total + pick(client), 0);
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<
    Severity,
    number
  >;
  for (const finding of findings) bySeverity[finding.severity]++;
  return {
    kind: USAGE_REPORT_KIND,
    schemaVersion: USAGE_REPORT_SCHEMA_VERSION,
    generator,
    snapshot: {
      method: snapshot.source.method,
      description: snapshot.source.description,
      collectedAt: snapshot.collectedAt,
      partial: snapshot.partial,
    },
    logs: {
      files: usage.files,
      bytes: usage.bytes,
      from: usage.window?.from ?? null,
      to: usage.window?.to ?? null,
      versions: usage.versions,
      services: usage.services.map((service) => ({
        server: service.server,
        transportRole: service.transportRole,
        files: service.files,
        bytes: service.bytes,
        from: service.window?.from ?? null,
        to: service.window?.to ?? null,
        gaps: service.gaps.map((gap) => ({ ...gap })),
      })),
      problems: [...problems],
    },
    summary: {
      connectors: connectors.length,
      connectorsWithSessions: connectors.filter((connector) => connector.totals.sessions > 0).length,
      clients: clients.length,
      sessions: sum((client) => client.sessions),
      messages: sum((client) => client.messages),
      relayedRecipients: sum((client) => client.recipients.relayed),
      relayedAuthenticatedRecipients: sum((client) => client.recipients.relayedAuthenticated),
      relayRefused: sum((client) => client.recipients.relayRefused),
      logProblems: problems.length,
      findings: findings.length,
      highestSeverity: findings.reduce<Severity | null>(
        (current, finding) => (current === null ? finding.severity : maxSeverity(current, finding.severity)),
        null,
      ),
      bySeverity,
    },
    connectors,
    findings: [...findings],
  };
}

function reportConnector(usage: ConnectorUsage): UsageReportConnector {
  const analysis = usage.analysis;
  return {
    identity: usage.identity,
    server: usage.server,
    transportRole: usage.transportRole,
    inSnapshot: analysis !== null,
    enabled: analysis?.connector.enabled ?? null,
    isDefault: analysis?.isDefault ?? null,
    relayVerdict: analysis?.relay.verdict ?? null,
    unauthenticatedRelay: analysis ? grantsUnauthenticatedRelay(analysis) : null,
    protocolLoggingLevel: analysis?.connector.protocolLoggingLevel ?? null,
    evidence: usage.evidence,
    window: usage.window,
    totals: usage.totals,
    clients: usage.clients.map(reportClient),
  };
}

function reportClient(client: ClientEvidence): UsageReportClient {
  return {
    address: client.address,
    addressClass: client.addressClass,
    sessions: client.sessions,
    partialSessions: client.partialSessions,
    messages: client.messages,
    relayedMessages: client.relayedMessages,
    firstSeen: client.firstSeen,
    lastSeen: client.lastSeen,
    anonymousSessions: client.anonymousSessions,
    authenticatedSessions: client.authenticatedSessions,
    users: entries(client.users ?? NO_COUNTS).map(([name, sessions]) => ({ name, sessions })),
    heloNames: entries(client.heloNames).map(([name, sessions]) => ({ name, sessions })),
    recipients: client.recipients,
    notAuthenticated: client.notAuthenticated,
    outOfOrderLines: client.outOfOrderLines,
    relayDomains: entries(client.relayDomains ?? NO_COUNTS).map(([domain, recipients]) => ({
      domain,
      recipients,
    })),
    proxiedClients: entries(client.proxiedClients ?? NO_COUNTS).map(([address, sessions]) => ({
      address,
      sessions,
    })),
    anonymousRelayPermissionSessions: client.anonymousRelayPermissionSessions,
    localPorts: entries(client.localPorts).map(([port, sessions]) => ({ port, sessions })),
  };
}

/** Largest count first, then by key: the same order whatever order the logs were read in. */
function entries<K extends string | number>(counts: ReadonlyMap<K, number>): [K, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
