/**
 * An audit's "changes since <date>" section on the HTML report page: the sentences of the table and Markdown
 * reports (changes-text.ts, describe-diff.ts), escaped, as markup of the page itself, so it reads without the
 * page's script too. Those sentences already show hidden characters as escapes; here they are only shortened.
 */

import type { ChangesSection } from '../../history/changes.js';
import { changeAlert, changesTitle, domainLines } from '../changes-text.js';
import type { DiffReport } from '../diff/diff-report.js';
import {
  connectorLines,
  connectorTitle,
  findingScope,
  findingSections,
  findingTitle,
  headline,
} from '../diff/describe-diff.js';
import { LINE_LIMIT, shorten } from '../untrusted-text.js';
import { escapeHtml } from './escape.js';
import { markupLine } from './page-text.js';

/** Text that is already visible (describe-diff.ts made it so), shortened and escaped for markup. */
const shown = (text: string) => escapeHtml(shorten(text, LINE_LIMIT));

const mark = (name: string) =>
  `<span class="change-mark change-${escapeHtml(name)}">${escapeHtml(name)}</span>`;

/** How a finding in each of the diff's lists is marked on the page (as on the diff report's page). */
export function findingChangeMarks(diff: DiffReport) {
  const marks = new Map([
    [diff.findings.introduced, 'new'],
    [diff.findings.widened, 'widened'],
    [diff.findings.resolved, 'resolved'],
    [diff.findings.narrowed, 'narrowed'],
  ]);
  return findingSections(diff).map(([title, findings]) => ({
    title,
    mark: marks.get(findings) ?? 'changed',
    findings,
  }));
}

export function changesSection(changes: ChangesSection): string {
  const parts = [`<h2 id="changes-heading">${shown(changesTitle(changes))}</h2>`];
  for (const note of changes.notes) parts.push(`<p class="banner text" role="note">${markupLine(note)}</p>`);
  const diff = changes.diff;
  if (diff) {
    parts.push(`<p>${escapeHtml(headline(diff))}</p>`);
    for (const { title, mark: name, findings } of findingChangeMarks(diff)) {
      if (findings.length === 0) continue;
      parts.push(
        `<h3>${escapeHtml(title)} (${findings.length})</h3><ul class="plain">` +
          findings
            .map((finding) => {
              const scope = findingScope(finding);
              return (
                `<li data-fingerprint="${escapeHtml(finding.fingerprint)}">${mark(name)} <strong class="text">${shown(findingTitle(finding))}</strong>` +
                `${scope ? ` <span class="muted">(${escapeHtml(scope)})</span>` : ''}<p class="text">${markupLine(finding.message)}</p></li>`
              );
            })
            .join('') +
          '</ul>',
      );
    }
    if (diff.connectors.length > 0)
      parts.push(
        `<h3>Connectors changed (${diff.connectors.length})</h3><ul class="plain">` +
          diff.connectors
            .map(
              (connector) =>
                `<li>${mark(connector.renamed && connector.status === 'changed' ? 'renamed' : connector.status)} <strong class="text">${shown(connectorTitle(connector))}</strong><ul>` +
                connectorLines(connector)
                  .map((line) => `<li class="text">${shown(line)}</li>`)
                  .join('') +
                '</ul></li>',
            )
            .join('') +
          '</ul>',
      );
    const domains = domainLines(diff.acceptedDomains);
    if (domains.length > 1)
      parts.push(
        '<h3>Accepted domains</h3><ul class="plain">' +
          domains
            .slice(1)
            .map((line) => `<li class="text">${shown(line.trim())}</li>`)
            .join('') +
          '</ul>',
      );
  }
  parts.push(`<p id="change-alert"><strong>${escapeHtml(changeAlert(changes))}</strong></p>`);
  return `<section id="changes" aria-labelledby="changes-heading">\n${parts.join('\n')}\n</section>\n`;
}
