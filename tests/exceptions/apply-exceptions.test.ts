/** The exceptions layer: accepted, expired, exceeded and stale entries, and the entries it refuses. */

import { describe, expect, it } from '@jest/globals';
import { ExceptionsFileError } from '../../src/exceptions/exception-entry.js';
import { parseExceptions } from '../../src/exceptions/parse-exceptions.js';
import { evaluateFindings } from '../../src/pipeline.js';
import { failsThreshold } from '../../src/report/report.js';
import { afterSnapshot, beforeSnapshot, IDENTITY } from '../support/changing-orgs.js';

const file = (lines: string[]) => parseExceptions(['version: 1', 'exceptions:', ...lines].join('\n') + '\n');

function judged(lines: string[], today = '2025-03-04', snapshot = beforeSnapshot()) {
  return evaluateFindings(snapshot, { file: file(lines), source: 'exceptions.yaml', today });
}

const printers = (extra: string[] = [], expires = '2025-03-31') => [
  '  - check: anonymous-relay',
  `    connector: ${IDENTITY.printers.toLowerCase()}`,
  '    subject: s-1-5-7',
  '    reason: Printers relay until the print server moves',
  '    owner: facilities',
  '    ticket: CHG-1',
  `    expires: ${expires}`,
  ...extra,
];

function printersFinding(findings: ReturnType<typeof judged>['findings']) {
  return findings.find(
    (finding) => finding.connector === IDENTITY.printers && finding.checkId === 'anonymous-relay',
  )!;
}

describe('applying exceptions', () => {
  it('accepts the finding an entry names (case-insensitive), through its expiry day, and leaves it out of the exit code', () => {
    const plain = evaluateFindings(beforeSnapshot());
    expect(failsThreshold(plain.findings, 'high')).toBe(true);
    const { findings, exceptions } = judged(printers([], '2025-03-04'));
    expect(printersFinding(findings).exception).toEqual({
      status: 'accepted',
      reason: 'Printers relay until the print server moves',
      owner: 'facilities',
      ticket: 'CHG-1',
      expires: '2025-03-04',
      line: 3,
    });
    expect(exceptions).toMatchObject({ entries: 1, accepted: 1, expired: 0, scopeExceeded: 0, stale: 0 });
    // Every other high finding is accepted too? No: only the printers' one is; the rest still fail.
    const others = findings.filter((finding) => finding !== printersFinding(findings));
    expect(failsThreshold(findings, 'high')).toBe(failsThreshold(others, 'high'));
    expect(failsThreshold([printersFinding(findings)], 'high')).toBe(false);
  });

  it('matches the check id ignoring case too, as the connector and subject', () => {
    const entry = printers().map((line) => line.replace('check: anonymous-relay', 'check: Anonymous-Relay'));
    const { findings, exceptions } = judged(entry);
    expect(printersFinding(findings).exception?.status).toBe('accepted');
    expect(exceptions).toMatchObject({ accepted: 1, stale: 0 });
  });

  it('stops covering the day after expiry: the finding counts and an exception finding says so', () => {
    const { findings, exceptions } = judged(printers([], '2025-03-03'));
    const finding = printersFinding(findings);
    expect(finding.exception?.status).toBe('expired');
    expect(failsThreshold([finding], 'high')).toBe(true);
    const expired = findings.find((entry) => entry.checkId === 'exception');
    expect(expired).toMatchObject({
      messageId: 'expired',
      severity: finding.severity,
      connector: IDENTITY.printers,
      data: {
        line: 3,
        owner: 'facilities',
        expires: '2025-03-03',
        finding: finding.fingerprint,
        checkId: 'anonymous-relay',
      },
    });
    expect(exceptions?.expired).toBe(1);
  });

  it('stops covering when the connector receives addresses beyond the approved ranges', () => {
    const { findings } = judged(printers(['    scope:', '      ranges: [10.40.0.0/17]']));
    expect(printersFinding(findings).exception?.status).toBe('scope-exceeded');
    expect(findings.find((entry) => entry.checkId === 'exception')).toMatchObject({
      messageId: 'scope-exceeded',
      data: { addresses: '32768', ranges: ['10.40.128.0/17'], principals: [] },
    });
    expect(
      judged(printers(['    scope:', '      ranges: [10.40.0.0/16, 10.99.0.1]'])).exceptions?.accepted,
    ).toBe(1);
  });

  it('stops covering a finding more severe than the severity it approves', () => {
    // The printers' /16 is high; an entry approving it at medium no longer covers it.
    expect(judged(printers(['    severity: high'])).exceptions?.accepted).toBe(1);
    const { findings } = judged(printers(['    severity: medium']));
    expect(printersFinding(findings).exception?.status).toBe('scope-exceeded');
    const exceeded = findings.find((entry) => entry.checkId === 'exception');
    expect(exceeded).toMatchObject({
      messageId: 'scope-exceeded',
      severity: 'high',
      data: { addresses: '0', principals: [], approvedSeverity: 'medium' },
    });
    expect(exceeded?.message).toContain('it is high now, more severe than the medium it approves');
  });

  it('stops covering an organisation-wide finding that became more severe (*.com retyped to InternalRelay)', () => {
    const comDomain = (domainType: 'Authoritative' | 'InternalRelay') =>
      beforeSnapshot({
        acceptedDomains: [
          { name: 'contoso.com', domainName: 'contoso.com', domainType: 'Authoritative', isDefault: true },
          { name: 'Com', domainName: '*.com', domainType, isDefault: false },
        ],
      });
    const entry = [
      '  - check: accepted-domain-relay',
      '    connector: null',
      "    subject: '*.com'",
      '    reason: Legacy catch-all, authoritative only',
      '    owner: messaging',
      '    expires: 2099-12-31',
      '    severity: low',
    ];
    expect(judged(entry, '2025-03-04', comDomain('Authoritative')).exceptions?.accepted).toBe(1);
    const { findings, exceptions } = judged(entry, '2025-03-04', comDomain('InternalRelay'));
    expect(exceptions).toMatchObject({ accepted: 0, scopeExceeded: 1 });
    const exceeded = findings.find((finding) => finding.checkId === 'exception');
    expect(exceeded).toMatchObject({ severity: 'critical', connector: null });
    expect(exceeded?.message).toContain(
      'The accepted-domain-relay finding (*.com) is critical now, more severe than the low approved by the exception at line 3',
    );
    expect(failsThreshold(findings, 'high')).toBe(true);
    // Without a severity the entry covers it whatever its severity, as documented.
    const unbounded = judged(entry.slice(0, -1), '2025-03-04', comDomain('InternalRelay'));
    expect(unbounded.exceptions?.accepted).toBe(1);
  });

  it('stops covering when a principal it does not approve holds the relay right (names or SIDs, any language)', () => {
    const monitoring = [
      '  - check: anonymous-relay',
      `    connector: ${IDENTITY.everyone}`,
      '    subject: S-1-5-7',
      '    reason: Monitoring',
      '    owner: noc',
      '    expires: 2099-01-01',
      '    scope:',
    ];
    const before = judged([...monitoring, "      principals: ['NT AUTHORITY\\ANONYMOUS LOGON']"]);
    expect(before.exceptions?.accepted).toBe(1);
    const after = judged([...monitoring, '      principals: [S-1-5-7]'], '2025-03-04', afterSnapshot());
    expect(after.findings.find((entry) => entry.checkId === 'exception')).toMatchObject({
      messageId: 'scope-exceeded',
      data: { principals: ['Everyone'] },
    });
    const allowed = judged(
      [...monitoring, '      principals: [S-1-5-7, Jeder]'],
      '2025-03-04',
      afterSnapshot(),
    );
    expect(allowed.exceptions?.accepted).toBe(1);
  });

  it('reports an entry that matches nothing as stale', () => {
    const { findings, exceptions } = judged([
      "  - fingerprint: '00000000000000000000000000000000'",
      '    reason: gone',
      '    owner: bob',
      '    expires: 2099-01-01',
    ]);
    expect(exceptions?.stale).toBe(1);
    expect(findings.find((entry) => entry.checkId === 'exception')).toMatchObject({
      messageId: 'stale',
      severity: 'low',
      connector: null,
      subject: 'fingerprint 00000000000000000000000000000000',
    });
  });

  it('refuses two entries for one finding, and a scope for a finding about no connector', () => {
    const fingerprint = printersFinding(evaluateFindings(beforeSnapshot()).findings).fingerprint;
    const twice = () =>
      judged([
        ...printers(),
        `  - fingerprint: ${fingerprint}`,
        '    reason: r',
        '    owner: o',
        '    expires: 2099-01-01',
      ]);
    expect(twice).toThrow(ExceptionsFileError);
    expect(twice).toThrow(
      `this entry names the same finding (${fingerprint}) as the entry at line 3: keep one`,
    );
    const organisation = () =>
      judged(
        [
          '  - check: accepted-domain-relay',
          '    connector: null',
          "    subject: '*'",
          '    reason: r',
          '    owner: o',
          '    expires: 2099-01-01',
          '    scope:',
          '      ranges: [10.0.0.0/8]',
        ],
        '2025-03-04',
        afterSnapshot(),
      );
    expect(organisation).toThrow(
      'this entry approves a scope, but its finding (accepted-domain-relay) is about no connector',
    );
  });

  it('refuses an entry that matches several findings', () => {
    const twin = beforeSnapshot();
    // Hand-edited input: the same identity twice (Exchange would never print that).
    twin.connectors.push({ ...twin.connectors[2]!, guid: '6f1c2a3b-0000-4000-8000-999999999999' });
    expect(() => judged(printers(), '2025-03-04', twin)).toThrow(
      /^this entry matches 2 findings \([0-9a-f]{32}, [0-9a-f]{32}\): name one by its fingerprint$/,
    );
  });
});
