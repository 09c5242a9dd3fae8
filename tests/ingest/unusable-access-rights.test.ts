/**
 * A permission entry whose AccessRights names no ActiveDirectoryRights value (a hand-made export's 'FullControl',
 * or bits no name covers) cannot be trusted: read as granting nothing, it could hide GenericAll for ANONYMOUS
 * LOGON. Its connector's verdict is unknown, never no-relay, and the file is named in a warning.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { runCli } from '../support/run-cli.js';

const SAMPLE = 'fixtures/orgs/sample';
const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

interface Verdicts {
  [identity: string]: { verdict: string; unknownReasons: string[] };
}

/** The sample with its first AccessRights item `ExtendedRight` written as `written`. */
function sampleWith(written: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'exrelay-access-rights-'));
  folders.push(folder);
  for (const name of ['ReceiveConnector.xml', 'AcceptedDomain.xml', 'ExchangeServer.xml'])
    copyFileSync(join(SAMPLE, name), join(folder, name));
  const permissions = readFileSync(join(SAMPLE, 'ADPermission.xml'), 'utf8');
  const changed = permissions.replace(
    '<ToString>ExtendedRight</ToString>',
    `<ToString>${written}</ToString>`,
  );
  expect(changed).not.toBe(permissions);
  writeFileSync(join(folder, 'ADPermission.xml'), changed);
  return folder;
}

function verdictsOf(folder: string): { verdicts: Verdicts; stderr: string } {
  const run = runCli(['analyze', folder, '--format', 'json', '--fail-on', 'none']);
  expect(run.status).toBe(0);
  const report = JSON.parse(run.stdout) as {
    connectors: Array<{ identity: string; relay: { verdict: string; unknownReasons: string[] } }>;
  };
  return {
    verdicts: Object.fromEntries(report.connectors.map(({ identity, relay }) => [identity, relay])),
    stderr: run.stderr,
  };
}

describe('an AccessRights value that names no ActiveDirectoryRights', () => {
  const before = verdictsOf(SAMPLE).verdicts;

  it.each(['FullControl', '268435456'])('%s makes its connector unknown, with a warning', (written) => {
    const { verdicts, stderr } = verdictsOf(sampleWith(written));
    const changed = Object.keys(verdicts).filter(
      (identity) => verdicts[identity]?.verdict !== before[identity]?.verdict,
    );
    expect(changed).toHaveLength(1);
    const [identity] = changed as [string];
    expect(verdicts[identity]).toMatchObject({ verdict: 'unknown', unknownReasons: ['acl-error'] });
    expect(stderr).toContain(
      `1 permission entry unusable: AccessRights "${written}" is not an ActiveDirectoryRights name; their connectors' verdicts are unknown`,
    );
  });

  it('leaves a name in another case alone: the analysis compares names ignoring case', () => {
    const { verdicts, stderr } = verdictsOf(sampleWith('extendedright'));
    expect(verdicts).toEqual(before);
    expect(stderr).not.toContain('unusable');
  });
});
