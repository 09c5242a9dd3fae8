<#
.SYNOPSIS
Makes the Exchange cmdlets that Get-ExrelaySnapshot.ps1 reads available in this PowerShell session, or closes
every remote session opened for that. exrelay collect and exrelay audit run it; it is not meant to be run by hand.

.DESCRIPTION
-ConnectionUri   New-PSSession to the Microsoft.Exchange endpoint, then Import-PSSession of only the Get- cmdlets
                 exrelay needs, so nothing else of Exchange exists in this session.
-Local           The Exchange Management Shell of this server: RemoteExchange.ps1 and Connect-ExchangeServer on
                 2013 and later, the snap-ins of exShell.psc1 on an Edge server, the E2010 snap-in on 2010, the
                 Admin snap-in on 2007.
-InitScript      The administrator's own set-up script, dot-sourced; functions and aliases it defines are made
                 global so that later runs see them.
-Disconnect      Removes every PSSession of this PowerShell process.

Each run of exrelay's PowerShell happens in its own scope: what must outlive it is global (modules, snap-ins and
PSSessions are global anyway).
#>
[CmdletBinding(DefaultParameterSetName = 'Remote')]
param(
    [Parameter(ParameterSetName = 'Remote', Mandatory = $true)] [string] $ConnectionUri,
    [Parameter(ParameterSetName = 'Remote')] [string] $Authentication = 'Kerberos',
    [Parameter(ParameterSetName = 'Remote')] [string] $UserName,
    [Parameter(ParameterSetName = 'Remote')] [string] $Password,
    [Parameter(ParameterSetName = 'Local', Mandatory = $true)] [switch] $Local,
    [Parameter(ParameterSetName = 'InitScript', Mandatory = $true)] [string] $InitScript,
    [Parameter(ParameterSetName = 'Disconnect', Mandatory = $true)] [switch] $Disconnect
)

$ErrorActionPreference = 'Stop'
$ExrelayExchangeCmdlets = @('Get-ExchangeServer', 'Get-ReceiveConnector', 'Get-ADPermission', 'Get-AcceptedDomain',
    # Where protocol logs are written (exrelay usage); Import-PSSession skips those the endpoint does not have.
    'Get-FrontendTransportService', 'Get-TransportService', 'Get-MailboxTransportService', 'Get-TransportServer')

function Connect-ExrelayRemote {
    $sessionParameters = @{
        ConfigurationName = 'Microsoft.Exchange'
        ConnectionUri     = $ConnectionUri
        Authentication    = $Authentication
    }
    if ($UserName) {
        if (-not $Password) { throw "no password was given for $UserName" }
        $secure = ConvertTo-SecureString -String $Password -AsPlainText -Force
        $sessionParameters.Credential = New-Object System.Management.Automation.PSCredential($UserName, $secure)
    }
    $session = New-PSSession @sessionParameters
    # Only these exist locally afterwards: the session cannot change anything in Exchange by mistake.
    $module = Import-PSSession -Session $session -CommandName $ExrelayExchangeCmdlets -AllowClobber -DisableNameChecking
    Import-Module -ModuleInfo $module -Global -DisableNameChecking
}

function Test-ExrelayRegistryKey([string] $Path) {
    # No HKLM: drive outside Windows.
    (Test-Path -Path 'HKLM:\') -and (Test-Path -Path $Path)
}

function Add-ExrelaySnapin([string] $Name) {
    if (-not (Get-Command -Name Add-PSSnapin -ErrorAction SilentlyContinue)) {
        throw "the Exchange snap-in $Name needs Windows PowerShell (powershell.exe), not PowerShell 7"
    }
    Add-PSSnapin -Name $Name
}

function Connect-ExrelayLocal {
    if (Get-Command -Name Get-ReceiveConnector -ErrorAction SilentlyContinue) { return }
    $installPath = $env:ExchangeInstallPath
    $isEdge = Test-ExrelayRegistryKey 'HKLM:\SOFTWARE\Microsoft\ExchangeServer\v15\EdgeTransportRole'
    if ($isEdge -and $installPath) {
        # An Edge server has no remote endpoint; its shell loads the snap-ins its console file lists.
        $consoleFile = [xml](Get-Content -LiteralPath (Join-Path $installPath 'Bin\exShell.psc1') -Raw)
        foreach ($snapin in $consoleFile.PSConsoleFile.PSSnapIns.PSSnapIn) { Add-ExrelaySnapin $snapin.Name }
        return
    }
    $remoteExchange = if ($installPath) { Join-Path (Join-Path $installPath 'bin') 'RemoteExchange.ps1' }
    if ($remoteExchange -and ($installPath -notmatch 'V14\\?$') -and (Test-Path -LiteralPath $remoteExchange)) {
        . $remoteExchange
        Connect-ExchangeServer -Auto -ClientApplication:ManagementShell
        return
    }
    if (($installPath -match 'V14\\?$') -or (Test-ExrelayRegistryKey 'HKLM:\SOFTWARE\Microsoft\ExchangeServer\v14')) {
        Add-ExrelaySnapin 'Microsoft.Exchange.Management.PowerShell.E2010'
        return
    }
    if (Test-ExrelayRegistryKey 'HKLM:\SOFTWARE\Microsoft\Exchange\v8.0') {
        Add-ExrelaySnapin 'Microsoft.Exchange.Management.PowerShell.Admin'
        return
    }
    throw 'no Exchange Management Shell was found on this machine ($env:ExchangeInstallPath is not set); use --connection-uri or --init-script'
}

function Invoke-ExrelayInitScript {
    $path = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($InitScript)
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) { throw "init script '$InitScript' was not found" }
    $functionsBefore = @{}
    foreach ($function in Get-ChildItem -Path function:) { $functionsBefore[$function.Name] = $true }
    $aliasesBefore = @{}
    foreach ($alias in Get-ChildItem -Path alias:) { $aliasesBefore[$alias.Name] = $true }
    try {
        . $path
    }
    catch {
        # The error as PowerShell shows it: ErrorDetails replaces the exception's message when set, and its
        # recommended action is the hint the administrator needs.
        $message = $_.Exception.Message
        if ($_.ErrorDetails -and $_.ErrorDetails.Message) { $message = $_.ErrorDetails.Message }
        if ($_.ErrorDetails -and $_.ErrorDetails.RecommendedAction) {
            $message = "$message`n$($_.ErrorDetails.RecommendedAction)"
        }
        throw "init script '$InitScript' failed: $message"
    }
    # Dot-sourced here, its own definitions live in this run's scope: publish them for the runs that follow.
    # What modules brought in is global already.
    foreach ($function in Get-ChildItem -Path function:) {
        if (-not $function.ModuleName -and -not $functionsBefore.ContainsKey($function.Name)) {
            Set-Item -Path "function:global:$($function.Name)" -Value $function.ScriptBlock
        }
    }
    foreach ($alias in Get-ChildItem -Path alias:) {
        if (-not $alias.ModuleName -and -not $aliasesBefore.ContainsKey($alias.Name)) {
            Set-Alias -Name $alias.Name -Value $alias.Definition -Scope Global
        }
    }
}

function Disconnect-ExrelaySessions {
    foreach ($session in @(Get-PSSession)) {
        try { Remove-PSSession -Session $session }
        catch { Write-Warning "could not close PowerShell session $($session.Name) to $($session.ComputerName): $($_.Exception.Message)" }
    }
}

switch ($PSCmdlet.ParameterSetName) {
    'Remote' { Connect-ExrelayRemote }
    'Local' { Connect-ExrelayLocal }
    'InitScript' { Invoke-ExrelayInitScript }
    'Disconnect' { Disconnect-ExrelaySessions }
}
