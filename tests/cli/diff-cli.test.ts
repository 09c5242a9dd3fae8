/** `exrelay diff OLD NEW` as a user runs it: exit codes, formats, and the JSON contract's top level. */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { anonymousUsersGroup, connector, grant, RELAY, SID, snapshot } from '../support/builders.js';
import { runCli } from '../support/run-cli.js';

const folder = mkdtempSync(join(tmpdir(), 'exrelay-diff-'));
const relay = (ranges: string[]) =>
  connector({
    name: 'Relay Apps',
    guid: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
    remoteIPRanges: ranges,
    permissions: [
      ...anonymousUsersGroup(),
      grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY, { sid: SID.anonymous }),
    ],
    permissionGroups: ['AnonymousUsers', 'Custom'],
  });
const write = (name: string, ranges: string[]) => {
  const file = join(folder, name);
  writeFileSync(file, JSON.stringify(snapshot([relay(ranges)])));
  return file;
};
const before = write('before.json', ['10.20.0.0/16']);
const after = write('after.json', ['10.0.0.0/8']);

describe('exrelay diff', () => {
  it('exits 1 when a finding at or above --fail-on is widened, 0 otherwise', () => {
    const widened = runCli(['diff', before, after, '--format', 'json']);
    expect(widened.status).toBe(1);
    const report = JSON.parse(widened.stdout);
    expect(report).toMatchObject({
      kind: 'exrelay.diff',
      schemaVersion: 1,
      summary: { findingsWidened: 1, regressions: 1, failOn: 'high' },
    });
    expect(report.findings.widened[0]).toMatchObject({
      checkId: 'anonymous-relay',
      connector: 'EX01\\Relay Apps',
      scope: { before: '65536', after: '16777216' },
    });
    expect(widened.stderr).toBe('');
    expect(runCli(['diff', after, before]).status).toBe(0);
    expect(runCli(['diff', before, before]).stdout).toContain(
      'Findings: 0 introduced, 0 widened, 0 resolved, 0 narrowed.',
    );
  });

  it('warns when the two sides share no connector (two different organisations)', () => {
    const other = join(folder, 'other.json');
    writeFileSync(
      other,
      JSON.stringify(snapshot([connector({ name: 'Default Frontend EX09', server: 'EX09' })])),
    );
    const result = runCli(['diff', before, other, '--format', 'json']);
    expect(result.stderr).toMatch(/have no receive connector in common .*two different organisations/);
    expect(JSON.parse(result.stdout).summary).toMatchObject({ connectorsAdded: 1, connectorsRemoved: 1 });
  });

  it('writes markdown and csv, and refuses an unreadable input with exit 2', () => {
    expect(runCli(['diff', before, after, '--format', 'markdown']).stdout).toContain('### Findings widened');
    expect(runCli(['diff', before, after, '--format', 'csv']).stdout).toContain(
      'widened,high,high,anonymous-relay,EX01\\Relay Apps,',
    );
    const missing = runCli(['diff', before, join(folder, 'missing.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/missing\.json: no such file or folder/);
  });
});
