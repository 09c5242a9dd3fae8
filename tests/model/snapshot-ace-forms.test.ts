/**
 * A snapshot's permission entries in forms other than the names exrelay writes: a flags value as a number or as
 * its ToString ("983551", "ReadProperty, GenericAll"), an inheritance type as a number. Read as names nobody
 * recognises they grant or limit nothing, and a connector open to anonymous relay was judged no-relay; they are
 * read as the names they stand for (as the export reader does), and a name that is none is refused.
 */

import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import { readInput } from '../../src/ingest/read-input.js';
import { EMPTY_ACL_ERROR, type AccessControlEntry } from '../../src/model/snapshot.js';
import { analyseConverterSnapshot, converterSnapshot } from '../support/converter-snapshot.js';

const ANONYMOUS = { user: 'NT AUTHORITY\\ANONYMOUS LOGON', sid: 'S-1-5-7', deny: false, inherited: false };
const SUBMIT = 'ms-Exch-SMTP-Submit';
const RELAY = 'ms-Exch-SMTP-Accept-Any-Recipient';

function entry(fields: Partial<AccessControlEntry>): AccessControlEntry {
  return {
    ...ANONYMOUS,
    accessRights: ['ExtendedRight'],
    extendedRights: [],
    inheritanceType: 'None',
    ...fields,
  };
}

const SCANNERS = {
  name: 'Scanners',
  remoteIPRanges: ['10.1.1.1'],
  authMechanism: ['Tls'],
  permissionGroups: ['AnonymousUsers', 'Custom'],
};

function snapshotText(permissions: AccessControlEntry[]): Uint8Array {
  return converterSnapshot({ ...SCANNERS, permissions });
}

function verdict(permissions: AccessControlEntry[]): string | undefined {
  return analyseConverterSnapshot({ ...SCANNERS, permissions })?.relay.verdict;
}

describe('permission entries of a snapshot', () => {
  it('reads AccessRights written as a number or as ToString text as the rights they stand for', () => {
    expect(verdict([entry({ accessRights: ['983551'] })])).toBe('relay');
    expect(verdict([entry({ accessRights: ['ReadProperty, GenericAll'] })])).toBe('relay');
    expect(verdict([entry({ accessRights: ['ReadProperty, WriteProperty'] })])).toBe('no-relay');
  });

  it('reads extended right names as Format-Table prints them, joined, or with a stray space', () => {
    // Kept as written they matched no right: an open relay read as no-relay (info, exit 0).
    const submit = entry({ extendedRights: [SUBMIT] });
    expect(verdict([submit, entry({ extendedRights: [`{${RELAY}}`] })])).toBe('relay');
    expect(verdict([submit, entry({ extendedRights: [`${RELAY} `] })])).toBe('relay');
    expect(verdict([entry({ extendedRights: [`${SUBMIT}, ${RELAY}`] })])).toBe('relay');
    // A deny naming no right stays a deny of nothing, not of every extended right.
    expect(
      verdict([entry({ deny: true, extendedRights: ['{}'] }), submit, entry({ extendedRights: [RELAY] })]),
    ).toBe('relay');
  });

  it('makes the ACL unknown when AccessRights keeps bits no name stands for, as an export does', () => {
    // 0x10000000 is Win32 GENERIC_ALL: read as granting nothing, an open relay would read as no-relay.
    expect(verdict([entry({ accessRights: [String(0x10000000)] })])).toBe('unknown');
    expect(verdict([entry({ accessRights: [String(256 + 0x200000)] })])).toBe('unknown');
    expect(verdict([entry({ accessRights: ['ReadProperty', '2097152'] })])).toBe('unknown');
    const input = readInput('snap.json', snapshotText([entry({ accessRights: ['2097152'] })]));
    if (input.format !== 'snapshot') throw new Error('not read as a snapshot');
    expect(input.snapshot.connectors[0]?.permissionsError).toBe(
      "a permission entry's AccessRights keeps bits no ActiveDirectoryRights name stands for (2097152)",
    );
  });

  it('reads an inheritance type written as a number: an inherit-only deny does not apply to the connector', () => {
    const allows = [entry({ extendedRights: [SUBMIT] }), entry({ extendedRights: [RELAY] })];
    const deny = (inheritanceType: string) => entry({ deny: true, extendedRights: [RELAY], inheritanceType });
    expect(verdict([deny('2'), ...allows])).toBe('relay');
    expect(verdict([deny('Descendents'), ...allows])).toBe('relay');
    expect(verdict([deny('0'), ...allows])).toBe('no-relay');
  });

  it('refuses a right or an inheritance type it does not know, naming the field', () => {
    const refusal = (fields: Partial<AccessControlEntry>) => () => verdict([entry(fields)]);
    expect(refusal({ accessRights: ['ExtendedRight', 'FullControl'] })).toThrow(InputError);
    expect(refusal({ accessRights: ['ExtendedRight', 'FullControl'] })).toThrow(
      "snap.json: invalid exrelay snapshot: connectors[0].permissions[0].accessRights must be ActiveDirectoryRights names such as ExtendedRight or GenericAll (not 'FullControl')",
    );
    expect(refusal({ inheritanceType: 'Sideways' })).toThrow(
      "snap.json: invalid exrelay snapshot: connectors[0].permissions[0].inheritanceType must be None, All, Descendents, SelfAndChildren, Children or null (not 'Sideways')",
    );
  });
});

describe('a snapshot connector whose permission list is empty', () => {
  // Every connector inherits entries from its containers: an empty list was emptied on its way (an edited file, a
  // converter that dropped the entries), and the relay grant may have been among them. It was read as no-relay.
  it('is unknown, never no-relay, and says why', () => {
    const connector = analyseConverterSnapshot({
      name: 'Default Frontend EX01',
      remoteIPRanges: ['0.0.0.0-255.255.255.255'],
      authMechanism: ['Tls', 'BasicAuth'],
      permissionGroups: ['ExchangeServers', 'ExchangeLegacyServers'],
      permissions: [],
    });
    expect(connector?.relay.verdict).toBe('unknown');
    expect(connector?.relay.unknownReasons).toEqual([{ kind: 'acl-error', reason: EMPTY_ACL_ERROR }]);
    expect(connector?.severity).not.toBe('info');
  });

  it('keeps the error the snapshot gives for it', () => {
    const connector = analyseConverterSnapshot({
      name: 'Archive',
      remoteIPRanges: ['10.1.1.1'],
      authMechanism: ['Tls'],
      permissionGroups: ['AnonymousUsers'],
      permissions: [],
      permissionsError: 'Get-ADPermission: Access is denied.',
    });
    expect(connector?.relay.unknownReasons).toEqual([
      { kind: 'acl-error', reason: 'Get-ADPermission: Access is denied.' },
    ]);
  });
});
