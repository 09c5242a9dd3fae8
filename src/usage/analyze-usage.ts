/**
 * The logs joined with the organisation: for each connector, what its protocol log shows (per remote address) and
 * how far that evidence reaches. A connector whose logging is off, or whose service's logs were not read, has no
 * evidence, which is never the same as "unused". Pure: the scan comes in as data.
 */

import type { ConnectorAnalysis, OrganizationAnalysis } from '../analysis/analyze.js';
import { transportRoleOf } from '../analysis/listeners.js';
import type { ClientUsage, UsageTally } from './usage-tally.js';
import { emptyRecipientCounts, type RecipientCounts } from './smtp-session.js';

/** What one log file contributed: enough to know whose logs were read and over which time. */
export interface LogFileSummary {
  file: string;
  bytes: number;
  firstTime: string | null;
  lastTime: string | null;
  versions: string[];
  connectorIds: string[];
}

export interface LogWindow {
  from: string;
  to: string;
}

/** One transport service whose logs were read: a server's Front End or Transport (Hub) service. */
export interface ServiceLogs {
  server: string;
  transportRole: string;
  files: number;
  bytes: number;
  window: LogWindow | null;
  /**
   * Stretches inside the window longer than LOG_GAP_MS in which no file of the service has a line: files rotated
   * away or not copied, logging off, the service stopped. The window's ends say nothing about what lies between.
   */
  gaps: LogWindow[];
}

/**
 * No log line of a whole transport service for longer than a day is a gap, not a quiet spell: its Default Frontend
 * logs by default, and every Exchange server's own health probes connect to it every few minutes.
 */
export const LOG_GAP_MS = 86_400_000;

/**
 * `logged`: the connector logs and its service's logs were read, so the counts are evidence (zero included);
 * `logging-off`: ProtocolLoggingLevel None, nothing can be known; `not-read`: no log of its service was given;
 * `disabled`: it receives nothing; `not-in-snapshot`: the logs name a connector the snapshot lacks;
 * `logging-unknown`: the input lacks its ProtocolLoggingLevel and the logs hold no session of it (None is the
 * default of a connector an administrator creates), so nothing can be known.
 */
export type Evidence =
  'logged' | 'logging-off' | 'logging-unknown' | 'not-read' | 'disabled' | 'not-in-snapshot';

/** A client as the analysis sees it: the tally's own record (its address class is computed once, when tallied). */
export type ClientEvidence = ClientUsage;

export interface ConnectorUsage {
  identity: string;
  server: string;
  /** The connector's analysis; null when the snapshot does not have it. */
  analysis: ConnectorAnalysis | null;
  transportRole: string;
  evidence: Evidence;
  /** The window of its service's logs, when read. */
  window: LogWindow | null;
  /** Gaps in its service's logs inside that window (see ServiceLogs.gaps). */
  gaps: LogWindow[];
  /** Clients seen, busiest relays first. */
  clients: ClientEvidence[];
  totals: UsageTotals;
}

export interface UsageTotals {
  clients: number;
  sessions: number;
  messages: number;
  relayedMessages: number;
  recipients: RecipientCounts;
  notAuthenticated: number;
  /** Lines out of order in the sessions, not applied (see ClientUsage). */
  outOfOrderLines: number;
}

export interface UsageAnalysis {
  organization: OrganizationAnalysis;
  /** All connectors of the snapshot, in its order, then those only the logs name. */
  connectors: ConnectorUsage[];
  services: ServiceLogs[];
  window: LogWindow | null;
  files: number;
  bytes: number;
  versions: string[];
}

export function analyzeUsage(
  organization: OrganizationAnalysis,
  tally: UsageTally,
  files: readonly LogFileSummary[],
): UsageAnalysis {
  const byIdentity = new Map<string, ConnectorAnalysis>();
  for (const connector of organization.connectors)
    byIdentity.set(connector.connector.identity.toLowerCase(), connector);
  const services = serviceLogs(files, byIdentity);
  const clientsByConnector = new Map<string, ClientEvidence[]>();
  for (const usage of tally.values()) {
    const key = usage.connectorId.toLowerCase();
    const list = clientsByConnector.get(key) ?? [];
    list.push(usage);
    clientsByConnector.set(key, list);
  }
  const connectors = organization.connectors.map((analysis) => {
    const key = analysis.connector.identity.toLowerCase();
    const clients = clientsByConnector.get(key) ?? [];
    clientsByConnector.delete(key);
    const role = transportRoleOf(analysis.connector);
    const service = services.get(serviceKey(analysis.connector.server, role));
    return connectorUsage(
      analysis.connector.identity,
      analysis.connector.server,
      analysis,
      role,
      evidenceOf(analysis, service, clients.length > 0),
      service?.window ?? null,
      service?.gaps ?? [],
      clients,
    );
  });
  // Connectors only the logs name, in a fixed order (the tally's order depends on how the files were shared out).
  const unknown = [...clientsByConnector.values()].sort((a, b) =>
    compareText((a[0] as ClientEvidence).connectorId, (b[0] as ClientEvidence).connectorId),
  );
  for (const clients of unknown) {
    const identity = (clients[0] as ClientEvidence).connectorId;
    const server = serverOf(identity);
    const role = roleFromPorts(clients);
    const service = services.get(serviceKey(server, role));
    connectors.push(
      connectorUsage(
        identity,
        server,
        null,
        role,
        'not-in-snapshot',
        service?.window ?? null,
        service?.gaps ?? [],
        clients,
      ),
    );
  }
  const windows = files.flatMap((file) =>
    file.firstTime && file.lastTime ? [{ from: file.firstTime, to: file.lastTime }] : [],
  );
  return {
    organization,
    connectors,
    services: [...services.values()],
    window: unionWindow(windows),
    files: files.length,
    bytes: files.reduce((sum, file) => sum + file.bytes, 0),
    versions: [...new Set(files.flatMap((file) => file.versions))].sort(),
  };
}

function connectorUsage(
  identity: string,
  server: string,
  analysis: ConnectorAnalysis | null,
  transportRole: string,
  evidence: Evidence,
  window: LogWindow | null,
  gaps: LogWindow[],
  clients: ClientEvidence[],
): ConnectorUsage {
  clients.sort(byRelayThenSessions);
  return {
    identity,
    server,
    analysis,
    transportRole,
    evidence,
    window,
    gaps,
    clients,
    totals: totalsOf(clients),
  };
}

/**
 * Sessions in the logs are evidence whatever the snapshot says today (logging or the connector may have been
 * turned off since); without sessions, a disabled or unlogged connector, or an unread service, tells nothing.
 */
function evidenceOf(
  analysis: ConnectorAnalysis,
  service: ServiceLogs | undefined,
  sessions: boolean,
): Evidence {
  const { connector } = analysis;
  if (sessions) return 'logged';
  if (!connector.enabled) return 'disabled';
  if (isLoggingOff(analysis)) return 'logging-off';
  if (service === undefined) return 'not-read';
  // Read as "logged", no session would mean "unused": a grant in use called idle, its connector to be disabled.
  return analysis.connector.protocolLoggingLevel == null ? 'logging-unknown' : 'logged';
}

/**
 * The time a connector's silence is evidence for. Its service's window, unless the connector's logging is off now
 * (ProtocolLoggingLevel None) while its sessions are in the logs: it logged then, but may have stopped right after
 * its last session and been used since, so only the span of its own sessions counts.
 */
export function evidenceWindow(connector: ConnectorUsage): {
  window: LogWindow;
  gaps: LogWindow[];
  cut: boolean;
} | null {
  if (connector.window === null) return null;
  const off = connector.analysis !== null && isLoggingOff(connector.analysis);
  if (!off || connector.clients.length === 0)
    return { window: connector.window, gaps: connector.gaps, cut: false };
  let from = connector.clients[0]?.firstSeen as string;
  let to = connector.clients[0]?.lastSeen as string;
  for (const client of connector.clients) {
    if (client.firstSeen < from) from = client.firstSeen;
    if (client.lastSeen > to) to = client.lastSeen;
  }
  const gaps = connector.gaps.filter((gap) => gap.from >= from && gap.to <= to);
  return { window: { from, to }, gaps, cut: true };
}

export function isLoggingOff(analysis: ConnectorAnalysis): boolean {
  return analysis.connector.protocolLoggingLevel?.toLowerCase() === 'none';
}

/** "EX01\Relay" → "EX01"; a connector-id without a server part is its own server name. */
function serverOf(connectorId: string): string {
  const slash = connectorId.indexOf('\\');
  return slash < 0 ? connectorId : connectorId.slice(0, slash);
}

function serviceKey(server: string, role: string): string {
  return `${server.toLowerCase()}|${role.toLowerCase()}`;
}

/** For a connector the snapshot lacks: 2525 and 465 are the Transport service's ports (§7), the rest Front End's. */
function roleFromPorts(clients: readonly ClientUsage[]): string {
  const ports = clients.flatMap((client) => [...client.localPorts.keys()]);
  return ports.length > 0 && ports.every((port) => port === 2525 || port === 465)
    ? 'HubTransport'
    : 'FrontendTransport';
}

function serviceLogs(
  files: readonly LogFileSummary[],
  byIdentity: Map<string, ConnectorAnalysis>,
): Map<string, ServiceLogs> {
  const services = new Map<string, ServiceLogs>();
  const spans = new Map<string, LogWindow[]>();
  for (const file of files) {
    const seen = new Set<string>();
    for (const connectorId of file.connectorIds) {
      const known = byIdentity.get(connectorId.toLowerCase());
      const server = known?.connector.server ?? serverOf(connectorId);
      const role = known ? transportRoleOf(known.connector) : null;
      if (role === null) continue;
      const key = serviceKey(server, role);
      if (seen.has(key)) continue;
      seen.add(key);
      const service = services.get(key) ?? {
        server,
        transportRole: role,
        files: 0,
        bytes: 0,
        window: null,
        gaps: [],
      };
      service.files++;
      service.bytes += file.bytes;
      if (file.firstTime && file.lastTime) {
        const span = { from: file.firstTime, to: file.lastTime };
        service.window = unionWindow([...(service.window ? [service.window] : []), span]);
        spans.set(key, [...(spans.get(key) ?? []), span]);
      }
      services.set(key, service);
    }
  }
  for (const [key, service] of services) service.gaps = gapsBetween(spans.get(key) ?? []);
  return services;
}

/** The stretches longer than LOG_GAP_MS that no file's span covers, between the first line and the last. */
function gapsBetween(spans: readonly LogWindow[]): LogWindow[] {
  const sorted = spans
    .map((span) => ({ span, from: Date.parse(span.from), to: Date.parse(span.to) }))
    .sort((a, b) => a.from - b.from);
  const gaps: LogWindow[] = [];
  let reached: { time: number; text: string } | null = null;
  for (const { span, from, to } of sorted) {
    if (reached !== null && from - reached.time > LOG_GAP_MS)
      gaps.push({ from: reached.text, to: span.from });
    if (reached === null || to > reached.time) reached = { time: to, text: span.to };
  }
  return gaps;
}

function unionWindow(windows: readonly LogWindow[]): LogWindow | null {
  let result: LogWindow | null = null;
  for (const window of windows) {
    if (result === null) result = { ...window };
    else {
      if (window.from < result.from) result.from = window.from;
      if (window.to > result.to) result.to = window.to;
    }
  }
  return result;
}

/** Unauthenticated relay first (the evidence that matters), then authenticated relay, then sessions. */
function byRelayThenSessions(a: ClientUsage, b: ClientUsage): number {
  return (
    b.recipients.relayed - a.recipients.relayed ||
    b.recipients.relayedAuthenticated - a.recipients.relayedAuthenticated ||
    b.sessions - a.sessions ||
    compareText(a.address ?? '', b.address ?? '')
  );
}

/** Code-unit order: the same on every machine, and far cheaper than localeCompare for tens of thousands. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function totalsOf(clients: readonly ClientUsage[]): UsageTotals {
  const totals: UsageTotals = {
    clients: clients.length,
    sessions: 0,
    messages: 0,
    relayedMessages: 0,
    recipients: emptyRecipientCounts(),
    notAuthenticated: 0,
    outOfOrderLines: 0,
  };
  for (const client of clients) {
    totals.sessions += client.sessions;
    totals.messages += client.messages;
    totals.relayedMessages += client.relayedMessages;
    totals.notAuthenticated += client.notAuthenticated;
    totals.outOfOrderLines += client.outOfOrderLines;
    for (const key of Object.keys(totals.recipients) as (keyof RecipientCounts)[])
      totals.recipients[key] += client.recipients[key];
  }
  return totals;
}
