/** Sentences for a diff or what-if report, shared by the terminal and Markdown writers. */

import { formatCount } from '../../checks/describe.js';
import type { ConnectorDiff, FindingDiff } from '../../diff/diff.js';
import { terminalCell as shownName } from '../untrusted-text.js';
import { failsAsIncomplete, type DiffReport } from './diff-report.js';

function count(decimal: string, singular = 'address', plural = 'addresses'): string {
  return `${formatCount(BigInt(decimal))} ${decimal === '1' ? singular : plural}`;
}

export function headline(report: DiffReport): string {
  const { summary } = report;
  const parts = [
    `${summary.findingsIntroduced} introduced`,
    `${summary.findingsWidened} widened`,
    `${summary.findingsResolved} resolved`,
    `${summary.findingsNarrowed} narrowed`,
  ];
  const connectors = [
    summary.connectorsAdded > 0 ? `${summary.connectorsAdded} added` : null,
    summary.connectorsRemoved > 0 ? `${summary.connectorsRemoved} removed` : null,
    summary.connectorsRenamed > 0 ? `${summary.connectorsRenamed} renamed` : null,
    `${summary.connectorsChanged} changed`,
  ].filter((part): part is string => part !== null);
  return `Findings: ${parts.join(', ')}. Connectors: ${connectors.join(', ')}.`;
}

export function verdictLine(report: DiffReport): string {
  const { summary, change } = report;
  if (change && failsAsIncomplete(report))
    return `Exit code: 1: the review is incomplete (${change.notEvaluated.length} statement${change.notEvaluated.length === 1 ? '' : 's'} not evaluated; --allow-incomplete exits 0).`;
  if (summary.failOn === 'none') return 'Exit code: 0 (--fail-on none).';
  if (summary.regressions > 0)
    return `Exit code: 1: ${summary.regressions} finding${summary.regressions === 1 ? '' : 's'} introduced or widened at or above ${summary.failOn}.`;
  return `Exit code: 0: nothing introduced or widened at or above ${summary.failOn}.`;
}

export function findingTitle(finding: FindingDiff & { exception?: { status: string } }): string {
  const { before, after } = finding.severity;
  const severity = before && after && before !== after ? `${before} → ${after}` : (after ?? before ?? '');
  // With --exceptions: an accepted finding is listed, and says it does not count.
  const accepted = finding.exception?.status === 'accepted' ? ' (accepted by an exception)' : '';
  return `${severity.toUpperCase()} ${finding.checkId}${finding.connector ? ` on ${shownName(finding.connector)}` : ''}${accepted}`;
}

export function findingScope(finding: FindingDiff): string | null {
  const { before, after } = finding.scope;
  if (before === null || after === null || before === after) return null;
  const delta = BigInt(after) - BigInt(before);
  return `its connector receives ${count((delta < 0n ? -delta : delta).toString())} ${delta > 0n ? 'more' : 'fewer'} (now ${count(after)})`;
}

export function connectorTitle(connector: ConnectorDiff): string {
  const { before, after } = connector.identity;
  // Names shortened as in a table: a long old name must not push the new one out of the line.
  if (connector.status === 'added') return `${shownName(after ?? '')} (new)`;
  if (connector.status === 'removed') return `${shownName(before ?? '')} (removed)`;
  return connector.renamed
    ? `${shownName(before ?? '')} → ${shownName(after ?? '')} (renamed)`
    : shownName(after ?? '');
}

/** One line per change of a connector, most important first. */
export function connectorLines(connector: ConnectorDiff): string[] {
  const lines: string[] = [];
  const arrow = <T>(
    label: string,
    change: { before: T; after: T } | null,
    show: (value: T) => string = String,
  ) => {
    if (change) lines.push(`${label}: ${show(change.before)} → ${show(change.after)}`);
  };
  const names = (values: readonly string[]) =>
    values.length > 0 ? values.map((value) => shownName(value)).join(', ') : 'none';
  arrow('verdict', connector.verdict);
  arrow('latent', connector.latent, (value) => value ?? 'no');
  if (connector.relayPrincipals) {
    const { before, after } = connector.relayPrincipals;
    const fold = (values: readonly string[]) => new Set(values.map((value) => value.toLowerCase()));
    const gained = after.filter((name) => !fold(before).has(name.toLowerCase()));
    const lost = before.filter((name) => !fold(after).has(name.toLowerCase()));
    if (gained.length > 0) lines.push(`relay right now also held by: ${names(gained)}`);
    if (lost.length > 0) lines.push(`relay right no longer held by: ${names(lost)}`);
  }
  arrow('score', connector.score);
  arrow('severity', connector.severity);
  arrow('enabled', connector.enabled, (value) => (value ? 'yes' : 'no'));
  arrow('TransportRole', connector.transportRole, (value) => value ?? 'none');
  if (connector.remoteIPRanges) {
    for (const range of connector.remoteIPRanges.added)
      lines.push(`RemoteIPRanges + ${shownName(range.text)} (${count(range.addresses)})`);
    for (const range of connector.remoteIPRanges.removed)
      lines.push(`RemoteIPRanges − ${shownName(range.text)} (${count(range.addresses)})`);
  }
  if (connector.bindings) {
    for (const binding of connector.bindings.added) lines.push(`Bindings + ${shownName(binding)}`);
    for (const binding of connector.bindings.removed) lines.push(`Bindings − ${shownName(binding)}`);
  }
  arrow('AuthMechanism', connector.authMechanism, names);
  arrow('PermissionGroups', connector.permissionGroups, names);
  if (connector.aces) {
    const ace = (entry: { user: string; rights: string[]; deny: boolean; inherited: boolean }) =>
      `${entry.deny ? 'deny' : 'allow'} ${shownName(entry.user)} ${entry.rights.join(', ')}${entry.inherited ? ' (inherited)' : ''}`;
    for (const entry of connector.aces.added) lines.push(`ACE + ${ace(entry)}`);
    for (const entry of connector.aces.removed) lines.push(`ACE − ${ace(entry)}`);
  }
  const scope = connector.effectiveScope;
  if (scope) {
    const parts: string[] = [];
    if (scope.gained.addresses !== '0')
      parts.push(
        `gains ${count(scope.gained.addresses)} (${scope.gained.ranges.join(', ')}${scope.gained.ranges.length >= 8 ? ', …' : ''})`,
      );
    if (scope.lost.addresses !== '0')
      parts.push(
        `loses ${count(scope.lost.addresses)} (${scope.lost.ranges.join(', ')}${scope.lost.ranges.length >= 8 ? ', …' : ''})`,
      );
    lines.push(
      `receives ${count(scope.before)} → ${count(scope.after)}: ${parts.join('; ')}${scope.cause === 'other-connectors' ? " — through other connectors' changes (precedence), not its own settings" : ''}`,
    );
  }
  return lines;
}

/** The four finding lists, titled, in the order reports show them. */
export function findingSections(report: DiffReport): Array<[string, FindingDiff[]]> {
  return [
    ['Findings introduced', report.findings.introduced],
    ['Findings widened', report.findings.widened],
    ['Findings resolved', report.findings.resolved],
    ['Findings narrowed', report.findings.narrowed],
  ];
}
