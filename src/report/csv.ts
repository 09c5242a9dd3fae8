/**
 * One row per finding (RFC 4180), with its fix and the rollback that restores today's state. Values come from the audited organisation and are not trusted: csvCell
 * (untrusted-text.ts) makes hidden characters visible and keeps spreadsheets from running a cell as a formula.
 * Names are never shortened here (only the table and Markdown shorten).
 */

import type { Report } from './report.js';
import { changeOf, HISTORY_CSV_HEADER, historyCsvCells } from './changes-text.js';
import { connectorLines } from './diff/describe-diff.js';
import { csvCell } from './untrusted-text.js';

const HEADER = ['severity', 'checkId', 'connector', 'server', 'message', 'remediation', 'rollback'];

export function renderCsv(report: Report): string {
  const servers = new Map(report.connectors.map((connector) => [connector.identity, connector.server]));
  // With history or exceptions, more columns, and rows for what the baseline had and this audit has not.
  const history = report.changes !== undefined || report.exceptions !== undefined;
  const change = changeOf(report.changes);
  const rows = report.findings.map((finding) => [
    csvCell(finding.severity),
    csvCell(finding.checkId),
    csvCell(finding.connector ?? ''),
    csvCell(finding.connector ? (servers.get(finding.connector) ?? '') : ''),
    csvCell(finding.message),
    csvCell(finding.remediation ?? '', { multiline: true }),
    csvCell(finding.rollback ?? '', { multiline: true }),
    ...(history ? historyCsvCells(finding, change(finding.fingerprint)) : []),
  ]);
  const diff = report.changes?.diff;
  for (const finding of diff?.findings.resolved ?? [])
    rows.push(
      [finding.severity.before ?? '', finding.checkId, finding.connector ?? '', '', finding.message, '', '']
        .concat([finding.fingerprint, 'resolved', '', '', '', '', ''])
        .map((value) => csvCell(value)),
    );
  for (const connector of diff?.connectors ?? []) {
    const identity = connector.identity.after ?? connector.identity.before ?? '';
    for (const line of connectorLines(connector))
      rows.push(
        [connector.severity?.after ?? '', '', identity, servers.get(identity) ?? '', line, '', '']
          .concat(['', `connector-${connector.status}`, '', '', '', '', ''])
          .map((value) => csvCell(value)),
      );
  }
  const header = history ? [...HEADER, ...HISTORY_CSV_HEADER] : HEADER;
  return [header, ...rows].map((row) => row.join(',')).join('\r\n') + '\r\n';
}
