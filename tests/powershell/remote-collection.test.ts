/**
 * The remote path for real: PowerShell remoting to this machine over SSH, the Exchange stand-in loaded in the
 * remote session and that runspace locked to NoLanguage, as Exchange's endpoint is. Import-PSSession, implicit
 * remoting and deserialized objects are then exercised exactly as against Exchange.
 *
 * .ci/run sets up the sshd these tests use (127.0.0.1, EXRELAY_SSH_PORT, keys from EXRELAY_SSH_AUTHORIZED_KEYS).
 * Without it the tests are skipped with a note, except in CI (EXRELAY_REQUIRE_PWSH=1), where they fail.
 */

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { collectLive } from '../../src/collect/live-collection.js';
import {
  startPowerShell,
  type PowerShellSession,
  type RunnerOptions,
} from '../../src/collect/powershell-runner.js';
import { CollectionError } from '../../src/errors.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { evaluate } from '../../src/pipeline.js';
import { quotePsString } from '../../src/powershell/quote.js';
import { describeWithPwsh } from '../helpers/pwsh.js';
import {
  analyzeJson,
  orgExports,
  runSlowCli,
  scenarioPath,
  SIM_MODULE,
  tempFolder,
  verdicts,
} from './collect-support.js';

const SLOW = 180_000;
const SSH_PORT = Number(process.env.EXRELAY_SSH_PORT ?? '2222');
const AUTHORIZED_KEYS = process.env.EXRELAY_SSH_AUTHORIZED_KEYS ?? '/etc/ssh/exrelay/authorized_keys';
const EXCHANGE_CMDLETS = [
  'Get-ExchangeServer',
  'Get-ReceiveConnector',
  'Get-ADPermission',
  'Get-AcceptedDomain',
];
/** Where protocol logs are written; imported too, and skipped by Import-PSSession where the endpoint lacks them. */
const LOG_PATH_CMDLETS = [
  'Get-FrontendTransportService',
  'Get-TransportService',
  'Get-MailboxTransportService',
  'Get-TransportServer',
];
const PASSWORD = 'Sommer2024!Geheim';

/** Why SSH remoting to localhost cannot be used here, or null when it can. */
function sshProblem(): string | null {
  try {
    accessSync(AUTHORIZED_KEYS, constants.W_OK);
  } catch {
    return `${AUTHORIZED_KEYS} is missing or not writable`;
  }
  if (spawnSync('ssh-keygen', ['-?']).error) return 'ssh-keygen is not installed';
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `const s = require('net').connect(${SSH_PORT}, '127.0.0.1');
       s.on('connect', () => process.exit(0)); s.on('error', () => process.exit(1)); setTimeout(() => process.exit(1), 2000);`,
    ],
    { timeout: 5000 },
  );
  return probe.status === 0 ? null : `nothing listens on 127.0.0.1:${SSH_PORT}`;
}

function describeWithSsh(name: string, fn: () => void): void {
  const problem = sshProblem();
  if (problem === null) {
    describe(name, fn);
  } else if (process.env.EXRELAY_REQUIRE_PWSH === '1') {
    describe(name, () => {
      it('needs PowerShell remoting to localhost over SSH', () => {
        throw new Error(`SSH remoting is not set up: ${problem}; .ci/run sets it up`);
      });
    });
  } else {
    console.warn(`Skipping "${name}": SSH remoting is not set up (${problem}); .ci/run sets it up.`);
    describe.skip(name, fn);
  }
}

/** A key pair for this run, authorised for root on the test sshd; the previous authorisations come back after. */
function useTestKey(): { keyFile: () => string } {
  let keyFile = '';
  let previous = '';
  beforeAll(() => {
    const folder = tempFolder('ssh-key');
    keyFile = join(folder, 'id_ed25519');
    const generated = spawnSync('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-C',
      'exrelay-test',
      '-f',
      keyFile,
    ]);
    if (generated.status !== 0) throw new Error(`ssh-keygen failed: ${generated.stderr.toString()}`);
    previous = readFileSync(AUTHORIZED_KEYS, 'utf8');
    writeFileSync(AUTHORIZED_KEYS, readFileSync(`${keyFile}.pub`));
  });
  afterAll(() => {
    if (keyFile !== '') writeFileSync(AUTHORIZED_KEYS, previous);
  });
  return { keyFile: () => keyFile };
}

/** PowerShell that opens the SSH session; `$session` holds it afterwards. */
function openSshSession(keyFile: string, command = 'New-PSSession'): string {
  return `$session = ${command} -HostName localhost -Port ${SSH_PORT} -UserName root -KeyFilePath ${quotePsString(keyFile)} -Options @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' }`;
}

/**
 * Loads the stand-in in the remote session, adds a Set- command that must never reach this side, and locks the
 * runspace to NoLanguage; then proves the lock holds.
 */
function prepareRemoteExchange(scenario: string): string {
  return String.raw`
Invoke-Command -Session $session -ScriptBlock {
    param($Module, $Scenario)
    Import-Module $Module
    Import-ExchangeSimScenario -Path $Scenario
    function global:Set-ReceiveConnector { 'changed' }
    $ExecutionContext.SessionState.LanguageMode = 'NoLanguage'
} -ArgumentList ${quotePsString(SIM_MODULE)}, ${quotePsString(scenario)}
$locked = $false
try { Invoke-Command -Session $session -ScriptBlock { $PID } -ErrorAction Stop } catch { $locked = $true }
if (-not $locked) { throw 'the remote runspace still runs scripts' }`;
}

describeWithPwsh('collection over PowerShell remoting', (pwsh) => {
  describeWithSsh('collection over PowerShell remoting to localhost (SSH, NoLanguage endpoint)', () => {
    const key = useTestKey();

    it(
      '--init-script: Import-PSSession of the four cmdlets gives the verdicts of the local collection; the session is closed',
      () => {
        const folder = tempFolder('remote-init');
        const log = join(folder, 'sessions.log');
        const init = join(folder, 'Connect-Remote.ps1');
        writeFileSync(
          init,
          [
            openSshSession(key.keyFile()),
            `Set-Content -LiteralPath ${quotePsString(log)} -Value "opened $($session.InstanceId)"`,
            prepareRemoteExchange(scenarioPath('sample')),
            // Records what exrelay closes, then closes it.
            'function Remove-PSSession([Parameter(ValueFromPipeline = $true)] [System.Management.Automation.Runspaces.PSSession[]] $Session) {',
            `    foreach ($item in $Session) { Add-Content -LiteralPath ${quotePsString(log)} -Value "removed $($item.InstanceId)" }`,
            '    Microsoft.PowerShell.Core\\Remove-PSSession -Session $Session',
            '}',
            `$null = Import-PSSession -Session $session -CommandName ${EXCHANGE_CMDLETS.join(', ')} -AllowClobber -DisableNameChecking`,
          ].join('\n'),
        );
        const out = join(folder, 'snapshot.json');
        const result = runSlowCli(
          ['collect', '--init-script', init, '--out', out, '--allow-partial', '--shell', pwsh],
          { cwd: folder },
        );
        expect(result.stderr).not.toMatch(/^exrelay: (?!warning)/m);
        expect(result.status).toBe(0);
        expect(verdicts(analyzeJson(out))).toEqual(verdicts(analyzeJson(orgExports('sample'))));

        // Remoting prints User as text, so only SIDs that are the printed name survive: proof the objects
        // came through a remote session, not from the stand-in loaded locally.
        const entries = (
          JSON.parse(readFileSync(out, 'utf8')) as {
            connectors: { permissions: { user: string; sid: string | null }[] | null }[];
          }
        ).connectors.flatMap((connector) => connector.permissions ?? []);
        expect(entries.length).toBeGreaterThan(500);
        expect(entries.filter((entry) => entry.sid !== null && entry.sid !== entry.user)).toEqual([]);

        const [opened, removed, ...rest] = readFileSync(log, 'utf8').trim().split('\n');
        expect(opened).toMatch(/^opened [0-9a-f-]{36}$/);
        expect(removed).toBe(opened?.replace('opened', 'removed'));
        expect(rest).toEqual([]);
      },
      SLOW,
    );

    it(
      'a Swedish server through the NoLanguage endpoint: no SIDs arrive, the names of the well-known principals are asked by SID',
      () => {
        const folder = tempFolder('remote-swedish');
        const init = join(folder, 'Connect-Remote.ps1');
        writeFileSync(
          init,
          [
            openSshSession(key.keyFile()),
            prepareRemoteExchange(scenarioPath('nordvik-sv')),
            `$null = Import-PSSession -Session $session -CommandName ${EXCHANGE_CMDLETS.join(', ')} -AllowClobber -DisableNameChecking`,
          ].join('\n'),
        );
        const out = join(folder, 'snapshot.json');
        const result = runSlowCli(['collect', '--init-script', init, '--out', out, '--shell', pwsh], {
          cwd: folder,
        });
        expect(result.stderr).not.toMatch(/^exrelay: (?!warning)/m);
        expect(result.status).toBe(0);
        const snapshot = JSON.parse(readFileSync(out, 'utf8')) as Snapshot;
        expect(snapshot.principalNames?.find((known) => known.sid === 'S-1-5-7')).toMatchObject({
          name: 'NT INSTANS\\ANONYM INLOGGNING',
        });
        // Without the built-in Swedish names, the learned ones alone identify ANONYMOUS LOGON.
        const learnedOnly = evaluate(
          {
            ...snapshot,
            connectors: snapshot.connectors.map((connector) => ({
              ...connector,
              permissions:
                connector.permissions?.map((ace) => ({
                  ...ace,
                  user: ace.user.replace(
                    'NT INSTANS\\ANONYM INLOGGNING',
                    'NT INSTANS\\ANONYM INLOGGNING (test)',
                  ),
                })) ?? null,
            })),
            principalNames: snapshot.principalNames?.map((known) => ({
              ...known,
              name: known.name.replace(
                'NT INSTANS\\ANONYM INLOGGNING',
                'NT INSTANS\\ANONYM INLOGGNING (test)',
              ),
            })),
          },
          'exrelay test',
        ).report;
        expect(learnedOnly.connectors.find((connector) => connector.name === 'Relä Skrivare')).toMatchObject({
          severity: 'critical',
          relay: { verdict: 'relay' },
        });
        expect(verdicts(analyzeJson(out))).toEqual(verdicts(analyzeJson(orgExports('nordvik-sv'))));
      },
      SLOW,
    );

    it(
      '--connection-uri: New-PSSession and the real Import-PSSession, only the four cmdlets imported, no session left',
      async () => {
        // New-PSSession stands in for the WSMan connection (which pwsh on Linux lacks): it records its parameters
        // and opens the SSH session instead. Everything after it is exrelay's own code and PowerShell's.
        const hook = String.raw`
param($PasswordHash)
$global:ExrelayTestPasswordHash = $PasswordHash
$global:ExrelayTestCalls = @()
function global:New-PSSession([string] $ConfigurationName, [uri] $ConnectionUri, [string] $Authentication, [pscredential] $Credential) {
    $hash = [BitConverter]::ToString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Credential.GetNetworkCredential().Password)))
    $global:ExrelayTestCalls += [pscustomobject]@{
        ConfigurationName = $ConfigurationName; ConnectionUri = [string]$ConnectionUri; Authentication = $Authentication
        UserName = $Credential.UserName; PasswordMatches = (($hash -replace '-', '').ToLowerInvariant() -eq $global:ExrelayTestPasswordHash)
    }
    ${openSshSession(key.keyFile(), 'Microsoft.PowerShell.Core\\New-PSSession')}
    ${prepareRemoteExchange(scenarioPath('sample'))}
    $session
}`;
        const inspection = await collectWithHook(
          hook,
          { PasswordHash: sha256(PASSWORD) },
          'http://ex01.proseware.com/PowerShell/',
        );
        expect(inspection.state).toEqual({
          calls: [
            {
              ConfigurationName: 'Microsoft.Exchange',
              ConnectionUri: 'http://ex01.proseware.com/PowerShell/',
              Authentication: 'Negotiate',
              UserName: 'PROSEWARE\\svc-exrelay',
              PasswordMatches: true,
            },
          ],
          openSessions: 0,
          localCommands: [...EXCHANGE_CMDLETS].sort(),
        });
        const snapshot = inspection.snapshot;
        expect(snapshot.source).toEqual({
          method: 'remote',
          description: 'http://ex01.proseware.com/PowerShell/',
          tool: 'exrelay test',
        });
        const collected = evaluate(snapshot, 'exrelay test').report;
        expect(verdicts(collected)).toEqual(verdicts(analyzeJson(orgExports('sample'))));
        // The transport service cmdlets came through the same session: the log folders are recorded.
        expect(snapshot.servers.find((server) => server.name === 'PWEX01')?.receiveProtocolLogPaths).toEqual([
          expect.objectContaining({ transportRole: 'FrontendTransport' }),
          expect.objectContaining({ transportRole: 'HubTransport' }),
          expect.objectContaining({ transportRole: 'MailboxTransport' }),
        ]);
        expect(JSON.stringify({ snapshot, state: inspection.state, said: inspection.said })).not.toContain(
          PASSWORD,
        );
      },
      SLOW,
    );
  });

  describe('--connection-uri with stand-ins for New-PSSession and Import-PSSession', () => {
    it(
      'calls them with the endpoint, the authentication, a PSCredential and exactly the Get- cmdlets exrelay reads',
      async () => {
        const inspection = await collectWithHook(
          standInHook(false),
          { PasswordHash: sha256(PASSWORD) },
          'http://ex01.proseware.com/PowerShell/',
        );
        expect(inspection.state.calls).toEqual([
          {
            Command: 'New-PSSession',
            ConfigurationName: 'Microsoft.Exchange',
            ConnectionUri: 'http://ex01.proseware.com/PowerShell/',
            Authentication: 'Negotiate',
            UserName: 'PROSEWARE\\svc-exrelay',
            PasswordMatches: true,
          },
          {
            Command: 'Import-PSSession',
            Session: 'exrelay-stand-in-session',
            CommandName: [...EXCHANGE_CMDLETS, ...LOG_PATH_CMDLETS],
            AllowClobber: true,
            DisableNameChecking: true,
          },
        ]);
        expect(inspection.snapshot.connectors.length).toBeGreaterThan(20);
        expect(JSON.stringify(inspection)).not.toContain(PASSWORD);
      },
      SLOW,
    );

    it(
      'fails with a CollectionError when the connection is refused, without the password in any message or file',
      async () => {
        const folder = tempFolder('remote-refused');
        const failure = await collectWithHook(
          standInHook(true),
          { PasswordHash: sha256(PASSWORD) },
          'http://ex01.proseware.com/PowerShell/',
          folder,
        ).then(
          () => null,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(CollectionError);
        expect((failure as CollectionError).message).toBe(
          'PowerShell failed while connecting to http://ex01.proseware.com/PowerShell/: [ex01.proseware.com] Connecting to remote server ex01.proseware.com failed with the following error message : Access is denied.',
        );
        expect(JSON.stringify(failure, Object.getOwnPropertyNames(failure))).not.toContain(PASSWORD);
        expect(readdirSync(folder)).toEqual([]);
        expect(existsSync(join(folder, 'snapshot.json'))).toBe(false);
      },
      SLOW,
    );
  });

  /** Stand-ins that record their parameters; Import-PSSession brings in the stand-in module locally instead. */
  function standInHook(refuse: boolean): string {
    return String.raw`
param($PasswordHash)
$global:ExrelayTestPasswordHash = $PasswordHash
$global:ExrelayTestCalls = @()
function global:New-PSSession([string] $ConfigurationName, [uri] $ConnectionUri, [string] $Authentication, [pscredential] $Credential) {
    $hash = [BitConverter]::ToString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Credential.GetNetworkCredential().Password)))
    $global:ExrelayTestCalls += [pscustomobject]@{
        Command = 'New-PSSession'; ConfigurationName = $ConfigurationName; ConnectionUri = [string]$ConnectionUri
        Authentication = $Authentication; UserName = $Credential.UserName
        PasswordMatches = (($hash -replace '-', '').ToLowerInvariant() -eq $global:ExrelayTestPasswordHash)
    }
    ${refuse ? "throw '[ex01.proseware.com] Connecting to remote server ex01.proseware.com failed with the following error message : Access is denied.'" : ''}
    [pscustomobject]@{ Name = 'exrelay-stand-in-session' }
}
function global:Import-PSSession($Session, [string[]] $CommandName, [switch] $AllowClobber, [switch] $DisableNameChecking) {
    $global:ExrelayTestCalls += [pscustomobject]@{
        Command = 'Import-PSSession'; Session = $Session.Name; CommandName = $CommandName
        AllowClobber = [bool]$AllowClobber; DisableNameChecking = [bool]$DisableNameChecking
    }
    Import-Module ${quotePsString(SIM_MODULE)} -Global
    Import-ExchangeSimScenario -Path ${quotePsString(scenarioPath('sample'))}
    New-Module -Name ExrelayStandInProxy -ScriptBlock { }
}`;
  }

  interface Inspection {
    snapshot: Awaited<ReturnType<typeof collectLive>>;
    state: { calls: Record<string, unknown>[]; openSessions: number; localCommands: string[] };
    said: string[];
  }

  /**
   * collectLive with --connection-uri and a credential, in a real pwsh prepared by `hook`. Records which
   * Exchange-like commands exist once connected and, just before the shell is disposed, the calls the hook saw and
   * the PSSessions still open.
   */
  async function collectWithHook(
    hook: string,
    hookArgs: Record<string, unknown>,
    uri: string,
    cwd?: string,
  ): Promise<Inspection> {
    let state: Inspection['state'] | null = null;
    let localCommands: string[] = [];
    const said: string[] = [];
    const startShell = async (options: RunnerOptions): Promise<PowerShellSession> => {
      const session = await startPowerShell({ ...options, executable: pwsh });
      if (cwd) await session.run('param($Folder) Set-Location -LiteralPath $Folder', { Folder: cwd });
      await session.run(hook, hookArgs);
      return {
        run: async (script, args, runOptions) => {
          const output = await session.run(script, args, runOptions);
          // Right after connecting: which Exchange-like commands exist on this side.
          if (args?.ConnectionUri !== undefined) {
            localCommands = JSON.parse(
              await session.run(
                "ConvertTo-Json -Compress -InputObject @(Get-Command -Name '*-ReceiveConnector', '*-ADPermission', '*-ExchangeServer', '*-AcceptedDomain' -ErrorAction SilentlyContinue | ForEach-Object Name)",
              ),
            ) as string[];
            localCommands.sort();
          }
          return output;
        },
        dispose: async () => {
          const [calls, openSessions] = JSON.parse(
            await session.run(
              'ConvertTo-Json -Depth 4 -Compress -InputObject @(@($global:ExrelayTestCalls), @(Get-PSSession).Count)',
            ),
          ) as [Record<string, unknown>[], number];
          state = { calls, openSessions, localCommands };
          await session.dispose();
        },
      };
    };
    const snapshot = await collectLive({
      target: {
        kind: 'remote',
        connectionUri: uri,
        authentication: 'Negotiate',
        credential: { userName: 'PROSEWARE\\svc-exrelay', password: PASSWORD },
      },
      timeoutMs: 120_000,
      tool: 'exrelay test',
      progress: {
        phase: (text) => said.push(text),
        permissions: (done, total) => said.push(`${done}/${total}`),
        finish: () => undefined,
      },
      warn: (message) => said.push(message),
      startShell,
    });
    if (state === null) throw new Error('the shell was not inspected before it was disposed');
    return { snapshot, state, said };
  }
});

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
