/**
 * A connector can hold hundreds of thousands of RemoteIPRanges entries: a message quotes a few and says how many
 * more there are, while the finding's data keeps every one (issue 12: a 448 KB message listed 25,000 ranges).
 */

import { describe, expect, it } from '@jest/globals';
import { listEntries } from '../../src/checks/describe.js';
import { connector } from '../support/builders.js';
import { findingsFor } from '../support/evaluate.js';

describe('long lists in messages', () => {
  it('quotes at most eight entries and counts the rest', () => {
    expect(listEntries(['a', 'b'])).toBe('a, b');
    const many = Array.from({ length: 25_000 }, (_, index) => `fd00:${index.toString(16)}::/64`);
    expect(listEntries(many)).toBe(`${many.slice(0, 8).join(', ')} and 24,992 more`);
  });

  it('keeps an unused-range-family message short and every entry in its data', () => {
    const ipv6 = Array.from({ length: 25_000 }, (_, index) => `fd00:${index.toString(16)}::/64`);
    const [finding] = findingsFor('unused-range-family', [
      connector({ name: 'R', remoteIPRanges: ['10.0.0.0/8', ...ipv6] }),
    ]);
    expect(finding?.message.length).toBeLessThan(600);
    expect(finding?.message).toContain('and 24,992 more');
    expect(finding?.data).toEqual({ entries: ipv6, families: ['IPv6'] });
  });
});

describe('long TlsDomainCapabilities lists in fixes', () => {
  const entries = (count: number) =>
    Array.from({ length: count }, (_, index) => `partner${index}.example:AcceptOrgHeaders`);
  const findings = (count: number) =>
    findingsFor('certificate-relay', [
      connector({ name: 'Partners', authMechanism: ['Tls'], tlsDomainCapabilities: entries(count) }),
    ]);

  it('up to 20 entries, a fix writes the list back without its entry and the rollback writes it whole', () => {
    const list = entries(20);
    const quoted = (values: string[]) => values.map((value) => `'${value}'`).join(',');
    const found = findings(20);
    expect(found).toHaveLength(20);
    expect(found[3]?.remediation).toBe(
      `Set-ReceiveConnector -Identity 'EX01\\Partners' -TlsDomainCapabilities ${quoted(list.filter((_, index) => index !== 3))}`,
    );
    expect(found[3]?.rollback).toBe(
      `Set-ReceiveConnector -Identity 'EX01\\Partners' -TlsDomainCapabilities ${quoted(list)}`,
    );
  });

  it('beyond 20, each fix names only its own entry (5,000 entries printed 2.5 GB of commands: out of memory)', () => {
    const found = findings(5_000);
    expect(found).toHaveLength(5_000);
    expect(found[3]).toMatchObject({
      subject: 'partner3.example',
      remediation:
        "Set-ReceiveConnector -Identity 'EX01\\Partners' -TlsDomainCapabilities @{Remove='partner3.example:AcceptOrgHeaders'}",
      rollback:
        "Set-ReceiveConnector -Identity 'EX01\\Partners' -TlsDomainCapabilities @{Add='partner3.example:AcceptOrgHeaders'}",
    });
    const printed = found.reduce(
      (sum, finding) => sum + (finding.remediation?.length ?? 0) + (finding.rollback?.length ?? 0),
      0,
    );
    expect(printed).toBeLessThan(5_000 * 300);
  });
});
