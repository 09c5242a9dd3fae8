import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isUnresolvedRight } from '../../src/analysis/extended-rights.js';
import { loadInputs } from '../../src/ingest/load-files.js';
import { buildSnapshot } from '../../src/ingest/build-snapshot.js';

const ORGS = fileURLToPath(new URL('../../fixtures/orgs/', import.meta.url));

/** Every extended right the fixture organisations' ACLs name, as the reader takes them from the exports. */
async function fixtureRights(): Promise<Set<string>> {
  const rights = new Set<string>();
  for (const org of readdirSync(ORGS)) {
    const { snapshot } = buildSnapshot(await loadInputs([`${ORGS}${org}`]));
    for (const connector of snapshot.connectors)
      for (const ace of connector.permissions ?? [])
        for (const right of ace.extendedRights) rights.add(right);
  }
  return rights;
}

describe('isUnresolvedRight', () => {
  it('resolves every right the fixture exports name, as Exchange prints them', async () => {
    const rights = await fixtureRights();
    expect(rights.size).toBeGreaterThan(15);
    expect([...rights].filter(isUnresolvedRight)).toEqual([]);
  });

  it('takes the names case aside', () => {
    expect(isUnresolvedRight('MS-EXCH-SMTP-ACCEPT-ANY-RECIPIENT')).toBe(false);
  });

  it('leaves other rights alone', () => {
    for (const name of ['Send-As', 'Receive-As', 'User-Change-Password', 'DS-Replication-Get-Changes'])
      expect(isUnresolvedRight(name)).toBe(false);
  });

  it('does not trust a GUID, a blank or padded name, or a damaged transport right', () => {
    for (const name of [
      '5bcf4f0b-5c11-4a63-9c2d-6f0e8a1d3b27',
      '{5BCF4F0B-5C11-4A63-9C2D-6F0E8A1D3B27}',
      '',
      '   ',
      ' ms-Exch-SMTP-Accept-Any-Recipient',
      'ms-Exch-SMTP-Accept-Any-Recipient\t',
      'ms-Exch-SMTP-Accept-Any-Recipent',
      'msExchSMTPAcceptAnyRecipient',
      'Accept-Any-Recipient',
      'SMTP-Relay',
    ])
      expect([name, isUnresolvedRight(name)]).toEqual([name, true]);
  });
});
