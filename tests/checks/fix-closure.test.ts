/**
 * Every printed fix closes what its finding reports, makes nothing else worse, and its rollback restores today's
 * findings (issue 6 §2), on every docs example: the shapes the check pages document (inherited, GenericAll and
 * duplicate grants, Deny, ties, hybrid capabilities, …). Fixes are parsed by real PowerShell and applied with the
 * change model (src/change), as `exrelay whatif` applies them; tests/closed-loop runs the same over the fixture
 * organisations. Beyond the closed loop's rule (no connector's score rises), no finding and no connector's worst
 * finding may become more severe.
 */

import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { severityRank, type Severity } from '../../src/analysis/severity.js';
import type { ParsedScript } from '../../src/change/script-ast.js';
import { whatIf } from '../../src/change/whatif.js';
import type { Finding } from '../../src/checks/check.js';
import { identifyPrincipal } from '../../src/analysis/principals.js';
import { runFixLoop } from '../../src/diff/fix-loop.js';
import { buildSnapshot } from '../../src/ingest/build-snapshot.js';
import { loadInputs } from '../../src/ingest/load-files.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { evaluate } from '../../src/pipeline.js';
import { describeWithPwsh } from '../helpers/pwsh.js';
import { openScriptReader, type OpenReader } from '../helpers/script-reader.js';

const EXAMPLES = readdirSync('tests/docs/examples')
  .filter((file) => file.endsWith('.json') && !file.startsWith('snapshot-'))
  .sort();

/** Fixes that change nothing in Exchange on purpose (by checkId, or checkId/messageId): export or advice. */
const ADVICE: Readonly<Record<string, string>> = {
  'verdict-unknown': 'exports the permissions the verdict needs, or says what to check',
  'incomplete-input': 'exports what is missing',
  'ambiguous-precedence':
    'both tied connectors hold only the tie: disable one or rebind it, a decision to make',
  'inconsistent-relay-scope/drift-all-public': 'no copy is a safe model: scope each to its devices',
  'anonymous-relay': 'a grant inherited from a container above the connector: the fix finds where it is set',
  'everyone-relay': 'a grant inherited from a container above the connector: the fix finds where it is set',
};

/** Rollbacks that cannot exist: the old state cannot be written with Exchange's cmdlets. */
const NO_ROLLBACK: Readonly<Record<string, string>> = {
  'unparseable-range': 'Exchange refuses to write an entry it cannot parse',
  'ambiguous-precedence': 'Exchange refuses equal or partly overlapping ranges on one binding',
};

interface Case {
  example: string;
  checkId: string;
  messageId: string;
  label: string;
  verdict: string;
  problem: string | null;
  rollback: string;
  worse: string[];
  /** After fix and rollback: what still differs from today (findings, connectors); null when not replayed. */
  restored: string[] | null;
}

function worstByConnector(findings: readonly Finding[]): Map<string | null, Severity> {
  const worst = new Map<string | null, Severity>();
  for (const entry of findings) {
    const current = worst.get(entry.connector);
    if (!current || severityRank(entry.severity) > severityRank(current))
      worst.set(entry.connector, entry.severity);
  }
  return worst;
}

/**
 * Worse: a finding more severe than before, or a connector whose worst finding is more severe than before. A new
 * finding on a connector that gets no worse is not (a connector whose externally secured relay is dropped without
 * an ACL in the input becomes unknown, medium, instead of relay, high); on a connector the fix creates (the
 * dedicated connector of a default-connector fix: one placeholder host), anything above low is.
 */
function worseFindings(before: readonly Finding[], after: readonly Finding[]): string[] {
  const severityBefore = new Map(before.map((finding) => [finding.fingerprint, finding.severity]));
  const connectorsBefore = worstByConnector(before);
  const connectorsAfter = worstByConnector(after);
  return after
    .filter((entry) => {
      const was = severityBefore.get(entry.fingerprint);
      if (was !== undefined) return severityRank(entry.severity) > severityRank(was);
      const connectorWas = connectorsBefore.get(entry.connector);
      const connectorIs = connectorsAfter.get(entry.connector) as Severity;
      return connectorWas === undefined
        ? severityRank(entry.severity) > severityRank('low')
        : severityRank(connectorIs) > severityRank(connectorWas);
    })
    .map((entry) => `${entry.checkId} ${entry.connector} ${entry.severity}`);
}

const view = (findings: readonly Finding[]) =>
  findings.map((entry) => `${entry.fingerprint} ${entry.severity}`).sort();

/**
 * A connector's configuration, its ACEs compared by meaning, as a set (Windows evaluates them in canonical order,
 * whatever their order; a principal is the same whether the ACE names it by SID or by its printed name).
 * PermissionGroups is left out: Exchange computes it from the ACL when read (exchange-domain.md §1.2), and the
 * hand-written examples list groups their ACEs do not complete, which the change model recomputes.
 */
function state(connector: Snapshot['connectors'][number]): string {
  const { permissionGroups: _groups, permissions, ...rest } = connector;
  const fold = (values: readonly string[]) => values.map((value) => value.toLowerCase()).sort();
  return JSON.stringify({
    ...rest,
    permissions:
      permissions
        ?.map((ace) =>
          JSON.stringify([
            identifyPrincipal(ace.user, ace.sid).key,
            ace.deny,
            ace.inherited,
            fold(ace.accessRights),
            fold(ace.extendedRights),
            (ace.inheritanceType ?? 'none').toLowerCase(),
          ]),
        )
        .sort() ?? null,
  });
}

/** Entries of one list missing from the other, both ways. */
function difference(a: readonly string[], b: readonly string[]): string[] {
  const left = new Set(a);
  const right = new Set(b);
  return [
    ...a.filter((entry) => !right.has(entry)).map((entry) => `today only: ${entry}`),
    ...b.filter((entry) => !left.has(entry)).map((entry) => `after rollback only: ${entry}`),
  ];
}

describeWithPwsh('every fix of every docs example, applied with the change model', (pwsh) => {
  let open: OpenReader;
  const cases: Case[] = [];

  beforeAll(async () => {
    open = await openScriptReader(pwsh);
    for (const example of EXAMPLES) {
      const { snapshot } = buildSnapshot(await loadInputs([`tests/docs/examples/${example}`]));
      const before = evaluate(snapshot, 'exrelay');
      const fixable = before.findings.filter((finding) => finding.remediation !== null);
      const fixes = await open.reader.parseTexts(fixable.map((finding) => finding.remediation as string));
      const rollbacks = await open.reader.parseTexts(fixable.map((finding) => finding.rollback ?? '# none'));
      fixable.forEach((finding, index) => {
        const fix = fixes[index] as ParsedScript;
        const rollback = finding.rollback === null ? null : (rollbacks[index] as ParsedScript);
        const loop = runFixLoop(snapshot, before, finding, fix, rollback);
        const label = `${example}: ${finding.checkId} ${finding.connector ?? '-'} ${finding.subject ?? '-'}`;
        const result: Case = {
          example,
          messageId: finding.messageId,
          label,
          ...loop,
          worse: [],
          restored: null,
        };
        if (loop.verdict === 'closed' && fix.body) {
          const fixed: Snapshot = whatIf(snapshot, fix.body, { before }).after.analysis.snapshot;
          result.worse = worseFindings(before.findings, evaluate(fixed, 'exrelay').findings);
          if (rollback?.body) {
            const undone = whatIf(fixed, rollback.body);
            const refused = undone.evaluation.outcomes.find((outcome) => outcome.status !== 'applied');
            const back = undone.after.analysis.snapshot;
            result.restored = refused
              ? [`${refused.cmdlet}: ${refused.status} ${refused.reason}`]
              : [
                  ...difference(view(before.findings), view(evaluate(back, 'exrelay').findings)),
                  ...difference(snapshot.connectors.map(state), back.connectors.map(state)),
                ];
          }
        }
        cases.push(result);
      });
    }
  }, 600_000);
  afterAll(async () => {
    await open.close();
  });

  it('covers the examples of every check that prints a fix', () => {
    const checks = new Set(cases.map((entry) => entry.checkId));
    for (const check of [
      'anonymous-relay',
      'externally-secured-relay',
      'everyone-relay',
      'default-connector-relay',
      'accepted-domain-relay',
      'certificate-relay',
      'basic-auth-without-tls',
      'inconsistent-relay-scope',
      'unparseable-range',
    ])
      expect([check, checks.has(check)]).toEqual([check, true]);
  });

  it('every fix that changes Exchange closes its finding; the others are advice by design', () => {
    const failures = cases
      .filter(
        (entry) =>
          entry.verdict !== 'closed' &&
          !(
            entry.verdict === 'no-change' &&
            (entry.checkId in ADVICE || `${entry.checkId}/${entry.messageId}` in ADVICE)
          ),
      )
      .map((entry) => `${entry.label}: ${entry.verdict}: ${entry.problem}`);
    expect(failures).toEqual([]);
    expect(cases.filter((entry) => entry.verdict === 'closed').length).toBeGreaterThan(40);
  });

  it('no fix makes a finding or a connector more severe', () => {
    expect(
      cases.filter((entry) => entry.worse.length > 0).map((entry) => [entry.label, entry.worse]),
    ).toEqual([]);
  });

  it('every rollback restores today, and every closed fix has one unless the old state cannot be written', () => {
    const broken = cases
      .filter((entry) => entry.restored !== null && entry.restored.length > 0)
      .map((entry) => [entry.label, entry.restored]);
    expect(broken).toEqual([]);
    const missing = cases
      .filter(
        (entry) => entry.verdict === 'closed' && entry.restored === null && !(entry.checkId in NO_ROLLBACK),
      )
      .map((entry) => entry.label);
    expect(missing).toEqual([]);
    expect(cases.filter((entry) => entry.restored !== null).length).toBeGreaterThan(40);
  });
});
