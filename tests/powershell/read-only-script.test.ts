/**
 * The read-only guarantee of the collection script, checked with PowerShell's own parser: every command it
 * invokes (and everything it dot-sources) is a Get- command, one of its own functions, or a short list of safe
 * built-ins; nothing runs code by a computed name.
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startPowerShell, type PowerShellSession } from '../../src/collect/powershell-runner.js';
import { describeWithPwsh } from '../helpers/pwsh.js';
import { SNAPSHOT_SCRIPT, tempFolder } from './collect-support.js';

/** Built-ins that only shape, convert or print data, or write the script's own output file. */
const SAFE_COMMANDS = [
  'ConvertTo-Json',
  'Export-Clixml',
  'ForEach-Object',
  'Join-Path',
  'New-Object',
  'Select-Object',
  'Sort-Object',
  'Where-Object',
  'Write-Host',
  'Write-Progress',
  'Write-Verbose',
  'Write-Warning',
];

/** Method calls that run PowerShell code given as text. */
const CODE_RUNNING_METHODS = [
  'Invoke',
  'InvokeReturnAsIs',
  'InvokeScript',
  'NewScriptBlock',
  'AddScript',
  'AddCommand',
  'Create',
];

const CHECKER = String.raw`
param([string] $Path, [string] $Text, [string] $Folder, [string[]] $SafeCommands, [string[]] $CodeRunningMethods)
$ErrorActionPreference = 'Stop'
$violations = New-Object System.Collections.Generic.List[string]
$checked = New-Object System.Collections.Generic.HashSet[string]

function Test-ScriptAst($Ast, [string] $Where, [string] $BaseFolder) {
    $defined = @($Ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true) | ForEach-Object Name)
    foreach ($command in $Ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)) {
        $line = '{0}:{1}' -f $Where, $command.Extent.StartLineNumber
        $name = $command.GetCommandName()
        if ($command.InvocationOperator -eq 'Dot') {
            $target = $command.CommandElements[0]
            if ($target -isnot [System.Management.Automation.Language.StringConstantExpressionAst]) {
                $violations.Add("$line dot-sources a path that is computed: $($command.Extent.Text)")
                continue
            }
            Test-ScriptFile (Join-Path $BaseFolder $target.Value)
            continue
        }
        if (-not $name) { $violations.Add("$line invokes a command whose name is computed: $($command.Extent.Text)"); continue }
        if ($name -like 'Get-*' -or $SafeCommands -contains $name -or $defined -contains $name) { continue }
        $violations.Add("$line invokes $name")
    }
    foreach ($member in $Ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.InvokeMemberExpressionAst] }, $true)) {
        if ($CodeRunningMethods -contains $member.Member.Extent.Text) {
            $violations.Add(('{0}:{1} runs code by method: {2}' -f $Where, $member.Extent.StartLineNumber, $member.Extent.Text))
        }
    }
}

function Test-ScriptFile([string] $File) {
    if (-not $checked.Add($File)) { return }
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($File, [ref] $null, [ref] $errors)
    if ($errors) { $violations.Add("$File does not parse: $($errors[0].Message)"); return }
    Test-ScriptAst $ast (Split-Path -Leaf $File) (Split-Path -Parent $File)
}

if ($Path) { Test-ScriptFile $Path }
else {
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref] $null, [ref] $errors)
    Test-ScriptAst $ast 'inline' $Folder
}
ConvertTo-Json -Compress -InputObject @($violations)
`;

describeWithPwsh('the collection script is read-only (checked with the PowerShell parser)', (pwsh) => {
  let session: PowerShellSession;
  const folder = tempFolder('read-only');

  beforeAll(async () => {
    session = await startPowerShell({ executable: pwsh });
  });
  afterAll(async () => {
    await session.dispose();
  });

  async function violations(input: { Path: string } | { Text: string }): Promise<string[]> {
    const output = await session.run(CHECKER, {
      Path: '',
      Text: '',
      Folder: folder,
      SafeCommands: SAFE_COMMANDS,
      CodeRunningMethods: CODE_RUNNING_METHODS,
      ...input,
    });
    return JSON.parse(output) as string[];
  }

  it('Get-ExrelaySnapshot.ps1 invokes only Get- commands, its own functions and safe built-ins', async () => {
    expect(await violations({ Path: SNAPSHOT_SCRIPT })).toEqual([]);
  });

  it('and it does call the four Exchange cmdlets (the check looks at the real script)', async () => {
    const names = JSON.parse(
      await session.run(
        String.raw`param($Path)
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $null, [ref] $null)
        ConvertTo-Json -Compress -InputObject @($ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object { $_.GetCommandName() } | Where-Object { $_ -like 'Get-*' } | Sort-Object -Unique)`,
        { Path: SNAPSHOT_SCRIPT },
      ),
    ) as string[];
    expect(names).toEqual(
      expect.arrayContaining([
        'Get-ADPermission',
        'Get-AcceptedDomain',
        'Get-ExchangeServer',
        'Get-ReceiveConnector',
      ]),
    );
  });

  it.each([
    [
      'a Set- cmdlet',
      'Get-ReceiveConnector | Set-ReceiveConnector -RemoteIPRanges 0.0.0.0-255.255.255.255',
      'inline:1 invokes Set-ReceiveConnector',
    ],
    ['Invoke-Expression', "Invoke-Expression 'Get-ReceiveConnector'", 'inline:1 invokes Invoke-Expression'],
    [
      'a computed command name',
      "$verb = 'Remove'\n& \"$verb-ReceiveConnector\" -Identity 'EX01\\Relay'",
      'inline:2 invokes a command whose name is computed: & "$verb-ReceiveConnector" -Identity \'EX01\\Relay\'',
    ],
    [
      'code run by a method',
      "$ExecutionContext.InvokeCommand.InvokeScript('Remove-ADPermission x')",
      "inline:1 runs code by method: $ExecutionContext.InvokeCommand.InvokeScript('Remove-ADPermission x')",
    ],
    [
      'a scriptblock built from text',
      "[scriptblock]::Create('Set-ReceiveConnector')",
      "inline:1 runs code by method: [scriptblock]::Create('Set-ReceiveConnector')",
    ],
    ['a computed dot-source', '. $helper', 'inline:1 dot-sources a path that is computed: . $helper'],
  ])('reports %s', async (_what, text, expected) => {
    expect(await violations({ Text: text })).toEqual([expected]);
  });

  it('follows dot-sourced files and reports what they invoke', async () => {
    writeFileSync(
      join(folder, 'Helpers.ps1'),
      "function Get-Relay { Get-ReceiveConnector }\nRemove-ADPermission -Identity 'EX01\\Relay' -User S-1-5-7\n",
    );
    expect(await violations({ Text: '. ./Helpers.ps1\nGet-Relay' })).toEqual([
      'Helpers.ps1:2 invokes Remove-ADPermission',
    ]);
  });

  it('accepts a script that only reads and shapes data', async () => {
    expect(
      await violations({
        Text: 'Get-ReceiveConnector | Where-Object { $_.Enabled } | ForEach-Object { $_.Name } | Sort-Object',
      }),
    ).toEqual([]);
  });
});
