import { describe, expect, it } from '@jest/globals';
import { anonymousUsersGroup, connector, grant, RELAY } from '../support/builders.js';
import { findingsFor } from '../support/evaluate.js';

const relayAcl = [...anonymousUsersGroup(), grant('S-1-5-7', RELAY)];
const frontend = connector({
  name: 'Default Frontend EXO1',
  server: 'EXO1',
  permissions: anonymousUsersGroup(),
});
const relayOn = (
  name: string,
  remoteIPRanges: string[],
  extra: Partial<Parameters<typeof connector>[0]> = {},
) => connector({ name, server: 'EXO1', remoteIPRanges, permissions: relayAcl, ...extra });

describe('relay-capture', () => {
  it('shows which connector a relay connector takes senders from', () => {
    const findings = findingsFor('relay-capture', [frontend, relayOn('App Relay', ['10.20.0.0/16'])]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'low', connector: 'EXO1\\App Relay' });
    expect(findings[0]?.message).toBe(
      "Takes 65,536 sender addresses (10.20.0.0/16) from 'EXO1\\Default Frontend EXO1' on EXO1 FrontendTransport port 25 (IPv4): those senders now get this connector's relay permission.",
    );
  });

  it('is info for a few hosts', () => {
    const findings = findingsFor('relay-capture', [
      frontend,
      relayOn('Relay Printers', ['10.10.20.31', '10.10.20.32']),
    ]);
    expect(findings.map((finding) => finding.severity)).toEqual(['info']);
  });
});

describe('shadowed-relay-scope', () => {
  it('names the connectors that receive part of a relay scope', () => {
    const servers = connector({
      name: 'Servers',
      server: 'EXO1',
      remoteIPRanges: ['10.1.0.0/16'],
      permissions: [],
    });
    const [finding] = findingsFor('shadowed-relay-scope', [
      frontend,
      servers,
      relayOn('Relay A', ['10.0.0.0/8']),
    ]);
    expect(finding?.message).toBe(
      "65,536 addresses of its relay scope (10.1.0.0/16) are received by 'EXO1\\Servers' instead; the relay grant does not apply there today.",
    );
  });

  it('names only connectors on the same listener, not those on other ports', () => {
    const servers = connector({
      name: 'Servers',
      server: 'EXO1',
      remoteIPRanges: ['10.1.0.0/16'],
      permissions: [],
    });
    const hub = connector({
      name: 'Default EXO1',
      server: 'EXO1',
      bindings: ['0.0.0.0:2525'],
      remoteIPRanges: ['0.0.0.0/0'],
      permissions: [],
    });
    const [finding] = findingsFor('shadowed-relay-scope', [
      frontend,
      hub,
      servers,
      relayOn('Relay A', ['10.0.0.0/8']),
    ]);
    expect(finding?.message).toContain("received by 'EXO1\\Servers' instead");
  });
});

describe('ambiguous-precedence', () => {
  it('reports an exact tie and takes the duplicate entry from the relay connector, never from the other', () => {
    const [finding] = findingsFor('ambiguous-precedence', [
      frontend,
      relayOn('Tie 1', ['172.16.5.0/24', '172.16.9.8']),
      connector({
        name: 'Tie 2',
        server: 'EXO1',
        remoteIPRanges: ['172.16.5.0/24', '172.16.9.7'],
        permissions: [],
      }),
    ]);
    expect(finding).toMatchObject({ severity: 'medium', connector: 'EXO1\\Tie 1' });
    expect(finding?.message).toContain(
      "'EXO1\\Tie 1' and 'EXO1\\Tie 2' tie for 256 addresses (172.16.5.0/24)",
    );
    // Taking it from Tie 2 would hand those senders to the relay for good.
    expect(finding?.remediation?.split('\n')[1]).toBe(
      "Set-ReceiveConnector -Identity 'EXO1\\Tie 1' -RemoteIPRanges @{Remove='172.16.5.0/24'}",
    );
    // The tie cannot be written back: Exchange refuses equal ranges on one binding.
    expect(finding?.rollback).toBeNull();
  });

  it('takes the duplicate from the second connector when neither relays', () => {
    const [finding] = findingsFor('ambiguous-precedence', [
      frontend,
      connector({ name: 'Tie 1', server: 'EXO1', remoteIPRanges: ['172.16.5.0/24'], permissions: [] }),
      connector({
        name: 'Tie 2',
        server: 'EXO1',
        remoteIPRanges: ['172.16.5.0/24', '172.16.9.7'],
        permissions: [],
      }),
    ]);
    expect(finding?.remediation?.split('\n')[1]).toBe(
      "Set-ReceiveConnector -Identity 'EXO1\\Tie 2' -RemoteIPRanges @{Remove='172.16.5.0/24'}",
    );
  });

  it('never suggests leaving a connector without RemoteIPRanges', () => {
    const [finding] = findingsFor('ambiguous-precedence', [
      frontend,
      relayOn('Tie 1', ['172.16.5.0/24']),
      connector({ name: 'Tie 2', server: 'EXO1', remoteIPRanges: ['172.16.5.0/24'], permissions: [] }),
    ]);
    expect(finding?.remediation).toMatch(/^# 'EXO1\\Tie 1' holds nothing but this range/);
    expect(finding?.remediation).not.toContain('Set-ReceiveConnector');
  });

  it('reports a pair once even when it ties on several local addresses', () => {
    const findings = findingsFor('ambiguous-precedence', [
      frontend,
      relayOn('Tie 1', ['172.16.5.0/24']),
      connector({ name: 'Tie 2', server: 'EXO1', remoteIPRanges: ['172.16.5.0/24'], permissions: [] }),
      connector({
        name: 'Specific',
        server: 'EXO1',
        bindings: ['10.0.0.5:25'],
        remoteIPRanges: ['10.0.0.0/8'],
        permissions: [],
      }),
    ]);
    expect(findings).toHaveLength(1);
  });

  it('is not a tie when one connector is bound to the specific local address', () => {
    expect(
      findingsFor('ambiguous-precedence', [
        frontend,
        relayOn('Relay A', ['10.0.0.0/8']),
        relayOn('Relay C', ['10.0.0.0/8'], { bindings: ['10.0.0.5:25'] }),
      ]),
    ).toEqual([]);
  });

  it('ignores disabled connectors, which take no part at runtime', () => {
    expect(
      findingsFor('ambiguous-precedence', [
        frontend,
        relayOn('Tie 1', ['172.16.5.0/24']),
        relayOn('Tie 2', ['172.16.5.0/24'], { enabled: false }),
      ]),
    ).toEqual([]);
  });
});

describe('inconsistent-relay-scope', () => {
  it('flags same-named relay connectors whose scopes differ between servers', () => {
    const findings = findingsFor('inconsistent-relay-scope', [
      connector({
        name: 'Relay Printers',
        server: 'EX01',
        remoteIPRanges: ['10.10.20.31', '10.10.20.32', '10.10.20.45'],
        permissions: relayAcl,
      }),
      connector({
        name: 'Relay Printers',
        server: 'EX02',
        remoteIPRanges: ['10.10.20.0/24'],
        permissions: relayAcl,
      }),
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'low', connector: 'EX02\\Relay Printers' });
    expect(findings[0]?.message).toBe(
      "Relay connector 'Relay Printers' has different RemoteIPRanges on different servers (EX01: 3 addresses, EX02: 256 addresses).",
    );
    expect(findings[0]?.remediation?.split('\n')[1]).toBe(
      "Set-ReceiveConnector -Identity 'EX02\\Relay Printers' -RemoteIPRanges '10.10.20.31','10.10.20.32','10.10.20.45'",
    );
  });

  it('is quiet when the copies agree', () => {
    expect(
      findingsFor('inconsistent-relay-scope', [
        connector({
          name: 'Relay Printers',
          server: 'EX01',
          remoteIPRanges: ['10.10.20.31'],
          permissions: relayAcl,
        }),
        connector({
          name: 'relay printers',
          server: 'EX02',
          remoteIPRanges: ['10.10.20.31'],
          permissions: relayAcl,
        }),
      ]),
    ).toEqual([]);
  });
});

describe('inconsistent-relay-scope picks the copy to change by exposure', () => {
  it('changes the public copy to match the private one, even when the private one is wider', () => {
    const [finding] = findingsFor('inconsistent-relay-scope', [
      connector({
        name: 'Relay Printers',
        server: 'EX01',
        remoteIPRanges: ['131.107.1.20'],
        permissions: relayAcl,
      }),
      connector({
        name: 'Relay Printers',
        server: 'EX02',
        remoteIPRanges: ['10.10.20.0/24'],
        permissions: relayAcl,
      }),
    ]);
    expect(finding?.connector).toBe('EX01\\Relay Printers');
    expect(finding?.remediation?.split('\n')[1]).toBe(
      "Set-ReceiveConnector -Identity 'EX01\\Relay Printers' -RemoteIPRanges '10.10.20.0/24'",
    );
  });
});
