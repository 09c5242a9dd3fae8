import type { Finding } from '../checks/check.js';
import type { Report, ReportConnector } from './report.js';
import { SEVERITIES } from '../analysis/severity.js';
import { exceptionsSummary } from './changes-text.js';

/**
 * "12 connectors, 3 relay without authentication, 2 latent relay grants (1 disabled, 1 shadowed), 2 unknown;
 * findings: 1 critical, 2 high, …": live relay is counted apart from grants that do not work today.
 */
export function summaryLine(report: Report): string {
  const { summary } = report;
  const counts = [...SEVERITIES]
    .reverse()
    .filter((severity) => summary.bySeverity[severity] > 0)
    .map((severity) => `${summary.bySeverity[severity]} ${severity}`);
  const parts = [
    `${summary.connectors} connector${summary.connectors === 1 ? '' : 's'}`,
    `${summary.liveRelay} relay without authentication`,
  ];
  if (summary.latentRelay > 0) {
    const reasons = Object.entries(summary.latentByReason).map(([reason, count]) => `${count} ${reason}`);
    parts.push(
      `${summary.latentRelay} latent relay grant${summary.latentRelay === 1 ? '' : 's'} (${reasons.join(', ')})`,
    );
  }
  if (summary.unknownVerdict > 0) parts.push(`${summary.unknownVerdict} unknown`);
  const exceptions = exceptionsSummary(report);
  return `${parts.join(', ')}; findings: ${counts.length > 0 ? counts.join(', ') : 'none'}${exceptions ? `; ${exceptions}` : ''}${report.source.partial ? ' (partial data)' : ''}`;
}

/** Tables and Markdown list info findings only on request; JSON and CSV always carry everything. */
export function shownFindings(report: Report, showInfo: boolean): Finding[] {
  return showInfo ? report.findings : report.findings.filter((finding) => finding.severity !== 'info');
}

export function hiddenNote(hidden: number): string {
  return `${hidden} info finding${hidden === 1 ? '' : 's'} not listed (--show-info lists them).`;
}

/** The Relay column of tables: the verdict, and why a grant is latent ("relay (disabled)"). */
export function relayLabel(connector: Pick<ReportConnector, 'relay'>): string {
  return connector.relay.verdict + (connector.relay.latent ? ` (${connector.relay.latent})` : '');
}
