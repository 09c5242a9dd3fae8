import { describe, expect, it } from '@jest/globals';
import { ace, anonymousUsersGroup, connector, grant, RELAY, SID, SUBMIT } from '../support/builders.js';
import { findingsFor } from '../support/evaluate.js';
import { LOST_VALUE } from '../../src/net/ip-range.js';

const ANONYMOUS = 'NT AUTHORITY\\ANONYMOUS LOGON';
const anonymousRelayAcl = [...anonymousUsersGroup(), grant(ANONYMOUS, RELAY)];
const defaultFrontend = connector({
  name: 'Default Frontend EX01',
  bindings: ['0.0.0.0:25', '[::]:25'],
  remoteIPRanges: ['0.0.0.0-255.255.255.255', '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  permissions: anonymousUsersGroup(),
});

describe('default-connector-relay', () => {
  it('is critical on Default Frontend open to the Internet, and prints the fix with the SID', () => {
    const [finding] = findingsFor('default-connector-relay', [
      { ...defaultFrontend, permissions: anonymousRelayAcl },
    ]);
    expect(finding).toMatchObject({ severity: 'critical', connector: 'EX01\\Default Frontend EX01' });
    expect(finding?.message).toContain('the whole IPv4 and IPv6 address space');
    expect(finding?.remediation?.split('\n')[0]).toBe(
      "Get-ReceiveConnector -Identity 'EX01\\Default Frontend EX01' | Remove-ADPermission -User 'S-1-5-7' -ExtendedRights ms-Exch-SMTP-Accept-Any-Recipient -Confirm:$false",
    );
  });

  it('stays at least high when other connectors took every public address', () => {
    const findings = findingsFor('default-connector-relay', [
      {
        ...defaultFrontend,
        bindings: ['0.0.0.0:25'],
        remoteIPRanges: ['10.0.0.0/8'],
        permissions: anonymousRelayAcl,
      },
    ]);
    expect(findings.map((finding) => finding.severity)).toEqual(['high']);
  });

  it('does not fire on a default connector that only accepts anonymous mail', () => {
    expect(findingsFor('default-connector-relay', [defaultFrontend])).toEqual([]);
  });
});

describe('anonymous-relay', () => {
  const relay = (remoteIPRanges: string[], extra: Partial<Parameters<typeof connector>[0]> = {}) =>
    connector({ name: 'Relay', remoteIPRanges, permissions: anonymousRelayAcl, ...extra });

  it.each([
    [['185.40.12.0/24', '10.1.1.1'], 'critical'],
    [['203.0.113.0/24'], 'medium'], // documentation space is not routable, so not public
    [['10.20.0.0/16'], 'high'],
    [['10.20.30.0/24'], 'medium'],
    [['10.10.20.31', '10.10.20.32', '10.10.20.45'], 'low'],
  ])('scores %j as %s on the scope the connector receives', (ranges, severity) => {
    expect(
      findingsFor('anonymous-relay', [defaultFrontend, relay(ranges)]).map((finding) => finding.severity),
    ).toEqual([severity]);
  });

  it('counts only what the connector wins: a wide range shadowed by a more specific connector', () => {
    const narrow = connector({
      name: 'Servers',
      remoteIPRanges: ['10.20.0.0/17', '10.20.128.0/17'],
      permissions: [],
    });
    const [finding] = findingsFor('anonymous-relay', [defaultFrontend, narrow, relay(['10.20.0.0/16'])]);
    expect(finding).toMatchObject({ severity: 'low' });
    expect(finding?.message).toContain('More specific connectors receive every address in its scope');
  });

  it('narrows the scope when some entries are single hosts, revokes the grant otherwise', () => {
    const [mixed] = findingsFor('anonymous-relay', [defaultFrontend, relay(['10.10.20.31', '10.10.0.0/16'])]);
    expect(mixed?.remediation).toBe(
      "Set-ReceiveConnector -Identity 'EX01\\Relay' -RemoteIPRanges @{Remove='10.10.0.0/16'}",
    );
    const [wide] = findingsFor('anonymous-relay', [defaultFrontend, relay(['10.10.0.0/16'])]);
    expect(wide?.remediation).toMatch(
      /^Get-ReceiveConnector -Identity 'EX01\\Relay' \| Remove-ADPermission -User 'S-1-5-7'/,
    );
  });

  it('asks to review more than a few single hosts, without calling them too wide', () => {
    const hosts = Array.from({ length: 12 }, (_, index) => `10.10.20.${index + 1}`);
    const [finding] = findingsFor('anonymous-relay', [defaultFrontend, relay(hosts)]);
    expect(finding).toMatchObject({ severity: 'medium', remediation: null });
    expect(finding?.message).toContain('for 12 single hosts');
    expect(finding?.message).not.toContain('scope it to the single hosts');
  });

  it('counts a host written twice once, as the score does', () => {
    const [finding] = findingsFor('anonymous-relay', [
      defaultFrontend,
      relay(['10.10.20.31', '10.10.20.31/32', '10.10.20.32']),
    ]);
    expect(finding?.message).toContain('limited to 2 single hosts: 10.10.20.31, 10.10.20.32.');
  });

  it('asks for nothing to change on a few single hosts', () => {
    const [finding] = findingsFor('anonymous-relay', [defaultFrontend, relay(['10.10.20.31'])]);
    expect(finding?.remediation).toBeNull();
    expect(finding?.message).toContain('recommended setup');
  });

  it('calls a disabled connector latent and low', () => {
    const [finding] = findingsFor('anonymous-relay', [
      defaultFrontend,
      relay(['0.0.0.0/0'], { enabled: false }),
    ]);
    expect(finding?.severity).toBe('low');
    expect(finding?.message).toContain('disabled');
  });

  it('calls the relay right without Submit latent and low', () => {
    const [finding] = findingsFor('anonymous-relay', [
      defaultFrontend,
      relay(['10.0.0.0/8'], { permissions: [grant(ANONYMOUS, RELAY)] }),
    ]);
    expect(finding?.severity).toBe('low');
    expect(finding?.message).toContain('ms-Exch-SMTP-Submit is not');
  });

  it('denies an inherited grant on the connector instead of removing it', () => {
    const inherited = [
      ...anonymousUsersGroup(),
      grant(ANONYMOUS, RELAY, { inherited: true, inheritanceType: 'All' }),
    ];
    const [finding] = findingsFor('anonymous-relay', [
      defaultFrontend,
      relay(['10.0.0.0/8'], { permissions: inherited }),
    ]);
    expect(finding?.message).toContain('inherited');
    expect(finding?.remediation?.split('\n')[0]).toBe(
      "Get-ReceiveConnector -Identity 'EX01\\Relay' | Add-ADPermission -User 'S-1-5-7' -ExtendedRights ms-Exch-SMTP-Accept-Any-Recipient -Deny",
    );
  });

  it('quotes hostile connector names so the fix stays inert', () => {
    const hostile = "Relay'; Remove-Item C:\\ -Recurse; '";
    const [finding] = findingsFor('anonymous-relay', [
      defaultFrontend,
      relay(['10.0.0.0/8'], { name: hostile, identity: `EX01\\${hostile}` }),
    ]);
    expect(finding?.remediation).toContain("-Identity 'EX01\\Relay''; Remove-Item C:\\ -Recurse; '''");
  });
});

describe('externally-secured-relay', () => {
  const secured = (remoteIPRanges: string[]) =>
    connector({
      name: 'Ext',
      remoteIPRanges,
      authMechanism: ['Tls', 'ExternalAuthoritative'],
      permissionGroups: ['ExchangeServers'],
      permissions: [
        grant('MS Exchange\\Externally Secured Servers', SUBMIT),
        grant('MS Exchange\\Externally Secured Servers', RELAY),
      ],
    });

  it('is medium on a private /24 and critical with a public block', () => {
    expect(
      findingsFor('externally-secured-relay', [defaultFrontend, secured(['192.168.50.0/24'])]).map(
        (f) => f.severity,
      ),
    ).toEqual(['medium']);
    expect(
      findingsFor('externally-secured-relay', [
        defaultFrontend,
        secured(['192.168.50.10', '185.40.12.16/28']),
      ])[0],
    ).toMatchObject({
      severity: 'critical',
      remediation: "Set-ReceiveConnector -Identity 'EX01\\Ext' -RemoteIPRanges @{Remove='185.40.12.16/28'}",
    });
  });

  it('keeps an externally secured default connector at least high, even narrowed to one host', () => {
    const defaultSecured = {
      ...secured(['10.1.1.1']),
      name: 'Default Frontend EX01',
      identity: 'EX01\\Default Frontend EX01',
    };
    const [finding] = findingsFor('externally-secured-relay', [defaultSecured]);
    expect(finding?.severity).toBe('high');
    expect(finding?.message).not.toContain('recommended setup');
    expect(finding?.remediation).toContain("-AuthMechanism 'Tls'");
  });

  it('offers to drop ExternalAuthoritative when every entry is too wide', () => {
    const [finding] = findingsFor('externally-secured-relay', [
      defaultFrontend,
      secured(['192.168.50.0/24']),
    ]);
    expect(finding?.remediation?.split('\n')).toEqual([
      "Set-ReceiveConnector -Identity 'EX01\\Ext' -AuthMechanism 'Tls'",
      '# For devices that only need to relay, prefer anonymous relay on a connector scoped to their single IP addresses.',
    ]);
  });
});

describe('everyone-relay', () => {
  it('never denies Everyone on the connector for an inherited grant: that would lock out every member', () => {
    const odd = connector({
      name: 'Odd',
      remoteIPRanges: ['10.1.1.5'],
      distinguishedName:
        'CN=Odd,CN=SMTP Receive Connectors,CN=Protocols,CN=EX01,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com',
      permissions: [grant('Everyone', RELAY, { sid: SID.everyone, inherited: true, inheritanceType: 'All' })],
    });
    const [finding] = findingsFor('everyone-relay', [defaultFrontend, odd]);
    expect(finding?.remediation).not.toContain('-Deny');
    // Advice only, as a comment: the container is not in the snapshot, so nothing a change model could replay.
    expect(finding?.remediation?.split('\n').every((line) => line.startsWith('# '))).toBe(true);
    expect(finding?.remediation).toContain(
      "Find it with: Get-ADPermission -Identity 'CN=SMTP Receive Connectors,CN=Protocols,CN=EX01,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com' -User 'S-1-1-0'",
    );
    expect(finding?.rollback).toBeNull();
  });

  it('is high on an enabled connector', () => {
    const odd = connector({
      name: 'Odd',
      remoteIPRanges: ['10.1.1.5'],
      authMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS'],
      permissions: [grant('Everyone', RELAY, { sid: SID.everyone })],
    });
    const [finding] = findingsFor('everyone-relay', [defaultFrontend, odd]);
    expect(finding).toMatchObject({ severity: 'high' });
    expect(finding?.remediation).toBe(
      "Get-ReceiveConnector -Identity 'EX01\\Odd' | Remove-ADPermission -User 'S-1-1-0' -ExtendedRights ms-Exch-SMTP-Accept-Any-Recipient -Confirm:$false",
    );
  });
});

describe('authenticated relay and anonymous submission', () => {
  const internet = connector({
    name: 'Internet Auth',
    bindings: ['0.0.0.0:587'],
    authMechanism: ['Tls', 'BasicAuth'],
    permissions: [
      grant('NT AUTHORITY\\Authenticated Users', SUBMIT),
      grant('NT AUTHORITY\\Authenticated Users', RELAY),
    ],
  });

  it('lists who may relay after authenticating (info)', () => {
    const [finding] = findingsFor('authenticated-relay', [internet]);
    expect(finding).toMatchObject({ severity: 'info' });
    expect(finding?.message).toContain('NT AUTHORITY\\Authenticated Users');
  });

  it('flags BasicAuth without BasicAuthRequireTLS to public addresses (medium)', () => {
    const [finding] = findingsFor('basic-auth-without-tls', [internet]);
    expect(finding).toMatchObject({ severity: 'medium' });
    expect(finding?.remediation).toBe(
      "Set-ReceiveConnector -Identity 'EX01\\Internet Auth' -AuthMechanism 'Tls, BasicAuth, BasicAuthRequireTLS'",
    );
    expect(findingsFor('basic-auth-without-tls', [{ ...internet, remoteIPRanges: ['10.0.0.0/8'] }])).toEqual(
      [],
    );
    expect(
      findingsFor('basic-auth-without-tls', [
        { ...internet, authMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS'] },
      ]),
    ).toEqual([]);
  });

  it('does not call a connector with an unread ACL "no relay"', () => {
    expect(
      findingsFor('anonymous-submit', [
        { ...defaultFrontend, permissions: null, permissionGroups: ['AnonymousUsers'] },
      ]),
    ).toEqual([]);
  });

  it('reports anonymous submission without relay as info', () => {
    expect(findingsFor('anonymous-submit', [defaultFrontend]).map((f) => [f.severity, f.connector])).toEqual([
      ['info', 'EX01\\Default Frontend EX01'],
    ]);
  });

  it('ignores read-only inherited ACEs', () => {
    const readOnly = connector({
      name: 'R',
      permissions: [
        ace({
          user: 'NT AUTHORITY\\Authenticated Users',
          accessRights: ['ReadProperty', 'GenericExecute'],
          inherited: true,
        }),
      ],
    });
    expect(findingsFor('authenticated-relay', [readOnly])).toEqual([]);
  });
});

describe('fixes that close what they report, with their rollback', () => {
  const pipe = "Get-ReceiveConnector -Identity 'EX01\\Relay' |";
  const relayWith = (permissions: Parameters<typeof connector>[0]['permissions']) =>
    connector({ name: 'Relay', remoteIPRanges: ['10.0.0.0/8'], permissions });

  it('removes every explicit ACE that grants the right, and puts each back in the rollback', () => {
    const [finding] = findingsFor('anonymous-relay', [
      defaultFrontend,
      relayWith([
        ...anonymousUsersGroup(),
        grant(ANONYMOUS, RELAY),
        grant(ANONYMOUS, RELAY),
        ace({ user: ANONYMOUS, accessRights: ['GenericAll'] }),
        ace({ user: ANONYMOUS, accessRights: ['ExtendedRight'], inheritanceType: 'All' }),
      ]),
    ]);
    expect(finding?.remediation?.split('\n')).toEqual([
      `${pipe} Remove-ADPermission -User 'S-1-5-7' -ExtendedRights ms-Exch-SMTP-Accept-Any-Recipient -Confirm:$false`,
      `${pipe} Remove-ADPermission -User 'S-1-5-7' -AccessRights GenericAll -Confirm:$false`,
      `${pipe} Remove-ADPermission -User 'S-1-5-7' -AccessRights ExtendedRight -InheritanceType All -Confirm:$false`,
      '# Devices that must relay belong on a dedicated connector scoped to their single IP addresses.',
    ]);
    expect(finding?.rollback?.split('\n')).toEqual([
      `${pipe} Add-ADPermission -User 'S-1-5-7' -AccessRights ExtendedRight -InheritanceType All`,
      `${pipe} Add-ADPermission -User 'S-1-5-7' -AccessRights GenericAll`,
      `${pipe} Add-ADPermission -User 'S-1-5-7' -ExtendedRights ms-Exch-SMTP-Accept-Any-Recipient`,
    ]);
  });

  it('removes the explicit grant and denies the inherited one on the connector', () => {
    const [finding] = findingsFor('anonymous-relay', [
      defaultFrontend,
      relayWith([
        ...anonymousUsersGroup(),
        grant(ANONYMOUS, RELAY),
        grant(ANONYMOUS, RELAY, { inherited: true, inheritanceType: 'All' }),
      ]),
    ]);
    expect(finding?.remediation?.split('\n').slice(0, 2)).toEqual([
      `${pipe} Remove-ADPermission -User 'S-1-5-7' -ExtendedRights ms-Exch-SMTP-Accept-Any-Recipient -Confirm:$false`,
      `${pipe} Add-ADPermission -User 'S-1-5-7' -ExtendedRights ms-Exch-SMTP-Accept-Any-Recipient -Deny`,
    ]);
    expect(finding?.rollback?.split('\n')).toEqual([
      `${pipe} Remove-ADPermission -User 'S-1-5-7' -ExtendedRights ms-Exch-SMTP-Accept-Any-Recipient -Deny -Confirm:$false`,
      `${pipe} Add-ADPermission -User 'S-1-5-7' -ExtendedRights ms-Exch-SMTP-Accept-Any-Recipient`,
    ]);
  });

  it('prints a complete, runnable sequence for a default connector, and its rollback', () => {
    const [finding] = findingsFor('default-connector-relay', [
      { ...defaultFrontend, permissions: anonymousRelayAcl },
      connector({ name: 'Anonymous Relay EX01', remoteIPRanges: ['10.9.9.9'], permissions: [] }),
    ]);
    const frontend = "Get-ReceiveConnector -Identity 'EX01\\Default Frontend EX01' |";
    const created = "Get-ReceiveConnector -Identity 'EX01\\Anonymous Relay EX01 2' |";
    expect(finding?.remediation?.split('\n')).toEqual([
      `${frontend} Remove-ADPermission -User 'S-1-5-7' -ExtendedRights ms-Exch-SMTP-Accept-Any-Recipient -Confirm:$false`,
      '# Then give the devices that must relay a connector of their own, scoped to their single addresses: replace 192.0.2.10 with them (comma-separated) before running this.',
      "New-ReceiveConnector -Name 'Anonymous Relay EX01 2' -Server 'EX01' -TransportRole FrontendTransport -Custom -Bindings '0.0.0.0:25' -RemoteIPRanges '192.0.2.10' -PermissionGroups AnonymousUsers",
      `${created} Add-ADPermission -User 'S-1-5-7' -ExtendedRights ms-Exch-SMTP-Accept-Any-Recipient`,
    ]);
    expect(finding?.rollback?.split('\n')).toEqual([
      `${created} Remove-ADPermission -User 'S-1-5-7' -ExtendedRights ms-Exch-SMTP-Accept-Any-Recipient -Confirm:$false`,
      "Remove-ReceiveConnector -Identity 'EX01\\Anonymous Relay EX01 2' -Confirm:$false",
      `${frontend} Add-ADPermission -User 'S-1-5-7' -ExtendedRights ms-Exch-SMTP-Accept-Any-Recipient`,
    ]);
  });
});

describe('unparseable-range on values the export lost', () => {
  it('reports them, and never rewrites RemoteIPRanges from an export that lost one of its entries', () => {
    const findings = findingsFor('unparseable-range', [
      connector({
        name: 'Relay',
        bindings: ['0.0.0.0:25', LOST_VALUE],
        remoteIPRanges: ['10.0.0.5', LOST_VALUE],
        permissions: anonymousRelayAcl,
      }),
    ]);
    // High, not medium: the lost value decides what this relay connector receives, and may be the Internet; a
    // nightly audit at the default --fail-on high must not pass it.
    expect(findings.map((finding) => [finding.messageId, finding.severity, finding.subject])).toEqual([
      ['range', 'high', LOST_VALUE],
      ['binding', 'high', `binding ${LOST_VALUE}`],
    ]);
    expect(findings[0]?.message).toContain('the export lost this value');
    expect(findings[0]?.remediation).not.toContain('Set-ReceiveConnector');
  });

  it.each([
    ['without a relay grant', { name: 'Internal', permissions: [] }],
    ['disabled', { name: 'Relay', permissions: anonymousRelayAcl, enabled: false }],
  ])('stays medium on a connector %s', (_case, settings) => {
    const findings = findingsFor('unparseable-range', [
      connector({ ...settings, remoteIPRanges: ['10.0.0.5', LOST_VALUE] }),
    ]);
    expect(findings.map((finding) => finding.severity)).toEqual(['medium']);
  });

  it('is high on an externally secured relay too', () => {
    const findings = findingsFor('unparseable-range', [
      connector({
        name: 'Relay',
        remoteIPRanges: ['10.0.0.5', LOST_VALUE],
        authMechanism: ['Tls', 'ExternalAuthoritative'],
        permissionGroups: ['ExchangeServers'],
        permissions: null,
      }),
    ]);
    expect(findings.map((finding) => finding.severity)).toEqual(['high']);
  });
});
