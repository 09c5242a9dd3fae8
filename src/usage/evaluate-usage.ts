/** Snapshot and scanned logs → joined evidence → findings → report: the pure path of `exrelay usage`. */

import { analyzeOrganization } from '../analysis/analyze.js';
import type { LogProblem } from '../logs/read-log-file.js';
import type { Snapshot } from '../model/snapshot.js';
import { analyzeUsage, type LogFileSummary } from './analyze-usage.js';
import { proposeScopes } from './least-privilege.js';
import { DEFAULT_USAGE_OPTIONS, type UsageOptions } from './usage-check.js';
import { runUsageChecks } from './usage-checks.js';
import { buildUsageReport, type UsageReport } from './usage-report.js';
import type { UsageTally } from './usage-tally.js';

export interface ScannedLogs {
  tally: UsageTally;
  files: readonly LogFileSummary[];
  problems: readonly LogProblem[];
}

export function evaluateUsage(
  snapshot: Snapshot,
  logs: ScannedLogs,
  generator: string,
  options: UsageOptions = DEFAULT_USAGE_OPTIONS,
): UsageReport {
  const usage = analyzeUsage(analyzeOrganization(snapshot), logs.tally, logs.files);
  const findings = runUsageChecks({ usage, proposals: proposeScopes(usage), options });
  return buildUsageReport(usage, findings, logs.problems, generator);
}
