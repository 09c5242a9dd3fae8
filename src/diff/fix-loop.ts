/**
 * The closed loop for exrelay's own fixes (docs/whatif.md): a finding's remediation is a change script; applied to
 * the organisation it must close the finding and make nothing else worse; its rollback, applied after it, must
 * bring the organisation back. Pure: the fix and rollback arrive parsed.
 */

import { severityRank } from '../analysis/severity.js';
import type { Finding } from '../checks/check.js';
import { whatIf } from '../change/whatif.js';
import type { ParsedScript } from '../change/script-ast.js';
import type { Snapshot } from '../model/snapshot.js';
import { evaluate } from '../pipeline.js';
import { diffOrganizations, type EvaluatedOrganization, type FindingDiff } from './diff.js';

export type FixVerdict =
  /** Applied: the finding is gone (or only its fix-less form remains) and nothing else got worse. */
  | 'closed'
  /** The fix changes nothing in Exchange (advice, or an export to collect missing data). */
  | 'no-change'
  | 'not-closed'
  | 'worse'
  | 'refused'
  | 'not-evaluated'
  | 'does-not-parse';

export type RollbackVerdict =
  'restored' | 'not-restored' | 'refused' | 'not-evaluated' | 'does-not-parse' | 'none';

export interface FixLoopResult {
  checkId: string;
  connector: string | null;
  severity: string;
  verdict: FixVerdict;
  rollback: RollbackVerdict;
  /** Why it failed, in a sentence; null when it passed. */
  problem: string | null;
}

/** The finding after the fix: the same check on the same connector and subject. */
function sameFinding(diffs: readonly FindingDiff[], fingerprint: string): FindingDiff | undefined {
  return diffs.find((item) => item.fingerprint === fingerprint);
}

export function runFixLoop(
  snapshot: Snapshot,
  before: EvaluatedOrganization,
  finding: Finding,
  fix: ParsedScript,
  rollback: ParsedScript | null,
): FixLoopResult {
  const base = { checkId: finding.checkId, connector: finding.connector, severity: finding.severity };
  const { fingerprint } = finding;
  if (!fix.body)
    return {
      ...base,
      verdict: 'does-not-parse',
      rollback: 'none',
      problem: fix.parseErrors[0]?.message ?? 'no script',
    };
  const applied = whatIf(snapshot, fix.body, { before });
  const { outcomes, notEvaluated } = applied.evaluation;
  const fail = (verdict: FixVerdict, problem: string): FixLoopResult => ({
    ...base,
    verdict,
    rollback: 'none',
    problem,
  });
  if (notEvaluated.length > 0)
    return fail('not-evaluated', `${notEvaluated[0]?.text}: ${notEvaluated[0]?.reason}`);
  const refused = outcomes.find((outcome) => outcome.status === 'refused');
  if (refused) return fail('refused', `${refused.cmdlet}: ${refused.reason}`);
  if (!outcomes.some((outcome) => outcome.status === 'applied'))
    return { ...base, verdict: 'no-change', rollback: 'none', problem: null };
  const { findings } = applied.diff;
  const remaining =
    sameFinding([...findings.widened, ...findings.narrowed], fingerprint) ??
    (findings.resolved.some((item) => item.fingerprint === fingerprint)
      ? undefined
      : { remediation: finding.remediation });
  if (remaining && remaining.remediation !== null)
    return fail('not-closed', 'the finding is still reported, with a fix, after the fix is applied');
  // Worse means more exposure: a finding above info on a connector whose score rose (or a new one, or the
  // organisation). A finding that only re-describes unchanged exposure is not worse (relay-capture appears for
  // relay connectors once Default Frontend stops relaying, their own scope unchanged).
  // A connector the fix creates is where it moves relay to (default-connector-relay's dedicated connector): its
  // relay for a few single hosts stays reported, low, so that it stays visible; above low is worse.
  const added = new Set(
    applied.diff.connectors
      .filter((entry) => entry.status === 'added')
      .map((entry) => entry.identity.after?.toLowerCase()),
  );
  const rose = new Set(
    applied.diff.connectors
      .filter((entry) => entry.score !== null && entry.score.after > entry.score.before)
      .map((entry) => entry.identity.after?.toLowerCase()),
  );
  const worse = [...findings.introduced, ...findings.widened].filter((item) => {
    if (item.fingerprint === fingerprint) return false;
    const rank = severityRank(item.severity.after ?? 'info');
    if (item.connector === null) return rank > severityRank('info');
    const connector = item.connector.toLowerCase();
    if (added.has(connector)) return rank > severityRank('low');
    return rank > severityRank('info') && rose.has(connector);
  });
  if (worse.length > 0)
    return fail(
      'worse',
      `it introduces or widens ${worse.map((item) => `${item.checkId} (${item.severity.after}) on ${item.connector ?? 'the organisation'}`).join(', ')}`,
    );
  return { ...base, verdict: 'closed', ...checkRollback(before, applied.after.analysis.snapshot, rollback) };
}

function checkRollback(
  original: EvaluatedOrganization,
  fixed: Snapshot,
  rollback: ParsedScript | null,
): { rollback: RollbackVerdict; problem: string | null } {
  if (rollback === null) return { rollback: 'none', problem: null };
  if (!rollback.body)
    return { rollback: 'does-not-parse', problem: rollback.parseErrors[0]?.message ?? 'no script' };
  const undone = whatIf(fixed, rollback.body, {});
  if (undone.evaluation.notEvaluated.length > 0)
    return { rollback: 'not-evaluated', problem: `rollback: ${undone.evaluation.notEvaluated[0]?.reason}` };
  const refused = undone.evaluation.outcomes.find((outcome) => outcome.status === 'refused');
  if (refused) return { rollback: 'refused', problem: `rollback: ${refused.cmdlet}: ${refused.reason}` };
  const back = diffOrganizations(original, evaluate(undone.after.analysis.snapshot, 'exrelay'), {
    derived: true,
  });
  const { findings, connectors } = back;
  const changed =
    connectors.length +
    findings.introduced.length +
    findings.resolved.length +
    findings.widened.length +
    findings.narrowed.length;
  return changed === 0
    ? { rollback: 'restored', problem: null }
    : {
        rollback: 'not-restored',
        problem: `rollback leaves ${connectors.length} connector(s) different (${connectors.map((entry) => entry.identity.after ?? entry.identity.before).join(', ')})`,
      };
}
