import { readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { findingFingerprint, stableConnectorKey } from '../../src/checks/fingerprint.js';
import { buildSnapshot } from '../../src/ingest/build-snapshot.js';
import { loadInputs } from '../../src/ingest/load-files.js';
import { evaluate } from '../../src/pipeline.js';
import { connector, snapshot } from '../support/builders.js';
import { anonymousRelayAcl, defaultFrontend } from './rules/fixtures.js';

const GUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

function fingerprints(connectors: Parameters<typeof snapshot>[0]): Map<string, string> {
  return new Map(
    evaluate(snapshot(connectors), 'exrelay test').findings.map((finding) => [
      `${finding.checkId}|${finding.messageId}|${finding.subject ?? ''}`,
      finding.fingerprint,
    ]),
  );
}

describe('finding fingerprints', () => {
  it('are pinned: the documented derivation gives these values in every exrelay version', () => {
    expect(findingFingerprint('anonymous-relay', `guid:${GUID}`, 'S-1-5-7')).toBe(
      '92a5b8885ee1738c2b6b5516926cd2cd',
    );
    expect(findingFingerprint('accepted-domain-relay', null, '*')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('identify a connector by GUID, else DN, else SERVER\\name, case-folded', () => {
    const base = { server: 'EX01', name: 'Relay', distinguishedName: 'CN=Relay,CN=SMTP Receive Connectors' };
    expect(stableConnectorKey({ ...base, guid: `{${GUID.toUpperCase()}}` })).toBe(`guid:${GUID}`);
    expect(stableConnectorKey({ ...base, guid: null })).toBe('dn:cn=relay,cn=smtp receive connectors');
    expect(stableConnectorKey({ ...base, guid: null, distinguishedName: null })).toBe('name:ex01\\relay');
  });

  it('survive a rename when the connector has a GUID', () => {
    const before = connector({
      name: 'Relay',
      guid: GUID,
      remoteIPRanges: ['10.0.0.0/16'],
      permissions: anonymousRelayAcl,
    });
    const after = { ...before, name: 'Relay Printers', identity: 'EX01\\Relay Printers' };
    expect(fingerprints([defaultFrontend, after])).toEqual(fingerprints([defaultFrontend, before]));
  });

  it('do not depend on the order of connectors or findings', () => {
    const relay = connector({
      name: 'Relay',
      remoteIPRanges: ['10.0.0.0/16'],
      permissions: anonymousRelayAcl,
    });
    expect(fingerprints([relay, defaultFrontend])).toEqual(fingerprints([defaultFrontend, relay]));
  });

  it('ignore case in the subject and the connector identity', () => {
    expect(findingFingerprint('unparseable-range', 'name:ex01\\relay', 'FE80::1%A')).toBe(
      findingFingerprint('unparseable-range', 'name:ex01\\relay', 'fe80::1%a'),
    );
  });
});

describe('fingerprints are unique within a report', () => {
  const orgs = readdirSync('fixtures/orgs').map((org) => `fixtures/orgs/${org}`);
  const examples = readdirSync('tests/docs/examples')
    .filter((file) => file.endsWith('.json') && !file.startsWith('snapshot-'))
    .map((file) => `tests/docs/examples/${file}`);
  it.each([...orgs, ...examples])('%s', async (input) => {
    const { snapshot: merged } = buildSnapshot(await loadInputs([input]));
    const findings = evaluate(merged, 'exrelay test').findings;
    const seen = new Map<string, string>();
    for (const finding of findings) {
      const where = `${finding.checkId} ${finding.connector ?? '-'} ${finding.subject ?? '-'}`;
      expect(seen.get(finding.fingerprint) ?? where).toBe(where);
      seen.set(finding.fingerprint, where);
    }
    expect(seen.size).toBe(findings.length);
  });
});
