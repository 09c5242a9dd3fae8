/**
 * One row per finding (RFC 4180), with its fix and the rollback that restores today's state. Values come from the audited organisation and are not trusted: csvCell
 * (untrusted-text.ts) makes hidden characters visible and keeps spreadsheets from running a cell as a formula.
 * Names are never shortened here (only the table and Markdown shorten).
 */

import type { Report } from './report.js';
import { csvCell } from './untrusted-text.js';

const HEADER = ['severity', 'checkId', 'connector', 'server', 'message', 'remediation', 'rollback'];

export function renderCsv(report: Report): string {
  const servers = new Map(report.connectors.map((connector) => [connector.identity, connector.server]));
  const rows = report.findings.map((finding) => [
    csvCell(finding.severity),
    csvCell(finding.checkId),
    csvCell(finding.connector ?? ''),
    csvCell(finding.connector ? (servers.get(finding.connector) ?? '') : ''),
    csvCell(finding.message),
    csvCell(finding.remediation ?? '', { multiline: true }),
    csvCell(finding.rollback ?? '', { multiline: true }),
  ]);
  return [HEADER, ...rows].map((row) => row.join(',')).join('\r\n') + '\r\n';
}
