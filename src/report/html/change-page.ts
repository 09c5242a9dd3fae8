/**
 * The HTML report of exrelay diff and exrelay whatif: one row per connector that changes, each change marked
 * (added, removed, widened, narrowed, changed), the findings introduced, widened, resolved and narrowed, and for a
 * what-if review the script's commands and what could not be evaluated.
 */

import { SEVERITIES, severityRank, type Severity } from '../../analysis/severity.js';
import { docsPath } from '../../checks/check.js';
import { formatCount } from '../../checks/describe.js';
import { CHECKS } from '../../checks/registry.js';
import type { Change, ConnectorDiff, FindingDiff } from '../../diff/diff.js';
import type { ExceptionMark } from '../../exceptions/apply-exceptions.js';
import type { DiffReport } from '../diff/diff-report.js';
import { findingScope, headline, verdictLine } from '../diff/describe-diff.js';
import { changeKind, type ChangeDetail } from './change-kind.js';
import { escapeHtml } from './escape.js';
import { renderPage, type PageSpec } from './html-page.js';
import { approximateCount, markupLine, pageFinding, RowIndex, shownCell, shownLine } from './page-text.js';
import { pageScript } from './page-script.js';
import type { Cell, PageRow, PageTable } from './page-types.js';

const CHANGE_TABLE: PageTable = {
  heading: 'Connectors that change',
  caption: 'Receive connectors that change: select a name to list its changes.',
  noun: ['connector', 'connectors'],
  searchHint: 'name, range, principal',
  columns: [
    { label: 'Connector', sort: 'text' },
    { label: 'Change', sort: 'text', style: 'mark' },
    { label: 'Verdict', sort: 'text', style: 'verdict' },
    { label: 'Severity', sort: 'number', style: 'severity', descending: true },
    { label: 'Score', sort: 'number', numeric: true, wide: true, descending: true },
    { label: 'Receives', sort: 'decimal', numeric: true, wide: true, descending: true },
  ],
  filters: [
    {
      id: 'change',
      label: 'Change',
      column: 1,
      any: 'Any change',
      options: ['added', 'removed', 'renamed', 'changed'],
    },
    {
      id: 'severity',
      label: 'Severity now',
      column: 3,
      any: 'Any severity',
      options: ['critical', 'high', 'medium', 'low', 'info'],
    },
  ],
};

export const CHANGE_SCRIPT = pageScript(changeKind);

const arrow = <T>(change: Change<T>, show: (value: T) => string = String) =>
  `${show(change.before)} → ${show(change.after)}`;

const count = (decimal: string) =>
  `${formatCount(BigInt(decimal))} ${decimal === '1' ? 'address' : 'addresses'}`;
const more = (decimal: string, word: string) =>
  `${formatCount(BigInt(decimal))} ${word} ${decimal === '1' ? 'address' : 'addresses'}`;

/** Every change of a connector, marked, most important first. */
function changes(connector: ConnectorDiff): Array<[string, string]> {
  const list: Array<[string, string]> = [];
  const changed = <T>(label: string, change: Change<T> | null, show?: (value: T) => string) => {
    if (change) list.push(['changed', `${label}: ${arrow(change, show)}`]);
  };
  const names = (values: readonly string[]) => (values.length > 0 ? values.join(', ') : 'none');
  changed('verdict', connector.verdict);
  changed('latent', connector.latent, (value) => value ?? 'no');
  if (connector.relayPrincipals) {
    const fold = (values: readonly string[]) => new Set(values.map((value) => value.toLowerCase()));
    const { before, after } = connector.relayPrincipals;
    for (const name of after.filter((value) => !fold(before).has(value.toLowerCase())))
      list.push(['added', `relay right held by ${name}`]);
    for (const name of before.filter((value) => !fold(after).has(value.toLowerCase())))
      list.push(['removed', `relay right no longer held by ${name}`]);
  }
  const scope = connector.effectiveScope;
  if (scope) {
    if (scope.gained.addresses !== '0')
      list.push([
        'widened',
        `receives ${more(scope.gained.addresses, 'more')}: ${scope.gained.ranges.join(', ')}`,
      ]);
    if (scope.lost.addresses !== '0')
      list.push([
        'narrowed',
        `receives ${more(scope.lost.addresses, 'fewer')}: ${scope.lost.ranges.join(', ')}`,
      ]);
  }
  changed('score', connector.score);
  changed('severity', connector.severity);
  changed('enabled', connector.enabled, (value) => (value ? 'yes' : 'no'));
  changed('TransportRole', connector.transportRole, (value) => value ?? 'none');
  for (const range of connector.remoteIPRanges?.added ?? [])
    list.push(['added', `RemoteIPRanges ${range.text} (${count(range.addresses)})`]);
  for (const range of connector.remoteIPRanges?.removed ?? [])
    list.push(['removed', `RemoteIPRanges ${range.text} (${count(range.addresses)})`]);
  for (const binding of connector.bindings?.added ?? []) list.push(['added', `binding ${binding}`]);
  for (const binding of connector.bindings?.removed ?? []) list.push(['removed', `binding ${binding}`]);
  changed('AuthMechanism', connector.authMechanism, names);
  changed('PermissionGroups', connector.permissionGroups, names);
  const ace = (entry: { user: string; rights: string[]; deny: boolean; inherited: boolean }) =>
    `ACE ${entry.deny ? 'deny' : 'allow'} ${entry.user} ${entry.rights.join(', ')}${entry.inherited ? ' (inherited)' : ''}`;
  for (const entry of connector.aces?.added ?? []) list.push(['added', ace(entry)]);
  for (const entry of connector.aces?.removed ?? []) list.push(['removed', ace(entry)]);
  return list.map(([mark, what]) => [mark, shownLine(what)]);
}

function changeRow(connector: ConnectorDiff): PageRow<ChangeDetail> {
  const identity = connector.identity.after ?? connector.identity.before ?? '';
  const label =
    connector.renamed && connector.identity.before !== null
      ? `${connector.identity.before} → ${identity}`
      : identity;
  const severity = connector.severity?.after ?? null;
  const scope = connector.effectiveScope;
  const receives: Cell = scope
    ? [`${approximateCount(scope.before)} → ${approximateCount(scope.after)}`, scope.gained.addresses]
    : ['', '0'];
  return {
    key: shownLine(identity),
    mark: connector.status,
    cells: [
      shownCell(label),
      connector.status === 'changed' && connector.renamed ? 'renamed' : connector.status,
      connector.verdict ? arrow(connector.verdict) : '',
      severity === null ? ['', -1] : [severity, severityRank(severity)],
      connector.score ? [arrow(connector.score), connector.score.after - connector.score.before] : ['', 0],
      receives,
    ],
    detail: {
      changes: changes(connector),
      note:
        scope?.cause === 'other-connectors'
          ? "Its own settings do not change: other connectors' changes move what it receives (precedence)."
          : null,
    },
  };
}

type MarkedDiff = FindingDiff & { exception?: ExceptionMark };

const FINDING_MARKS: Array<['introduced' | 'widened' | 'resolved' | 'narrowed', string]> = [
  ['introduced', 'new'],
  ['widened', 'widened'],
  ['resolved', 'resolved'],
  ['narrowed', 'narrowed'],
];

function findingNote(finding: FindingDiff): string | null {
  const { before, after } = finding.severity;
  const parts = [
    before !== null && after !== null && before !== after ? `severity ${before} → ${after}` : null,
    findingScope(finding),
  ].filter((part): part is string => part !== null);
  return parts.length === 0 ? null : shownLine(`${parts.join('; ')}.`);
}

function side(label: string, side: DiffReport['before']): [string, string] {
  return [
    label,
    `<span class="text">${markupLine(side.source)}</span>${side.collectedAt === null ? '' : `, collected ${markupLine(side.collectedAt)}`} (${formatCount(side.connectors)} connectors, ${formatCount(side.findings)} findings)`,
  ];
}

function table(caption: string, headers: string[], rows: string[][], numeric: number[] = []): string {
  const cell = (tag: string, value: string, column: number) =>
    `<${tag}${numeric.includes(column) ? ' class="num"' : ''}${tag === 'th' ? ' scope="col"' : ''}>${value}</${tag}>`;
  return (
    `<div class="scroll"><table><caption class="visually-hidden">${escapeHtml(caption)}</caption>` +
    `<thead><tr>${headers.map((header, column) => cell('th', escapeHtml(header), column)).join('')}</tr></thead><tbody>` +
    rows.map((row) => `<tr>${row.map((value, column) => cell('td', value, column)).join('')}</tr>`).join('') +
    '</tbody></table></div>'
  );
}

/** The what-if review's own sections: the script's commands, what was not evaluated, what was assumed. */
function scriptSections(report: DiffReport): string[] {
  const change = report.change;
  if (!change) return [];
  const commands =
    change.commands.length === 0
      ? '<p>No command changes receive connectors, permissions or accepted domains.</p>'
      : table(
          'Commands of the change script',
          ['Line', 'Command', 'Target', 'Result', 'What it does'],
          change.commands.map((command) => [
            String(command.line),
            `<code class="text">${markupLine(command.cmdlet)}</code>`,
            command.target === null ? '' : `<span class="text">${markupLine(command.target)}</span>`,
            command.status === 'refused' ? '<strong>refused</strong>' : escapeHtml(command.status),
            [command.reason, ...command.effects.map((effect) => effect.text)]
              .filter((line): line is string => line !== null)
              .map((line) => `<span class="text">${markupLine(line)}</span>`)
              .join('<br>'),
          ]),
          [0],
        );
  const notEvaluated =
    change.notEvaluated.length === 0
      ? ''
      : '<h3>Not evaluated</h3><p>This review does not show what these statements do.</p>' +
        table(
          'Statements not evaluated',
          ['Line', 'Column', 'Statement', 'Why'],
          change.notEvaluated.map((item) => [
            String(item.line),
            String(item.column),
            `<code class="text">${markupLine(item.text)}</code>`,
            `<span class="text">${markupLine(item.reason)}</span>`,
          ]),
          [0, 1],
        );
  const assumptions =
    change.assumptions.length === 0
      ? ''
      : `<h3>Assumed</h3><ul class="plain">${change.assumptions.map((assumption) => `<li class="text">${markupLine(assumption)}</li>`).join('')}</ul>`;
  return [
    `<section id="script" aria-labelledby="script-heading">\n<h2 id="script-heading">The change script</h2>\n${commands}${notEvaluated}${assumptions}\n</section>\n`,
  ];
}

function domainsSection(report: DiffReport): string {
  const domains = report.acceptedDomains;
  if (!domains || domains.added.length + domains.removed.length + domains.retyped.length === 0) return '';
  const items = [
    ...domains.added.map((domain) => ['added', `${domain.domainName} (${domain.domainType})`]),
    ...domains.removed.map((domain) => ['removed', `${domain.domainName} (${domain.domainType})`]),
    ...domains.retyped.map((domain) => [
      'changed',
      `${domain.domainName}: ${domain.before} → ${domain.after}`,
    ]),
  ]
    .map(
      ([mark, what]) =>
        `<li><span class="change-mark change-${mark}">${mark}</span> <span class="text">${markupLine(what as string)}</span></li>`,
    )
    .join('');
  return `<section id="accepted-domains" aria-labelledby="domains-heading">\n<h2 id="domains-heading">Accepted domains that change</h2>\n<ul class="plain">${items}</ul>\n</section>\n`;
}

export function* renderChangeHtmlChunks(report: DiffReport): Generator<string> {
  const { summary, change } = report;
  const rising = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of [...report.findings.introduced, ...report.findings.widened])
    if (finding.severity.after !== null) rising[finding.severity.after]++;
  const facts: Array<[string, string]> = change
    ? [
        ['Script', `<code class="text">${markupLine(change.script)}</code>`],
        side('Against', report.before),
        [
          'Evaluated',
          change.complete
            ? 'every statement'
            : `<strong>not all</strong>: ${formatCount(change.notEvaluated.length)} statements could not be evaluated`,
        ],
      ]
    : [side('Before', report.before), side('After', report.after)];
  facts.push(['Result', escapeHtml(verdictLine(report))], ['Written by', escapeHtml(report.generator)]);
  const banners = [
    change && !change.complete
      ? `<strong>Incomplete evaluation.</strong> ${formatCount(change.notEvaluated.length)} statements were not evaluated (listed under The change script): this review does not show what they do.`
      : null,
    change?.stoppedAt
      ? `<strong>The script stops at line ${change.stoppedAt.line}:</strong> <span class="text">${markupLine(change.stoppedAt.reason)}</span>. Later commands do not run.`
      : null,
  ].filter((banner): banner is string => banner !== null);
  const spec: PageSpec = {
    title: change ? `exrelay pre-change review: ${markupLine(change.script)}` : 'exrelay diff',
    heading: change ? 'Pre-change review: what the script does to relay' : 'What changed in relay',
    facts,
    banner: banners.length === 0 ? null : banners.join('<br>'),
    summaryLine: headline(report),
    cards: [
      [summary.findingsIntroduced, 'findings introduced'],
      [summary.findingsWidened, 'widened'],
      [summary.findingsResolved, 'resolved'],
      [summary.findingsNarrowed, 'narrowed'],
      [summary.connectorsAdded, 'connectors added'],
      [summary.connectorsRemoved, 'removed'],
      [summary.connectorsChanged, 'changed'],
    ],
    bySeverity: rising,
    chartTitle: 'Findings introduced or widened, by severity',
    table: CHANGE_TABLE,
    findingsIntro:
      'Introduced and widened findings first (they decide the exit code), then those the change resolves or narrows.',
    findingMarks: FINDING_MARKS.map(([, mark]) => mark),
    checks: { metas: CHECKS.map((check) => check.meta), docsPage: docsPath },
    sections: [...scriptSections(report), domainsSection(report)],
    script: CHANGE_SCRIPT,
  };
  const index = new RowIndex();
  const findings = FINDING_MARKS.flatMap(([list, mark]) =>
    report.findings[list].map((finding) => ({ finding, mark })),
  );
  yield* renderPage(
    spec,
    (function* () {
      for (const connector of report.connectors) {
        index.add(connector.identity.after ?? connector.identity.before, connector.identity.before);
        yield changeRow(connector);
      }
    })(),
    () => null,
    {
      count: findings.length,
      checkIds: new Set(findings.map(({ finding }) => finding.checkId)),
      *pages() {
        for (const { finding, mark } of findings)
          yield pageFinding(
            {
              ...finding,
              severity: (finding.severity.after ?? finding.severity.before) as Severity,
              // A resolved finding needs no fix any more.
              remediation: mark === 'resolved' ? null : finding.remediation,
              rollback: null,
            },
            index.of(finding.connector),
            // With --exceptions, a later-side finding carries its exception (history/changes.ts markExceptions).
            { mark, note: findingNote(finding), exception: (finding as MarkedDiff).exception },
          );
      },
    },
  );
}
