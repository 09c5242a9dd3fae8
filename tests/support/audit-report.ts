/**
 * The report an audit with history and exceptions prints, built in-process from two snapshots the way
 * src/cli/audit-history.ts builds it: each side evaluated with the exceptions judged on its own day, the
 * changes section from the diff engine. For report writers' tests that need every kind of change and mark.
 */

import type { ExceptionEntry } from '../../src/exceptions/exception-entry.js';
import { buildChanges } from '../../src/history/changes.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { evaluateFindings, reportOf, type ExceptionsInput } from '../../src/pipeline.js';
import type { Report } from '../../src/report/report.js';

export const BASELINE_DAY = '2025-03-03';
export const AUDIT_DAY = '2025-03-04';

/** An exceptions-file entry naming a finding by check, connector and subject; line numbers as written. */
export function entry(
  line: number,
  finding: { check: string; connector: string | null; subject: string | null },
  fields: Partial<Pick<ExceptionEntry, 'reason' | 'owner' | 'ticket' | 'expires' | 'scope'>> = {},
): ExceptionEntry {
  return {
    finding: {
      kind: 'finding',
      checkId: finding.check,
      connector: finding.connector,
      subject: finding.subject,
    },
    reason: 'Approved for the test',
    owner: 'it-ops@contoso.com',
    ticket: null,
    expires: '2099-12-31',
    scope: { ranges: null, principals: null },
    ...fields,
    position: { line, column: 5 },
  };
}

export function auditReport(
  before: Snapshot,
  after: Snapshot,
  entries?: ExceptionEntry[],
  failOnChange: 'high' | 'none' = 'high',
): Report {
  const exceptions = (today: string): ExceptionsInput | undefined =>
    entries && { file: { entries }, source: 'exceptions.yaml', today };
  const baseline = evaluateFindings(before, exceptions(BASELINE_DAY));
  const current = evaluateFindings(after, exceptions(AUDIT_DAY));
  const stream = reportOf(current, 'exrelay test');
  return {
    ...stream,
    connectors: [...stream.connectors],
    changes: buildChanges({
      baseline: {
        evaluated: baseline,
        info: {
          file: 'snapshots/exrelay-snapshot-20250303-060000.json',
          collectedAt: before.collectedAt,
          partial: false,
        },
      },
      current,
      failOnChange,
      generator: 'exrelay test',
      notes: [],
    }),
  };
}
