/**
 * One row per finding (RFC 4180). Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the
 * start) get a leading apostrophe: connector names come from the audited organisation and are not trusted.
 */

import type { Report } from './report.js';

const HEADER = ['severity', 'checkId', 'connector', 'server', 'message', 'remediation'];

export function renderCsv(report: Report): string {
  const servers = new Map(report.connectors.map((connector) => [connector.identity, connector.server]));
  const rows = report.findings.map((finding) => [
    finding.severity,
    finding.checkId,
    finding.connector ?? '',
    finding.connector ? (servers.get(finding.connector) ?? '') : '',
    finding.message,
    finding.remediation ?? '',
  ]);
  return [HEADER, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
