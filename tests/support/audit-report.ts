/**
 * The report an audit with history and exceptions prints, built in-process from two snapshots the way
 * src/cli/audit-history.ts builds it: each side evaluated with the exceptions judged on its own day, the
 * changes section from the diff engine. For report writers' tests that need every kind of change and mark.
 */

import type { ExceptionEntry } from '../../src/exceptions/exception-entry.js';
import { buildChanges } from '../../src/history/changes.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { evaluateFindings, reportOf, type ExceptionsInput } from '../../src/pipeline.js';
import { materializeReport, type Report } from '../../src/report/report.js';
import { anonymousUsersGroup, connector, grant, RELAY, SID, snapshot } from './builders.js';
import { afterSnapshot, beforeSnapshot, IDENTITY } from './changing-orgs.js';
import { HOSTILE_NAMES } from './hostile-names.js';

export const BASELINE_DAY = '2025-03-03';
export const AUDIT_DAY = '2025-03-04';

/** An exceptions-file entry naming a finding by check, connector and subject; line numbers as written. */
export function entry(
  line: number,
  finding: { check: string; connector: string | null; subject: string | null },
  fields: Partial<
    Pick<ExceptionEntry, 'reason' | 'owner' | 'ticket' | 'expires' | 'scope' | 'severity'>
  > = {},
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
    severity: null,
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
  return {
    ...materializeReport(reportOf(current, 'exrelay test')),
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

/** An entry's finding: the anonymous-relay finding of `connector`. */
export const anonymousRelay = (connector: string) => ({
  check: 'anonymous-relay',
  connector,
  subject: SID.anonymous,
});

/**
 * The changing organisation (changing-orgs.ts) audited with one exception of each kind: accepted (Relay Printers,
 * line 3, ticket CHG-1), scope-exceeded (Relay Apps, line 11, approved for its /16), expired (Relay Monitoring,
 * line 19, on the baseline's day) and stale (Legacy Relay, line 25, removed).
 */
export function changingAuditWithExceptions(): Report {
  return auditReport(beforeSnapshot(), afterSnapshot(), [
    entry(3, anonymousRelay(IDENTITY.printers), {
      reason: 'Printers relay until the migration',
      ticket: 'CHG-1',
      scope: { ranges: ['10.40.0.0/16'], principals: null },
    }),
    entry(11, anonymousRelay(IDENTITY.apps), { scope: { ranges: ['10.20.0.0/16'], principals: null } }),
    entry(19, anonymousRelay(IDENTITY.everyone), { expires: '2025-03-03', reason: 'Monitoring probe' }),
    entry(25, anonymousRelay(IDENTITY.legacy)),
  ]);
}

/**
 * Every hostile name as a relay connector (with a GUID), widened from a /24 to a /16 between the two audits; each
 * name is also the reason, owner and ticket of the exception for its connector's anonymous-relay finding, which
 * approves the /24 when `approvesScope(index)` (exceeded by the /16) and any scope otherwise (still accepted).
 */
export function hostileAudit(approvesScope: (index: number) => boolean): Report {
  const relayAcl = [
    ...anonymousUsersGroup(),
    grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY, { sid: SID.anonymous }),
  ];
  const org = (prefix: number, collectedAt: string) =>
    snapshot(
      HOSTILE_NAMES.map(({ name }, index) =>
        connector({
          name,
          guid: `6f1c2a3b-0000-4000-8000-${String(index).padStart(12, '0')}`,
          remoteIPRanges: [`10.${index}.0.0/${prefix}`],
          permissions: relayAcl,
        }),
      ),
      { collectedAt },
    );
  return auditReport(
    org(24, '2025-03-03T06:00:00.000Z'),
    org(16, '2025-03-04T06:00:00.000Z'),
    HOSTILE_NAMES.map(({ name }, index) =>
      entry(3 + index * 8, anonymousRelay(`EX01\\${name}`), {
        reason: name,
        owner: name,
        ticket: name,
        scope: { ranges: approvesScope(index) ? [`10.${index}.0.0/24`] : null, principals: null },
      }),
    ),
  );
}
