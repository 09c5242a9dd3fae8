<#
.SYNOPSIS
Registers a daily Windows scheduled task that runs `exrelay audit` against an Exchange organisation and keeps a
dated JSON report and the snapshot of every run.

.DESCRIPTION
The task runs, as the account given, once a day:

    exrelay audit --connection-uri <URI> --auth <Authentication> --format json
                  --output <ReportFolder>\exrelay-report-<yyyyMMdd-HHmmss>.json
                  --snapshot-dir <SnapshotFolder> [--baseline <BaselineFile>] [--fail-on <FailOn>]
                  [--fail-on-change <FailOnChange>] [--keep <Keep>] [--exceptions <ExceptionsFile>] --quiet

and ends with exrelay's exit code, which Task Scheduler shows as the last run result: 0 nothing to report,
1 findings at or above -FailOn or new or widened findings at or above -FailOnChange (findings an approved
exception accepts never count), 2 a bad option or exceptions file, 3 collection failed or partial (it wins over
1). Each report says what changed since the run before (docs/scheduled-audits.md). The account needs the Exchange RBAC role group
"View-Only Organization Management" and Kerberos access to the endpoint; no password is stored for exrelay
itself. Run this script on the management machine, in an elevated Windows PowerShell.

.PARAMETER ConnectionUri
The Exchange remote PowerShell endpoint, e.g. http://ex01.contoso.com/PowerShell/.

.PARAMETER ReportFolder
Where the dated reports go; created when missing.

.PARAMETER SnapshotFolder
Where the snapshots go; created when missing.

.PARAMETER BaselineFile
Compare every run with this snapshot (e.g. the state signed off after a review) instead of the run before.

.PARAMETER FailOn
Exit 1 when a finding is at or above this severity (exrelay's default: high, or none when -FailOnChange is given).

.PARAMETER FailOnChange
Exit 1 only when a finding at or above this severity is new or widened since the last run: the task alerts on
change, not on the known state.

.PARAMETER Keep
Keep only this many snapshots in -SnapshotFolder (exrelay removes only its own snapshot files).

.PARAMETER ExceptionsFile
Approved exceptions (YAML or JSON): accepted findings are listed but do not count toward the exit code.

.PARAMETER At
Time of day to run; default 06:00.

.PARAMETER Credential
The account the task runs as (Task Scheduler stores its password).

.PARAMETER GroupManagedServiceAccount
Run as a group managed service account instead (e.g. CONTOSO\gmsa-exrelay$): no password to store or rotate.

.PARAMETER ExrelayPath
The exrelay command; default: exrelay.cmd as npm installed it on PATH.

.EXAMPLE
.\Register-ExrelayAudit.ps1 -ConnectionUri http://ex01.contoso.com/PowerShell/ -ReportFolder D:\exrelay\reports -SnapshotFolder D:\exrelay\snapshots -GroupManagedServiceAccount 'CONTOSO\gmsa-exrelay$' -At 05:30

.EXAMPLE
.\Register-ExrelayAudit.ps1 -ConnectionUri http://ex01.contoso.com/PowerShell/ -ReportFolder D:\exrelay\reports -SnapshotFolder D:\exrelay\snapshots -GroupManagedServiceAccount 'CONTOSO\gmsa-exrelay$' -FailOnChange high -Keep 90 -ExceptionsFile D:\exrelay\exceptions.yaml
#>
[CmdletBinding(DefaultParameterSetName = 'Credential', SupportsShouldProcess = $true)]
param(
    [Parameter(Mandatory = $true)] [string] $ConnectionUri,
    [Parameter(Mandatory = $true)] [string] $ReportFolder,
    [Parameter(Mandatory = $true)] [string] $SnapshotFolder,
    [datetime] $At = '06:00',
    [Parameter(ParameterSetName = 'Credential', Mandatory = $true)] [pscredential] $Credential,
    [Parameter(ParameterSetName = 'Gmsa', Mandatory = $true)] [string] $GroupManagedServiceAccount,
    [ValidateSet('Kerberos', 'Negotiate', 'Default')] [string] $Authentication = 'Kerberos',
    [ValidateSet('critical', 'high', 'medium', 'low', 'info', 'none')] [string] $FailOn,
    [ValidateSet('critical', 'high', 'medium', 'low', 'info', 'none')] [string] $FailOnChange,
    [ValidateRange(1, 100000)] [int] $Keep,
    [string] $ExceptionsFile,
    [string] $BaselineFile,
    [string] $ExrelayPath,
    [string] $TaskName = 'exrelay audit'
)

$ErrorActionPreference = 'Stop'

# A PowerShell literal for the task's command line. It sits inside the double quotes of powershell.exe's
# -Command argument, where a double quote would end it and Task Scheduler would expand %VARIABLES%.
function ConvertTo-ExrelayTaskLiteral([string] $Value) {
    if ($Value -match '["%\r\n\x00]') {
        throw "cannot use '$Value' in the scheduled task's command line: it contains a double quote, a percent sign or a line break"
    }
    "'" + ($Value -replace "['\u2018\u2019\u201A\u201B]", '$0$0') + "'"
}

# What the task runs: powershell.exe, so that the report's file name gets the date of each run.
function New-ExrelayAuditAction {
    param(
        [Parameter(Mandatory = $true)] [string] $ExrelayPath,
        [Parameter(Mandatory = $true)] [string] $ConnectionUri,
        [Parameter(Mandatory = $true)] [string] $ReportFolder,
        [Parameter(Mandatory = $true)] [string] $SnapshotFolder,
        [string] $Authentication = 'Kerberos',
        [string] $FailOn,
        [string] $FailOnChange,
        [int] $Keep,
        [string] $ExceptionsFile,
        [string] $BaselineFile
    )
    # Options given only when asked for: exrelay's own defaults apply otherwise (--fail-on none with --fail-on-change).
    $options = @()
    if ($BaselineFile) { $options += '--baseline {0}' -f (ConvertTo-ExrelayTaskLiteral $BaselineFile) }
    if ($FailOn) { $options += '--fail-on {0}' -f (ConvertTo-ExrelayTaskLiteral $FailOn) }
    if ($FailOnChange) { $options += '--fail-on-change {0}' -f (ConvertTo-ExrelayTaskLiteral $FailOnChange) }
    if ($Keep -gt 0) { $options += '--keep {0}' -f (ConvertTo-ExrelayTaskLiteral ([string] $Keep)) }
    if ($ExceptionsFile) { $options += '--exceptions {0}' -f (ConvertTo-ExrelayTaskLiteral $ExceptionsFile) }
    $command = @(
        ('$report = Join-Path {0} (''exrelay-report-{{0}}.json'' -f (Get-Date -Format ''yyyyMMdd-HHmmss''))' -f (ConvertTo-ExrelayTaskLiteral $ReportFolder))
        ('& {0} audit --connection-uri {1} --auth {2} --format json --output $report --snapshot-dir {3}{4} --quiet' -f
            (ConvertTo-ExrelayTaskLiteral $ExrelayPath), (ConvertTo-ExrelayTaskLiteral $ConnectionUri),
            (ConvertTo-ExrelayTaskLiteral $Authentication), (ConvertTo-ExrelayTaskLiteral $SnapshotFolder),
            (($options | ForEach-Object { " $_" }) -join ''))
        'exit $LASTEXITCODE'
    ) -join '; '
    [pscustomobject]@{
        Execute  = 'powershell.exe'
        Argument = '-NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "{0}"' -f $command
    }
}

function Register-ExrelayAuditTask {
    if ($env:OS -ne 'Windows_NT') {
        throw 'Register-ExrelayAudit.ps1 registers a Windows scheduled task: run it on Windows.'
    }
    if (-not $ExrelayPath) {
        $found = Get-Command -Name 'exrelay.cmd' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $found) { throw 'exrelay.cmd was not found on PATH: install exrelay (npm install --global exrelay) or pass -ExrelayPath.' }
        $ExrelayPath = $found.Source
    }
    foreach ($folder in $ReportFolder, $SnapshotFolder) {
        if (-not (Test-Path -LiteralPath $folder)) { New-Item -ItemType Directory -Path $folder | Out-Null }
    }
    if ($ExceptionsFile) {
        if (-not (Test-Path -LiteralPath $ExceptionsFile -PathType Leaf)) {
            throw "the exceptions file '$ExceptionsFile' does not exist: write it first (exrelay exceptions init)."
        }
        # The task runs in the report folder: a relative path would name another file there.
        $ExceptionsFile = (Resolve-Path -LiteralPath $ExceptionsFile).ProviderPath
    }
    if ($BaselineFile) {
        if (-not (Test-Path -LiteralPath $BaselineFile -PathType Leaf)) {
            throw "the baseline '$BaselineFile' does not exist: name a snapshot exrelay wrote (exrelay collect, or one in the snapshot folder)."
        }
        $BaselineFile = (Resolve-Path -LiteralPath $BaselineFile).ProviderPath
    }
    $action = New-ExrelayAuditAction -ExrelayPath $ExrelayPath -ConnectionUri $ConnectionUri -ReportFolder $ReportFolder `
        -SnapshotFolder $SnapshotFolder -Authentication $Authentication -FailOn $FailOn -FailOnChange $FailOnChange `
        -Keep $Keep -ExceptionsFile $ExceptionsFile -BaselineFile $BaselineFile
    $task = @{
        TaskName    = $TaskName
        Description = "Daily exrelay audit of $ConnectionUri; reports in $ReportFolder, snapshots in $SnapshotFolder."
        Action      = New-ScheduledTaskAction -Execute $action.Execute -Argument $action.Argument -WorkingDirectory $ReportFolder
        Trigger     = New-ScheduledTaskTrigger -Daily -At $At
        Settings    = New-ScheduledTaskSettingsSet -StartWhenAvailable -MultipleInstances IgnoreNew -ExecutionTimeLimit (New-TimeSpan -Hours 4)
        Force       = $true
    }
    if ($PSCmdlet.ParameterSetName -eq 'Gmsa') {
        $task.Principal = New-ScheduledTaskPrincipal -UserId $GroupManagedServiceAccount -LogonType Password -RunLevel Limited
    }
    else {
        $task.User = $Credential.UserName
        $task.Password = $Credential.GetNetworkCredential().Password
        $task.RunLevel = 'Limited'
    }
    if ($PSCmdlet.ShouldProcess($TaskName, 'Register the daily exrelay audit task')) {
        Register-ScheduledTask @task | Out-Null
        Write-Host "Registered '$TaskName': daily at $($At.ToString('HH:mm')), reports in $ReportFolder."
    }
}

Register-ExrelayAuditTask
