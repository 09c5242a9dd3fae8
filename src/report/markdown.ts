/**
 * A Markdown report for tickets and change reviews: summary, connectors, then findings with their fixes. Values
 * from the audited organisation go through untrusted-text.ts, so no name can add a row, a column, a heading or
 * HTML.
 */

import type { MarkedFinding } from '../exceptions/apply-exceptions.js';
import type { Report } from './report.js';
import { hiddenNote, relayLabel, shownFindings, summaryLine } from './summary.js';
import { changesMarkdown, exceptionNote } from './changes-text.js';
import {
  CELL_LIMIT,
  markdownCell,
  markdownCode,
  markdownFence,
  markdownText,
  shownCommand,
} from './untrusted-text.js';

export function renderMarkdown(report: Report, options: { showInfo: boolean }): string {
  const findings = shownFindings(report, options.showInfo);
  const hidden = report.findings.length - findings.length;
  const lines: string[] = ['# exrelay report', '', summaryLine(report), ''];
  lines.push(
    `Source: ${markdownText(report.source.description)}${report.source.collectedAt ? `, collected ${markdownText(report.source.collectedAt)}` : ''}`,
    '',
  );
  lines.push(
    '## Connectors',
    '',
    '| Connector | Enabled | Relay | Receives | Score | Severity |',
    '|---|---|---|---|---:|---|',
  );
  for (const connector of report.connectors) {
    lines.push(
      `| ${markdownCell(connector.identity, CELL_LIMIT)} | ${connector.enabled ? 'yes' : 'no'} | ${relayLabel(connector)} | ${markdownCell(connector.receives)} | ${connector.score} | ${connector.severity} |`,
    );
  }
  if (report.changes) lines.push('', ...changesMarkdown(report.changes));
  else lines.push('');
  lines.push('## Findings', '');
  if (findings.length === 0 && hidden === 0) lines.push('No findings.', '');
  findings.forEach((finding, index) => lines.push(...markdownFinding(finding, index + 1)));
  if (hidden > 0) lines.push(hiddenNote(hidden), '');
  return lines.join('\n');
}

/** One finding as a numbered heading, its message, its fix and rollback (shared with the usage report). */
export function markdownFinding(finding: MarkedFinding, number: number): string[] {
  const where = finding.connector ? ` — ${markdownCode(finding.connector)}` : '';
  const accepted = finding.exception?.status === 'accepted' ? ' (accepted)' : '';
  const lines = [
    `### ${number}. ${finding.severity.toUpperCase()} · ${finding.checkId}${where}${accepted}`,
    '',
    markdownText(finding.message),
    '',
  ];
  const note = exceptionNote(finding);
  if (note) lines.push(`> ${markdownText(note)}`, '');
  if (finding.remediation) lines.push(markdownFence(shownCommand(finding.remediation), 'powershell'), '');
  if (finding.rollback)
    lines.push(
      "Rollback (restores today's state):",
      '',
      markdownFence(shownCommand(finding.rollback), 'powershell'),
      '',
    );
  return lines;
}
