/**
 * The default terminal report: a summary line, the connectors, the findings (wrapped to the terminal width),
 * then the fix commands unwrapped, so they can be copied and pasted as they are.
 */

import { getBorderCharacters, table, type TableUserConfig } from 'table';
import type { Report } from './report.js';
import { bold, paintSeverity } from './color.js';
import { hiddenNote, shownFindings, summaryLine } from './summary.js';

export interface TableOptions {
  /** Terminal width in columns. */
  width: number;
  color: boolean;
  /** List info findings too (they are counted in the summary either way). */
  showInfo: boolean;
}

/** Border and padding cost of a table with n columns in the `norc` style. */
function chrome(columns: number): number {
  return columns * 3 + 1;
}

/**
 * Widths for fixed columns (numbers) and two flexible ones: `name` gets up to the longest value it holds and
 * at most `nameShare` of the room left; `rest` (null) takes what remains. Below ~80 columns nothing fits.
 */
function fit(
  columns: Array<number | 'name' | null>,
  width: number,
  longestName: number,
  nameShare: number,
): number[] {
  const fixed = columns.reduce<number>((sum, column) => sum + (typeof column === 'number' ? column : 0), 0);
  const room = Math.max(24, width - fixed - chrome(columns.length));
  const name = Math.max(9, Math.min(longestName, Math.floor(room * nameShare)));
  return columns.map((column) =>
    column === 'name' ? name : column === null ? Math.max(12, room - name) : column,
  );
}

function longest(values: readonly string[]): number {
  return Math.max(0, ...values.map((value) => value.length));
}

function config(widths: number[]): TableUserConfig {
  return {
    border: getBorderCharacters('norc'),
    columns: widths.map((width) => ({ width, wrapWord: true })),
    drawHorizontalLine: (index, size) => index === 0 || index === 1 || index === size,
  };
}

export function renderTable(report: Report, options: TableOptions): string {
  const { color } = options;
  const parts: string[] = [bold(summaryLine(report), color), ''];
  const findings = shownFindings(report, options.showInfo);
  const hidden = report.findings.length - findings.length;

  const connectorRows = report.connectors.map((connector) => [
    connector.identity,
    connector.enabled ? 'yes' : 'no',
    connector.relay.verdict + (connector.relay.latent ? ` (${connector.relay.latent})` : ''),
    connector.receives,
    String(connector.score),
    connector.severity,
  ]);
  const identityWidth = longest(connectorRows.map((row) => row[0] as string));
  const widths = fit(['name', 7, 17, null, 5, 8], options.width, identityWidth, 0.6);
  parts.push(
    'Connectors',
    table(
      [
        ['Connector', 'Enabled', 'Relay', 'Receives', 'Score', 'Severity'],
        ...connectorRows.map((row) => {
          const severity = row[5] as Parameters<typeof paintSeverity>[0];
          return [...row.slice(0, 5), paintSeverity(severity, severity, color)];
        }),
      ],
      config(widths),
    ),
  );

  if (findings.length === 0) {
    parts.push(hidden > 0 ? hiddenNote(hidden) : 'No findings.');
    return parts.join('\n') + '\n';
  }
  const findingRows = findings.map((finding, index) => [
    String(index + 1),
    paintSeverity(finding.severity, finding.severity, color),
    finding.checkId,
    finding.connector ?? '(organisation)',
    finding.message,
  ]);
  const checkWidth = Math.min(24, longest(findings.map((finding) => finding.checkId)));
  const connectorWidth = longest(findings.map((finding) => finding.connector ?? '(organisation)'));
  parts.push(
    'Findings',
    table(
      [['#', 'Severity', 'Check', 'Connector', 'Finding'], ...findingRows],
      config(
        fit(
          [String(findings.length).length, 8, checkWidth, 'name', null],
          options.width,
          connectorWidth,
          0.35,
        ),
      ),
    ),
  );

  if (hidden > 0) parts.push(hiddenNote(hidden), '');
  const fixes = findings
    .map((finding, index) => ({ finding, number: index + 1 }))
    .filter(({ finding }) => finding.remediation !== null);
  if (fixes.length > 0) {
    parts.push('Fixes (Exchange Management Shell; review before running)', '');
    for (const { finding, number } of fixes) {
      parts.push(
        bold(`#${number} ${finding.checkId}${finding.connector ? ` ${finding.connector}` : ''}`, color),
      );
      parts.push(finding.remediation as string, '');
    }
  }
  return parts.join('\n') + '\n';
}
