/**
 * `exrelay usage` on the terminal: what the logs cover, the connectors, the clients that relayed or were refused,
 * the findings, then the fix commands unwrapped. Text from the logs (HELO names, users, domains) is shown with its
 * control characters made visible: a client chooses its own HELO name.
 */

import { table } from 'table';
import { formatCount, plural } from '../checks/describe.js';
import type { Finding } from '../checks/check.js';
import type { UsageReport } from '../usage/usage-report.js';
import { minuteText } from '../usage/wording.js';
import { bold, paintSeverity } from './color.js';
import { config, fit, longest, type TableOptions } from './table.js';
import {
  authText,
  evidenceText,
  logsLine,
  relayClients,
  relayText,
  shownConnectors,
  usageSummaryLine,
} from './usage-text.js';

/** Clients listed per connector; json and csv list them all. */
const CLIENT_ROWS = 10;
const PROBLEM_LINES = 10;

export function renderUsageTable(report: UsageReport, options: TableOptions): string {
  const { color } = options;
  const parts: string[] = [bold(safe(usageSummaryLine(report)), color), safe(logsLine(report)), ''];

  const connectors = shownConnectors(report);
  if (connectors.length > 0) {
    const rows = connectors.map((connector) => [
      safe(connector.identity),
      relayText(connector),
      evidenceText(connector.evidence),
      formatCount(connector.totals.clients),
      formatCount(connector.totals.sessions),
      formatCount(connector.totals.recipients.relayed),
      formatCount(connector.totals.recipients.relayRefused),
    ]);
    parts.push(
      'Connectors',
      table(
        [['Connector', 'Relay', 'Log', 'Clients', 'Sessions', 'Relayed', 'Refused'], ...rows],
        config(
          fit(['name', 8, 15, 8, 9, 8, 8], options.width, longest(rows.map((row) => row[0] as string)), 1),
        ),
      ),
    );
  }

  for (const { connector, clients, more } of relayClients(report, CLIENT_ROWS)) {
    const rows = clients.map((client) => [
      safe(client.address ?? '?'),
      client.addressClass ?? '',
      formatCount(client.sessions),
      formatCount(client.recipients.relayed),
      formatCount(client.recipients.relayedAuthenticated),
      formatCount(client.recipients.relayRefused),
      safe(authText(client)),
      minuteText(client.lastSeen),
    ]);
    parts.push(
      `${safe(connector.identity)}: clients that relayed or were refused relay`,
      table(
        [
          ['Address', 'Class', 'Sessions', 'Relayed', 'After AUTH', 'Refused', 'Sender', 'Last seen'],
          ...rows,
        ],
        config(
          fit(
            ['name', 10, 8, 8, 10, 8, null, 20],
            options.width,
            longest(rows.map((row) => row[0] as string)),
            0.5,
          ),
        ),
      ),
    );
    if (more > 0) parts.push(`${formatCount(more)} more (--format json or csv lists every client).`, '');
  }

  const findings = report.findings.filter((finding) => options.showInfo || finding.severity !== 'info');
  const hidden = report.findings.length - findings.length;
  parts.push(...findingsSection(findings, options));
  if (hidden > 0) parts.push(`${plural(hidden, 'info finding')} not listed (--show-info lists them).`, '');
  parts.push(...problemsSection(report));
  return parts.join('\n') + '\n';
}

function findingsSection(findings: readonly Finding[], options: TableOptions): string[] {
  if (findings.length === 0) return ['No findings.'];
  const rows = findings.map((finding, index) => [
    String(index + 1),
    paintSeverity(finding.severity, finding.severity, options.color),
    finding.checkId,
    safe(finding.connector ?? '(organisation)'),
    safe(finding.message),
  ]);
  const widths = fit(
    [String(findings.length).length, 8, longest(findings.map((finding) => finding.checkId)), 'name', null],
    options.width,
    longest(rows.map((row) => row[3] as string)),
    0.3,
  );
  const parts = [
    'Findings',
    table([['#', 'Severity', 'Check', 'Connector', 'Finding'], ...rows], config(widths)),
  ];
  const fixes = findings
    .map((finding, index) => ({ finding, number: index + 1 }))
    .filter(({ finding }) => finding.remediation);
  if (fixes.length > 0) {
    parts.push('Fixes (Exchange Management Shell; review before running)', '');
    for (const { finding, number } of fixes) {
      parts.push(
        bold(
          `#${number} ${finding.checkId}${finding.connector ? ` ${safe(finding.connector)}` : ''}`,
          options.color,
        ),
      );
      parts.push(finding.remediation as string, '');
    }
  }
  return parts;
}

function problemsSection(report: UsageReport): string[] {
  const { problems } = report.logs;
  if (problems.length === 0) return [];
  const lines = problems
    .slice(0, PROBLEM_LINES)
    .map((problem) =>
      safe(`${problem.file}${problem.line === null ? '' : `:${problem.line}`}: ${problem.message}`),
    );
  if (problems.length > PROBLEM_LINES)
    lines.push(`… and ${formatCount(problems.length - PROBLEM_LINES)} more (--format json lists them all).`);
  return ['Problems in the logs (those lines were not used)', ...lines, ''];
}

/** Control characters (C0, DEL, C1) as visible escapes: text from logs must not drive the terminal. */
export function safe(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
    (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
