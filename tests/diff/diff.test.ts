/** The diff engine on hand-made organisations that change in every way `exrelay diff` reports. */

import { describe, expect, it } from '@jest/globals';
import {
  diffOrganizations,
  regressions,
  uncheckedDomainFindings,
  uncheckedServers,
} from '../../src/diff/diff.js';
import type { ExchangeServerInfo } from '../../src/model/snapshot.js';
import type { ReceiveConnector, Snapshot } from '../../src/model/snapshot.js';
import { evaluate } from '../../src/pipeline.js';
import { anonymousUsersGroup, connector, grant, RELAY, SID, snapshot } from '../support/builders.js';

const defaultFrontend = () =>
  connector({
    name: 'Default Frontend EX01',
    guid: 'aaaaaaaa-0000-0000-0000-000000000001',
    permissions: anonymousUsersGroup(),
    permissionGroups: ['AnonymousUsers'],
  });
const relay = (ranges: string[], name = 'Relay Apps'): ReceiveConnector =>
  connector({
    name,
    guid: 'aaaaaaaa-0000-0000-0000-000000000002',
    remoteIPRanges: ranges,
    permissions: [
      ...anonymousUsersGroup(),
      grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY, { sid: SID.anonymous }),
    ],
    permissionGroups: ['AnonymousUsers', 'Custom'],
  });
const org = (connectors: ReceiveConnector[], overrides: Partial<Snapshot> = {}) =>
  evaluate(
    snapshot(connectors, {
      acceptedDomains: [
        { name: 'contoso.com', domainName: 'contoso.com', domainType: 'Authoritative', isDefault: true },
      ],
      ...overrides,
    }),
    'test',
  );

describe('exrelay diff engine', () => {
  it('never calls an accepted-domain finding resolved when the later side holds no accepted domains', () => {
    // Was "resolved", exit 0: a later export without AcceptedDomain.xml made *.com InternalRelay look fixed.
    const wildcard = {
      name: 'Wild .com',
      domainName: '*.com',
      domainType: 'InternalRelay' as const,
      isDefault: false,
    };
    const before = org([defaultFrontend()], {
      acceptedDomains: [
        { name: 'contoso.com', domainName: 'contoso.com', domainType: 'Authoritative', isDefault: true },
        wildcard,
      ],
    });
    expect(before.findings.filter((f) => f.checkId === 'accepted-domain-relay')).toHaveLength(1);
    const unread = org([defaultFrontend()], { acceptedDomains: null });
    const diff = diffOrganizations(before, unread);
    expect(diff.findings.resolved.map((f) => f.checkId)).toEqual([]);
    expect(uncheckedDomainFindings(before, unread)).toBe(1);
    // Removed for real, it is resolved.
    const removed = org([defaultFrontend()]);
    expect(diffOrganizations(before, removed).findings.resolved.map((f) => f.checkId)).toEqual([
      'accepted-domain-relay',
    ]);
    expect(uncheckedDomainFindings(before, removed)).toBe(0);
  });

  it("never calls a finding resolved when the later side lists the connector's server but read none of its connectors", () => {
    // Was 13 findings "resolved", exit 0: a later export of one server's connectors beside the organisation's
    // server list made the other server's open relay look fixed.
    const server = (name: string): ExchangeServerInfo => ({
      name,
      version: 'Version 15.2 (Build 1544.4)',
      roles: ['Mailbox'],
      isEdge: false,
    });
    const servers = [server('EX01'), server('EX02')];
    const onEx02 = { ...relay(['203.0.113.0/24']), server: 'EX02', identity: 'EX02\\Relay Apps' };
    const before = org([defaultFrontend(), onEx02], { servers });
    expect(before.findings.some((f) => f.connector === 'EX02\\Relay Apps' && f.severity !== 'info')).toBe(
      true,
    );
    const unread = org([defaultFrontend()], { servers });
    const diff = diffOrganizations(before, unread);
    expect(diff.findings.resolved).toEqual([]);
    expect(diff.connectors).toEqual([]);
    expect(uncheckedServers(before, unread)).toEqual({ servers: ['EX02'], connectors: 1 });
    // The server gone from the organisation (not listed any more): its connector is removed, its findings resolved.
    const decommissioned = org([defaultFrontend()], { servers: [server('EX01')] });
    const gone = diffOrganizations(before, decommissioned);
    expect(gone.connectors.map((c) => c.status)).toEqual(['removed']);
    expect(gone.findings.resolved.length).toBeGreaterThan(0);
    expect(uncheckedServers(before, decommissioned).servers).toEqual([]);
    // A what-if review's later side is the same read changed: there a server left without connectors lost them.
    const derived = diffOrganizations(before, unread, { derived: true });
    expect(derived.findings.resolved.length).toBeGreaterThan(0);
  });

  it('matches a finding about another connector when one side lost the GUIDs (the subject names it by GUID)', () => {
    // Was 2 introduced and 2 resolved relay-capture findings between an export with Guid and one without.
    const before = org([defaultFrontend(), relay(['10.20.0.0/16'])]);
    const withoutGuids = org([
      { ...defaultFrontend(), guid: null },
      { ...relay(['10.20.0.0/16']), guid: null },
    ]);
    expect(before.findings.filter((f) => f.checkId === 'relay-capture').length).toBeGreaterThan(0);
    const diff = diffOrganizations(before, withoutGuids);
    expect(diff.findings.introduced).toEqual([]);
    expect(diff.findings.resolved).toEqual([]);
    // A capture from a different connector is still a different finding.
    const other = connector({ name: 'Other Frontend', guid: 'aaaaaaaa-0000-0000-0000-000000000009' });
    const moved = org([other, relay(['10.20.0.0/16'])]);
    const changed = diffOrganizations(before, moved);
    expect(changed.findings.introduced.map((f) => f.checkId)).toContain('relay-capture');
  });

  it('a /16 widened to a /8 is a widened finding, with the ranges and the addresses it gains', () => {
    const before = org([defaultFrontend(), relay(['10.20.0.0/16'])]);
    const after = org([defaultFrontend(), relay(['10.0.0.0/8'])]);
    const diff = diffOrganizations(before, after);
    expect(diff.findings.widened.map((finding) => [finding.checkId, finding.severity])).toEqual([
      ['anonymous-relay', { before: 'high', after: 'high' }],
      ['relay-capture', { before: 'low', after: 'low' }],
    ]);
    const changed = diff.connectors.find((entry) => entry.identity.after === 'EX01\\Relay Apps');
    expect(changed?.remoteIPRanges).toEqual({
      added: [{ text: '10.0.0.0/8', addresses: '16777216' }],
      removed: [{ text: '10.20.0.0/16', addresses: '65536' }],
    });
    expect(changed?.effectiveScope).toMatchObject({
      gained: { addresses: String(16777216 - 65536) },
      cause: 'own-change',
    });
    // Default Frontend loses those addresses through precedence, without a change of its own.
    const frontend = diff.connectors.find((entry) => entry.identity.after === 'EX01\\Default Frontend EX01');
    expect(frontend?.effectiveScope?.cause).toBe('other-connectors');
    expect(regressions(diff, 'high')).toHaveLength(1);
    expect(regressions(diff, 'critical')).toHaveLength(0);
  });

  it('a relay range moved to other senders is a widened finding, also when the count stays or falls', () => {
    // 10.20.0.0/16 -> 10.99.0.0/16: as many addresses as before, but 65,536 new senders can relay.
    const moved = diffOrganizations(
      org([defaultFrontend(), relay(['10.20.0.0/16'])]),
      org([defaultFrontend(), relay(['10.99.0.0/16'])]),
    );
    expect(moved.findings.widened.map((finding) => finding.checkId)).toContain('anonymous-relay');
    expect(regressions(moved, 'high').map((finding) => finding.checkId)).toEqual(['anonymous-relay']);
    // 10.20.0.0/16 -> 10.99.0.0/24: fewer addresses, yet 256 of them could not relay before: not "narrowed".
    const smaller = diffOrganizations(
      org([defaultFrontend(), relay(['10.20.0.0/16'])]),
      org([defaultFrontend(), relay(['10.99.0.0/24'])]),
    );
    expect(smaller.findings.narrowed.map((finding) => finding.checkId)).not.toContain('anonymous-relay');
    expect(smaller.findings.widened.map((finding) => finding.checkId)).toContain('anonymous-relay');
    // Only losing senders is still narrowed.
    const shrunk = diffOrganizations(
      org([defaultFrontend(), relay(['10.20.0.0/16'])]),
      org([defaultFrontend(), relay(['10.20.0.0/24'])]),
    );
    expect(shrunk.findings.narrowed.map((finding) => finding.checkId)).toContain('anonymous-relay');
    expect(shrunk.findings.widened.map((finding) => finding.checkId)).not.toContain('anonymous-relay');
  });

  it('a renamed connector (same GUID) is renamed, its findings neither resolved nor introduced', () => {
    const before = org([defaultFrontend(), relay(['10.20.0.0/16'])]);
    const after = org([defaultFrontend(), relay(['10.20.0.0/16'], 'Relay Applications')]);
    const diff = diffOrganizations(before, after);
    expect(diff.summary).toMatchObject({
      connectorsRenamed: 1,
      connectorsAdded: 0,
      connectorsRemoved: 0,
      findingsIntroduced: 0,
      findingsResolved: 0,
    });
    expect(diff.connectors[0]).toMatchObject({
      renamed: true,
      matchedBy: 'guid',
      identity: { before: 'EX01\\Relay Apps', after: 'EX01\\Relay Applications' },
    });
  });

  it('without GUIDs a rename is a removal and an addition, unless the caller knows the rename', () => {
    const strip = (entry: ReceiveConnector) => ({ ...entry, guid: null });
    const before = org([strip(relay(['10.20.0.0/16']))]);
    const after = org([strip(relay(['10.20.0.0/16'], 'Relay Applications'))]);
    expect(diffOrganizations(before, after).summary).toMatchObject({
      connectorsAdded: 1,
      connectorsRemoved: 1,
    });
    expect(
      diffOrganizations(before, after, { renames: [['EX01\\Relay Apps', 'EX01\\Relay Applications']] })
        .summary,
    ).toMatchObject({
      connectorsAdded: 0,
      connectorsRenamed: 1,
    });
  });

  it('ACEs, verdicts, disabled connectors and accepted domains', () => {
    const before = org([defaultFrontend(), relay(['10.20.0.5'])]);
    const opened = defaultFrontend();
    opened.permissions = [
      ...opened.permissions!,
      grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY, { sid: SID.anonymous }),
    ];
    const disabled = { ...relay(['10.20.0.5']), enabled: false };
    const after = org([opened, disabled], {
      acceptedDomains: [
        { name: 'contoso.com', domainName: 'contoso.com', domainType: 'InternalRelay', isDefault: true },
        { name: 'all', domainName: '*', domainType: 'ExternalRelay', isDefault: false },
      ],
    });
    const diff = diffOrganizations(before, after);
    const frontend = diff.connectors.find((entry) => entry.identity.after === 'EX01\\Default Frontend EX01')!;
    expect(frontend.aces?.added).toEqual([
      {
        user: 'NT AUTHORITY\\ANONYMOUS LOGON',
        sid: SID.anonymous,
        rights: [RELAY],
        deny: false,
        inherited: false,
      },
    ]);
    expect(frontend.verdict).toEqual({ before: 'no-relay', after: 'relay' });
    expect(diff.connectors.find((entry) => entry.identity.after === 'EX01\\Relay Apps')?.enabled).toEqual({
      before: true,
      after: false,
    });
    expect(diff.acceptedDomains).toEqual({
      added: [{ name: 'all', domainName: '*', domainType: 'ExternalRelay', isDefault: false }],
      removed: [],
      retyped: [{ domainName: 'contoso.com', before: 'Authoritative', after: 'InternalRelay' }],
    });
    expect(diff.findings.introduced.map((finding) => finding.checkId)).toEqual(
      expect.arrayContaining(['default-connector-relay', 'accepted-domain-relay']),
    );
    expect(diff.findings.narrowed.map((finding) => [finding.checkId, finding.severity.after])).toContainEqual(
      ['anonymous-relay', 'low'],
    );
  });

  it('the same organisation twice: no difference at all', () => {
    const diff = diffOrganizations(
      org([defaultFrontend(), relay(['10.20.0.0/16'])]),
      org([defaultFrontend(), relay(['10.20.0.0/16'])]),
    );
    expect(diff.connectors).toEqual([]);
    expect(diff.findings).toMatchObject({ introduced: [], resolved: [], widened: [], narrowed: [] });
    expect(diff.findings.unchanged).toBeGreaterThan(0);
  });

  it('a finding keeps its fingerprint across a rename', () => {
    const before = org([defaultFrontend(), relay(['10.20.0.0/16'])]);
    const after = org([defaultFrontend(), relay(['10.0.0.0/8'], 'Relay Applications')]);
    const [widened] = diffOrganizations(before, after).findings.widened;
    const original = before.findings.find((finding) => finding.checkId === 'anonymous-relay');
    expect(widened?.fingerprint).toBe(original?.fingerprint);
    expect(after.findings.find((finding) => finding.checkId === 'anonymous-relay')?.fingerprint).toBe(
      original?.fingerprint,
    );
  });
});
