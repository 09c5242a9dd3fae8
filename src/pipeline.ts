/** Snapshot → analysis → findings (→ approved exceptions) → report: the pure path every command shares. */

import { analyzeOrganization, type OrganizationAnalysis } from './analysis/analyze.js';
import { runChecks } from './checks/registry.js';
import { applyExceptions, connectorScopes, type MarkedFinding } from './exceptions/apply-exceptions.js';
import type { ExceptionsFile } from './exceptions/exception-entry.js';
import type { Snapshot } from './model/snapshot.js';
import {
  buildReport,
  streamReport,
  type Report,
  type ReportExceptions,
  type ReportStream,
} from './report/report.js';

/** Approved exceptions to apply, and the day they are judged on (from the caller: never the clock here). */
export interface ExceptionsInput {
  file: ExceptionsFile;
  /** The file's name as the user gave it, for the report. */
  source: string;
  /** YYYY-MM-DD. */
  today: string;
}

export interface Evaluation {
  analysis: OrganizationAnalysis;
  findings: MarkedFinding[];
  report: Report;
}

export interface Evaluated {
  analysis: OrganizationAnalysis;
  findings: MarkedFinding[];
  /** The report's `exceptions` section, when exceptions were applied. */
  exceptions: ReportExceptions | null;
}

export function evaluateFindings(snapshot: Snapshot, exceptions?: ExceptionsInput): Evaluated {
  const analysis = analyzeOrganization(snapshot);
  const findings = runChecks(analysis);
  if (!exceptions) return { analysis, findings, exceptions: null };
  const outcome = applyExceptions({
    findings,
    connectors: connectorScopes(analysis),
    exceptions: exceptions.file,
    today: exceptions.today,
  });
  return {
    analysis,
    findings: outcome.findings,
    exceptions: { file: exceptions.source, date: exceptions.today, ...outcome.summary },
  };
}

export function evaluate(snapshot: Snapshot, generator: string, exceptions?: ExceptionsInput): Evaluation {
  const { analysis, findings, exceptions: section } = evaluateFindings(snapshot, exceptions);
  const report = buildReport(analysis, findings, generator);
  return { analysis, findings, report: section ? { ...report, exceptions: section } : report };
}

/** The report of an evaluation, its connectors built while they are written (what the CLI prints). */
export function reportOf(evaluated: Evaluated, generator: string): ReportStream {
  const stream = streamReport(evaluated.analysis, evaluated.findings, generator);
  return evaluated.exceptions ? { ...stream, exceptions: evaluated.exceptions } : stream;
}

export function evaluateToStream(
  snapshot: Snapshot,
  generator: string,
  exceptions?: ExceptionsInput,
): ReportStream {
  return reportOf(evaluateFindings(snapshot, exceptions), generator);
}
