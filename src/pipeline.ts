/** Snapshot → analysis → findings → report: the pure path every command shares. */

import { analyzeOrganization, type OrganizationAnalysis } from './analysis/analyze.js';
import type { Finding } from './checks/check.js';
import { runChecks } from './checks/registry.js';
import type { Snapshot } from './model/snapshot.js';
import { buildReport, streamReport, type Report, type ReportStream } from './report/report.js';

export interface Evaluation {
  analysis: OrganizationAnalysis;
  findings: Finding[];
  report: Report;
}

function analyzeAndCheck(snapshot: Snapshot): { analysis: OrganizationAnalysis; findings: Finding[] } {
  const analysis = analyzeOrganization(snapshot);
  return { analysis, findings: runChecks(analysis) };
}

export function evaluate(snapshot: Snapshot, generator: string): Evaluation {
  const { analysis, findings } = analyzeAndCheck(snapshot);
  return { analysis, findings, report: buildReport(analysis, findings, generator) };
}

/** The same, with the report's connectors built while they are written (what the CLI prints). */
export function evaluateToStream(snapshot: Snapshot, generator: string): ReportStream {
  const { analysis, findings } = analyzeAndCheck(snapshot);
  return streamReport(analysis, findings, generator);
}
