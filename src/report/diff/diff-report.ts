/**
 * The diff and what-if reports: one plain structure every format renders, and exactly what `--format json` prints
 * (docs/diff.md). Fields may be added, never renamed or removed.
 */

import type { Severity } from '../../analysis/severity.js';
import type { CommandOutcome, NotEvaluated } from '../../change/evaluate.js';
import type { WhatIfResult } from '../../change/whatif.js';
import type { DiffSummary, EvaluatedOrganization, OrganizationDiff } from '../../diff/diff.js';

export const DIFF_SCHEMA_VERSION = 1;

export interface SideSummary {
  source: string;
  collectedAt: string | null;
  connectors: number;
  findings: number;
  highestSeverity: Severity | null;
}

export interface DiffReport extends Omit<OrganizationDiff, 'summary'> {
  kind: 'exrelay.diff' | 'exrelay.whatif';
  schemaVersion: typeof DIFF_SCHEMA_VERSION;
  generator: string;
  before: SideSummary;
  after: SideSummary;
  summary: DiffSummary & { failOn: Severity | 'none'; regressions: number };
  /** Only in what-if reports. */
  change?: ChangeSection;
}

export interface ChangeSection {
  script: string;
  /** False when some statement was not evaluated: the difference may miss what it does. */
  complete: boolean;
  /** Whether an incomplete review exits 1 (false with --allow-incomplete). */
  incompleteFails: boolean;
  commands: CommandOutcome[];
  notEvaluated: NotEvaluated[];
  refused: number;
  assumptions: string[];
  stoppedAt: { line: number; column: number; reason: string } | null;
}

/** A what-if review that could not evaluate every statement, and is to fail for it (no --allow-incomplete). */
export function failsAsIncomplete(report: DiffReport): boolean {
  return report.change !== undefined && !report.change.complete && report.change.incompleteFails;
}

function side(evaluated: EvaluatedOrganization): SideSummary {
  const { snapshot } = evaluated.analysis;
  const severities: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
  return {
    source: snapshot.source.description,
    collectedAt: snapshot.collectedAt,
    connectors: snapshot.connectors.length,
    findings: evaluated.findings.length,
    highestSeverity:
      severities.find((severity) => evaluated.findings.some((finding) => finding.severity === severity)) ??
      null,
  };
}

export function buildDiffReport(
  before: EvaluatedOrganization,
  after: EvaluatedOrganization,
  diff: OrganizationDiff,
  options: { generator: string; failOn: Severity | 'none'; regressions: number },
): DiffReport {
  return {
    kind: 'exrelay.diff',
    schemaVersion: DIFF_SCHEMA_VERSION,
    generator: options.generator,
    before: side(before),
    after: side(after),
    summary: { ...diff.summary, failOn: options.failOn, regressions: options.regressions },
    connectors: diff.connectors,
    acceptedDomains: diff.acceptedDomains,
    findings: diff.findings,
  };
}

export function buildWhatIfReport(
  script: string,
  result: WhatIfResult,
  options: { generator: string; failOn: Severity | 'none'; regressions: number; allowIncomplete: boolean },
): DiffReport {
  const report = buildDiffReport(result.before, result.after, result.diff, options);
  const { evaluation } = result;
  return {
    ...report,
    kind: 'exrelay.whatif',
    change: {
      script,
      complete: result.complete,
      incompleteFails: !options.allowIncomplete,
      commands: evaluation.outcomes,
      notEvaluated: evaluation.notEvaluated,
      refused: evaluation.outcomes.filter((outcome) => outcome.status === 'refused').length,
      assumptions: evaluation.assumptions,
      stoppedAt: evaluation.stoppedAt,
    },
  };
}
