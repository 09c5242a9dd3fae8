import { describe, expect, it } from '@jest/globals';
import type { AcceptedDomain, ReceiveConnector } from '../../src/model/snapshot.js';
import { CHECKS } from '../../src/checks/registry.js';
import { anonymousUsersGroup, connector, grant, RELAY } from '../support/builders.js';
import { findingsFor, findingsOf } from '../support/evaluate.js';

const frontend = connector({ name: 'Default Frontend EX01', permissions: anonymousUsersGroup() });
const domain = (domainName: string, domainType: AcceptedDomain['domainType']): AcceptedDomain => ({
  name: domainName,
  domainName,
  domainType,
  isDefault: false,
});

describe('accepted-domain-relay', () => {
  it('is critical for *.com InternalRelay when a connector accepts anonymous mail', () => {
    const findings = findingsFor('accepted-domain-relay', [frontend], {
      acceptedDomains: [
        domain('fabrikam.com', 'Authoritative'),
        domain('*.com', 'InternalRelay'),
        domain('fabrikam-partner.net', 'InternalRelay'),
      ],
    });
    expect(findings.map((finding) => [finding.severity, finding.connector])).toEqual([
      ['critical', null],
      ['info', null],
    ]);
    expect(findings[0]?.message).toContain('anyone can relay to every .com domain');
    expect(findings[0]?.remediation?.split('\n')[0]).toBe(
      "Remove-AcceptedDomain -Identity '*.com' -Confirm:$false",
    );
    expect(findings[1]?.message).toContain('fabrikam-partner.net (InternalRelay)');
  });

  it('is high when no connector is known to accept anonymous mail', () => {
    const internalOnly = connector({ name: 'Internal', permissions: [] });
    expect(
      findingsFor('accepted-domain-relay', [internalOnly], {
        acceptedDomains: [domain('*', 'Authoritative')],
      }).map((f) => f.severity),
    ).toEqual(['high']);
  });

  it('reports an Authoritative wildcard over a whole TLD as low: backscatter, not relay', () => {
    const findings = findingsFor('accepted-domain-relay', [frontend], {
      acceptedDomains: [domain('*.com', 'Authoritative')],
    });
    expect(findings.map((finding) => finding.severity)).toEqual(['low']);
    expect(findings[0]?.message).toContain('does not relay');
  });

  it('is quiet for ordinary authoritative domains', () => {
    expect(
      findingsFor('accepted-domain-relay', [frontend], {
        acceptedDomains: [domain('fabrikam.com', 'Authoritative'), domain('*.fabrikam.com', 'Authoritative')],
      }),
    ).toEqual([]);
  });
});

describe('verdict-unknown and incomplete-input', () => {
  it('reports an Internet-facing connector without ACL data as high, never safe, with the export command', () => {
    // Was medium: `analyze ReceiveConnector.xml` without the ACL export then passed at the default --fail-on high.
    const [finding] = findingsFor('verdict-unknown', [
      connector({ name: 'Default Frontend EX01', permissions: null, permissionGroups: ['AnonymousUsers'] }),
    ]);
    expect(finding).toMatchObject({ severity: 'high', connector: 'EX01\\Default Frontend EX01' });
    expect(finding?.remediation?.split('\n')[1]).toBe(
      'Get-ReceiveConnector | Get-ADPermission | Export-Clixml -Path .\\ADPermission.xml',
    );
  });

  it('scores an unread ACL as anonymous relay would be, kept within medium and high', () => {
    const severities = (overrides: Partial<ReceiveConnector> & { name: string }) =>
      findingsFor('verdict-unknown', [connector({ permissions: null, ...overrides })]).map((f) => f.severity);
    expect(severities({ name: 'Relay Internet' })).toEqual(['high']);
    expect(severities({ name: 'Relay Internet Off', enabled: false })).toEqual(['low']);
    expect(severities({ name: 'Relay Host', remoteIPRanges: ['10.1.2.3'] })).toEqual(['medium']);
    expect(severities({ name: 'Relay Subnet', remoteIPRanges: ['10.1.2.0/24'] })).toEqual(['medium']);
    expect(severities({ name: 'Relay Network', remoteIPRanges: ['10.0.0.0/16'] })).toEqual(['high']);
    expect(
      severities({
        name: 'Relay Denied',
        remoteIPRanges: ['10.1.2.3'],
        permissionsError: 'Access is denied.',
      }),
    ).toEqual(['medium']);
    expect(severities({ name: 'Relay Internet Denied', permissionsError: 'Access is denied.' })).toEqual([
      'high',
    ]);
    // A mechanism exrelay cannot decode may be ExternalAuthoritative: the same as an unread ACL.
    expect(
      severities({
        name: 'Relay Odd Mechanism',
        permissions: [],
        authMechanism: ['Tls', 'ExternalAuthorittive'],
      }),
    ).toEqual(['high']);
  });

  it('reports missing accepted domains and organisation-level collection errors', () => {
    const findings = findingsFor('incomplete-input', [frontend], {
      acceptedDomains: null,
      errors: [
        { scope: 'server', target: 'EX03', message: 'server did not answer' },
        { scope: 'connector', target: 'EX01\\X', message: 'reported by verdict-unknown instead' },
      ],
    });
    expect(findings.map((finding) => finding.message)).toEqual([
      'No accepted domains in the input: relay through accepted domains (e.g. "*.com") was not checked.',
      'EX03: server did not answer',
    ]);
  });
});

describe('unparseable-range and unused-range-family', () => {
  it('reports an entry that does not parse, with the command that removes it', () => {
    const [finding] = findingsFor('unparseable-range', [
      connector({ name: 'Relay', remoteIPRanges: ['10.0.0.300', '10.0.0.0/8'] }),
    ]);
    expect(finding).toMatchObject({
      severity: 'medium',
      remediation:
        "# Write the list back without the entry that cannot be parsed (the old list cannot be restored):\nSet-ReceiveConnector -Identity 'EX01\\Relay' -RemoteIPRanges '10.0.0.0/8'",
      rollback: null,
    });
    expect(finding?.message).toMatch(/^RemoteIPRanges entry '10\.0\.0\.300' cannot be parsed: /);
  });

  it('reports ranges of a family without a binding; low when the connector relays', () => {
    const relay = connector({
      name: 'V6 only',
      bindings: ['[::]:25'],
      remoteIPRanges: ['10.50.0.0/16', 'fd12::/64'],
      permissions: [...anonymousUsersGroup(), grant('S-1-5-7', RELAY)],
    });
    const [finding] = findingsFor('unused-range-family', [relay]);
    expect(finding).toMatchObject({ severity: 'low' });
    expect(finding?.message).toBe(
      '1 RemoteIPRanges entry (10.50.0.0/16) is IPv4, but the connector has no IPv4 binding: Exchange ignores it.',
    );
  });
});

describe('the registry', () => {
  it('has unique ids and complete metadata for every check', () => {
    const ids = CHECKS.map((check) => check.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const check of CHECKS) {
      expect(check.meta.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(check.meta.title.length).toBeGreaterThan(10);
      expect(check.meta.severityRule.length).toBeGreaterThan(5);
      expect(check.meta.explanation.length).toBeGreaterThan(80);
    }
  });

  it('orders findings most severe first', () => {
    const findings = findingsOf(
      [
        frontend,
        connector({
          name: 'Relay',
          bindings: ['0.0.0.0:2525'],
          remoteIPRanges: ['0.0.0.0/0', '10.0.0.300'],
          permissions: [...anonymousUsersGroup(), grant('S-1-5-7', RELAY)],
        }),
      ],
      {
        acceptedDomains: null,
      },
    );
    const ranks = findings.map((finding) =>
      ['info', 'low', 'medium', 'high', 'critical'].indexOf(finding.severity),
    );
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(findings[0]?.severity).toBe('critical');
  });
});

describe('incomplete-input: servers without connectors in the input', () => {
  const server = (name: string, roles: string[], version: string | null, isEdge = false) => ({
    name,
    roles,
    version,
    isEdge,
  });

  it('names an Edge server whose connectors were not exported, with the commands to run there', () => {
    const [finding] = findingsFor('incomplete-input', [frontend], {
      servers: [
        server('EX01', ['Mailbox'], 'Version 15.2 (Build 1544.4)'),
        server('EDGE01', ['Edge'], 'Version 15.2 (Build 1544.4)', true),
      ],
    });
    expect(finding?.message).toMatch(/^Edge Transport server EDGE01 is in the organisation/);
    expect(finding?.remediation?.split('\n')[1]).toBe(
      'Get-ReceiveConnector | Export-Clixml -Path .\\ReceiveConnector-EDGE01.xml',
    );
  });

  it('ignores servers without receive connectors (Exchange 2010 Mailbox or Client Access)', () => {
    expect(
      findingsFor('incomplete-input', [frontend], {
        servers: [
          server('EX01', ['Mailbox'], 'Version 15.2 (Build 1544.4)'),
          server('EX2010MBX', ['Mailbox'], 'Version 14.3 (Build 123.4)'),
        ],
      }),
    ).toEqual([]);
  });
});

describe('formatCount', () => {
  it('groups thousands', async () => {
    const { formatCount } = await import('../../src/checks/describe.js');
    expect([0, 7, 999, 1000, 65536, 1234567].map(formatCount)).toEqual([
      '0',
      '7',
      '999',
      '1,000',
      '65,536',
      '1,234,567',
    ]);
    expect(formatCount(2n ** 128n)).toBe('340,282,366,920,938,463,463,374,607,431,768,211,456');
  });
});
