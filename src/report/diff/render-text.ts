/** The terminal form of a diff or what-if report: plain text, one item per line, fix commands unwrapped. */

import type { DiffReport } from './diff-report.js';
import {
  connectorLines,
  findingSections,
  connectorTitle,
  findingScope,
  findingTitle,
  headline,
  verdictLine,
} from './describe-diff.js';
import { visible as printable } from '../untrusted-text.js';

export function renderDiffText(report: DiffReport): string {
  const lines: string[] = [];
  if (report.change) lines.push(...changeSection(report), '');
  else lines.push(`exrelay diff: ${printable(report.before.source)} → ${printable(report.after.source)}`, '');
  lines.push(headline(report), '');
  for (const [title, findings] of findingSections(report)) {
    if (findings.length === 0) continue;
    lines.push(`${title} (${findings.length})`);
    for (const finding of findings) {
      lines.push(`  ${findingTitle(finding)}`);
      const scope = findingScope(finding);
      if (scope) lines.push(`    ${scope}`);
      lines.push(`    ${printable(finding.message)}`);
    }
    lines.push('');
  }
  if (report.connectors.length > 0) {
    lines.push(`Connectors (${report.connectors.length})`);
    for (const connector of report.connectors) {
      lines.push(`  ${connectorTitle(connector)}`);
      for (const line of connectorLines(connector)) lines.push(`    ${line}`);
    }
    lines.push('');
  }
  const domains = report.acceptedDomains;
  if (domains && domains.added.length + domains.removed.length + domains.retyped.length > 0) {
    lines.push('Accepted domains');
    for (const domain of domains.added)
      lines.push(`  + ${printable(domain.domainName)} (${domain.domainType})`);
    for (const domain of domains.removed)
      lines.push(`  − ${printable(domain.domainName)} (${domain.domainType})`);
    for (const domain of domains.retyped)
      lines.push(`  ${printable(domain.domainName)}: ${domain.before} → ${domain.after}`);
    lines.push('');
  }
  lines.push(verdictLine(report));
  return `${lines.join('\n')}\n`;
}

function changeSection(report: DiffReport): string[] {
  const change = report.change!;
  const lines = [`exrelay whatif: ${printable(change.script)} against ${printable(report.before.source)}`];
  lines.push(
    change.complete
      ? 'Evaluation: complete (every statement was evaluated).'
      : `Evaluation: INCOMPLETE: ${change.notEvaluated.length} statement${change.notEvaluated.length === 1 ? ' was' : 's were'} not evaluated; what ${change.notEvaluated.length === 1 ? 'it does' : 'they do'} is not in this review.`,
  );
  if (change.stoppedAt)
    lines.push(
      `The script stops at line ${change.stoppedAt.line}: ${printable(change.stoppedAt.reason)}; later commands do not run.`,
    );
  for (const assumption of change.assumptions) lines.push(`Assumed: ${printable(assumption)}.`);
  lines.push('', 'Commands');
  if (change.commands.length === 0)
    lines.push('  (none that change receive connectors, permissions or accepted domains)');
  for (const command of change.commands) {
    lines.push(
      `  line ${command.line}: ${printable(command.cmdlet)}${command.target ? ` '${printable(command.target)}'` : ''}: ${command.status}${command.reason ? `: ${printable(command.reason)}` : ''}`,
    );
    for (const effect of command.effects)
      lines.push(`    ${effect.kind === 'ranges-dropped' ? 'WARNING ' : ''}${printable(effect.text)}`);
  }
  if (change.notEvaluated.length > 0) {
    lines.push('', 'Not evaluated');
    for (const item of change.notEvaluated)
      lines.push(
        `  line ${item.line}, column ${item.column}: ${printable(item.text)}`,
        `    ${printable(item.reason)}`,
      );
  }
  return lines;
}
