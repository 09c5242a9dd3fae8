/**
 * Register-ExrelayAudit.ps1's pure part: the command line of the scheduled task. Registering needs Windows; the
 * command line is built and run here, with a stand-in for exrelay that records the arguments it receives.
 */

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startPowerShell, type PowerShellSession } from '../../src/collect/powershell-runner.js';
import { quotePsString } from '../../src/powershell/quote.js';
import { ROOT } from '../support/run-cli.js';
import { describeWithPwsh } from '../helpers/pwsh.js';
import { tempFolder } from './collect-support.js';

const REGISTER_SCRIPT = join(ROOT, 'scripts', 'Register-ExrelayAudit.ps1');

/** Defines the script's functions without running it (it would register a task). */
const LOAD_FUNCTIONS = String.raw`
param($Path)
$ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $null, [ref] $null)
foreach ($function in $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $false)) {
    if ($function.Name -ne 'Register-ExrelayAuditTask') { . ([scriptblock]::Create($function.Extent.Text.Replace('function ', 'function global:'))) }
}`;

describeWithPwsh('Register-ExrelayAudit.ps1: the scheduled task command line', (pwsh) => {
  let session: PowerShellSession;
  beforeAll(async () => {
    session = await startPowerShell({ executable: pwsh });
    await session.run(LOAD_FUNCTIONS, { Path: REGISTER_SCRIPT });
  });
  afterAll(async () => {
    await session.dispose();
  });

  async function action(values: Record<string, string>): Promise<{ Execute: string; Argument: string }> {
    return JSON.parse(
      await session.run(
        'param($Values) ConvertTo-Json -Compress -InputObject (New-ExrelayAuditAction @Values)',
        { Values: values },
      ),
    ) as { Execute: string; Argument: string };
  }

  it('runs powershell.exe with one -Command that quotes every value', async () => {
    const built = await action({
      ExrelayPath: 'C:\\Users\\svc-exrelay\\AppData\\Roaming\\npm\\exrelay.cmd',
      ConnectionUri: 'http://ex01.contoso.com/PowerShell/',
      ReportFolder: 'D:\\exrelay\\reports',
      SnapshotFolder: 'D:\\exrelay\\snapshots',
    });
    expect(built.Execute).toBe('powershell.exe');
    expect(built.Argument).toBe(
      '-NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "' +
        "$report = Join-Path 'D:\\exrelay\\reports' ('exrelay-report-{0}.json' -f (Get-Date -Format 'yyyyMMdd-HHmmss')); " +
        "& 'C:\\Users\\svc-exrelay\\AppData\\Roaming\\npm\\exrelay.cmd' audit --connection-uri 'http://ex01.contoso.com/PowerShell/' --auth 'Kerberos' --format json --output $report --snapshot-dir 'D:\\exrelay\\snapshots' --quiet; " +
        'exit $LASTEXITCODE"',
    );
  });

  it('adds the history and exceptions options only when they are given', async () => {
    const built = await action({
      ExrelayPath: 'exrelay.cmd',
      ConnectionUri: 'http://ex01.contoso.com/PowerShell/',
      ReportFolder: 'D:\\exrelay\\reports',
      SnapshotFolder: 'D:\\exrelay\\snapshots',
      FailOnChange: 'high',
      Keep: '90',
      ExceptionsFile: "D:\\exrelay\\O'Brien exceptions.yaml",
      BaselineFile: 'D:\\exrelay\\signed-off.json',
    });
    expect(built.Argument).toContain(
      "--snapshot-dir 'D:\\exrelay\\snapshots' --baseline 'D:\\exrelay\\signed-off.json' --fail-on-change 'high' --keep '90' --exceptions 'D:\\exrelay\\O''Brien exceptions.yaml' --quiet; ",
    );
    expect(built.Argument).not.toContain('--fail-on ');
  });

  it('passes folders and files with quotes, spaces and PowerShell syntax through exactly (history, baseline, keep, exceptions), runs exrelay and returns its exit code', async () => {
    const folder = tempFolder('register-audit');
    const reports = join(folder, "O'Brien's reports");
    const snapshots = join(folder, 'snap shots ‘quoted’');
    // Values a shell would act on, were they not data: a subexpression, a variable, a statement separator.
    const exceptions = join(folder, "exceptions $(Remove-Item x); $HOME 'it'.yaml");
    const baseline = join(folder, 'baseline `n ‛signed‚ off’.json');
    const recorded = join(folder, 'arguments.json');
    const standIn = join(folder, 'exrelay-stand-in.ps1');
    writeFileSync(
      standIn,
      `ConvertTo-Json -InputObject $args | Set-Content -LiteralPath ${quotePsString(recorded)}\nexit 1\n`,
    );
    const built = await action({
      ExrelayPath: standIn,
      ConnectionUri: 'http://ex01.contoso.com/PowerShell/',
      ReportFolder: reports,
      SnapshotFolder: snapshots,
      Authentication: 'Negotiate',
      FailOn: 'medium',
      FailOnChange: 'high',
      Keep: '30',
      ExceptionsFile: exceptions,
      BaselineFile: baseline,
    });
    // Task Scheduler hands powershell.exe the text between the quotes as the -Command argument.
    const command = /^-NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "(.*)"$/.exec(
      built.Argument,
    )?.[1];
    expect(command).toBeDefined();
    const run = spawnSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', command as string], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const args = JSON.parse(readFileSync(recorded, 'utf8')) as string[];
    expect(args).toEqual([
      'audit',
      '--connection-uri',
      'http://ex01.contoso.com/PowerShell/',
      '--auth',
      'Negotiate',
      '--format',
      'json',
      '--output',
      expect.stringMatching(/exrelay-report-\d{8}-\d{6}\.json$/),
      '--snapshot-dir',
      snapshots,
      '--baseline',
      baseline,
      '--fail-on',
      'medium',
      '--fail-on-change',
      'high',
      '--keep',
      '30',
      '--exceptions',
      exceptions,
      '--quiet',
    ]);
    expect(args[8]?.startsWith(join(reports, 'exrelay-report-'))).toBe(true);
    expect(readdirSync(folder).sort()).toEqual(['arguments.json', 'exrelay-stand-in.ps1']);
  });

  it.each([
    ['a double quote', 'D:\\exrelay\\"reports"'],
    ['a percent sign', 'D:\\%USERNAME%\\reports'],
    ['a line break', 'D:\\exrelay\nreports'],
  ])('refuses a value with %s, which the task command line cannot hold', async (_what, reportFolder) => {
    await expect(
      action({
        ExrelayPath: 'exrelay.cmd',
        ConnectionUri: 'http://ex01/PowerShell/',
        ReportFolder: reportFolder,
        SnapshotFolder: 'D:\\s',
      }),
    ).rejects.toThrow("PowerShell failed: cannot use 'D:\\");
  });

  it('refuses to register anything outside Windows', async () => {
    const register = session.run(
      'param($Path) & $Path -ConnectionUri http://ex01/PowerShell/ -ReportFolder /tmp/r -SnapshotFolder /tmp/s -GroupManagedServiceAccount CONTOSO\\gmsa-exrelay$',
      { Path: REGISTER_SCRIPT },
    );
    await expect(register).rejects.toThrow(
      'PowerShell failed: Register-ExrelayAudit.ps1 registers a Windows scheduled task: run it on Windows.',
    );
  });
});
