/** Snapshot → analysis → findings → report: the pure path every command shares. */

import { analyzeOrganization, type OrganizationAnalysis } from './analysis/analyze.js';
import type { Finding } from './checks/check.js';
import { runChecks } from './checks/registry.js';
import type { Snapshot } from './model/snapshot.js';
import { buildReport, type Report } from './report/report.js';

export interface Evaluation {
  analysis: OrganizationAnalysis;
  findings: Finding[];
  report: Report;
}

export function evaluate(snapshot: Snapshot, generator: string): Evaluation {
  const analysis = analyzeOrganization(snapshot);
  const findings = runChecks(analysis);
  return { analysis, findings, report: buildReport(analysis, findings, generator) };
}
