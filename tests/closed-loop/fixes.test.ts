/**
 * The closed loop (docs/whatif.md): every fix exrelay prints, on every fixture organisation, parsed by real
 * PowerShell and applied with the change model. A fix must close its finding without making anything else worse,
 * and its rollback (where the finding has one) must bring the organisation back. Runs over whatever fixes the
 * checks print today; a fix that fails is listed in KNOWN_FAILURES with the reason, and that list must stay true.
 */

import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { runFixLoop, type FixLoopResult } from '../../src/diff/fix-loop.js';
import { buildSnapshot } from '../../src/ingest/build-snapshot.js';
import { loadInputs } from '../../src/ingest/load-files.js';
import { evaluate } from '../../src/pipeline.js';
import { describeWithPwsh } from '../helpers/pwsh.js';
import { openScriptReader, type OpenReader } from '../helpers/script-reader.js';

const ORGS = readdirSync('fixtures/orgs').sort();

/** Checks whose fix changes nothing in Exchange by design: it collects the data the verdict needs, or is advice. */
const NO_CHANGE_BY_DESIGN: Readonly<Record<string, string>> = {
  'verdict-unknown': 'the fix exports the missing permissions',
  'incomplete-input': 'the fix exports what is missing',
  'ambiguous-precedence':
    'when both tied connectors hold only the tied range, the fix is advice (disable one or rebind it)',
};

/** Fixes without a rollback on purpose. */
const NO_ROLLBACK_BY_DESIGN: Readonly<Record<string, string>> = {
  'unparseable-range': 'an entry Exchange cannot parse cannot be written back with its cmdlets',
};

/** Fixes that fail the loop today, each a defect in the fix (reported to the owner of src/checks). */
const KNOWN_FAILURES: Readonly<Record<string, string>> = {};

describeWithPwsh('closed loop: every fix on every fixture organisation', (pwsh) => {
  let open: OpenReader;
  const results: Array<FixLoopResult & { org: string }> = [];

  beforeAll(async () => {
    open = await openScriptReader(pwsh);
    const { reader } = open;
    for (const org of ORGS) {
      const { snapshot } = buildSnapshot(await loadInputs([`fixtures/orgs/${org}`]));
      const before = evaluate(snapshot, 'exrelay');
      const fixable = before.findings.filter((finding) => finding.remediation !== null);
      const rollbacks = fixable.map((finding) => finding.rollback);
      const fixes = await reader.parseTexts(fixable.map((finding) => finding.remediation as string));
      const parsedRollbacks = await reader.parseTexts(
        rollbacks.filter((text): text is string => text !== null),
      );
      let next = 0;
      fixable.forEach((finding, index) => {
        const rollback = rollbacks[index] === null ? null : (parsedRollbacks[next++] ?? null);
        results.push({ org, ...runFixLoop(snapshot, before, finding, fixes[index]!, rollback) });
      });
    }
  }, 300_000);
  afterAll(async () => {
    await open.close();
  });

  it('runs over the fixes of every organisation and every check that prints one', () => {
    expect(new Set(results.map((result) => result.org)).size).toBeGreaterThanOrEqual(ORGS.length - 2);
    const checks = new Set(results.map((result) => result.checkId));
    for (const check of [
      'default-connector-relay',
      'anonymous-relay',
      'externally-secured-relay',
      'everyone-relay',
      'accepted-domain-relay',
      'basic-auth-without-tls',
      'inconsistent-relay-scope',
    ])
      expect([check, checks.has(check)]).toEqual([check, true]);
  });

  it('every fix that changes Exchange closes its finding and makes nothing else worse', () => {
    const failures = results
      .filter(
        (result) =>
          result.verdict !== 'closed' &&
          result.verdict !== 'no-change' &&
          !(result.checkId in KNOWN_FAILURES),
      )
      .map(
        (result) =>
          `${result.org}: ${result.checkId} on ${result.connector ?? 'the organisation'}: ${result.verdict}: ${result.problem}`,
      );
    expect(failures).toEqual([]);
    expect(results.filter((result) => result.verdict === 'closed').length).toBeGreaterThan(20);
  });

  it('fixes that change nothing are those of data-collection and advice checks only', () => {
    const unexpected = results
      .filter((result) => result.verdict === 'no-change' && !(result.checkId in NO_CHANGE_BY_DESIGN))
      .map((result) => `${result.org}: ${result.checkId} on ${result.connector ?? 'the organisation'}`);
    expect(unexpected).toEqual([]);
  });

  it('the known failures still fail (remove them from the list once their fix is repaired)', () => {
    for (const checkId of Object.keys(KNOWN_FAILURES)) {
      const seen = results.filter((result) => result.checkId === checkId);
      expect([checkId, seen.length > 0, seen.every((result) => result.verdict === 'refused')]).toEqual([
        checkId,
        true,
        true,
      ]);
    }
  });

  it('every rollback that exists restores the organisation', () => {
    const broken = results
      .filter((result) => result.rollback !== 'none' && result.rollback !== 'restored')
      .map(
        (result) =>
          `${result.org}: ${result.checkId} on ${result.connector ?? 'the organisation'}: ${result.rollback}: ${result.problem}`,
      );
    expect(broken).toEqual([]);
    // Rollbacks are really replayed: every closed fix carries one, except where the old state cannot be written.
    const closed = results.filter(
      (result) => result.verdict === 'closed' && !(result.checkId in NO_ROLLBACK_BY_DESIGN),
    );
    expect(closed.length).toBeGreaterThan(20);
    expect(closed.filter((result) => result.rollback !== 'restored')).toEqual([]);
  });
});
