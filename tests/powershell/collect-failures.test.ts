import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import type { Snapshot } from '../../src/model/snapshot.js';
import { quotePsString } from '../../src/powershell/quote.js';
import { describeWithPwsh } from '../helpers/pwsh.js';
import { BIN } from '../support/run-cli.js';
import {
  loadScenarioCommands,
  runSlowCli,
  scenarioPath,
  tempFolder,
  writeSimInitScript,
} from './collect-support.js';

const SLOW = 180_000;

/** A minimal Exchange whose Get-ADPermission never answers: collection stops in the permissions step. */
const HANGING_EXCHANGE = String.raw`
function Get-ExchangeServer {
    [pscustomobject]@{ Name = 'EX01'; AdminDisplayVersion = 'Version 15.2 (Build 1544.4)'; ServerRole = 'Mailbox'; IsEdgeServer = $false; IsHubTransportServer = $true }
}
function Get-ReceiveConnector([string] $Server) {
    foreach ($name in 'Default Frontend EX01', 'Relay Printers') {
        [pscustomobject]@{
            Identity = "$Server\$name"; Server = $Server; Name = $name; DistinguishedName = $null; Enabled = $true
            TransportRole = 'FrontendTransport'; Bindings = @('0.0.0.0:25'); RemoteIPRanges = @('10.10.20.31')
            AuthMechanism = 'Tls'; PermissionGroups = 'AnonymousUsers'
        }
    }
}
function Get-AcceptedDomain { [pscustomobject]@{ Name = 'contoso.com'; DomainName = 'contoso.com'; DomainType = 'Authoritative'; Default = $true } }
function Get-ADPermission([string] $Identity) { Start-Sleep -Seconds 120 }
function Get-TransportService([string] $Identity) { [pscustomobject]@{ ReceiveProtocolLogPath = 'C:\Logs\Hub' } }
`;

function hostileScenario(folder: string): string {
  const connector = (name: string, extraAces: object[] = []) => ({
    server: 'EX01',
    name,
    transportRole: 'FrontendTransport',
    bindings: ['0.0.0.0:25'],
    remoteIPRanges: ['10.1.1.1'],
    authMechanism: ['Tls'],
    permissionGroups: ['AnonymousUsers'],
    extraAces: [{ principal: 'anonymous', rights: ['ms-Exch-SMTP-Accept-Any-Recipient'] }, ...extraAces],
  });
  const scenario = {
    organization: 'Northwind',
    adDomain: 'northwind.test',
    netbiosDomain: 'NORTHWIND',
    domainSid: 'S-1-5-21-1004336348-1177238915-682003330',
    domainController: 'NWDC01.northwind.test',
    connectedServer: 'EX01',
    servers: [
      {
        name: 'EX01',
        version: '15.2.1544.4',
        roles: ['Mailbox'],
        installed: '2022-01-10T09:00:00Z',
        defaultConnectors: false,
      },
    ],
    connectors: [
      connector("Relay'; Remove-Item x; '"),
      connector('$(Set-Content pwned.txt x)'),
      connector('Relay `$env:PATH` back`tick', [
        {
          user: 'NORTHWIND\\$(Set-Content pwned-ace.txt x)',
          sid: 'S-1-5-21-1004336348-1177238915-682003330-4107',
          rights: ['ms-Exch-SMTP-Submit'],
        },
      ]),
    ],
    acceptedDomains: [
      { name: 'northwind.test', domainName: 'northwind.test', domainType: 'Authoritative', default: true },
    ],
  };
  const path = join(folder, 'hostile.json');
  writeFileSync(path, JSON.stringify(scenario, null, 2));
  return path;
}

describeWithPwsh('exrelay collect when things go wrong (real pwsh)', (pwsh) => {
  it(
    'passes hostile connector and principal names through as data: collected verbatim, nothing executed',
    () => {
      const folder = tempFolder('hostile');
      writeFileSync(join(folder, 'x'), 'must survive');
      const out = join(folder, 'snapshot.json');
      const result = runSlowCli(
        [
          'collect',
          '--init-script',
          writeSimInitScript(folder, hostileScenario(folder)),
          '--out',
          out,
          '--shell',
          pwsh,
        ],
        { cwd: folder },
      );
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);

      const snapshot = JSON.parse(readFileSync(out, 'utf8')) as Snapshot;
      expect(snapshot.connectors.map((connector) => connector.identity)).toEqual([
        "EX01\\Relay'; Remove-Item x; '",
        'EX01\\$(Set-Content pwned.txt x)',
        'EX01\\Relay `$env:PATH` back`tick',
      ]);
      for (const connector of snapshot.connectors) {
        expect(
          connector.permissions?.some(
            (entry) =>
              entry.sid === 'S-1-5-7' && entry.extendedRights.includes('ms-Exch-SMTP-Accept-Any-Recipient'),
          ),
        ).toBe(true);
      }
      expect(snapshot.connectors[2]?.permissions?.map((entry) => entry.user)).toContain(
        'NORTHWIND\\$(Set-Content pwned-ace.txt x)',
      );
      expect(readFileSync(join(folder, 'x'), 'utf8')).toBe('must survive');
      expect(readdirSync(folder).filter((name) => name.startsWith('pwned'))).toEqual([]);
    },
    SLOW,
  );

  it(
    'exits 3 naming the init script when it throws, and writes no snapshot',
    () => {
      const folder = tempFolder('init-throws');
      const init = join(folder, 'Connect-Broken.ps1');
      writeFileSync(
        init,
        "throw 'Cannot reach EX01.contoso.com: the WinRM client cannot process the request.'\n",
      );
      const result = runSlowCli(
        ['collect', '--init-script', init, '--out', join(folder, 'snapshot.json'), '--shell', pwsh],
        {
          cwd: folder,
        },
      );
      expect(result.status).toBe(3);
      expect(result.stderr).toBe(
        `exrelay: PowerShell failed while running the init script ${init}: init script '${init}' failed: Cannot reach EX01.contoso.com: the WinRM client cannot process the request.\n`,
      );
      expect(readdirSync(folder)).toEqual(['Connect-Broken.ps1']);
    },
    SLOW,
  );

  it(
    'keeps the whole PowerShell error of a failing init script, its hint lines included',
    () => {
      const folder = tempFolder('init-hint');
      const init = join(folder, 'Connect-Hint.ps1');
      writeFileSync(
        init,
        [
          "throw 'Connecting to remote server ex01.contoso.com failed: WinRM cannot complete the operation.",
          '   Verify that the specified computer name is valid.',
          "   For more information, see the about_Remote_Troubleshooting Help topic.'",
          '',
        ].join('\n'),
      );
      const result = runSlowCli(
        ['collect', '--init-script', init, '--out', join(folder, 'snapshot.json'), '--shell', pwsh],
        { cwd: folder },
      );
      expect(result.status).toBe(3);
      expect(result.stderr).toBe(
        [
          `exrelay: PowerShell failed while running the init script ${init}: init script '${init}' failed: Connecting to remote server ex01.contoso.com failed: WinRM cannot complete the operation.`,
          '  Verify that the specified computer name is valid.',
          '  For more information, see the about_Remote_Troubleshooting Help topic.',
          '',
        ].join('\n'),
      );
      const recommended = join(folder, 'Connect-Recommended.ps1');
      writeFileSync(
        recommended,
        "Write-Error -Message 'Access is denied.' -RecommendedAction 'Add the account to View-Only Organization Management.' -ErrorAction Stop\n",
      );
      const withAction = runSlowCli(
        ['collect', '--init-script', recommended, '--out', join(folder, 'snapshot.json'), '--shell', pwsh],
        { cwd: folder },
      );
      expect(withAction.stderr).toBe(
        `exrelay: PowerShell failed while running the init script ${recommended}: init script '${recommended}' failed: Access is denied.\n  Add the account to View-Only Organization Management.\n`,
      );
      expect(readdirSync(folder).sort()).toEqual(['Connect-Hint.ps1', 'Connect-Recommended.ps1']);
    },
    SLOW,
  );

  it(
    'exits 3 when the init script does not answer within --timeout',
    () => {
      const folder = tempFolder('init-timeout');
      const init = join(folder, 'Connect-Slow.ps1');
      writeFileSync(init, 'Start-Sleep -Seconds 120\n');
      const started = Date.now();
      const result = runSlowCli(['collect', '--init-script', init, '--timeout', '1', '--shell', pwsh], {
        cwd: folder,
      });
      expect(result.status).toBe(3);
      expect(result.stderr).toBe(
        `exrelay: PowerShell did not answer within 1 s while running the init script ${init}\n`,
      );
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(readdirSync(folder)).toEqual(['Connect-Slow.ps1']);
    },
    SLOW,
  );

  it(
    'exits 3 without a snapshot when the permissions step does not answer within --timeout',
    () => {
      const folder = tempFolder('permissions-timeout');
      const init = join(folder, 'Connect-Hanging.ps1');
      writeFileSync(init, HANGING_EXCHANGE);
      const result = runSlowCli(['collect', '--init-script', init, '--timeout', '5', '--shell', pwsh], {
        cwd: folder,
      });
      expect(result.status).toBe(3);
      expect(result.stderr).toBe(
        'exrelay: PowerShell did not answer within 5 s while reading the permissions of connectors 1-2 of 2\n',
      );
      expect(readdirSync(folder)).toEqual(['Connect-Hanging.ps1']);
    },
    SLOW,
  );

  it(
    'stops PowerShell and exits 3 without a snapshot when exrelay gets SIGTERM or SIGINT during a hanging step',
    async () => {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        const folder = tempFolder(`interrupted-${signal}`);
        const init = join(folder, 'Connect-Hanging.ps1');
        const marker = join(folder, 'pwsh-pid.txt');
        // The hanging Get-ADPermission says which process runs it, so that the test can see it end.
        writeFileSync(
          init,
          HANGING_EXCHANGE.replace(
            'function Get-ADPermission([string] $Identity) {',
            `function Get-ADPermission([string] $Identity) { Set-Content -LiteralPath ${quotePsString(marker)} -Value $PID;`,
          ),
        );
        const child = spawn(
          process.execPath,
          [BIN, 'collect', '--init-script', init, '--timeout', '150', '--quiet', '--shell', pwsh],
          { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        const started = Date.now();
        while (!existsSync(marker) || readFileSync(marker, 'utf8').trim() === '') {
          if (Date.now() - started > 120_000) throw new Error(`Get-ADPermission never ran: ${stderr}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const pwshPid = Number(readFileSync(marker, 'utf8').trim());
        child.kill(signal);
        expect(await exited).toBe(3);
        expect(
          stderr
            .split('\n')
            .filter((line) => line.startsWith('exrelay: ') && !line.startsWith('exrelay: warning')),
        ).toEqual([
          `exrelay: collection interrupted (${signal}): PowerShell was stopped and nothing was written`,
        ]);
        // Node's default would have left PowerShell running its hung command, orphaned.
        expect(isRunning(pwshPid)).toBe(false);
        expect(readdirSync(folder).sort()).toEqual(['Connect-Hanging.ps1', 'pwsh-pid.txt']);
      }
    },
    SLOW,
  );

  it(
    '--local says so when this machine has no Exchange Management Shell',
    () => {
      const folder = tempFolder('local-missing');
      const result = runSlowCli(['collect', '--local', '--shell', pwsh], {
        cwd: folder,
        env: { ExchangeInstallPath: undefined },
      });
      expect(result.status).toBe(3);
      expect(result.stderr).toBe(
        'exrelay: PowerShell failed while loading the Exchange Management Shell: no Exchange Management Shell was found on this machine ($env:ExchangeInstallPath is not set); use --connection-uri or --init-script\n',
      );
    },
    SLOW,
  );

  it(
    '--local on a 2013+ server dot-sources RemoteExchange.ps1 and runs Connect-ExchangeServer -Auto',
    () => {
      // An Exchange install folder whose RemoteExchange.ps1 stands in for the real one: its Connect-ExchangeServer
      // records how it was called and loads the stand-in module.
      const folder = tempFolder('local-ems');
      const install = join(folder, 'Exchange Server', 'V15');
      mkdirSync(join(install, 'bin'), { recursive: true });
      const calls = join(folder, 'connect-calls.txt');
      writeFileSync(
        join(install, 'bin', 'RemoteExchange.ps1'),
        [
          'function Connect-ExchangeServer([switch] $Auto, [string] $ClientApplication) {',
          `    Add-Content -LiteralPath ${quotePsString(calls)} -Value "Auto=$Auto ClientApplication=$ClientApplication"`,
          ...loadScenarioCommands(scenarioPath('contoso-2010'))
            .split('\n')
            .map((line) => `    ${line}`),
          '}',
        ].join('\n'),
      );
      const out = join(folder, 'snapshot.json');
      const result = runSlowCli(['collect', '--local', '--out', out, '--shell', pwsh], {
        cwd: folder,
        env: { ExchangeInstallPath: `${install}/` },
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(readFileSync(calls, 'utf8')).toBe('Auto=True ClientApplication=ManagementShell\n');
      const snapshot = JSON.parse(readFileSync(out, 'utf8')) as Snapshot;
      expect(snapshot.source.method).toBe('local');
      expect(snapshot.connectors.map((connector) => connector.identity)).toEqual([
        'EX2010\\Default EX2010',
        'EX2010\\Client EX2010',
      ]);
    },
    SLOW,
  );

  it(
    '--connection-uri: a failed connection exits 3 with one line, writes nothing and never shows the password',
    () => {
      const folder = tempFolder('remote-fails');
      const password = 'Sommer2024!Geheim';
      const result = runSlowCli(
        [
          'collect',
          '--connection-uri',
          'http://127.0.0.1:9/PowerShell/',
          '--credential-user',
          'CONTOSO\\svc-exrelay',
          '--auth',
          'Negotiate',
          '--shell',
          pwsh,
        ],
        { cwd: folder, env: { EXRELAY_PASSWORD: password } },
      );
      expect(result.status).toBe(3);
      expect(result.stderr).toMatch(
        /^exrelay: PowerShell failed while connecting to http:\/\/127\.0\.0\.1:9\/PowerShell\/: .+\n$/,
      );
      expect(`${result.stdout}${result.stderr}`).not.toContain(password);
      expect(readdirSync(folder)).toEqual([]);
      expect(existsSync(join(folder, 'snapshot.json'))).toBe(false);
    },
    SLOW,
  );
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
