/**
 * `exrelay whatif` as a user runs it: real pwsh parses the script, which is never run (a script that would write
 * files, start a process or call out is reviewed and leaves no trace); exit codes 0, 1 and 2; every format.
 */

import { existsSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { describeWithPwsh } from '../helpers/pwsh.js';
import { runCli } from '../support/run-cli.js';

describeWithPwsh('exrelay whatif (through real PowerShell)', (pwsh) => {
  const folder = mkdtempSync(join(tmpdir(), 'exrelay-whatif-'));
  const env = { PATH: `${process.env.PATH ?? ''}:${join(pwsh, '..')}` };

  it('never runs the script, not even partly: nothing it would create exists afterwards', () => {
    const canaries = [
      'created-by-new-item',
      'created-by-dotnet',
      'created-by-param-default',
      'created-by-begin',
    ].map((name) => join(folder, name));
    const script = join(folder, 'hostile-change.ps1');
    writeFileSync(
      script,
      [
        `param([string] $Marker = $(New-Item -ItemType File -Path '${canaries[2]}'))`,
        `begin { Set-Content -Path '${canaries[3]}' -Value 'ran' }`,
        'end {',
        `  New-Item -ItemType File -Path '${canaries[0]}'`,
        `  [System.IO.File]::WriteAllText('${canaries[1]}', 'ran')`,
        "  Start-Process -FilePath 'sh' -ArgumentList '-c', 'touch /tmp/exrelay-should-not-exist'",
        "  Invoke-WebRequest -Uri 'http://127.0.0.1:9/exrelay'",
        "  Set-ReceiveConnector 'EX02\\Relay Printers' -RemoteIPRanges 10.10.20.31",
        '}',
      ].join('\n'),
    );
    const result = runCli(
      ['whatif', script, '--against', 'fixtures/orgs/fabrikam-2019', '--format', 'json', '--shell', pwsh],
      { env },
    );
    for (const canary of canaries) expect([canary, existsSync(canary)]).toEqual([canary, false]);
    // Incomplete (the lines that would run things are not evaluated): fails closed.
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.change.complete).toBe(false);
    expect(report.change.notEvaluated.map((item: { line: number }) => item.line)).toEqual([1, 2, 4, 5, 6, 7]);
    expect(report.change.commands).toHaveLength(1);
    expect(report.change.commands[0].effects[0].kind).toBe('ranges-dropped');
  });

  it('exits 1 when the review is incomplete, however harmless the rest is; 0 with --allow-incomplete', () => {
    const args = ['whatif', 'fixtures/changes/not-evaluated.ps1', '--against', 'fixtures/orgs/sample'];
    const incomplete = runCli([...args, '--format', 'json', '--shell', pwsh]);
    expect(JSON.parse(incomplete.stdout).summary.regressions).toBe(0);
    expect(JSON.parse(incomplete.stdout).change.complete).toBe(false);
    expect(incomplete.status).toBe(1);
    expect(JSON.parse(incomplete.stdout).change.incompleteFails).toBe(true);
    const text = runCli([...args, '--shell', pwsh]);
    expect(text.stdout).toMatch(/Exit code: 1: the review is incomplete \(\d+ statements? not evaluated/);
    const allowed = runCli([...args, '--allow-incomplete', '--shell', pwsh]);
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toMatch(/Exit code: 0: nothing introduced or widened at or above high\./);
    // A complete review that introduces nothing still exits 0.
    const complete = runCli([
      'whatif',
      'fixtures/changes/dedicated-relay-connector.ps1',
      '--against',
      'fixtures/orgs/fabrikam-2019',
      '--shell',
      pwsh,
    ]);
    expect(complete.status).toBe(0);
  });

  it('exits 1 when the change introduces a finding at or above --fail-on, 0 with --fail-on none', () => {
    const bad = [
      'whatif',
      'fixtures/changes/default-frontend-opened.ps1',
      '--against',
      'fixtures/orgs/fabrikam-2019',
      '--shell',
      pwsh,
    ];
    const table = runCli(bad, { env });
    expect(table.status).toBe(1);
    expect(table.stdout).toContain('CRITICAL default-connector-relay on EX02\\Default Frontend EX02');
    expect(table.stdout).toContain('Exit code: 1');
    expect(runCli([...bad, '--fail-on', 'none'], { env }).status).toBe(0);
    const markdown = runCli([...bad, '--format', 'markdown'], { env });
    expect(markdown.stdout).toContain('# Pre-change review: `fixtures/changes/default-frontend-opened.ps1`');
    expect(markdown.stdout).toContain('| 2 | Add-ADPermission | EX02\\Default Frontend EX02 | applied |');
    const csv = runCli([...bad, '--format', 'csv'], { env });
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'change,severityBefore,severityAfter,checkId,connector,fingerprint,detail',
    );
    expect(csv.stdout).toContain('introduced,,critical,default-connector-relay,EX02\\Default Frontend EX02,');
  });

  it('exits 0 for the documented dedicated relay connector', () => {
    const good = runCli(
      [
        'whatif',
        'fixtures/changes/dedicated-relay-connector.ps1',
        '--against',
        'fixtures/orgs/fabrikam-2019',
        '--shell',
        pwsh,
      ],
      { env },
    );
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    expect(good.stdout).toContain("creates 'EX02\\Relay Copiers'");
  });

  it('reads the script as PowerShell would: a byte order mark decides, UTF-8 without one', () => {
    const script = [
      '# CHG-2232: Drucker im 3. Stock',
      'New-ReceiveConnector -Name "Relay Drücker" -Server EX02 -TransportRole FrontendTransport -Custom -Bindings 0.0.0.0:25 -RemoteIPRanges 10.30.5.21',
      '',
    ].join('\r\n');
    const encodings: Array<[string, Buffer]> = [
      ['utf8.ps1', Buffer.from(script, 'utf8')],
      ['utf8-bom.ps1', Buffer.from(`\uFEFF${script}`, 'utf8')],
      ['utf16le.ps1', Buffer.from(`\uFEFF${script}`, 'utf16le')],
    ];
    const outputs = encodings.map(([name, bytes]) => {
      const file = join(folder, name);
      writeFileSync(file, bytes);
      const run = runCli(['whatif', file, '--against', 'fixtures/orgs/fabrikam-2019', '--shell', pwsh], {
        env,
      });
      expect(run.stderr).toBe('');
      return run.stdout.replace(file, 'SCRIPT');
    });
    expect(outputs[0]).toContain("creates 'EX02\\Relay Drücker'");
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
  });

  it('refuses a script too large to be a change script before reading it', () => {
    const huge = join(folder, 'huge.ps1');
    writeFileSync(huge, '');
    truncateSync(huge, 8 * 1024 * 1024 + 1);
    const run = runCli(['whatif', huge, '--against', 'fixtures/orgs/sample', '--shell', pwsh], { env });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`exrelay: ${huge}: larger than 8 MiB; not a change script\n`);
  });

  it('exits 2 with one line for a missing script, a syntax error or unreadable inputs', () => {
    const missing = runCli(
      ['whatif', join(folder, 'nope.ps1'), '--against', 'fixtures/orgs/sample', '--shell', pwsh],
      { env },
    );
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.ps1: no such file or folder\n$/);
    const broken = join(folder, 'broken.ps1');
    writeFileSync(broken, "Set-ReceiveConnector 'EX01\\Relay' -RemoteIPRanges @{Add='10.0.0.1'\n");
    const syntax = runCli(['whatif', broken, '--against', 'fixtures/orgs/sample', '--shell', pwsh], { env });
    expect(syntax.status).toBe(2);
    expect(syntax.stderr.trim().split('\n')).toHaveLength(1);
    expect(syntax.stderr).toMatch(/broken\.ps1: line 1, column \d+: .*not valid PowerShell/);
    const inputs = runCli(['whatif', broken, '--against', join(folder, 'absent')], { env });
    expect(inputs.status).toBe(2);
  });
});
