/**
 * The HTML report of exrelay usage: one row per connector with what the protocol logs show, its clients in the
 * details, the findings, and the problems met in the logs.
 */

import { severityRank } from '../../analysis/severity.js';
import { formatCount } from '../../checks/describe.js';
import type { UsageReport, UsageReportClient, UsageReportConnector } from '../../usage/usage-report.js';
import { USAGE_CHECKS } from '../../usage/usage-checks.js';
import { minuteText, sizeText, windowText } from '../../usage/wording.js';
import { authText, evidenceText, logsLine, relayText, usageSummaryLine } from '../usage-text.js';
import { escapeHtml } from './escape.js';
import { renderPage, type PageSpec } from './html-page.js';
import { markupLine, pageFinding, RowIndex, shownCell, shownLine } from './page-text.js';
import { pageScript } from './page-script.js';
import type { Cell, PageRow, PageTable } from './page-types.js';
import { usageKind, type UsageDetail } from './usage-kind.js';

/** Clients listed per connector and problems listed on the page; the JSON report has them all. */
export const CLIENT_LIMIT = 500;
export const PROBLEM_LIMIT = 1000;

const USAGE_TABLE: PageTable = {
  heading: 'Connectors',
  caption: 'Receive connectors and what the protocol logs show: select a name to list its clients.',
  noun: ['connector', 'connectors'],
  searchHint: 'connector, client address, sender',
  columns: [
    { label: 'Connector', sort: 'text' },
    { label: 'Server', sort: 'text', wide: true },
    { label: 'Relay', sort: 'text', style: 'verdict' },
    { label: 'Log', sort: 'text', wide: true },
    { label: 'Clients', sort: 'number', numeric: true, descending: true, wide: true },
    { label: 'Sessions', sort: 'number', numeric: true, descending: true, wide: true },
    { label: 'Relayed', sort: 'number', numeric: true, descending: true },
    { label: 'After AUTH', sort: 'number', numeric: true, descending: true, wide: true },
    { label: 'Refused', sort: 'number', numeric: true, descending: true, wide: true },
    { label: 'Severity', sort: 'number', style: 'severity', descending: true },
  ],
  filters: [
    { id: 'server', label: 'Server', column: 1, any: 'All servers' },
    { id: 'relay', label: 'Relay', column: 2, any: 'Any' },
    { id: 'log', label: 'Log', column: 3, any: 'Any' },
    {
      id: 'severity',
      label: 'Severity',
      column: 9,
      any: 'Any severity',
      options: ['critical', 'high', 'medium', 'low', 'info'],
    },
  ],
};

export const USAGE_SCRIPT = pageScript(usageKind);

const count = (value: number): Cell => [formatCount(value), value];

/** Most relayed first, then the busiest: the clients a reviewer looks for. */
function byRelay(a: UsageReportClient, b: UsageReportClient): number {
  return (
    b.recipients.relayed - a.recipients.relayed ||
    b.recipients.relayedAuthenticated - a.recipients.relayedAuthenticated ||
    b.recipients.relayRefused - a.recipients.relayRefused ||
    b.sessions - a.sessions
  );
}

function named(
  entries: Array<{ name?: string; domain?: string; sessions?: number; recipients?: number }>,
): string {
  const shown = entries
    .slice(0, 3)
    .map(
      (entry) => `${entry.name ?? entry.domain} (${formatCount(entry.sessions ?? entry.recipients ?? 0)})`,
    );
  return entries.length > 3
    ? `${shown.join(', ')} and ${formatCount(entries.length - 3)} more`
    : shown.join(', ');
}

function clientCells(client: UsageReportClient): string[] {
  return [
    client.address ?? '?',
    client.addressClass ?? '',
    formatCount(client.sessions),
    formatCount(client.messages),
    formatCount(client.recipients.relayed),
    formatCount(client.recipients.relayedAuthenticated),
    formatCount(client.recipients.relayRefused),
    authText(client),
    named(client.heloNames),
    named(client.relayDomains),
    minuteText(client.firstSeen),
    minuteText(client.lastSeen),
  ].map(shownLine);
}

function usageRow(connector: UsageReportConnector, severity: string | null): PageRow<UsageDetail> {
  const { totals } = connector;
  const clients = [...connector.clients].sort(byRelay);
  const yesNo = (value: boolean | null) => (value === null ? 'not in the snapshot' : value ? 'yes' : 'no');
  return {
    key: shownLine(connector.identity),
    mark: null,
    cells: [
      shownCell(connector.identity),
      shownCell(connector.server),
      relayText(connector),
      evidenceText(connector.evidence),
      count(totals.clients),
      count(totals.sessions),
      count(totals.recipients.relayed),
      count(totals.recipients.relayedAuthenticated),
      count(totals.recipients.relayRefused),
      severity === null ? ['', -1] : [severity, severityRank(severity as never)],
    ],
    detail: {
      facts: [
        ['Identity', shownLine(connector.identity)],
        ['Transport role', connector.transportRole],
        ['Enabled', yesNo(connector.enabled)],
        ['Default connector', yesNo(connector.isDefault)],
        ['Relay verdict (configuration)', connector.relayVerdict ?? 'not in the snapshot'],
        ['Protocol logging', connector.protocolLoggingLevel ?? 'not recorded'],
        ['Logs', evidenceText(connector.evidence)],
        ['Window', connector.window === null ? 'no session' : windowText(connector.window)],
        [
          'Recipients',
          `${formatCount(totals.recipients.internal)} in accepted domains, ${formatCount(totals.recipients.relayed)} relayed without authentication, ${formatCount(totals.recipients.relayedAuthenticated)} after AUTH, ${formatCount(totals.recipients.relayRefused)} refused`,
        ],
      ],
      clients: clients.slice(0, CLIENT_LIMIT).map(clientCells),
      moreClients: Math.max(0, clients.length - CLIENT_LIMIT),
    },
  };
}

function problemsSection(report: UsageReport): string {
  const { problems } = report.logs;
  if (problems.length === 0) return '';
  const items = problems
    .slice(0, PROBLEM_LIMIT)
    .map(
      (problem) =>
        `<li><code class="text">${markupLine(`${problem.file}${problem.line === null ? '' : `:${problem.line}`}`)}</code>: <span class="text">${markupLine(problem.message)}</span></li>`,
    )
    .join('');
  const more =
    problems.length > PROBLEM_LIMIT
      ? `<p class="muted">and ${formatCount(problems.length - PROBLEM_LIMIT)} more (the JSON report lists every one).</p>`
      : '';
  return `<section id="log-problems" aria-labelledby="problems-heading">\n<h2 id="problems-heading">Problems in the logs</h2>\n<p>Those lines or files were not used: the evidence is incomplete.</p><ul class="plain">${items}</ul>${more}\n</section>\n`;
}

function servicesSection(report: UsageReport): string {
  const rows = report.logs.services
    .map(
      (service) =>
        `<tr><td class="text">${markupLine(service.server)}</td><td>${escapeHtml(service.transportRole)}</td><td class="num">${formatCount(service.files)}</td><td class="num">${sizeText(service.bytes)}</td>` +
        `<td>${service.from === null ? '—' : minuteText(service.from)}</td><td>${service.to === null ? '—' : minuteText(service.to)}</td></tr>`,
    )
    .join('');
  return (
    '<section id="log-services" aria-labelledby="services-heading">\n<h2 id="services-heading">Logs read</h2>\n' +
    (rows === ''
      ? '<p>None.</p>'
      : `<div class="scroll"><table><caption class="visually-hidden">Protocol logs read, per transport service</caption><thead><tr><th scope="col">Server</th><th scope="col">Service</th><th scope="col" class="num">Files</th><th scope="col" class="num">Size</th><th scope="col">From</th><th scope="col">To</th></tr></thead><tbody>${rows}</tbody></table></div>`) +
    '\n</section>\n'
  );
}

export function* renderUsageHtmlChunks(report: UsageReport): Generator<string> {
  const { summary, snapshot } = report;
  const worst = new Map<string, string>();
  for (const finding of report.findings) {
    if (finding.connector === null) continue;
    const current = worst.get(finding.connector);
    if (current === undefined || severityRank(finding.severity) > severityRank(current as never))
      worst.set(finding.connector, finding.severity);
  }
  const problems = report.logs.problems.length;
  const spec: PageSpec = {
    title: `exrelay usage report: ${markupLine(snapshot.description.slice(0, 80))}`,
    heading: 'Receive connector usage report',
    facts: [
      [
        'Organisation',
        `${escapeHtml(snapshot.method)}: <span class="text">${markupLine(snapshot.description)}</span>`,
      ],
      ['Collected', snapshot.collectedAt === null ? 'not recorded' : markupLine(snapshot.collectedAt)],
      ['Logs', `<span class="text">${markupLine(logsLine(report))}</span>`],
      ['Data', problems > 0 || snapshot.partial ? '<strong>partial</strong>' : 'complete'],
      ['Written by', escapeHtml(report.generator)],
    ],
    banner:
      problems > 0
        ? `<strong>Incomplete evidence.</strong> ${formatCount(problems)} ${problems === 1 ? 'problem' : 'problems'} in the logs: those lines or files were not used (listed below).`
        : null,
    summaryLine: usageSummaryLine(report),
    cards: [
      [summary.connectorsWithSessions, 'connectors with sessions'],
      [summary.clients, 'clients'],
      [summary.sessions, 'sessions'],
      [summary.relayedRecipients, 'recipients relayed without authentication'],
      [summary.relayedAuthenticatedRecipients, 'relayed after AUTH'],
      [summary.relayRefused, 'relay refused'],
      [summary.findings, 'findings'],
    ],
    bySeverity: summary.bySeverity,
    table: USAGE_TABLE,
    findingsIntro:
      'Most severe first: evidence from the logs against what the configuration allows. Review each fix before you run it.',
    findingMarks: [],
    checks: { metas: USAGE_CHECKS.map((check) => check.meta), docsPage: () => 'docs/usage.md' },
    sections: [problemsSection(report), servicesSection(report)],
    script: USAGE_SCRIPT,
  };
  const index = new RowIndex();
  yield* renderPage(
    spec,
    (function* () {
      for (const connector of report.connectors) {
        index.add(connector.identity);
        yield usageRow(connector, worst.get(connector.identity) ?? null);
      }
    })(),
    () => null,
    {
      count: report.findings.length,
      checkIds: new Set(report.findings.map((finding) => finding.checkId)),
      *pages() {
        for (const finding of report.findings) yield pageFinding(finding, index.of(finding.connector));
      },
    },
  );
}
