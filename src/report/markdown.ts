/** A Markdown report for tickets and change reviews: summary, connectors, then findings with their fixes. */

import type { Report } from './report.js';
import { hiddenNote, shownFindings, summaryLine } from './summary.js';

function cell(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
}

function inlineCode(value: string): string {
  const fence = value.includes('`') ? '``' : '`';
  return `${fence}${value.includes('`') ? ` ${value} ` : value}${fence}`;
}

export function renderMarkdown(report: Report, options: { showInfo: boolean }): string {
  const findings = shownFindings(report, options.showInfo);
  const hidden = report.findings.length - findings.length;
  const lines: string[] = ['# exrelay report', '', summaryLine(report), ''];
  lines.push(
    `Source: ${cell(report.source.description)}${report.source.collectedAt ? `, collected ${report.source.collectedAt}` : ''}`,
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
      `| ${inlineCode(connector.identity)} | ${connector.enabled ? 'yes' : 'no'} | ${connector.relay.verdict} | ${cell(connector.receives)} | ${connector.score} | ${connector.severity} |`,
    );
  }
  lines.push('', '## Findings', '');
  if (findings.length === 0 && hidden === 0) lines.push('No findings.', '');
  findings.forEach((finding, index) => {
    const where = finding.connector ? ` — ${inlineCode(finding.connector)}` : '';
    lines.push(
      `### ${index + 1}. ${finding.severity.toUpperCase()} · ${finding.checkId}${where}`,
      '',
      cell(finding.message),
      '',
    );
    if (finding.remediation) lines.push('```powershell', finding.remediation, '```', '');
  });
  if (hidden > 0) lines.push(hiddenNote(hidden), '');
  return lines.join('\n');
}
