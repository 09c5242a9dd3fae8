/**
 * The HTML report of analyze and audit (docs/html-report.md): the report's connectors as the page's table, each
 * with its details, and its findings. Written in pieces as the connectors stream past, like the JSON report: a
 * large organisation's page exceeds one string.
 */

import { severityRank } from '../../analysis/severity.js';
import { docsPath } from '../../checks/check.js';
import { CHECKS } from '../../checks/registry.js';
import { formatCount } from '../../checks/describe.js';
import { EXCEPTION_CHECK_ID } from '../../exceptions/apply-exceptions.js';
import { EXCEPTION_DOCS, EXCEPTION_META } from '../../exceptions/exception-check.js';
import { changeOf, exceptionsSummary } from '../changes-text.js';
import { headline as diffHeadline } from '../diff/describe-diff.js';
import type { ReportStream, StreamedConnector } from '../report.js';
import { relayLabel, summaryLine } from '../summary.js';
import { changesSection } from './changes-section.js';
import { connectorKind, type ConnectorDetail, type PagePrincipal } from './connector-kind.js';
import { escapeHtml } from './escape.js';
import { renderPage, type PageSpec } from './html-page.js';
import { approximateCount, markupLine, pageFinding, RowIndex, shownCell, shownLine } from './page-text.js';
import { pageScript } from './page-script.js';
import type { PageRow, PageTable } from './page-types.js';

/** Ranges and effective ranges listed per connector; the JSON report has them all. */
export const RANGE_LIMIT = 200;

const VERDICT_RANK: Record<string, number> = { 'no-relay': 0, unknown: 1, relay: 2 };

export const CONNECTOR_TABLE: PageTable = {
  heading: 'Connectors',
  caption: 'Receive connectors: select a name to show its details; sort with the column headers.',
  noun: ['connector', 'connectors'],
  searchHint: 'name, range, principal',
  columns: [
    { label: 'Connector', sort: 'text' },
    { label: 'Server', sort: 'text', wide: true },
    { label: 'Enabled', sort: 'text', wide: true },
    { label: 'Verdict', sort: 'number', style: 'verdict', descending: true },
    { label: 'Receives', sort: null, wide: true },
    { label: 'Addresses', sort: 'decimal', numeric: true, wide: true, descending: true },
    { label: 'Score', sort: 'number', numeric: true, wide: true, descending: true },
    { label: 'Severity', sort: 'number', style: 'severity', descending: true },
    { label: 'Findings', sort: 'number', numeric: true, wide: true, descending: true },
  ],
  filters: [
    { id: 'server', label: 'Server', column: 1, any: 'All servers' },
    {
      id: 'severity',
      label: 'Severity',
      column: 7,
      any: 'Any severity',
      options: ['critical', 'high', 'medium', 'low', 'info'],
    },
    {
      id: 'verdict',
      label: 'Verdict',
      tag: 'verdict',
      any: 'Any verdict',
      options: ['relay', 'unknown', 'no-relay'],
    },
  ],
};

export const CONNECTOR_SCRIPT = pageScript(connectorKind);

/** An audit's finding, marked by how it changed since the baseline (changeOf); unchanged ones are not marked. */
const FINDING_CHANGE_MARKS = new Map([
  ['introduced', 'new'],
  ['widened', 'widened'],
  ['narrowed', 'narrowed'],
]);

/** Converts connectors as they stream past; principals are listed once for the whole page. */
class ConnectorRows {
  readonly principals: PagePrincipal[] = [];
  readonly #principalIndex = new Map<string, number>();
  readonly index = new RowIndex();

  constructor(private readonly findingCounts: ReadonlyMap<string, number>) {}

  row(connector: StreamedConnector): PageRow<ConnectorDetail> {
    this.index.add(connector.identity);
    const verdict = relayLabel(connector);
    const findings = this.findingCounts.get(connector.identity) ?? 0;
    return {
      key: shownLine(connector.identity),
      mark: null,
      tags: { verdict: connector.relay.verdict },
      cells: [
        shownCell(connector.identity),
        shownCell(connector.server),
        connector.enabled ? 'yes' : 'no',
        [verdict, VERDICT_RANK[connector.relay.verdict] ?? 0],
        shownCell(connector.receives),
        [approximateCount(connector.effectiveAddresses), connector.effectiveAddresses],
        [String(connector.score), connector.score],
        [connector.severity, severityRank(connector.severity)],
        [String(findings), findings],
      ],
      detail: this.#detail(connector),
    };
  }

  #detail(connector: StreamedConnector): ConnectorDetail {
    return {
      identity: shownLine(connector.identity),
      enabled: connector.enabled,
      role: connector.transportRole,
      isDefault: connector.isDefault,
      bindings: connector.bindings.map(shownLine),
      authMechanism: connector.authMechanism.map(shownLine),
      permissionGroups: connector.permissionGroups.map(shownLine),
      verdict: connector.relay.verdict,
      latent: connector.relay.latent,
      basis: shownLine(connector.relay.basis),
      principals: connector.relay.principals.map((principal) =>
        this.#principal([
          shownLine(principal.user),
          principal.sid === null ? null : shownLine(principal.sid),
          principal.inherited,
          principal.grantedBy,
          principal.canSubmit,
        ]),
      ),
      ranges: connector.remoteIPRanges.slice(0, RANGE_LIMIT).map((range) => ({
        text: shownLine(range.text),
        family: range.family,
        addresses: approximateCount(range.addresses),
        scope: range.scope,
        publicAddresses: approximateCount(range.publicAddresses),
        unused: range.unused,
        error: range.error === null ? null : shownLine(range.error),
      })),
      moreRanges: Math.max(0, connector.remoteIPRanges.length - RANGE_LIMIT),
      receives: shownLine(connector.receives),
      addresses: formatCount(BigInt(connector.effectiveAddresses)),
      single: connector.effectiveAddresses === '1',
      publicAddresses: formatCount(BigInt(connector.effectivePublicAddresses)),
      effectiveRanges: connector.effectiveRanges.slice(0, RANGE_LIMIT),
      moreEffectiveRanges: Math.max(0, connector.effectiveRanges.length - RANGE_LIMIT),
      takenBy: connector.takenBy.map((taker) => ({
        identity: shownLine(taker.connector),
        addresses: approximateCount(taker.addresses),
        ranges: taker.ranges.slice(0, RANGE_LIMIT),
        more: Math.max(0, taker.ranges.length - RANGE_LIMIT),
        tie: taker.tie,
      })),
      score: connector.score,
      severity: connector.severity,
    };
  }

  #principal(principal: PagePrincipal): number {
    const key = JSON.stringify(principal);
    let index = this.#principalIndex.get(key);
    if (index === undefined) {
      index = this.principals.length;
      this.principals.push(principal);
      this.#principalIndex.set(key, index);
    }
    return index;
  }
}

function headlineFacts(report: ReportStream): Array<[string, string]> {
  const { source } = report;
  const organisation = report.acceptedDomains?.find((domain) => domain.isDefault);
  const facts: Array<[string, string]> = [];
  if (organisation)
    facts.push(['Organisation', `${markupLine(organisation.domainName)} (default accepted domain)`]);
  facts.push(
    ['Source', `${escapeHtml(source.method)}: <span class="text">${markupLine(source.description)}</span>`],
    [
      'Collected',
      source.collectedAt === null ? 'not recorded (files exported by hand)' : markupLine(source.collectedAt),
    ],
    ['Data', source.partial ? '<strong>partial</strong>: some items could not be read' : 'complete'],
  );
  const { exceptions, changes } = report;
  if (exceptions)
    facts.push([
      'Exceptions',
      `<span class="text">${markupLine(exceptions.file)}</span>, judged on ${escapeHtml(exceptions.date)}: ${escapeHtml(`${exceptions.entries} ${exceptions.entries === 1 ? 'entry' : 'entries'}; ${exceptionsSummary(report)?.replace(/^exceptions: /, '') ?? ''}`)}`,
    ]);
  if (changes)
    facts.push([
      'Changes',
      changes.diff
        ? `<a href="#changes">since ${markupLine(changes.since ?? 'an undated baseline')}</a>: ${escapeHtml(diffHeadline(changes.diff))}`
        : '<a href="#changes">no baseline</a>: this audit is the first in its history',
    ]);
  facts.push(['Written by', escapeHtml(report.generator)]);
  return facts;
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
                `<tr><td class="text">${markupLine(domain.name)}</td><td class="text">${markupLine(domain.domainName)}</td><td>${markupLine(domain.domainType)}</td>` +
                `<td>${domain.isDefault ? 'yes' : 'no'}</td><td>${domain.relayable ? 'yes' : 'no'}</td><td>${domain.openRelay ? '<strong>yes</strong>' : 'no'}</td></tr>`,
            )
            .join('') +
          '</tbody></table></div>';
  return `<section id="accepted-domains" aria-labelledby="domains-heading">\n<h2 id="domains-heading">Accepted domains</h2>\n${body}\n</section>\n`;
}

export function* renderHtmlChunks(report: ReportStream): Generator<string> {
  const { summary, source } = report;
  const findingCounts = new Map<string, number>();
  for (const finding of report.findings)
    if (finding.connector !== null)
      findingCounts.set(finding.connector, (findingCounts.get(finding.connector) ?? 0) + 1);
  const spec: PageSpec = {
    title: `exrelay report: ${markupLine(source.description.length > 80 ? `${source.description.slice(0, 80)}…` : source.description)}`,
    heading: 'Receive connector relay report',
    facts: headlineFacts(report),
    banner: source.partial
      ? '<strong>Partial data.</strong> Some items could not be read: their verdicts are unknown and this report is incomplete. The findings of check incomplete-input or verdict-unknown say which.'
      : null,
    summaryLine: summaryLine({ ...report, connectors: [] }),
    cards: [
      [summary.connectors, summary.connectors === 1 ? 'connector' : 'connectors'],
      [summary.liveRelay, 'relay without authentication today'],
      [summary.latentRelay, `latent relay grant${summary.latentRelay === 1 ? '' : 's'}`],
      [summary.unknownVerdict, 'unknown verdict'],
      [summary.findings, summary.findings === 1 ? 'finding' : 'findings'],
      ...(report.exceptions
        ? [[report.exceptions.accepted, 'accepted by an exception (not counted)'] as [number, string]]
        : []),
    ],
    bySeverity: summary.bySeverity,
    table: CONNECTOR_TABLE,
    findingsIntro: `Most severe first. Each fix is Exchange Management Shell; review it before you run it. The rollback puts today's state back.${report.exceptions ? ' A finding marked accepted is covered by an approved exception: listed, but not counted toward the exit code.' : ''}${report.changes?.diff ? ' Marks say what is new, widened or narrowed since the baseline; resolved findings are under Changes.' : ''}`,
    findingMarks: report.changes?.diff ? [...FINDING_CHANGE_MARKS.values()] : [],
    checks: {
      metas: [...CHECKS.map((check) => check.meta), EXCEPTION_META],
      docsPage: (id) => (id === EXCEPTION_CHECK_ID ? EXCEPTION_DOCS : docsPath(id)),
    },
    sections: [...(report.changes ? [changesSection(report.changes)] : []), acceptedDomainsSection(report)],
    script: CONNECTOR_SCRIPT,
  };
  const rows = new ConnectorRows(findingCounts);
  const change = changeOf(report.changes);
  yield* renderPage(
    spec,
    (function* () {
      for (const connector of report.connectors) yield rows.row(connector);
    })(),
    () => ({ principals: rows.principals }),
    {
      count: report.findings.length,
      checkIds: new Set(report.findings.map((finding) => finding.checkId)),
      *pages() {
        for (const finding of report.findings)
          yield pageFinding(finding, rows.index.of(finding.connector), {
            mark: FINDING_CHANGE_MARKS.get(change(finding.fingerprint)) ?? null,
            exception: finding.exception,
          });
      },
    },
  );
}
