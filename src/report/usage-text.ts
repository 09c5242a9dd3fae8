/** Wording shared by the usage report's table and Markdown writers. */

import { formatCount, plural } from '../checks/describe.js';
import { SEVERITIES } from '../analysis/severity.js';
import type { Evidence } from '../usage/analyze-usage.js';
import type { UsageReport, UsageReportClient, UsageReportConnector } from '../usage/usage-report.js';
import { sizeText, windowText } from '../usage/wording.js';

/**
 * "4 connectors with sessions: 1,204 clients, 9,876 sessions, 12,002 messages; 31 recipients relayed without
 * authentication, 7 after AUTH, 5 refused; findings: 1 critical, 2 medium".
 */
export function usageSummaryLine(report: UsageReport): string {
  const { summary } = report;
  const counts = [...SEVERITIES]
    .reverse()
    .filter((severity) => summary.bySeverity[severity] > 0)
    .map((severity) => `${summary.bySeverity[severity]} ${severity}`);
  return (
    `${plural(summary.connectorsWithSessions, 'connector')} with sessions: ${plural(summary.clients, 'client')}, ` +
    `${plural(summary.sessions, 'session')}, ${plural(summary.messages, 'message')}; ` +
    `${plural(summary.relayedRecipients, 'recipient')} relayed without authentication, ` +
    `${formatCount(summary.relayedAuthenticatedRecipients)} after AUTH, ${formatCount(summary.relayRefused)} refused; ` +
    `findings: ${counts.length > 0 ? counts.join(', ') : 'none'}`
  );
}

/** "Logs: 42 files, 1,024 MB, 2026-03-01 00:00 UTC to … (30 days); 3 problems (see below)". */
export function logsLine(report: UsageReport): string {
  const { logs } = report;
  const window =
    logs.from && logs.to ? `, ${windowText({ from: logs.from, to: logs.to })}` : ', no log lines';
  const problems =
    logs.problems.length > 0 ? `; ${plural(logs.problems.length, 'problem')} in the logs (listed below)` : '';
  return `Logs: ${plural(logs.files, 'file')}, ${sizeText(logs.bytes)}${window}${problems}`;
}

const EVIDENCE_TEXT: Record<Evidence, string> = {
  logged: 'read',
  'logging-off': 'logging off',
  'logging-unknown': 'logging unknown',
  'not-read': 'not read',
  disabled: 'disabled',
  'not-in-snapshot': 'not in snapshot',
};

export function evidenceText(evidence: Evidence): string {
  return EVIDENCE_TEXT[evidence];
}

/** "relay", "no relay", "unknown"; "-" for a connector only the logs name. */
export function relayText(connector: UsageReportConnector): string {
  if (connector.unauthenticatedRelay) return 'relay';
  return connector.relayVerdict === null
    ? '-'
    : connector.relayVerdict === 'unknown'
      ? 'unknown'
      : 'no relay';
}

/** Connectors worth a row: those with sessions, and those granting relay without authentication. */
export function shownConnectors(report: UsageReport): UsageReportConnector[] {
  return report.connectors.filter(
    (connector) => connector.totals.sessions > 0 || connector.unauthenticatedRelay,
  );
}

/**
 * Per connector, the clients worth a row: those that relayed or were refused relay, busiest first, at most
 * `limit` each (and how many more there are).
 */
export function relayClients(
  report: UsageReport,
  limit: number,
): { connector: UsageReportConnector; clients: UsageReportClient[]; more: number }[] {
  return report.connectors.flatMap((connector) => {
    const relaying = connector.clients.filter(
      (client) =>
        client.recipients.relayed + client.recipients.relayedAuthenticated + client.recipients.relayRefused >
        0,
    );
    relaying.sort(
      (a, b) =>
        b.recipients.relayed - a.recipients.relayed ||
        b.recipients.relayedAuthenticated - a.recipients.relayedAuthenticated ||
        b.recipients.relayRefused - a.recipients.relayRefused,
    );
    return relaying.length === 0
      ? []
      : [{ connector, clients: relaying.slice(0, limit), more: Math.max(0, relaying.length - limit) }];
  });
}

/** "anonymous", "CONTOSO\\svc-scan", "2 users", "anonymous + 1 user". */
export function authText(client: UsageReportClient): string {
  const users = client.users.map((user) => user.name);
  const named =
    users.length === 1
      ? (users[0] as string)
      : users.length > 1
        ? plural(users.length, 'user')
        : client.authenticatedSessions > 0
          ? 'authenticated'
          : '';
  if (client.anonymousSessions > 0 && named) return `anonymous + ${named}`;
  return named || 'anonymous';
}
