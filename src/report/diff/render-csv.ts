/** One row per difference (RFC 4180; formula-like cells defused as in the findings CSV). */

import type { ExceptionMark } from '../../exceptions/apply-exceptions.js';
import type { FindingDiff } from '../../diff/diff.js';
import { csvCell } from '../untrusted-text.js';
import type { DiffReport } from './diff-report.js';
import { connectorLines } from './describe-diff.js';

const HEADER = ['change', 'severityBefore', 'severityAfter', 'checkId', 'connector', 'fingerprint', 'detail'];
/** Added when an exceptions file names a finding (diff --exceptions): how the entry stands and what it says. */
const EXCEPTION_HEADER = [
  'exception',
  'exceptionOwner',
  'exceptionTicket',
  'exceptionExpires',
  'exceptionReason',
];

type MarkedDiff = FindingDiff & { exception?: ExceptionMark };

function exceptionCells(finding: MarkedDiff): string[] {
  const mark = finding.exception;
  return mark
    ? [mark.status, mark.owner, mark.ticket ?? '', mark.expires, mark.reason]
    : ['', '', '', '', ''];
}

export function renderDiffCsv(report: DiffReport): string {
  const { introduced, widened, resolved, narrowed } = report.findings;
  const marked = [...introduced, ...widened, ...narrowed].some((finding: MarkedDiff) => finding.exception);
  const rows: string[][] = [marked ? [...HEADER, ...EXCEPTION_HEADER] : HEADER];
  for (const [change, findings] of Object.entries({ introduced, widened, resolved, narrowed })) {
    for (const finding of findings)
      rows.push([
        change,
        finding.severity.before ?? '',
        finding.severity.after ?? '',
        finding.checkId,
        finding.connector ?? '',
        finding.fingerprint,
        finding.message,
        ...(marked ? exceptionCells(finding) : []),
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
  // Every row as wide as the header: rows that are not findings leave the exception columns empty.
  const width = (rows[0] as string[]).length;
  return (
    rows
      .map((row) => [...row, ...Array<string>(width - row.length).fill('')])
      .map((row) => row.map((value) => csvCell(value)).join(','))
      .join('\r\n') + '\r\n'
  );
}
