import { describe, expect, it } from '@jest/globals';
import { parseInventory, parsePermissions, splitAnswer } from '../../src/collect/step-output.js';
import { CollectionError } from '../../src/errors.js';
import { EMPTY_ACL_ERROR } from '../../src/model/snapshot.js';

const ARCHIVE =
  'CN=Relay Archive,CN=SMTP Receive Connectors,CN=Protocols,CN=EX02,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com';
const PRINTERS = ARCHIVE.replace('Relay Archive', 'Relay Printers');

const ANONYMOUS_RELAY = {
  user: 'NT AUTHORITY\\ANONYMOUS LOGON',
  sid: null,
  deny: false,
  inherited: false,
  accessRights: ['ExtendedRight'],
  extendedRights: ['ms-Exch-SMTP-Accept-Any-Recipient'],
  inheritanceType: 'None',
};

describe('splitAnswer', () => {
  it('takes the last JSON line as the answer and keeps what the host printed before it', () => {
    const output = [
      "WARNING: The object EX01\\Relay Legacy App has been corrupted, and it's in an inconsistent state.",
      'WARNING: The IP range "10.10.70.300" isn\'t valid.',
      '{"servers":[],"connectors":[],"acceptedDomains":null,"errors":[]}',
    ].join('\r\n');
    expect(splitAnswer(output)).toEqual({
      json: '{"servers":[],"connectors":[],"acceptedDomains":null,"errors":[]}',
      hostLines: [
        "WARNING: The object EX01\\Relay Legacy App has been corrupted, and it's in an inconsistent state.",
        'WARNING: The IP range "10.10.70.300" isn\'t valid.',
      ],
    });
  });

  it('leaves an answer without JSON whole, for the parser to report', () => {
    expect(splitAnswer('Access is denied.')).toEqual({
      json: 'Access is denied.',
      hostLines: ['Access is denied.'],
    });
  });
});

describe('parseInventory', () => {
  it.each([
    ['', 'nothing'],
    ['Access is denied.', 'not JSON (starts with "Access is denied.")'],
    ['[1,2]', 'not a JSON object'],
    [
      '{"servers":[],"connectors":{},"acceptedDomains":[],"errors":[]}',
      '"connectors" is not an array of objects',
    ],
    [
      '{"servers":[],"connectors":[{"name":"Relay"}],"acceptedDomains":[],"errors":[]}',
      'connectors[0] has no identity',
    ],
    [
      '{"servers":[],"connectors":[],"acceptedDomains":"contoso.com","errors":[]}',
      '"acceptedDomains" is not an array of objects',
    ],
  ])('reports %j as a CollectionError: %s', (json, problem) => {
    expect(() => parseInventory(json)).toThrow(CollectionError);
    expect(() => parseInventory(json)).toThrow(
      `Get-ExrelaySnapshot.ps1 -Step Inventory returned unexpected output: ${problem}`,
    );
  });

  it('keeps accepted domains that were not read as null', () => {
    expect(
      parseInventory('{"servers":[],"connectors":[],"acceptedDomains":null,"errors":[]}').acceptedDomains,
    ).toBeNull();
  });
});

describe('parsePermissions', () => {
  it('keys each answer by the identity it was asked for', () => {
    const json = JSON.stringify({
      connectors: [
        { identity: PRINTERS, permissions: [ANONYMOUS_RELAY], error: null },
        { identity: ARCHIVE, permissions: null, error: 'Get-ADPermission: Access is denied.' },
      ],
    });
    const results = parsePermissions(json, [ARCHIVE, PRINTERS]);
    expect(results.get(PRINTERS)).toEqual({
      identity: PRINTERS,
      permissions: [ANONYMOUS_RELAY],
      error: null,
    });
    expect(results.get(ARCHIVE)).toEqual({
      identity: ARCHIVE,
      permissions: null,
      error: 'Get-ADPermission: Access is denied.',
    });
  });

  it('takes an empty ACL for one that was not read: every connector inherits entries, so some were lost', () => {
    const json = JSON.stringify({ connectors: [{ identity: PRINTERS, permissions: [], error: null }] });
    expect(parsePermissions(json, [PRINTERS]).get(PRINTERS)).toEqual({
      identity: PRINTERS,
      permissions: null,
      error: EMPTY_ACL_ERROR,
    });
  });

  it.each([
    [{ connectors: [] }, `no answer for '${PRINTERS}'`],
    [
      { connectors: [{ identity: 'EX01\\Other', permissions: [], error: null }] },
      'an answer for "EX01\\\\Other", which was not asked for once',
    ],
    [
      {
        connectors: [
          { identity: PRINTERS, permissions: [], error: null },
          { identity: PRINTERS, permissions: [], error: null },
        ],
      },
      `an answer for ${JSON.stringify(PRINTERS)}, which was not asked for once`,
    ],
    [
      { connectors: [{ identity: PRINTERS, permissions: null, error: null }] },
      `the answer for '${PRINTERS}' must hold either its permissions or an error`,
    ],
    [
      { connectors: [{ identity: PRINTERS, permissions: [], error: 'x' }] },
      `the answer for '${PRINTERS}' must hold either its permissions or an error`,
    ],
  ])('refuses %j', (answer, problem) => {
    expect(() => parsePermissions(JSON.stringify(answer), [PRINTERS])).toThrow(
      `Get-ExrelaySnapshot.ps1 -Step Permissions returned unexpected output: ${problem}`,
    );
  });
});
