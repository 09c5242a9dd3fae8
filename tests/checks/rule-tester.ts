/**
 * Per-check tests in the style of ESLint's RuleTester: a list of inputs that must give no finding of the check,
 * and a list that must give exactly the expected findings, compared by messageId, severity, connector, subject
 * and data, never by their prose. Every message a check declares must be produced by some invalid case.
 */

import { describe, expect, it } from '@jest/globals';
import type { Check, CheckMeta, Finding, FindingData } from '../../src/checks/check.js';
import type { ReceiveConnector, Snapshot } from '../../src/model/snapshot.js';
import { findingsOf } from '../support/evaluate.js';

export interface RuleCase {
  name: string;
  connectors: ReceiveConnector[];
  snapshot?: Partial<Snapshot>;
}

export interface ExpectedFinding {
  messageId: string;
  severity: Finding['severity'];
  /** Defaults to any connector. */
  connector?: string | null;
  subject?: string | null;
  /** Compared with toMatchObject: list only the keys that matter for the case. */
  data?: FindingData;
  /** Whether the finding prints a fix; checked only when given. */
  fix?: boolean;
}

export interface InvalidCase extends RuleCase {
  errors: ExpectedFinding[];
}

function findingsOfCheck(check: Check, testCase: RuleCase): Finding[] {
  return findingsOf(testCase.connectors, testCase.snapshot).filter(
    (finding) => finding.checkId === check.meta.id,
  );
}

function comparable(finding: Finding, expected: ExpectedFinding): Record<string, unknown> {
  return {
    messageId: finding.messageId,
    severity: finding.severity,
    ...('connector' in expected && { connector: finding.connector }),
    ...('subject' in expected && { subject: finding.subject }),
    ...('fix' in expected && { fix: finding.remediation !== null }),
  };
}

export function ruleTester(check: Check, cases: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  describe(`${check.meta.id} (rule tester)`, () => {
    if (cases.valid.length > 0)
      it.each(cases.valid.map((testCase) => [testCase.name, testCase] as const))(
        'valid: %s',
        (_name, testCase) => {
          expect(findingsOfCheck(check, testCase).map((finding) => finding.messageId)).toEqual([]);
        },
      );

    it.each(cases.invalid.map((testCase) => [testCase.name, testCase] as const))(
      'invalid: %s',
      (_name, testCase) => {
        expectFindings(findingsOfCheck(check, testCase), testCase.errors);
      },
    );

    it('produces every message it declares in some invalid case', () => {
      expectEveryMessage(check.meta, cases.invalid);
    });
  });
}

/** The findings are exactly the expected ones (shared with the usage checks' tester). */
export function expectFindings(findings: readonly Finding[], errors: readonly ExpectedFinding[]): void {
  const none: ExpectedFinding = { messageId: '', severity: 'info' };
  expect(findings.map((finding, index) => comparable(finding, errors[index] ?? none))).toEqual(
    errors.map(({ data: _data, ...rest }) => rest),
  );
  errors.forEach((expected, index) => {
    if (expected.data) expect(findings[index]?.data).toMatchObject(expected.data);
  });
}

/** Every message a check declares is produced by some invalid case. */
export function expectEveryMessage(
  meta: CheckMeta,
  invalid: readonly { errors: readonly ExpectedFinding[] }[],
): void {
  const produced = new Set(
    invalid.flatMap((testCase) => testCase.errors.map((expected) => expected.messageId)),
  );
  expect(Object.keys(meta.messages).filter((id) => !produced.has(id))).toEqual([]);
}
