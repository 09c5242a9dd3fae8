/**
 * The HTML report: one self-contained page for change boards and auditors (docs/html-report.md). The headline,
 * counts, accepted domains and check explanations are written here as escaped markup; connectors and findings go
 * into the page as JSON data that the page's script turns into a sortable, filterable, paged table. Written in
 * pieces as the connectors stream past, like the JSON report: a large organisation's page exceeds one string.
 */

import { SEVERITIES } from '../../analysis/severity.js';
import { CHECKS } from '../../checks/registry.js';
import type { ReportStream } from '../report.js';
import { summaryLine } from '../summary.js';
import { contentSecurityPolicy } from './content-security-policy.js';
import { escapeHtml, scriptJson } from './escape.js';
import { PageDataBuilder } from './page-data.js';
import { reportPage } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';
import { severityChart } from './severity-chart.js';
import { LINE_LIMIT, shorten, visible } from '../untrusted-text.js';

/** The page script as it runs in the browser: the function's own text, called at once. */
export const PAGE_SCRIPT = `(${reportPage.toString()})();`;

const CHECK_TITLES: Record<string, string> = Object.fromEntries(
  CHECKS.map((check) => [check.meta.id, check.meta.title]),
);

/** Text from the input, for element content or an attribute value. */
function shown(text: string): string {
  return escapeHtml(visible(text));
}

/** The same, at most a line's length (the JSON report has it whole). */
function shownLine(text: string): string {
  return shown(shorten(text, LINE_LIMIT));
}

function option(value: string, label = value): string {
  return `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`;
}

function head(title: string): string {
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy({ script: PAGE_SCRIPT, style: PAGE_STYLE }))}">\n` +
    '<meta name="referrer" content="no-referrer">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    '<meta name="color-scheme" content="light dark">\n' +
    `<title>${title}</title>\n<style>${PAGE_STYLE}</style>\n</head>\n`
  );
}

function headline(report: ReportStream): string {
  const { source } = report;
  const organisation = report.acceptedDomains?.find((domain) => domain.isDefault);
  const facts: Array<[string, string]> = [];
  if (organisation)
    facts.push(['Organisation', `${shown(organisation.domainName)} (default accepted domain)`]);
  facts.push(
    ['Source', `${escapeHtml(source.method)}: <span class="text">${shownLine(source.description)}</span>`],
    [
      'Collected',
      source.collectedAt === null ? 'not recorded (files exported by hand)' : shown(source.collectedAt),
    ],
    ['Data', source.partial ? '<strong>partial</strong>: some items could not be read' : 'complete'],
    ['Written by', escapeHtml(report.generator)],
  );
  const banner = source.partial
    ? '<p class="banner" role="note"><strong>Partial data.</strong> Some items could not be read: their verdicts are unknown and this report is incomplete. The findings of check incomplete-input or verdict-unknown say which.</p>\n'
    : '';
  return (
    '<a class="skip" href="#connectors">Skip to the connectors</a>\n<header>\n' +
    '<h1>Receive connector relay report</h1>\n<dl class="facts">' +
    facts.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('') +
    `</dl>\n${banner}</header>\n`
  );
}

function summarySection(report: ReportStream): string {
  const { summary } = report;
  const cards: Array<[number, string]> = [
    [summary.connectors, summary.connectors === 1 ? 'connector' : 'connectors'],
    [summary.liveRelay, 'relay without authentication today'],
    [summary.latentRelay, `latent relay grant${summary.latentRelay === 1 ? '' : 's'}`],
    [summary.unknownVerdict, 'unknown verdict'],
    [summary.findings, summary.findings === 1 ? 'finding' : 'findings'],
  ];
  return (
    '<section aria-labelledby="summary-heading">\n<h2 id="summary-heading">Summary</h2>\n' +
    `<p id="summary-line">${escapeHtml(summaryLine({ ...report, connectors: [] }))}</p>\n` +
    '<div class="summary"><ul class="cards" id="summary-counts">' +
    cards
      .map(
        ([count, label]) => `<li><span class="count">${count.toLocaleString('en-US')}</span> ${label}</li>`,
      )
      .join('') +
    `</ul>${severityChart(summary.bySeverity)}</div>\n</section>\n`
  );
}

const SEVERITY_OPTIONS = [...SEVERITIES]
  .reverse()
  .map((severity) => option(severity))
  .join('');

/** The table's columns; `key` names the page script's sort order (null: not sortable). */
const CONNECTOR_COLUMNS: Array<{ key: string | null; label: string; className?: string }> = [
  { key: 'identity', label: 'Connector' },
  { key: 'server', label: 'Server', className: 'wide-only' },
  { key: 'enabled', label: 'Enabled', className: 'wide-only' },
  { key: 'verdict', label: 'Verdict' },
  { key: null, label: 'Receives', className: 'wide-only' },
  { key: 'addresses', label: 'Addresses', className: 'num wide-only' },
  { key: 'score', label: 'Score', className: 'num wide-only' },
  { key: 'severity', label: 'Severity' },
  { key: 'findings', label: 'Findings', className: 'num wide-only' },
];

const NEEDS_SCRIPT =
  '<p id="needs-script" class="banner">This table and the findings below are built by the page&#39;s own script, which this viewer did not run. Open the file in a web browser, or ask for <code>--format markdown</code>.</p>\n';

function connectorsSection(): string {
  const headers = CONNECTOR_COLUMNS.map(
    ({ key, label, className }) =>
      `<th scope="col"${className ? ` class="${className}"` : ''}${key === null ? '' : ` data-key="${key}"`}>` +
      (key === null
        ? label
        : `<button type="button" data-sort="${key}">${label}<span class="arrow" aria-hidden="true"></span></button>`) +
      '</th>',
  ).join('');
  return (
    '<section id="connectors" aria-labelledby="connectors-heading">\n<h2 id="connectors-heading">Connectors</h2>\n' +
    NEEDS_SCRIPT +
    '<div class="controls" role="search" aria-label="Filter the connectors">' +
    '<label>Search<input id="filter-text" type="search" placeholder="name, range, principal"></label>' +
    `<label>Server<select id="filter-server">${option('', 'All servers')}</select></label>` +
    `<label>Severity<select id="filter-severity">${option('', 'Any severity')}${SEVERITY_OPTIONS}</select></label>` +
    `<label>Verdict<select id="filter-verdict">${option('', 'Any verdict')}${option('relay')}${option('unknown')}${option('no-relay')}</select></label>` +
    `<label>Rows per page<select id="page-size">${option('25')}<option value="50" selected>50</option>${option('100')}${option('250')}</select></label>` +
    '</div>\n<p id="connector-count" aria-live="polite"></p>\n' +
    '<div class="scroll"><table id="connectors-table"><caption class="visually-hidden">Receive connectors: select a name to show its details; sort with the column headers.</caption>' +
    `<thead><tr>${headers}</tr></thead><tbody id="connector-rows"></tbody></table></div>\n` +
    '<div class="pager"><button type="button" id="page-previous">Previous page</button><span id="page-label"></span><button type="button" id="page-next">Next page</button></div>\n' +
    '<p id="connector-print-note" class="print-only"></p>\n</section>\n'
  );
}

function findingsSection(report: ReportStream): string {
  return (
    '<section id="findings" aria-labelledby="findings-heading">\n<h2 id="findings-heading">Findings</h2>\n' +
    '<p>Most severe first. Each fix is Exchange Management Shell; review it before you run it. The rollback puts today&#39;s state back.</p>\n' +
    '<div class="controls" role="search" aria-label="Filter the findings">' +
    '<label>Search<input id="finding-text" type="search" placeholder="connector, text, fingerprint"></label>' +
    `<label>Severity<select id="finding-severity">${option('', 'Any severity')}${SEVERITY_OPTIONS}</select></label>` +
    `<label>Check<select id="finding-check">${option('', 'Any check')}</select></label>` +
    `</div>\n<p id="finding-count" aria-live="polite">${report.findings.length.toLocaleString('en-US')} findings</p>\n` +
    '<div id="finding-list"></div>\n' +
    '<div class="pager"><button type="button" id="finding-previous">Previous page</button><span id="finding-page-label"></span><button type="button" id="finding-next">Next page</button></div>\n</section>\n'
  );
}

function acceptedDomainsSection(report: ReportStream): string {
  const domains = report.acceptedDomains;
  const body =
    domains === null
      ? '<p>Not in the input: the checks on accepted domains could not run.</p>'
      : domains.length === 0
        ? '<p>None.</p>'
        : '<div class="scroll"><table><caption class="visually-hidden">Accepted domains</caption><thead><tr><th scope="col">Name</th><th scope="col">Domain</th><th scope="col">Type</th><th scope="col">Default</th><th scope="col">Mail relayed on</th><th scope="col">Open relay</th></tr></thead><tbody>' +
          domains
            .map(
              (domain) =>
                `<tr><td class="text">${shown(domain.name)}</td><td class="text">${shown(domain.domainName)}</td><td>${shown(domain.domainType)}</td>` +
                `<td>${domain.isDefault ? 'yes' : 'no'}</td><td>${domain.relayable ? 'yes' : 'no'}</td><td>${domain.openRelay ? '<strong>yes</strong>' : 'no'}</td></tr>`,
            )
            .join('') +
          '</tbody></table></div>';
  return `<section id="accepted-domains" aria-labelledby="domains-heading">\n<h2 id="domains-heading">Accepted domains</h2>\n${body}\n</section>\n`;
}

/** The checks that found something, explained: the page's links to a check land here, offline. */
function checksSection(report: ReportStream): string {
  const found = new Set(report.findings.map((finding) => finding.checkId));
  const entries = CHECKS.filter((check) => found.has(check.meta.id)).map(
    ({ meta }) =>
      `<article id="check-${escapeHtml(meta.id)}"><h3>${escapeHtml(meta.title)} <code>${escapeHtml(meta.id)}</code></h3>` +
      `<p>${escapeHtml(meta.explanation)}</p><p><strong>Severity:</strong> ${escapeHtml(meta.severityRule)}</p>` +
      `<p class="muted">The full page, with examples, is <code>docs/checks/${escapeHtml(meta.id)}.md</code> in the exrelay package; <code>exrelay checks</code> lists every check.</p></article>`,
  );
  return (
    '<section id="checks" aria-labelledby="checks-heading">\n<h2 id="checks-heading">The checks behind these findings</h2>\n' +
    (entries.length === 0 ? '<p>No check found anything.</p>' : entries.join('\n')) +
    '\n</section>\n'
  );
}

function footer(report: ReportStream): string {
  return (
    `<footer><p>Written by ${escapeHtml(report.generator)}. This page is one self-contained file: it loads nothing and sends nothing; ` +
    'its Content-Security-Policy allows only its own script and stylesheet. The JSON report (<code>--format json</code>) holds every value in full.</p></footer>\n' +
    '<p id="status" role="status" class="visually-hidden"></p>\n'
  );
}

/** The page's data, one connector and one finding at a time. */
function* pageData(report: ReportStream): Generator<string> {
  const builder = new PageDataBuilder();
  yield '<script type="application/json" id="report-data">{"connectors":[';
  let count = 0;
  for (const connector of report.connectors)
    yield `${count++ === 0 ? '' : ','}\n${scriptJson(builder.connector(connector))}`;
  yield `],\n"principals":${scriptJson(builder.principals)},\n"findings":[`;
  count = 0;
  for (const finding of report.findings)
    yield `${count++ === 0 ? '' : ','}\n${scriptJson(builder.finding(finding))}`;
  yield `],\n"checks":${scriptJson(CHECK_TITLES)}}</script>\n`;
}

export function* renderHtmlChunks(report: ReportStream): Generator<string> {
  const title = `exrelay report: ${shown(report.source.description.slice(0, 80))}${report.source.description.length > 80 ? '…' : ''}`;
  yield head(title);
  yield '<body>\n';
  yield headline(report);
  yield '<main>\n';
  yield summarySection(report);
  yield connectorsSection();
  yield findingsSection(report);
  yield acceptedDomainsSection(report);
  yield checksSection(report);
  yield '</main>\n';
  yield footer(report);
  yield* pageData(report);
  yield `<script>${PAGE_SCRIPT}</script>\n</body>\n</html>\n`;
}
