/** The severity counts as a small horizontal bar chart (inline SVG, coloured by the stylesheet). */

import { SEVERITIES, type Severity } from '../../analysis/severity.js';
import { escapeHtml } from './escape.js';

const ROW = 26;
const LABEL = 72;
const BAR = 220;

export function severityChart(
  counts: Readonly<Record<Severity, number>>,
  title = 'Findings by severity',
): string {
  const order = [...SEVERITIES].reverse();
  const largest = Math.max(1, ...order.map((severity) => counts[severity]));
  const height = order.length * ROW + 4;
  const description = order.map((severity) => `${counts[severity]} ${severity}`).join(', ');
  const rows = order.map((severity, position) => {
    const y = position * ROW + 4;
    const width = counts[severity] === 0 ? 0 : Math.max(2, Math.round((counts[severity] / largest) * BAR));
    return (
      `<text x="0" y="${y + 15}">${severity}</text>` +
      `<rect class="bar-${severity}" x="${LABEL}" y="${y}" width="${width}" height="20" rx="3"></rect>` +
      `<text x="${LABEL + width + 6}" y="${y + 15}">${counts[severity].toLocaleString('en-US')}</text>`
    );
  });
  return (
    `<svg class="chart" role="img" aria-labelledby="chart-title" viewBox="0 0 360 ${height}" width="360" height="${height}">` +
    `<title id="chart-title">${escapeHtml(title)}: ${description}</title>` +
    `<line class="axis" x1="${LABEL - 1}" y1="0" x2="${LABEL - 1}" y2="${height}"></line>` +
    rows.join('') +
    '</svg>'
  );
}
