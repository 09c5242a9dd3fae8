import type { Finding } from '../checks/check.js';
import type { Report } from './report.js';
import { SEVERITIES } from '../analysis/severity.js';

/** "12 connectors, 3 relay without authentication, 2 unknown; findings: 1 critical, 2 high, …". */
export function summaryLine(report: Report): string {
  const { summary } = report;
  const counts = [...SEVERITIES]
    .reverse()
    .filter((severity) => summary.bySeverity[severity] > 0)
    .map((severity) => `${summary.bySeverity[severity]} ${severity}`);
  const parts = [
    `${summary.connectors} connector${summary.connectors === 1 ? '' : 's'}`,
    `${summary.anonymousRelay} relay without authentication`,
  ];
  if (summary.unknownVerdict > 0) parts.push(`${summary.unknownVerdict} unknown`);
  return `${parts.join(', ')}; findings: ${counts.length > 0 ? counts.join(', ') : 'none'}${report.source.partial ? ' (partial data)' : ''}`;
}

/** Tables and Markdown list info findings only on request; JSON and CSV always carry everything. */
export function shownFindings(report: Report, showInfo: boolean): Finding[] {
  return showInfo ? report.findings : report.findings.filter((finding) => finding.severity !== 'info');
}

export function hiddenNote(hidden: number): string {
  return `${hidden} info finding${hidden === 1 ? '' : 's'} not listed (--show-info lists them).`;
}
