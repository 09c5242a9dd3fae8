/** An audit's changes section: the diff engine between baseline and audit, and what --fail-on-change counts. */

import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parseExceptions } from '../../src/exceptions/parse-exceptions.js';
import { buildChanges } from '../../src/history/changes.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { evaluateFindings, type ExceptionsInput } from '../../src/pipeline.js';
import { afterSnapshot, beforeSnapshot, IDENTITY } from '../support/changing-orgs.js';

const TODAY = '2025-03-04';

function changes(
  options: { exceptions?: string; failOnChange?: 'high' | 'none'; baselineDay?: string } = {},
) {
  const input = (today: string): ExceptionsInput | undefined =>
    options.exceptions === undefined
      ? undefined
      : { file: parseExceptions(options.exceptions), source: 'exceptions.yaml', today };
  const baseline = evaluateFindings(beforeSnapshot(), input(options.baselineDay ?? '2025-03-03'));
  const current = evaluateFindings(afterSnapshot(), input(TODAY));
  return {
    baseline,
    current,
    section: buildChanges({
      baseline: {
        evaluated: baseline,
        info: {
          file: 'snapshots/exrelay-snapshot-20250303-060000.json',
          collectedAt: '2025-03-03T06:00:00.000Z',
          partial: false,
        },
      },
      current,
      failOnChange: options.failOnChange ?? 'high',
      generator: 'exrelay test',
      notes: [],
    }),
  };
}

const exception = (lines: string[]) => ['version: 1', 'exceptions:', ...lines].join('\n') + '\n';

describe('changes since the baseline', () => {
  it('reports every kind of change between two audits', () => {
    const { section } = changes();
    expect(section.since).toBe('2025-03-03T06:00:00.000Z');
    const diff = section.diff!;
    expect(diff.summary).toMatchObject({
      connectorsAdded: 1,
      connectorsRemoved: 1,
      connectorsRenamed: 1,
    });
    const byIdentity = new Map(
      diff.connectors.map((entry) => [entry.identity.after ?? entry.identity.before, entry]),
    );
    expect(byIdentity.get(IDENTITY.added)?.status).toBe('added');
    expect(byIdentity.get(IDENTITY.legacy)?.status).toBe('removed');
    expect(byIdentity.get(IDENTITY.scannersRenamed)).toMatchObject({ renamed: true, matchedBy: 'guid' });
    expect(byIdentity.get(IDENTITY.fax)?.enabled).toEqual({ before: true, after: false });
    expect(byIdentity.get(IDENTITY.apps)?.remoteIPRanges).toEqual({
      added: [{ text: '10.0.0.0/8', addresses: '16777216' }],
      removed: [{ text: '10.20.0.0/16', addresses: '65536' }],
    });
    expect(byIdentity.get(IDENTITY.everyone)?.aces?.added).toMatchObject([
      { user: 'Everyone', rights: ['ms-Exch-SMTP-Accept-Any-Recipient'] },
    ]);
    expect(byIdentity.get(IDENTITY.appliances)).toMatchObject({
      authMechanism: { before: ['Tls'], after: ['Tls', 'ExternalAuthoritative'] },
      bindings: { added: ['0.0.0.0:2525'], removed: [] },
    });
    expect(byIdentity.get(IDENTITY.printers)).toBeUndefined();
    expect(diff.acceptedDomains).toMatchObject({
      added: [{ domainName: '*' }],
      retyped: [{ domainName: 'contoso.com', before: 'Authoritative', after: 'InternalRelay' }],
    });
    const widened = diff.findings.widened.find(
      (finding) => finding.checkId === 'anonymous-relay' && finding.connector === IDENTITY.apps,
    );
    expect(widened?.scope.before).toBe('65536');
    expect(BigInt(widened!.scope.after!)).toBeGreaterThan(16_000_000n);
    expect(diff.findings.introduced.map((finding) => finding.checkId)).toEqual(
      expect.arrayContaining(['everyone-relay', 'accepted-domain-relay']),
    );
    expect(diff.findings.resolved.some((finding) => finding.connector === IDENTITY.legacy)).toBe(true);
  });

  it('counts new and widened findings at or above --fail-on-change, never the unchanged known ones', () => {
    const { section, current } = changes({ failOnChange: 'high' });
    const counted = new Set(section.regressionFingerprints);
    expect(section.regressions).toBe(counted.size);
    expect(section.regressions).toBeGreaterThan(0);
    const apps = current.findings.find(
      (finding) => finding.checkId === 'anonymous-relay' && finding.connector === IDENTITY.apps,
    )!;
    expect(counted.has(apps.fingerprint)).toBe(true);
    // The printers' relay grant is high today and was yesterday: known, not a change.
    expect(current.findings.find((finding) => finding.connector === IDENTITY.printers)?.severity).toBe(
      'high',
    );
    const printers = current.findings.find(
      (finding) => finding.connector === IDENTITY.printers && finding.checkId === 'anonymous-relay',
    )!;
    expect(printers).toBeDefined();
    expect(counted.has(printers.fingerprint)).toBe(false);
    expect(section.diff?.summary).toMatchObject({ failOn: 'high', regressions: section.regressions });
    expect(changes({ failOnChange: 'none' }).section.regressions).toBe(0);
  });

  it('without a baseline, every finding at or above the threshold counts, and a note says why', () => {
    const current = evaluateFindings(afterSnapshot());
    const section = buildChanges({
      baseline: null,
      current,
      failOnChange: 'high',
      generator: 'test',
      notes: ['No earlier snapshot.'],
    });
    expect(section).toMatchObject({
      since: null,
      baseline: null,
      diff: null,
      notes: ['No earlier snapshot.'],
    });
    expect(section.regressions).toBe(
      current.findings.filter((finding) => ['high', 'critical'].includes(finding.severity)).length,
    );
  });

  it("says when the baseline shares no connector with this audit: another organisation's snapshot", () => {
    // Two organisations' nightly audits writing into one folder: each compares with the other's snapshot, and
    // every finding alerts as new. The diff command warned of this; the audit said nothing.
    const other = JSON.parse(
      readFileSync('tests/docs/examples/anonymous-relay-hosts.json', 'utf8'),
    ) as Snapshot;
    const section = buildChanges({
      baseline: {
        evaluated: evaluateFindings(other),
        info: { file: 'snapshots/exrelay-snapshot-20250303-060000.json', collectedAt: null, partial: false },
      },
      current: evaluateFindings(afterSnapshot()),
      failOnChange: 'high',
      generator: 'test',
      notes: [],
    });
    expect(section.notes).toEqual([
      expect.stringMatching(
        /^The baseline and this audit have no receive connector in common .*another organisation/,
      ),
    ]);
    expect(changes().section.notes).toEqual([]);
  });

  it("says when this audit has no accepted domains: the baseline's accepted-domain findings are not resolved", () => {
    const baseline = evaluateFindings(afterSnapshot());
    const domainFindings = baseline.findings.filter((finding) => finding.checkId === 'accepted-domain-relay');
    expect(domainFindings.length).toBeGreaterThan(0);
    const section = buildChanges({
      baseline: {
        evaluated: baseline,
        info: { file: 'snapshots/exrelay-snapshot-20250304-060000.json', collectedAt: null, partial: false },
      },
      current: evaluateFindings(afterSnapshot({ acceptedDomains: null })),
      failOnChange: 'high',
      generator: 'test',
      notes: [],
    });
    expect(section.notes).toEqual([
      `This audit holds no accepted domains: ${domainFindings.length} accepted-domain finding${domainFindings.length === 1 ? '' : 's'} of the baseline could not be checked again and count${domainFindings.length === 1 ? 's' : ''} as unchanged, not resolved.`,
    ]);
    expect(section.diff?.findings.resolved.map((finding) => finding.checkId)).not.toContain(
      'accepted-domain-relay',
    );
  });

  it('an accepted widening within the approved scope does not count; beyond it, it does, with a finding of its own', () => {
    const { current: apps } = changes();
    const fingerprint = apps.findings.find(
      (finding) => finding.checkId === 'anonymous-relay' && finding.connector === IDENTITY.apps,
    )!.fingerprint;
    const approve = (range: string) =>
      exception([
        `  - fingerprint: ${fingerprint}`,
        '    reason: Application servers move into 10/8 during the migration',
        '    owner: it-ops',
        '    expires: 2025-12-31',
        '    scope:',
        `      ranges: [${range}]`,
        '      principals: [S-1-5-7]',
      ]);
    const within = changes({ exceptions: approve('10.0.0.0/8') });
    expect(within.section.regressionFingerprints).not.toContain(fingerprint);
    expect(
      within.section.diff?.findings.widened.find((finding) => finding.fingerprint === fingerprint),
    ).toMatchObject({
      exception: { status: 'accepted', owner: 'it-ops' },
    });
    const beyond = changes({ exceptions: approve('10.20.0.0/16') });
    expect(beyond.section.regressionFingerprints).toContain(fingerprint);
    const exceeded = beyond.section.diff?.findings.introduced.find(
      (finding) => finding.checkId === 'exception',
    );
    expect(exceeded?.message).toContain('has grown beyond the scope approved by the exception at line 3');
    expect(beyond.section.regressionFingerprints).toContain(exceeded?.fingerprint);
  });

  it('an exception that expired since the baseline is a change at the finding’s severity', () => {
    const { current } = changes();
    const printers = current.findings.find(
      (finding) => finding.connector === IDENTITY.printers && finding.checkId === 'anonymous-relay',
    )!;
    expect(printers.severity).toBe('high');
    const { section } = changes({
      failOnChange: 'high',
      exceptions: exception([
        `  - fingerprint: ${printers.fingerprint}`,
        '    reason: Printers',
        '    owner: facilities',
        '    expires: 2025-03-03',
        '    scope:',
        '      ranges: [10.40.0.0/16]',
      ]),
    });
    const expired = section.diff?.findings.introduced.find((finding) => finding.checkId === 'exception');
    expect(expired?.severity.after).toBe(printers.severity);
    expect(expired?.message).toContain('expired on 2025-03-03');
    expect(section.regressionFingerprints).toContain(expired?.fingerprint);
  });

  it('an exception by fingerprint follows a connector renamed with its GUID', () => {
    const { baseline } = changes();
    const scanners = baseline.findings.find(
      (finding) => finding.connector === IDENTITY.scanners && finding.checkId === 'anonymous-relay',
    )!;
    const { current, section } = changes({
      exceptions: exception([
        `  - fingerprint: ${scanners.fingerprint}`,
        '    reason: Scanners',
        '    owner: facilities',
        '    expires: 2099-01-01',
        '    scope:',
        '      ranges: [10.30.2.0/28]',
      ]),
    });
    expect(current.findings.find((finding) => finding.fingerprint === scanners.fingerprint)).toMatchObject({
      connector: IDENTITY.scannersRenamed,
      exception: { status: 'accepted' },
    });
    expect(section.diff?.findings.introduced.some((finding) => finding.checkId === 'exception')).toBe(false);
  });
});
