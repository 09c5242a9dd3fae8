/**
 * An audit's "changes since <date>" section: the diff engine's report between the baseline and this audit, and
 * what counts for --fail-on-change (new or widened findings at or above it that no exception accepts). Pure.
 */

import { severityRank, type Severity } from '../analysis/severity.js';
import {
  diffOrganizations,
  noConnectorInCommon,
  uncheckedDomainFindings,
  uncheckedServers,
  regressions,
  type FindingDiff,
  type OrganizationDiff,
} from '../diff/diff.js';
import { isAccepted, type MarkedFinding } from '../exceptions/apply-exceptions.js';
import { buildDiffReport, type DiffReport } from '../report/diff/diff-report.js';
import type { Evaluated } from '../pipeline.js';

export interface BaselineInfo {
  /** The file the baseline was read from, as found or given. */
  file: string;
  /** When it was collected (its collectedAt, else the time in its name), or null when unknown. */
  collectedAt: string | null;
  partial: boolean;
}

export interface ChangesSection {
  /** The baseline's collection time: "changes since" this. null without a baseline. */
  since: string | null;
  baseline: BaselineInfo | null;
  /** --fail-on-change, or `none` when it was not given. */
  failOnChange: Severity | 'none';
  /**
   * New or widened findings at or above failOnChange that no exception accepts; without a baseline, every such
   * finding (nothing says it is known). Exit code 1 when above 0.
   */
  regressions: number;
  /** Fingerprints of those findings. */
  regressionFingerprints: string[];
  /** What a person should know about the comparison: no baseline, snapshots dated later, a partial side. */
  notes: string[];
  /** What `exrelay diff BASELINE THIS` prints, with summary.failOn = failOnChange; null without a baseline. */
  diff: DiffReport | null;
}

export function buildChanges(input: {
  baseline: { evaluated: Evaluated; info: BaselineInfo } | null;
  current: Evaluated;
  failOnChange: Severity | 'none';
  generator: string;
  notes: readonly string[];
}): ChangesSection {
  const { baseline, current, failOnChange } = input;
  const notes = [...input.notes];
  if (!baseline) {
    const counted = atOrAbove(current.findings, failOnChange).filter((finding) => !isAccepted(finding));
    return {
      since: null,
      baseline: null,
      failOnChange,
      regressions: counted.length,
      regressionFingerprints: counted.map((finding) => finding.fingerprint),
      notes,
      diff: null,
    };
  }
  if (baseline.info.partial)
    notes.push(
      'The baseline is a partial snapshot: findings on what it could not read show as new in this comparison.',
    );
  const diff = diffOrganizations(baseline.evaluated, current);
  if (noConnectorInCommon(diff, baseline.evaluated, current))
    notes.push(
      "The baseline and this audit have no receive connector in common (by GUID, DN or identity): the baseline may be another organisation's snapshot (a snapshot folder shared by two audits?), so every connector shows as removed and added, and every finding as new.",
    );
  const unchecked = uncheckedDomainFindings(baseline.evaluated, current);
  if (unchecked > 0)
    notes.push(
      `This audit holds no accepted domains: ${unchecked} accepted-domain finding${unchecked === 1 ? '' : 's'} of the baseline could not be checked again and count${unchecked === 1 ? 's' : ''} as unchanged, not resolved.`,
    );
  const unread = uncheckedServers(baseline.evaluated, current);
  if (unread.servers.length > 0)
    notes.push(
      `This audit read none of the receive connectors of ${unread.servers.join(', ')}, which the organisation still lists: ${unread.connectors} connector${unread.connectors === 1 ? '' : 's'} of the baseline were not compared, and their findings count as unchanged, not resolved.`,
    );
  const counted = unacceptedRegressions(diff, failOnChange, current.findings);
  const marked = markExceptions(diff, current.findings);
  return {
    since: baseline.info.collectedAt,
    baseline: baseline.info,
    failOnChange,
    regressions: counted.length,
    regressionFingerprints: counted.map((finding) => finding.fingerprint),
    notes,
    diff: buildDiffReport(baseline.evaluated, current, marked, {
      generator: input.generator,
      failOn: failOnChange,
      regressions: counted.length,
    }),
  };
}

/** The diff with each later-side finding's exception (accepted, expired, …) on its entry, by fingerprint. */
export function markExceptions(diff: OrganizationDiff, after: readonly MarkedFinding[]): OrganizationDiff {
  const marks = new Map(
    after.flatMap((finding) =>
      finding.exception ? [[finding.fingerprint, finding.exception] as const] : [],
    ),
  );
  if (marks.size === 0) return diff;
  const mark = (list: FindingDiff[]) =>
    list.map((finding) => {
      const exception = marks.get(finding.fingerprint);
      return exception && finding.severity.after !== null ? { ...finding, exception } : finding;
    });
  const { findings } = diff;
  return {
    ...diff,
    findings: {
      ...findings,
      introduced: mark(findings.introduced),
      widened: mark(findings.widened),
      narrowed: mark(findings.narrowed),
    },
  };
}

/** New or widened findings at or above `failOn` that no exception accepts in `after`. */
export function unacceptedRegressions(
  diff: OrganizationDiff,
  failOn: Severity | 'none',
  after: readonly MarkedFinding[],
): FindingDiff[] {
  const accepted = new Set(after.filter(isAccepted).map((finding) => finding.fingerprint));
  return regressions(diff, failOn).filter((finding) => !accepted.has(finding.fingerprint));
}

function atOrAbove(findings: readonly MarkedFinding[], failOn: Severity | 'none'): MarkedFinding[] {
  if (failOn === 'none') return [];
  return findings.filter((finding) => severityRank(finding.severity) >= severityRank(failOn));
}
