/**
 * An audit's "changes since <date>" section and its exception marks, for the table, Markdown and CSV reports.
 * The wording of each change is the diff report's (describe-diff.ts); values from the organisation are made
 * visible here, and escaped for Markdown and CSV by the caller's helpers.
 */

import type { ExceptionMark, MarkedFinding } from '../exceptions/apply-exceptions.js';
import type { ChangesSection } from '../history/changes.js';
import {
  connectorLines,
  connectorTitle,
  findingScope,
  findingSections,
  findingTitle,
  headline,
} from './diff/describe-diff.js';
import type { Report } from './report.js';
import { csvCell, markdownText, visible } from './untrusted-text.js';

export function changesTitle(changes: ChangesSection): string {
  if (!changes.baseline) return 'Changes: no baseline';
  return `Changes since ${changes.since ?? 'an undated baseline'} (${visible(changes.baseline.file)})`;
}

/** Whether the changes make this audit exit 1, in one sentence. */
export function changeAlert(changes: ChangesSection): string {
  if (changes.failOnChange === 'none') return 'Not checked for change alerts (no --fail-on-change).';
  const count = changes.regressions;
  if (count === 0)
    return `Change alert: none; nothing new or widened at or above ${changes.failOnChange} (--fail-on-change).`;
  const what = changes.baseline ? 'new or widened since the baseline' : 'counted as new (no baseline)';
  return `Change alert: ${count} finding${count === 1 ? '' : 's'} ${what} at or above ${changes.failOnChange}, not accepted (--fail-on-change): exit 1.`;
}

/** The section as plain lines (terminal table report). */
export function changesLines(changes: ChangesSection): string[] {
  const lines = [changesTitle(changes)];
  for (const note of changes.notes) lines.push(`  Note: ${visible(note)}`);
  const diff = changes.diff;
  if (diff) {
    lines.push(`  ${headline(diff)}`);
    for (const [title, findings] of findingSections(diff)) {
      if (findings.length === 0) continue;
      lines.push(`  ${title} (${findings.length})`);
      for (const finding of findings) {
        lines.push(`    ${findingTitle(finding)}`);
        const scope = findingScope(finding);
        if (scope) lines.push(`      ${scope}`);
        lines.push(`      ${visible(finding.message)}`);
      }
    }
    if (diff.connectors.length > 0) {
      lines.push(`  Connectors changed (${diff.connectors.length})`);
      for (const connector of diff.connectors) {
        lines.push(`    ${connectorTitle(connector)}`);
        for (const line of connectorLines(connector)) lines.push(`      ${line}`);
      }
    }
    for (const line of domainLines(diff.acceptedDomains)) lines.push(`  ${line}`);
  }
  lines.push(changeAlert(changes));
  return lines;
}

/** The section in Markdown. */
export function changesMarkdown(changes: ChangesSection): string[] {
  const lines = [`## ${markdownText(changesTitle(changes))}`, ''];
  for (const note of changes.notes) lines.push(`> ${markdownText(note)}`, '');
  const diff = changes.diff;
  if (diff) {
    lines.push(headline(diff), '');
    for (const [title, findings] of findingSections(diff)) {
      if (findings.length === 0) continue;
      lines.push(`### ${title}`, '');
      for (const finding of findings) {
        const scope = findingScope(finding);
        lines.push(
          `- **${markdownText(findingTitle(finding))}**${scope ? ` (${markdownText(scope)})` : ''}: ${markdownText(finding.message)}`,
        );
      }
      lines.push('');
    }
    if (diff.connectors.length > 0) {
      lines.push('### Connectors changed', '');
      for (const connector of diff.connectors) {
        lines.push(`- ${markdownText(connectorTitle(connector))}`);
        for (const line of connectorLines(connector)) lines.push(`  - ${markdownText(line)}`);
      }
      lines.push('');
    }
    const domains = domainLines(diff.acceptedDomains);
    if (domains.length > 1)
      lines.push(
        '### Accepted domains',
        '',
        ...domains.slice(1).map((line) => `- ${markdownText(line.trim())}`),
        '',
      );
  }
  lines.push(markdownText(changeAlert(changes)), '');
  return lines;
}

export function domainLines(domains: NonNullable<ChangesSection['diff']>['acceptedDomains']): string[] {
  if (!domains || domains.added.length + domains.removed.length + domains.retyped.length === 0) return [];
  return [
    'Accepted domains',
    ...domains.added.map((domain) => `  + ${visible(domain.domainName)} (${domain.domainType})`),
    ...domains.removed.map((domain) => `  − ${visible(domain.domainName)} (${domain.domainType})`),
    ...domains.retyped.map((domain) => `  ${visible(domain.domainName)}: ${domain.before} → ${domain.after}`),
  ];
}

/** How a finding's exception stands, in one line; null when no entry names it. */
export function exceptionNote(finding: MarkedFinding): string | null {
  return finding.exception ? describeException(finding.exception) : null;
}

/** An exception mark in one sentence: status, expiry, owner, ticket and the reason it was approved for. */
export function describeException(mark: ExceptionMark): string {
  const who = `${mark.owner}${mark.ticket ? `, ${mark.ticket}` : ''}`;
  switch (mark.status) {
    case 'accepted':
      return `Accepted until ${mark.expires} (${who}): ${mark.reason}`;
    case 'expired':
      return `Exception expired on ${mark.expires} (${who}): counts again. It was approved for: ${mark.reason}`;
    case 'scope-exceeded':
      return `Exception no longer covers it: the connector's scope or the finding's severity grew beyond what was approved (${who}, until ${mark.expires}): counts again. It was approved for: ${mark.reason}`;
  }
}

/** "exceptions: 2 accepted, 1 expired" for summary lines; null without --exceptions. */
export function exceptionsSummary(report: Pick<Report, 'exceptions'>): string | null {
  const section = report.exceptions;
  if (!section) return null;
  const parts = [
    `${section.accepted} accepted`,
    section.expired > 0 ? `${section.expired} expired` : null,
    section.scopeExceeded > 0 ? `${section.scopeExceeded} exceeded` : null,
    section.stale > 0 ? `${section.stale} stale` : null,
  ].filter((part): part is string => part !== null);
  return `exceptions: ${parts.join(', ')}`;
}

/** Extra CSV columns with history or exceptions: the finding's change since the baseline and its exception. */
export const HISTORY_CSV_HEADER = [
  'fingerprint',
  'change',
  'exception',
  'exceptionOwner',
  'exceptionTicket',
  'exceptionExpires',
  'exceptionReason',
];

/** `introduced`, `widened`, `narrowed` or `unchanged` per fingerprint of this audit's findings. */
export function changeOf(changes: ChangesSection | undefined): (fingerprint: string) => string {
  const diff = changes?.diff;
  if (!diff) return () => (changes ? 'no-baseline' : '');
  const byFingerprint = new Map<string, string>();
  for (const [change, list] of [
    ['introduced', diff.findings.introduced],
    ['widened', diff.findings.widened],
    ['narrowed', diff.findings.narrowed],
  ] as const)
    for (const finding of list) byFingerprint.set(finding.fingerprint, change);
  return (fingerprint) => byFingerprint.get(fingerprint) ?? 'unchanged';
}

export function historyCsvCells(finding: MarkedFinding, change: string): string[] {
  const mark = finding.exception;
  return [
    finding.fingerprint,
    change,
    mark?.status ?? '',
    mark?.owner ?? '',
    mark?.ticket ?? '',
    mark?.expires ?? '',
    mark?.reason ?? '',
  ].map((value) => csvCell(value));
}
