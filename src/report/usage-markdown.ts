/** `exrelay usage` as Markdown, for a ticket or a change review: coverage, connectors, relaying clients, findings. */

import { formatCount, plural } from '../checks/describe.js';
import type { UsageReport } from '../usage/usage-report.js';
import { minuteText } from '../usage/wording.js';
import { markdownFinding } from './markdown.js';
import { markdownCell, markdownCode, markdownText } from './untrusted-text.js';
import {
  authText,
  evidenceText,
  logsLine,
  relayClients,
  relayText,
  shownConnectors,
  usageSummaryLine,
} from './usage-text.js';

const CLIENT_ROWS = 20;

export function renderUsageMarkdown(report: UsageReport, options: { showInfo: boolean }): string {
  const lines = [
    '# exrelay usage report',
    '',
    markdownText(usageSummaryLine(report)),
    '',
    markdownText(logsLine(report)),
    '',
  ];
  lines.push(
    `Snapshot: ${markdownText(report.snapshot.description)}${report.snapshot.collectedAt ? `, collected ${report.snapshot.collectedAt}` : ''}`,
    '',
  );

  lines.push(
    '## Connectors',
    '',
    '| Connector | Relay | Log | Clients | Sessions | Relayed | Refused |',
    '|---|---|---|---:|---:|---:|---:|',
  );
  for (const connector of shownConnectors(report))
    lines.push(
      `| ${markdownCell(connector.identity)} | ${relayText(connector)} | ${evidenceText(connector.evidence)} | ${formatCount(connector.totals.clients)} | ${formatCount(connector.totals.sessions)} | ${formatCount(connector.totals.recipients.relayed)} | ${formatCount(connector.totals.recipients.relayRefused)} |`,
    );

  for (const { connector, clients, more } of relayClients(report, CLIENT_ROWS)) {
    lines.push('', `## ${markdownCode(connector.identity)}: clients that relayed or were refused relay`, '');
    lines.push(
      '| Address | Class | Sessions | Relayed | After AUTH | Refused | Sender | Last seen |',
      '|---|---|---:|---:|---:|---:|---|---|',
    );
    for (const client of clients)
      lines.push(
        `| ${markdownCell(client.address ?? '?')} | ${client.addressClass ?? ''} | ${formatCount(client.sessions)} | ${formatCount(client.recipients.relayed)} | ${formatCount(client.recipients.relayedAuthenticated)} | ${formatCount(client.recipients.relayRefused)} | ${markdownCell(authText(client))} | ${minuteText(client.lastSeen)} |`,
      );
    if (more > 0) lines.push('', `${formatCount(more)} more (the JSON and CSV reports list every client).`);
  }

  const findings = report.findings.filter((finding) => options.showInfo || finding.severity !== 'info');
  lines.push('', '## Findings', '');
  if (findings.length === 0) lines.push('No findings.', '');
  findings.forEach((finding, index) => lines.push(...markdownFinding(finding, index + 1)));
  const hidden = report.findings.length - findings.length;
  if (hidden > 0) lines.push(`${plural(hidden, 'info finding')} not listed (--show-info lists them).`, '');

  if (report.logs.problems.length > 0) {
    lines.push('## Problems in the logs', '', 'Those lines or files were not used.', '');
    for (const problem of report.logs.problems)
      lines.push(
        `- ${markdownCode(`${problem.file}${problem.line === null ? '' : `:${problem.line}`}`)}: ${markdownText(problem.message)}`,
      );
    lines.push('');
  }
  return lines.join('\n');
}
