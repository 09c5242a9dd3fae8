/**
 * A pre-change review, purely: the change script's commands applied to the organisation, both states analysed
 * by the same pipeline as `analyze`, and the difference from the one diff engine.
 */

import type { Snapshot } from '../model/snapshot.js';
import { evaluate } from '../pipeline.js';
import { diffOrganizations, type EvaluatedOrganization, type OrganizationDiff } from '../diff/diff.js';
import { evaluateChangeScript, type EvaluationOptions, type ScriptEvaluation } from './evaluate.js';
import type { BlockNode } from './script-ast.js';

export interface WhatIfResult {
  evaluation: ScriptEvaluation;
  before: EvaluatedOrganization;
  after: EvaluatedOrganization;
  diff: OrganizationDiff;
  /** False when some statement was not evaluated: the difference may be incomplete. */
  complete: boolean;
}

export function whatIf(
  snapshot: Snapshot,
  script: BlockNode,
  options: EvaluationOptions & { generator?: string; before?: EvaluatedOrganization } = {},
): WhatIfResult {
  const generator = options.generator ?? 'exrelay';
  const before = options.before ?? evaluate(snapshot, generator);
  const evaluation = evaluateChangeScript(snapshot, script, options);
  const after = evaluate(evaluation.after, generator);
  const renames = evaluation.outcomes.flatMap((outcome) =>
    outcome.effects
      .filter((effect) => effect.kind === 'connector-renamed' && effect.target && effect.values?.[0])
      .map((effect) => [effect.target as string, effect.values?.[0] as string] as const),
  );
  return {
    evaluation,
    before,
    after,
    diff: diffOrganizations(before, after, { renames, derived: true }),
    complete: evaluation.notEvaluated.length === 0,
  };
}
