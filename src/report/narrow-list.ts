/**
 * The table report's connectors and findings on a terminal too narrow for their tables: one block per row, its
 * values on indented lines wrapped to the width, so nothing is cut into columns a few characters wide.
 */

import { alignedLines } from './box-table.js';
import type { MarkedFinding } from '../exceptions/apply-exceptions.js';
import type { ReportConnector } from './report.js';
import { bold, paintSeverity } from './color.js';
import { exceptionNote } from './changes-text.js';
import { relayLabel } from './summary.js';
import { terminalCell } from './untrusted-text.js';

const INDENT = '  ';

/**
 * Text wrapped to `width` display columns (wide characters and combining marks measured as the table writer
 * measures them), each line after the first indented.
 */
function wrapped(text: string, width: number, indent = ''): string[] {
  const room = Math.max(8, width - indent.length);
  return alignedLines(text, room).map((line) => indent + line.trimEnd());
}

export function connectorList(connectors: readonly ReportConnector[], width: number, color: boolean): string {
  const blocks = connectors.map((connector) => {
    const state = [
      connector.enabled ? 'enabled' : 'disabled',
      relayLabel(connector),
      `score ${connector.score}`,
    ].join(', ');
    return [
      ...wrapped(bold(terminalCell(connector.identity), color), width),
      ...wrapped(`${state}, ${paintSeverity(connector.severity, connector.severity, color)}`, width, INDENT),
      ...wrapped(`receives ${terminalCell(connector.receives)}`, width, INDENT),
    ].join('\n');
  });
  return blocks.join('\n') + '\n';
}

export function findingList(
  findings: readonly MarkedFinding[],
  width: number,
  color: boolean,
  messageLimit: number,
): string {
  const blocks = findings.map((finding, index) => {
    const note = exceptionNote(finding);
    const where = finding.connector === null ? '(organisation)' : terminalCell(finding.connector);
    return [
      ...wrapped(
        `#${index + 1} ${paintSeverity(finding.severity, finding.severity, color)} ${finding.checkId}`,
        width,
      ),
      ...wrapped(where, width, INDENT),
      ...wrapped(terminalCell(finding.message, messageLimit), width, INDENT),
      ...(note ? wrapped(terminalCell(note), width, INDENT) : []),
    ].join('\n');
  });
  return blocks.join('\n') + '\n';
}
