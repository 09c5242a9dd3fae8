/**
 * The default terminal report: a summary line, the connectors, the findings (wrapped to the terminal width),
 * then the fix commands unwrapped, so they can be copied and pasted as they are. Every value from the audited
 * organisation goes through untrusted-text.ts: visible, shortened in cells, never a control sequence.
 */

import { boxTable } from './box-table.js';
import type { Report } from './report.js';
import { bold, paintSeverity } from './color.js';
import { hiddenNote, relayLabel, shownFindings, summaryLine } from './summary.js';
import { changesLines, exceptionNote } from './changes-text.js';
import { shownCommand, terminalCell } from './untrusted-text.js';
import { connectorList, findingList } from './narrow-list.js';
import type { MarkedFinding } from '../exceptions/apply-exceptions.js';

export interface TableOptions {
  /** Terminal width in columns. */
  width: number;
  color: boolean;
  /** List info findings too (they are counted in the summary either way). */
  showInfo: boolean;
}

/** A finding's prose in a cell is shortened beyond this (the JSON report has it whole). */
const MESSAGE_LIMIT = 1000;

/**
 * Below this width the connectors and findings are listed as blocks: a connectors table needs 63 columns for its
 * borders and narrowest columns, and below about 72 its names would be cut into pieces of a few characters.
 */
export const TABLES_FIT_FROM = 72;

/** Border and padding cost of a table with n columns in the `norc` style. */
function chrome(columns: number): number {
  return columns * 3 + 1;
}

/**
 * How wide a column may be: never below `min`, up to `want` when there is room. The one `grow` column takes
 * what is left once every column has what it wants.
 */
export interface ColumnSpec {
  min: number;
  want: number;
  grow?: boolean;
}

/**
 * Column widths whose table is at most `width` wide whenever the minimums fit (a table cannot be narrower than
 * its minimums). Columns get their minimum, then what they want in the order given, then the growing column
 * what remains, up to its own want: a table is never wider than its content.
 */
export function fit(specs: readonly ColumnSpec[], width: number): number[] {
  const widths = specs.map((spec) => spec.min);
  let left = width - chrome(specs.length) - sum(widths);
  const order = [...specs.keys()].sort(
    (a, b) => Number(Boolean(specs[a]?.grow)) - Number(Boolean(specs[b]?.grow)),
  );
  for (const index of order) {
    const spec = specs[index] as ColumnSpec;
    const add = Math.max(0, Math.min(left, spec.want - (widths[index] as number)));
    widths[index] = (widths[index] as number) + add;
    left -= add;
  }
  return widths;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

export function longest(values: readonly string[]): number {
  return values.reduce((max, value) => Math.max(max, value.length), 0);
}

/** What a flexible column wants: its longest value, within `share` of the room the fixed columns leave. */
function flexible(longestValue: number, room: number, share: number, min: number): ColumnSpec {
  return { min, want: Math.max(min, Math.min(longestValue, Math.floor(room * share))) };
}

export function renderTable(report: Report, options: TableOptions): string {
  const { color } = options;
  const parts: string[] = [bold(summaryLine(report), color), ''];
  const findings = shownFindings(report, options.showInfo);
  const hidden = report.findings.length - findings.length;

  if (options.width < TABLES_FIT_FROM) {
    parts.push('Connectors', connectorList(report.connectors, options.width, color));
  } else {
    parts.push('Connectors', connectorTable(report, options));
  }
  if (report.changes) parts.push(...changesLines(report.changes), '');
  if (findings.length === 0) {
    parts.push(hidden > 0 ? hiddenNote(hidden) : 'No findings.');
    return parts.join('\n') + '\n';
  }
  parts.push(
    'Findings',
    options.width < TABLES_FIT_FROM
      ? findingList(findings, options.width, color, MESSAGE_LIMIT)
      : findingTable(findings, options),
  );

  if (hidden > 0) parts.push(hiddenNote(hidden), '');
  const fixes = findings
    .map((finding, index) => ({ finding, number: index + 1 }))
    .filter(({ finding }) => finding.remediation !== null);
  if (fixes.length > 0) {
    parts.push('Fixes (Exchange Management Shell; review before running)', '');
    for (const { finding, number } of fixes) {
      const where = finding.connector === null ? '' : ` ${terminalCell(finding.connector)}`;
      parts.push(bold(`#${number} ${finding.checkId}${where}`, color));
      parts.push(shownCommand(finding.remediation as string), '');
    }
  }
  return parts.join('\n') + '\n';
}

function connectorTable(report: Report, options: TableOptions): string {
  const connectorRows = report.connectors.map((connector) => [
    terminalCell(connector.identity),
    connector.enabled ? 'yes' : 'no',
    relayLabel(connector),
    terminalCell(connector.receives),
    String(connector.score),
    connector.severity,
  ]);
  const column = (index: number) => longest(connectorRows.map((row) => row[index] as string));
  const fixed: ColumnSpec[] = [
    { min: 7, want: 7 },
    { min: 8, want: Math.max(5, column(2)) },
    { min: 5, want: 5 },
    { min: 8, want: 8 },
  ];
  const room = options.width - chrome(6) - sum(fixed.map((spec) => spec.want));
  const [enabled, relay, score, severity] = fixed as [ColumnSpec, ColumnSpec, ColumnSpec, ColumnSpec];
  const widths = fit(
    [
      flexible(Math.max(9, column(0)), room, 0.6, 8),
      enabled,
      relay,
      { min: 8, want: Math.max(8, column(3)), grow: true },
      score,
      severity,
    ],
    options.width,
  );
  return boxTable(
    [
      ['Connector', 'Enabled', 'Relay', 'Receives', 'Score', 'Severity'],
      ...connectorRows.map((row) => {
        const severity = row[5] as Parameters<typeof paintSeverity>[0];
        return [...row.slice(0, 5), paintSeverity(severity, severity, options.color)];
      }),
    ],
    widths,
  );
}

function findingTable(findings: readonly MarkedFinding[], options: TableOptions): string {
  const findingRows = findings.map((finding, index) => {
    const note = exceptionNote(finding);
    return [
      String(index + 1),
      paintSeverity(finding.severity, finding.severity, options.color),
      finding.checkId,
      finding.connector === null ? '(organisation)' : terminalCell(finding.connector),
      terminalCell(finding.message, MESSAGE_LIMIT) + (note ? `\n${terminalCell(note)}` : ''),
    ];
  });
  const numberWidth = String(findings.length).length;
  const checkWidth = Math.min(24, longest(findings.map((finding) => finding.checkId)));
  const findingsRoom = options.width - chrome(5) - numberWidth - 8 - checkWidth;
  return boxTable(
    [['#', 'Severity', 'Check', 'Connector', 'Finding'], ...findingRows],
    fit(
      [
        { min: numberWidth, want: numberWidth },
        { min: 8, want: 8 },
        { min: Math.min(10, checkWidth), want: checkWidth },
        flexible(Math.max(9, longest(findingRows.map((row) => row[3] as string))), findingsRoom, 0.35, 8),
        { min: 12, want: longest(findingRows.map((row) => row[4] as string)), grow: true },
      ],
      options.width,
    ),
  );
}
