/**
 * The page every HTML report is (docs/html-report.md): head with its Content-Security-Policy, headline, counts
 * and severity chart, one table with filters, the findings, sections of the report's own, and the data for the
 * page's script, written in pieces as the rows stream past. Each report (analyze, usage, diff, what-if) describes
 * itself with a PageSpec; the markup here is escaped, and everything from the input in it is made visible.
 */

import { SEVERITIES, type Severity } from '../../analysis/severity.js';
import type { CheckMeta } from '../../checks/check.js';
import { contentSecurityPolicy } from './content-security-policy.js';
import { escapeHtml, scriptJson } from './escape.js';
import { PAGE_STYLE } from './page-style.js';
import type { PageFinding, PageRow, PageTable } from './page-types.js';
import { severityChart } from './severity-chart.js';

export interface PageSpec {
  /** The page's title, already escaped. */
  title: string;
  heading: string;
  /** Headline facts: a term and its value as markup (already escaped). */
  facts: Array<[string, string]>;
  /** A warning under the headline (markup), or null. */
  banner: string | null;
  summaryLine: string;
  cards: Array<[number, string]>;
  /** Findings by severity, for the chart, and what the chart counts (default: findings). */
  bySeverity: Readonly<Record<Severity, number>>;
  chartTitle?: string;
  table: PageTable;
  findingsIntro: string;
  /** Change marks the findings carry (new, widened, …), for a filter; empty for none. */
  findingMarks: string[];
  /** The checks this kind of report runs, and the docs page of each, for titles and explanations. */
  checks: { metas: readonly CheckMeta[]; docsPage: (id: string) => string };
  /** Sections of the report's own, as markup, after the findings. */
  sections: string[];
  /** The page's script (pageScript with the report's kind). */
  script: string;
}

function option(value: string, label = value): string {
  return `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`;
}

const SEVERITY_OPTIONS = [...SEVERITIES]
  .reverse()
  .map((severity) => option(severity))
  .join('');

function head(spec: PageSpec): string {
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy({ script: spec.script, style: PAGE_STYLE }))}">\n` +
    '<meta name="referrer" content="no-referrer">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    '<meta name="color-scheme" content="light dark">\n' +
    `<title>${spec.title}</title>\n<style>${PAGE_STYLE}</style>\n</head>\n`
  );
}

function headline(spec: PageSpec): string {
  return (
    '<a class="skip" href="#table-section">Skip to the table</a>\n<header>\n' +
    `<h1>${escapeHtml(spec.heading)}</h1>\n<dl class="facts">` +
    spec.facts.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${value}</dd>`).join('') +
    `</dl>\n${spec.banner === null ? '' : `<p class="banner" role="note">${spec.banner}</p>\n`}</header>\n`
  );
}

function summarySection(spec: PageSpec): string {
  return (
    '<section aria-labelledby="summary-heading">\n<h2 id="summary-heading">Summary</h2>\n' +
    `<p id="summary-line">${escapeHtml(spec.summaryLine)}</p>\n` +
    '<div class="summary"><ul class="cards" id="summary-counts">' +
    spec.cards
      .map(
        ([count, label]) =>
          `<li><span class="count">${count.toLocaleString('en-US')}</span> ${escapeHtml(label)}</li>`,
      )
      .join('') +
    `</ul>${severityChart(spec.bySeverity, spec.chartTitle)}</div>\n</section>\n`
  );
}

const NEEDS_SCRIPT =
  '<p id="needs-script" class="banner">This table and the findings below are built by the page&#39;s own script, which this viewer did not run. Open the file in a web browser, or ask for <code>--format markdown</code>.</p>\n';

function tableSection(table: PageTable): string {
  const headers = table.columns
    .map((column, index) => {
      const classes = [column.numeric ? 'num' : '', column.wide ? 'wide-only' : ''].filter(Boolean).join(' ');
      const label = escapeHtml(column.label);
      return (
        `<th scope="col"${classes ? ` class="${classes}"` : ''}${column.sort === null ? '' : ` data-column="${index}"`}>` +
        (column.sort === null
          ? label
          : `<button type="button" data-sort="${index}">${label}<span class="arrow" aria-hidden="true"></span></button>`) +
        '</th>'
      );
    })
    .join('');
  const filters = table.filters
    .map(
      (filter) =>
        `<label>${escapeHtml(filter.label)}<select id="filter-${escapeHtml(filter.id)}">${option('', filter.any)}${(filter.options ?? []).map((value) => option(value)).join('')}</select></label>`,
    )
    .join('');
  return (
    `<section id="table-section" aria-labelledby="table-heading">\n<h2 id="table-heading">${escapeHtml(table.heading)}</h2>\n` +
    NEEDS_SCRIPT +
    `<div class="controls" role="search" aria-label="Filter the ${escapeHtml(table.noun[1])}">` +
    `<label>Search<input id="filter-text" type="search" placeholder="${escapeHtml(table.searchHint)}"></label>` +
    filters +
    `<label>Rows per page<select id="page-size">${option('25')}<option value="50" selected>50</option>${option('100')}${option('250')}</select></label>` +
    '</div>\n<p id="row-count" aria-live="polite"></p>\n' +
    `<div class="scroll"><table id="data-table"><caption class="visually-hidden">${escapeHtml(table.caption)}</caption>` +
    `<thead><tr>${headers}</tr></thead><tbody id="rows"></tbody></table></div>\n` +
    '<div class="pager"><button type="button" id="page-previous">Previous page</button><span id="page-label"></span><button type="button" id="page-next">Next page</button></div>\n' +
    '<p id="row-print-note" class="print-only"></p>\n</section>\n'
  );
}

function findingsSection(spec: PageSpec, count: number): string {
  const marks =
    spec.findingMarks.length === 0
      ? ''
      : `<label>Change<select id="finding-mark">${option('', 'Any change')}${spec.findingMarks.map((mark) => option(mark)).join('')}</select></label>`;
  return (
    '<section id="findings" aria-labelledby="findings-heading">\n<h2 id="findings-heading">Findings</h2>\n' +
    `<p>${escapeHtml(spec.findingsIntro)}</p>\n` +
    '<div class="controls" role="search" aria-label="Filter the findings">' +
    '<label>Search<input id="finding-text" type="search" placeholder="connector, text, fingerprint"></label>' +
    `<label>Severity<select id="finding-severity">${option('', 'Any severity')}${SEVERITY_OPTIONS}</select></label>` +
    `<label>Check<select id="finding-check">${option('', 'Any check')}</select></label>${marks}` +
    `</div>\n<p id="finding-count" aria-live="polite">${count.toLocaleString('en-US')} findings</p>\n` +
    '<div id="finding-list"></div>\n' +
    '<div class="pager"><button type="button" id="finding-previous">Previous page</button><span id="finding-page-label"></span><button type="button" id="finding-next">Next page</button></div>\n</section>\n'
  );
}

/** The checks that found something, explained: a finding's link to its check lands here, offline. */
function checksSection(spec: PageSpec, found: ReadonlySet<string>): string {
  const entries = spec.checks.metas
    .filter((meta) => found.has(meta.id))
    .map(
      (meta) =>
        `<article id="check-${escapeHtml(meta.id)}"><h3>${escapeHtml(meta.title)} <code>${escapeHtml(meta.id)}</code></h3>` +
        `<p>${escapeHtml(meta.explanation)}</p><p><strong>Severity:</strong> ${escapeHtml(meta.severityRule)}</p>` +
        `<p class="muted">The full explanation, with examples, is <code>${escapeHtml(spec.checks.docsPage(meta.id))}</code> in the exrelay package; <code>exrelay checks</code> lists every check.</p></article>`,
    );
  return (
    '<section id="checks" aria-labelledby="checks-heading">\n<h2 id="checks-heading">The checks behind these findings</h2>\n' +
    (entries.length === 0 ? '<p>No check found anything.</p>' : entries.join('\n')) +
    '\n</section>\n'
  );
}

const FOOTER =
  '<footer><p>This page is one self-contained file: it loads nothing and sends nothing; its Content-Security-Policy allows only its own script and stylesheet. The JSON report (<code>--format json</code>) holds every value in full.</p></footer>\n' +
  '<p id="status" role="status" class="visually-hidden"></p>\n';

/**
 * The whole page. `rows` are converted and written one at a time; `shared` is asked for after the rows (it may
 * gather what they refer to), `findings` after that.
 */
export function* renderPage<Detail>(
  spec: PageSpec,
  rows: Iterable<PageRow<Detail>>,
  shared: () => unknown,
  findings: { count: number; checkIds: ReadonlySet<string>; pages: () => Iterable<PageFinding> },
): Generator<string> {
  yield head(spec);
  yield '<body>\n';
  yield headline(spec);
  yield '<main>\n';
  yield summarySection(spec);
  yield tableSection(spec.table);
  yield findingsSection(spec, findings.count);
  for (const section of spec.sections) yield section;
  yield checksSection(spec, findings.checkIds);
  yield '</main>\n';
  yield FOOTER;
  yield `<script type="application/json" id="report-data">{"table":${scriptJson(spec.table)},\n"findingMarks":${scriptJson(spec.findingMarks)},\n"checks":${scriptJson(Object.fromEntries(spec.checks.metas.map((meta) => [meta.id, meta.title])))},\n"rows":[`;
  let count = 0;
  for (const row of rows) yield `${count++ === 0 ? '' : ','}\n${scriptJson(row)}`;
  yield `],\n"shared":${scriptJson(shared())},\n"findings":[`;
  count = 0;
  for (const finding of findings.pages()) yield `${count++ === 0 ? '' : ','}\n${scriptJson(finding)}`;
  yield ']}</script>\n';
  yield `<script>${spec.script}</script>\n</body>\n</html>\n`;
}
