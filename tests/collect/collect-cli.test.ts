import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { partialSnapshotError, snapshotFileName } from '../../src/cli/collect.js';
import { ExitCode } from '../../src/errors.js';
import { runCli } from '../support/run-cli.js';
import { snapshot, connector } from '../support/builders.js';

const folders: string[] = [];
const temp = () => {
  const folder = mkdtempSync(join(tmpdir(), 'exrelay-collect-cli-'));
  folders.push(folder);
  return folder;
};
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function initScript(folder: string): string {
  const path = join(folder, 'Connect-Lab.ps1');
  writeFileSync(path, 'Import-Module ExchangeSim\n');
  return path;
}

describe('exrelay collect and audit: usage', () => {
  it('lists collect and audit in the help', () => {
    const help = runCli(['--help']);
    expect(help.stdout).toMatch(/exrelay collect\s+Read connectors, permissions and accepted domains/);
    expect(help.stdout).toMatch(/exrelay audit\s+Collect through PowerShell and analyse at once/);
    expect(runCli(['audit', '--help']).stdout).toMatch(/--format.*--fail-on.*--snapshot-dir/s);
  });

  it.each([
    [['collect'], 'exrelay: say where to collect from: --connection-uri URI, --local or --init-script FILE'],
    [
      ['collect', '--local', '--connection-uri', 'http://ex01/PowerShell/'],
      'exrelay: use only one of --connection-uri, --local',
    ],
    [
      ['collect', '--local', '--credential-user', 'CONTOSO\\admin'],
      'exrelay: --credential-user needs --connection-uri',
    ],
    [['collect', '--local', '--timeout', '0'], 'exrelay: --timeout must be a positive number of seconds'],
    // Rounds to 0 ms: every step would time out at once.
    [
      ['collect', '--local', '--timeout', '0.0001'],
      'exrelay: --timeout must be a positive number of seconds',
    ],
    // Beyond a Node timer's 2^31 - 1 ms the timer fired at once: "did not answer within 3000000 s", exit 3.
    [
      ['audit', '--local', '--timeout', '3000000'],
      'exrelay: --timeout must be at most 2147483 seconds (24 days)',
    ],
    [
      ['collect', '--init-script', 'no/such/Connect.ps1'],
      'exrelay: cannot read the init script no/such/Connect.ps1',
    ],
    [
      ['collect', '--local', '--out', 'no/such/folder/snap.json'],
      'exrelay: --out: cannot write no/such/folder/snap.json: the folder no/such/folder does not exist',
    ],
    [['audit', '--local', '--auth', 'Telepathy'], 'Invalid values'],
    [
      ['collect', '--connection-uri', 'ex01.contoso.com'],
      "exrelay: --connection-uri must be a URI such as http://ex01.contoso.com/PowerShell/, not 'ex01.contoso.com'",
    ],
    [
      ['collect', '--connection-uri', 'http://admin:Sommer2024!@ex01.contoso.com/PowerShell/'],
      'exrelay: --connection-uri must not hold a user name or password: use --credential-user and EXRELAY_PASSWORD',
    ],
    [
      ['collect', '--connection-uri', 'http://ex01/PowerShell/', '--credential-user', 'CONTOSO\\admin'],
      'exrelay: --credential-user CONTOSO\\admin needs a password: set EXRELAY_PASSWORD or run exrelay in a terminal to be asked for it',
    ],
  ])('exits 2 with one line for %j', (args, message) => {
    const result = runCli(args, { env: { EXRELAY_PASSWORD: undefined } });
    expect(result.status).toBe(ExitCode.Input);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('exrelay collect without PowerShell', () => {
  it('exits 3 with one line when the executable does not exist, and writes no snapshot', () => {
    const folder = temp();
    const result = runCli(['collect', '--init-script', initScript(folder), '--shell', '/nonexistent/pwsh'], {
      cwd: folder,
    });
    expect(result.status).toBe(ExitCode.Collection);
    expect(result.stderr).toBe(
      "exrelay: PowerShell executable '/nonexistent/pwsh' was not found; install PowerShell 7 or pass --shell\n",
    );
    expect(readdirSync(folder)).toEqual(['Connect-Lab.ps1']);
  });

  it('exits 3 for audit too, before any report', () => {
    const folder = temp();
    const report = join(folder, 'report.json');
    const result = runCli(
      [
        'audit',
        '--init-script',
        initScript(folder),
        '--shell',
        '/nonexistent/pwsh',
        '--output',
        report,
        '--snapshot-dir',
        join(folder, 'snapshots'),
      ],
      { cwd: folder },
    );
    expect(result.status).toBe(ExitCode.Collection);
    expect(result.stdout).toBe('');
    expect(existsSync(report)).toBe(false);
    expect(readdirSync(join(folder, 'snapshots'))).toEqual([]);
  });
});

describe('snapshot file names and the partial-snapshot error', () => {
  it('names snapshots by UTC time, sortable', () => {
    expect(snapshotFileName(new Date('2025-03-04T09:15:07.123Z'))).toBe(
      'exrelay-snapshot-20250304-091507.json',
    );
  });

  it('names what could not be read and why, and says how to accept it', () => {
    const partial = snapshot([connector({ name: 'Relay Archive', permissions: null })], {
      partial: true,
      errors: [
        { scope: 'connector', target: 'EX02\\Relay Archive', message: 'Get-ADPermission: Access is denied.' },
        {
          scope: 'connector',
          target: 'EX02\\Relay Scanners',
          message: 'Get-ADPermission: Access is denied.',
        },
        { scope: 'connector', target: 'EX01\\Relay Lab', message: 'Get-ADPermission: Access is denied.' },
        { scope: 'connector', target: 'EX01\\Relay Fax', message: 'Get-ADPermission: Access is denied.' },
        { scope: 'acceptedDomains', target: null, message: 'Get-AcceptedDomain: Access is denied.' },
      ],
    });
    const error = partialSnapshotError(
      partial,
      'D:\\exrelay\\snapshots\\exrelay-snapshot-20250304-091507.json',
    );
    expect(error.exitCode).toBe(ExitCode.Collection);
    expect(error.message).toBe(
      'the snapshot is partial: the permissions of 4 connectors could not be read: EX02\\Relay Archive, EX02\\Relay Scanners, EX01\\Relay Lab and 1 more (Get-ADPermission: Access is denied.); the accepted domains could not be read (Get-AcceptedDomain: Access is denied.); it was written to D:\\exrelay\\snapshots\\exrelay-snapshot-20250304-091507.json; pass --allow-partial to accept partial snapshots',
    );
  });
});
