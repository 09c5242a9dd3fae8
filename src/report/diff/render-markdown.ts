/** A diff or what-if report in Markdown, for a change ticket: what the change does, then what it does to relay. */

import { markdownCode as inlineCode, markdownText as cell } from '../untrusted-text.js';
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

export function renderDiffMarkdown(report: DiffReport): string {
  const lines: string[] = [];
  const change = report.change;
  if (change) {
    lines.push(`# Pre-change review: ${inlineCode(change.script)}`, '');
    lines.push(
      `Against: ${cell(report.before.source)}${report.before.collectedAt ? ` (collected ${report.before.collectedAt})` : ''}`,
      '',
    );
    if (!change.complete)
      lines.push(
        `> **Incomplete evaluation:** ${change.notEvaluated.length} statement${change.notEvaluated.length === 1 ? ' was' : 's were'} not evaluated (listed below). This review does not show what ${change.notEvaluated.length === 1 ? 'it does' : 'they do'}.`,
        '',
      );
    if (change.stoppedAt)
      lines.push(
        `> **The script stops at line ${change.stoppedAt.line}:** ${cell(change.stoppedAt.reason)}. Later commands do not run.`,
        '',
      );
    for (const assumption of change.assumptions) lines.push(`- Assumed: ${cell(assumption)}.`);
    if (change.assumptions.length > 0) lines.push('');
    lines.push(
      '## Commands',
      '',
      '| Line | Command | Target | Result | What it does |',
      '|---:|---|---|---|---|',
    );
    for (const command of change.commands) {
      const effects = [
        ...(command.reason ? [cell(command.reason)] : []),
        ...command.effects.map((effect) =>
          effect.kind === 'ranges-dropped' ? `**${cell(effect.text)}**` : cell(effect.text),
        ),
      ].join('<br>');
      lines.push(
        `| ${command.line} | ${cell(command.cmdlet)} | ${command.target ? cell(command.target) : ''} | ${command.status} | ${effects} |`,
      );
    }
    if (change.commands.length === 0)
      lines.push('| | | | | no command changes receive connectors, permissions or accepted domains |');
    lines.push('');
    if (change.notEvaluated.length > 0) {
      lines.push('## Not evaluated', '', '| Line | Column | Statement | Why |', '|---:|---:|---|---|');
      for (const item of change.notEvaluated)
        lines.push(`| ${item.line} | ${item.column} | ${cell(item.text)} | ${cell(item.reason)} |`);
      lines.push('');
    }
  } else {
    lines.push(
      '# exrelay diff',
      '',
      `Before: ${cell(report.before.source)}${report.before.collectedAt ? ` (${report.before.collectedAt})` : ''}  `,
      `After: ${cell(report.after.source)}${report.after.collectedAt ? ` (${report.after.collectedAt})` : ''}`,
      '',
    );
  }
  lines.push('## Effect on relay', '', headline(report), '', verdictLine(report), '');
  for (const [title, findings] of findingSections(report)) {
    if (findings.length === 0) continue;
    lines.push(`### ${title}`, '');
    for (const finding of findings) {
      const scope = findingScope(finding);
      lines.push(
        `- **${cell(findingTitle(finding))}**${scope ? ` (${scope})` : ''}: ${cell(finding.message)}`,
      );
    }
    lines.push('');
  }
  if (report.connectors.length > 0) {
    lines.push('### Connectors', '');
    for (const connector of report.connectors) {
      lines.push(`- ${inlineCode(connectorTitle(connector))}`);
      for (const line of connectorLines(connector)) lines.push(`  - ${cell(line)}`);
    }
    lines.push('');
  }
  const domains = report.acceptedDomains;
  if (domains && domains.added.length + domains.removed.length + domains.retyped.length > 0) {
    lines.push('### Accepted domains', '');
    for (const domain of domains.added)
      lines.push(`- added ${inlineCode(domain.domainName)} (${domain.domainType})`);
    for (const domain of domains.removed)
      lines.push(`- removed ${inlineCode(domain.domainName)} (${domain.domainType})`);
    for (const domain of domains.retyped)
      lines.push(`- ${inlineCode(domain.domainName)}: ${domain.before} → ${domain.after}`);
    lines.push('');
  }
  return lines.join('\n');
}
