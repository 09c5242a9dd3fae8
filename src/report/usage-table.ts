/**
 * `exrelay usage` on the terminal: what the logs cover, the connectors, the clients that relayed or were refused,
 * the findings, then the fix commands unwrapped. Text from the logs and the organisation (connector names, HELO
 * names, users, file names) goes through untrusted-text.ts: a client chooses its own HELO name.
 */

import type { Finding } from '../checks/check.js';
import { formatCount, plural } from '../checks/describe.js';
import type { UsageReport } from '../usage/usage-report.js';
import { minuteText } from '../usage/wording.js';
import { bold, paintSeverity } from './color.js';
import { fit, longest, type ColumnSpec, type TableOptions } from './table.js';
import { boxTable } from './box-table.js';
import { LINE_LIMIT, shownCommand, terminalCell, terminalMessage } from './untrusted-text.js';
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
/** A finding's prose in a cell is shortened beyond this (the JSON report has it whole). */
const MESSAGE_LIMIT = 1000;

/** A column as wide as its widest value (within `min` and `max`). */
function sized(values: readonly string[], min: number, max = Infinity, grow = false): ColumnSpec {
  return { min, want: Math.min(max, Math.max(min, longest(values))), grow };
}

function columnValues(rows: readonly string[][], index: number, header: string): string[] {
  return [header, ...rows.map((row) => row[index] as string)];
}

function layout(
  header: string[],
  rows: string[][],
  specs: (values: string[], index: number) => ColumnSpec,
  width: number,
) {
  return boxTable(
    [header, ...rows],
    fit(
      header.map((name, index) => specs(columnValues(rows, index, name), index)),
      width,
    ),
  );
}

export function renderUsageTable(report: UsageReport, options: TableOptions): string {
  const { color } = options;
  const parts: string[] = [bold(usageSummaryLine(report), color), terminalMessage(logsLine(report)), ''];

  const connectors = shownConnectors(report);
  if (connectors.length > 0) {
    const rows = connectors.map((connector) => [
      terminalCell(connector.identity),
      relayText(connector),
      evidenceText(connector.evidence),
      formatCount(connector.totals.clients),
      formatCount(connector.totals.sessions),
      formatCount(connector.totals.recipients.relayed),
      formatCount(connector.totals.recipients.relayRefused),
    ]);
    parts.push(
      'Connectors',
      layout(
        ['Connector', 'Relay', 'Log', 'Clients', 'Sessions', 'Relayed', 'Refused'],
        rows,
        (values, index) =>
          index === 0 ? sized(values, 9, Infinity, true) : sized(values, values[0]?.length ?? 4),
        options.width,
      ),
    );
  }

  for (const { connector, clients, more } of relayClients(report, CLIENT_ROWS)) {
    const rows = clients.map((client) => [
      terminalCell(client.address ?? '?'),
      client.addressClass ?? '',
      formatCount(client.sessions),
      formatCount(client.recipients.relayed),
      formatCount(client.recipients.relayedAuthenticated),
      formatCount(client.recipients.relayRefused),
      terminalCell(authText(client)),
      minuteText(client.lastSeen),
    ]);
    parts.push(
      `${terminalCell(connector.identity)}: clients that relayed or were refused relay`,
      layout(
        ['Address', 'Class', 'Sessions', 'Relayed', 'After AUTH', 'Refused', 'Sender', 'Last seen'],
        rows,
        (values, index) =>
          index === 0 || index === 6
            ? sized(values, 9, 40, index === 6)
            : sized(values, values[0]?.length ?? 4),
        options.width,
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
    finding.connector === null ? '(organisation)' : terminalCell(finding.connector),
    terminalCell(finding.message, MESSAGE_LIMIT),
  ]);
  const parts = [
    'Findings',
    layout(
      ['#', 'Severity', 'Check', 'Connector', 'Finding'],
      rows,
      (values, index) => {
        if (index === 1) return { min: 8, want: 8 };
        if (index === 3) return sized(values, 9, Math.floor(options.width * 0.2));
        return index === 4 ? sized(values, 12, Infinity, true) : sized(values, values[0]?.length ?? 1);
      },
      options.width,
    ),
  ];
  const fixes = findings
    .map((finding, index) => ({ finding, number: index + 1 }))
    .filter(({ finding }) => finding.remediation);
  if (fixes.length > 0) {
    parts.push('Fixes (Exchange Management Shell; review before running)', '');
    for (const { finding, number } of fixes) {
      const where = finding.connector ? ` ${terminalCell(finding.connector)}` : '';
      parts.push(bold(`#${number} ${finding.checkId}${where}`, options.color));
      parts.push(shownCommand(finding.remediation as string), '');
    }
  }
  return parts;
}

function problemsSection(report: UsageReport): string[] {
  const { problems } = report.logs;
  if (problems.length === 0) return [];
  const lines = problems
    .slice(0, PROBLEM_LINES)
    // One row per problem: a line feed in a file's name is shown as \x0a, as in every other table (standard error
    // indents it instead, see terminalMessage).
    .map((problem) =>
      terminalCell(
        `${problem.file}${problem.line === null ? '' : `:${problem.line}`}: ${problem.message}`,
        LINE_LIMIT,
      ),
    );
  if (problems.length > PROBLEM_LINES)
    lines.push(`… and ${formatCount(problems.length - PROBLEM_LINES)} more (--format json lists them all).`);
  return ['Problems in the logs (those lines were not used)', ...lines, ''];
}
