/** The engine finds each finding's connector by the identity the check reported, in any letter case. */

import { describe, expect, it } from '@jest/globals';
import { analyzeOrganization } from '../../src/analysis/analyze.js';
import type { Check, FindingDraft } from '../../src/checks/check.js';
import { findingFingerprint, stableConnectorKey } from '../../src/checks/fingerprint.js';
import { runChecks } from '../../src/checks/registry.js';
import { connector, snapshot } from '../support/builders.js';

const relay = connector({ name: 'Relay', guid: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' });
const other = connector({ name: 'Other' });

/** A check that reports one finding for each identity it is given. */
function reporting(...identities: string[]): Check {
  return {
    meta: {
      id: 'test-check',
      title: 'Test',
      severityRule: 'Info.',
      explanation: 'Test.',
      messages: { found: { description: 'Found.', data: [] } },
    },
    run: () =>
      identities.map((identity): FindingDraft => ({
        messageId: 'found',
        severity: 'info',
        connector: identity,
        subject: null,
        message: 'Found.',
        data: {},
        remediation: null,
        rollback: null,
      })),
  };
}

describe('runChecks', () => {
  const analysis = analyzeOrganization(snapshot([relay, other]));

  it("keys a finding by its connector's stable key, whatever the case of the identity reported", () => {
    const findings = runChecks(analysis, [reporting('EX01\\Relay', 'ex01\\RELAY', 'EX01\\Other')]);
    expect(findings.map((finding) => finding.fingerprint)).toEqual([
      findingFingerprint('test-check', stableConnectorKey(relay), null),
      findingFingerprint('test-check', stableConnectorKey(relay), null),
      findingFingerprint('test-check', stableConnectorKey(other), null),
    ]);
  });

  it('refuses a finding for a connector the organisation does not have', () => {
    expect(() => runChecks(analysis, [reporting('EX01\\Relay', 'EX02\\Relay')])).toThrow(
      "test-check reported a finding for the unknown connector 'EX02\\Relay'",
    );
  });
});
