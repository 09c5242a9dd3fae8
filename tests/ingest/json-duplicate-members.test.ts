/**
 * A member written twice in one JSON object. A ConvertTo-Json export is read as PowerShell's ConvertFrom-Json
 * reads it (checked against real pwsh): the last value of a name written twice, and a refusal for names that
 * differ only in case. An exrelay snapshot is refused either way: a reader could take the first value, JSON.parse
 * takes the last, and a relay grant must never hang on which.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { readInput } from '../../src/ingest/read-input.js';
import { anonymousUsersGroup, connector, grant, RELAY, snapshot } from '../support/builders.js';
import { outcome, type Outcome } from '../support/input-outcome.js';
import { describeWithPwsh, runPwshScriptOn } from '../helpers/pwsh.js';

const utf8 = (text: string) => Buffer.from(text, 'utf8') as Uint8Array;
const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

const read = (file: string, bytes: Uint8Array) => outcome(() => readInput(file, bytes));

/** A ConvertTo-Json connector whose RemoteIPRanges is written twice, the second time as `second`. */
function exportWith(second: string): string {
  return `{"Name":"Relay","Identity":"EX01\\\\Relay","Server":"EX01","Enabled":true,"Bindings":["0.0.0.0:25"],"RemoteIPRanges":["10.0.0.5"],${second}:["0.0.0.0-255.255.255.255"],"AuthMechanism":"Tls","PermissionGroups":"AnonymousUsers","TransportRole":"FrontendTransport"}`;
}

function rangesOf(parsed: Outcome): unknown {
  if ('error' in parsed) return parsed.error;
  if (parsed.input.format === 'snapshot') throw new Error('expected an export');
  const [record] = parsed.input.records;
  return record?.kind === 'connector' ? record.value.remoteIPRanges : record;
}

describeWithPwsh('ConvertTo-Json exports, read as ConvertFrom-Json reads them', (pwsh) => {
  const folder = mkdtempSync(join(tmpdir(), 'exrelay-json-members-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  /** PowerShell's RemoteIPRanges of the export, or null when ConvertFrom-Json refuses it. */
  function readByPowerShell(text: string): string[] | null {
    const output = runPwshScriptOn(
      pwsh,
      folder,
      [
        'param([string] $Path)',
        'try { $connector = Get-Content -Raw -LiteralPath $Path | ConvertFrom-Json -ErrorAction Stop }',
        'catch { "refused"; exit 0 }',
        'ConvertTo-Json -Compress -InputObject @($connector.RemoteIPRanges)',
      ],
      { name: 'connector.json', text },
    ).trim();
    return output === 'refused' ? null : (JSON.parse(output) as string[]);
  }

  it('takes the last value of a name written twice, as PowerShell does', async () => {
    const text = exportWith('"RemoteIPRanges"');
    const expected = readByPowerShell(text);
    expect(expected).toEqual(['0.0.0.0-255.255.255.255']);
    expect(rangesOf(await read('c.json', utf8(text)))).toEqual(expected);
  });

  it('refuses names that differ only in case, as PowerShell does, in one line', async () => {
    const text = exportWith('"remoteIPRanges"');
    expect(readByPowerShell(text)).toBeNull();
    expect(await read('c.json', utf8(text))).toEqual({
      error: `c.json: JSON object with members "RemoteIPRanges" and "remoteIPRanges", whose names differ only in case (PowerShell's ConvertFrom-Json refuses it too)`,
    });
  });
});

describe('ConvertTo-Json exports', () => {
  it('still read an enum written as {"value": n, "Value": "names"}', async () => {
    const text = exportWith('"Other"').replace(
      '"AuthMechanism":"Tls"',
      '"AuthMechanism":{"value":33,"Value":"Tls, ExternalAuthoritative"}',
    );
    const parsed = await read('c.json', utf8(text));
    expect('error' in parsed ? parsed.error : parsed.input.format).toBe('json');
  });
});

describe('exrelay snapshots', () => {
  const withGrant = connector({
    name: 'Default Frontend EX01',
    permissions: [...anonymousUsersGroup(), grant('S-1-5-7', RELAY)],
  });
  /** The grant is written first, then an empty list: a reader sees the grant, JSON.parse keeps the empty list. */
  const TEXT = JSON.stringify(snapshot([withGrant]), null, 2).replace(
    '"name": "Default Frontend EX01"',
    '"name": "Default Frontend EX01",\n      "permissions": []',
  );
  const MESSAGE = (column: number) =>
    `s.json: invalid exrelay snapshot: the member "permissions" is written twice in one object (line ${TEXT.slice(0, TEXT.lastIndexOf('"permissions"')).split('\n').length}, column ${column})`;

  it('are refused, naming the line and column of the second name, read from UTF-8 or UTF-16 alike', async () => {
    expect(await read('s.json', utf8(TEXT))).toEqual({ error: MESSAGE(7) });
    // UTF-16 is read as one text, not element by element: the same words.
    expect(await read('s.json', utf16(TEXT))).toEqual({ error: MESSAGE(7) });
  });

  it('are refused for a repeated list of the root too', async () => {
    const text = JSON.stringify(snapshot([withGrant])).replace('"errors":[]', '"errors":[],"connectors":[]');
    const refused = {
      error: `s.json: invalid exrelay snapshot: the member "connectors" is written twice in one object (line 1, column ${text.lastIndexOf('"connectors"') + 1})`,
    };
    expect(await read('s.json', utf8(text))).toEqual(refused);
    expect(await read('s.json', utf16(text))).toEqual(refused);
  });

  it('are read when each member is written once', async () => {
    const parsed = await read('s.json', utf8(JSON.stringify(snapshot([withGrant]))));
    expect('error' in parsed ? parsed.error : parsed.input.format).toBe('snapshot');
  });
});
