/** One row per difference (RFC 4180; formula-like cells defused as in the findings CSV). */

import { csvCell } from '../untrusted-text.js';
import type { DiffReport } from './diff-report.js';
import { connectorLines } from './describe-diff.js';

const HEADER = ['change', 'severityBefore', 'severityAfter', 'checkId', 'connector', 'fingerprint', 'detail'];

export function renderDiffCsv(report: DiffReport): string {
  const rows: string[][] = [HEADER];
  for (const [change, findings] of Object.entries({
    introduced: report.findings.introduced,
    widened: report.findings.widened,
    resolved: report.findings.resolved,
    narrowed: report.findings.narrowed,
  })) {
    for (const finding of findings)
      rows.push([
        change,
        finding.severity.before ?? '',
        finding.severity.after ?? '',
        finding.checkId,
        finding.connector ?? '',
        finding.fingerprint,
        finding.message,
      ]);
  }
  for (const connector of report.connectors) {
    const identity = connector.identity.after ?? connector.identity.before ?? '';
    for (const line of connectorLines(connector))
      rows.push([
        `connector-${connector.status}`,
        connector.severity?.before ?? '',
        connector.severity?.after ?? '',
        '',
        identity,
        '',
        line,
      ]);
    if (connector.status !== 'changed' && connectorLines(connector).length === 0)
      rows.push([`connector-${connector.status}`, '', '', '', identity, '', '']);
  }
  for (const command of report.change?.commands ?? [])
    for (const effect of command.effects.length > 0
      ? command.effects
      : [{ text: command.reason ?? command.status }])
      rows.push([
        `command-${command.status}`,
        '',
        '',
        '',
        command.target ?? '',
        '',
        `line ${command.line}: ${command.cmdlet}: ${effect.text}`,
      ]);
  for (const item of report.change?.notEvaluated ?? [])
    rows.push([
      'not-evaluated',
      '',
      '',
      '',
      '',
      '',
      `line ${item.line}, column ${item.column}: ${item.text}: ${item.reason}`,
    ]);
  return rows.map((row) => row.map((value) => csvCell(value)).join(',')).join('\r\n') + '\r\n';
}
