#Requires -Version 7.5
<#
.SYNOPSIS
Tests of the ExchangeSim module and of the committed fixtures. Plain PowerShell (Pester is not available
offline); exits 1 when any case fails.

.EXAMPLE
pwsh -NoProfile -File tests/powershell/ExchangeSim.Tests.ps1
#>
[CmdletBinding()]
param(
    # Regenerating all fixtures takes about half a minute.
    [switch] $SkipFixtureRegeneration
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$repository = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..'))
$scenarios = Join-Path $repository 'fixtures' 'scenarios'
Import-Module (Join-Path $repository 'fixtures' 'ExchangeSim' 'ExchangeSim.psd1') -Force

$script:Failures = [System.Collections.Generic.List[string]]::new()
$script:Passed = 0

function Test-Case {
    param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [scriptblock] $Body)
    try {
        & $Body
        $script:Passed++
        Write-Host "  ok    $Name"
    }
    catch {
        $script:Failures.Add("$Name`n        $($_.Exception.Message)")
        Write-Host "  FAIL  $Name`n        $($_.Exception.Message)" -ForegroundColor Red
    }
}

function Assert-Equal {
    param($Expected, $Actual, [string] $Because = 'values differ')
    if (-not [object]::Equals($Expected, $Actual) -and "$Expected" -cne "$Actual") {
        throw "${Because}: expected '$Expected', got '$Actual'."
    }
}

function Assert-True {
    param([bool] $Condition, [string] $Because)
    if (-not $Condition) { throw $Because }
}

# Runs the block and returns the terminating error it raised.
function Assert-Throws {
    param([Parameter(Mandatory)] [scriptblock] $Body, [string] $Because = 'expected an error')
    try { & $Body } catch { return $_ }
    throw $Because
}

function Use-Scenario {
    param([Parameter(Mandatory)] [string] $Name, [string] $ConnectedServer)
    $arguments = @{ Path = (Join-Path $scenarios "$Name.json") }
    if ($ConnectedServer) { $arguments.ConnectedServer = $ConnectedServer }
    Import-ExchangeSimScenario @arguments
}

# Whether these ACEs (all of one principal) let it relay: an allow of Accept-Any-Recipient and no explicit deny.
function Test-RelayAllowed {
    param([object[]] $Aces)
    $relay = $Aces | Where-Object { "$($_.ExtendedRights)" -eq 'ms-Exch-SMTP-Accept-Any-Recipient' }
    $allowed = $relay | Where-Object { -not $_.Deny.IsPresent } | Select-Object -First 1
    $denied = $relay | Where-Object { $_.Deny.IsPresent -and -not $_.IsInherited } | Select-Object -First 1
    [bool]$allowed -and -not $denied
}

Write-Host 'Cmdlets'

Test-Case 'Get-ReceiveConnector | Get-ADPermission returns one object per ACE of every connector' {
    Use-Scenario contoso-2010
    $piped = @(Get-ReceiveConnector | Get-ADPermission)
    $oneByOne = @(foreach ($connector in Get-ReceiveConnector) { Get-ADPermission -Identity "$($connector.Identity)" })
    Assert-Equal $oneByOne.Count $piped.Count 'piped and one-by-one ACE counts'
    Assert-Equal 2 @($piped.Identity | ForEach-Object ToString | Sort-Object -Unique).Count 'connectors covered'
    $extended = @($piped | Where-Object ExtendedRights)
    Assert-True (@($extended | Where-Object { @($_.ExtendedRights).Count -ne 1 }).Count -eq 0) 'an extended-right ACE names exactly one right'
    Assert-True (@($piped | Where-Object { -not $_.ExtendedRights -and "$($_.AccessRights)" -eq 'ExtendedRight' }).Count -eq 0) 'ExtendedRight ACEs carry their right'
    Assert-True (@($piped | Where-Object IsInherited).Count -gt 0) 'inherited ACEs are returned too'
}

Test-Case 'Get-ADPermission accepts connectors by value and identity strings, and takes Identity by property name' {
    Use-Scenario fabrikam-2019
    $byValue = @(Get-ReceiveConnector 'EX01\App Relay' | Get-ADPermission)
    $byString = @(Get-ADPermission 'EX01\App Relay')
    $byPropertyName = @([pscustomobject]@{ Identity = 'EX01\App Relay' } | Get-ADPermission)
    Assert-True ($byValue.Count -gt 0) 'ACEs returned'
    Assert-Equal $byValue.Count $byString.Count 'by value vs by string'
    Assert-Equal $byValue.Count $byPropertyName.Count 'by value vs by property name'
}

Test-Case 'Get-ReceiveConnector finds a connector by unique name, by SERVER\Name and by -Server from the pipeline' {
    Use-Scenario fabrikam-2019
    Assert-Equal 'EX01\App Relay' "$((Get-ReceiveConnector 'App Relay').Identity)" 'by name'
    Assert-Equal 'EX02\Relay Printers' "$((Get-ReceiveConnector 'EX02\Relay Printers').Identity)" 'by SERVER\Name'
    Assert-Equal 9 @(Get-ReceiveConnector).Count 'without parameters: the connected server (EX01) only'
    Assert-Equal 15 @(Get-ExchangeServer | Get-ReceiveConnector).Count 'servers piped to -Server'
    Assert-Equal 6 @(Get-ReceiveConnector -Server EX02).Count '-Server EX02'
}

Test-Case 'an unknown or ambiguous identity fails like Exchange' {
    Use-Scenario fabrikam-2019
    $missing = Assert-Throws { Get-ReceiveConnector 'EX01\Relay Scanners' } 'unknown connector'
    Assert-Equal "The operation couldn't be performed because object 'EX01\Relay Scanners' couldn't be found on 'FABDC01.corp.fabrikam.com'." $missing.Exception.Message 'message'
    Assert-Equal 'ObjectNotFound' $missing.CategoryInfo.Category 'category'
    Assert-True $missing.FullyQualifiedErrorId.StartsWith('ManagementObjectNotFoundException,Microsoft.Exchange.Management.SystemConfigurationTasks.GetReceiveConnector') "error id $($missing.FullyQualifiedErrorId)"
    $ambiguous = Assert-Throws { Get-ReceiveConnector 'Relay Printers' } 'same-named connectors'
    Assert-Equal "The operation couldn't be performed because 'Relay Printers' matches multiple entries." $ambiguous.Exception.Message 'ambiguous message'
    $server = Assert-Throws { Get-ExchangeServer EX03 } 'unknown server'
    Assert-True ($server.Exception.Message -like "*object 'EX03' couldn't be found*") 'server message'
}

Test-Case 'an ACL read failure is a non-terminating error and the other connectors still answer' {
    Use-Scenario sample
    $failures = $null
    $aces = @(Get-ReceiveConnector -Server PWEX02 | Get-ADPermission -ErrorAction SilentlyContinue -ErrorVariable failures)
    Assert-Equal 1 @($failures).Count 'errors'
    Assert-True ($failures[0].Exception.Message -like 'Active Directory operation failed on PWDC01.proseware.com.*INSUFF_ACCESS_RIGHTS*') 'error text from the scenario'
    Assert-Equal 'PWEX02\Relay Archive' $failures[0].TargetObject 'error target'
    Assert-Equal 0 @($aces | Where-Object { "$($_.Identity)" -eq 'PWEX02\Relay Archive' }).Count 'no ACEs for the failed connector'
    Assert-Equal 7 @($aces.Identity | ForEach-Object ToString | Sort-Object -Unique).Count 'the seven readable connectors answered'
}

Test-Case 'EXCHANGESIM_SCENARIO selects the scenario at import' {
    $env:EXCHANGESIM_SCENARIO = Join-Path $scenarios 'litware-edge.json'
    try {
        Import-Module (Join-Path $repository 'fixtures' 'ExchangeSim' 'ExchangeSim.psd1') -Force
        $server = Get-ExchangeServer
        Assert-Equal 'EDGE01' $server.Name 'server of the scenario named by the variable'
        Assert-Equal 'Version 15.1 (Build 2507.6)' "$($server.AdminDisplayVersion)" 'AdminDisplayVersion'
        Assert-Equal 'Edge' "$($server.ServerRole)" 'ServerRole'
    }
    finally {
        Remove-Item Env:EXCHANGESIM_SCENARIO
    }
}

Write-Host 'Principals and -User'

Test-Case '-User matches by SID string and by the name the server prints' {
    Use-Scenario contoso-2010
    $bySid = @(Get-ADPermission 'Default EX2010' -User S-1-5-7)
    $byName = @(Get-ADPermission 'Default EX2010' -User 'NT AUTHORITY\ANONYMOUS LOGON')
    Assert-Equal 5 $bySid.Count 'anonymous ACEs (four of the group, one added relay right)'
    Assert-Equal $bySid.Count $byName.Count 'by name'
    Assert-True (Test-RelayAllowed $bySid) 'ANONYMOUS LOGON holds Accept-Any-Recipient'
    Assert-Equal 9 @(Get-ADPermission 'Default EX2010' -User 'MS Exchange\Externally Secured Servers').Count 'an Exchange alias resolves to its SID'
}

Test-Case 'a German server prints German names, exposes no SIDs, and does not know the English name' {
    Use-Scenario tailspin-de
    $aces = @(Get-ADPermission 'Empfang Drucker Büro' -User 'NT-AUTORITÄT\ANONYMOUS-ANMELDUNG')
    Assert-Equal 5 $aces.Count 'anonymous ACEs by German name'
    Assert-Equal 'NT-AUTORITÄT\ANONYMOUS-ANMELDUNG' "$($aces[0].User)" 'printed name'
    Assert-Equal $null $aces[0].User.SecurityIdentifier 'no SID when sidsResolved is false'
    Assert-Equal 5 @(Get-ADPermission 'Empfang Drucker Büro' -User S-1-5-7).Count 'a SID still works'
    $english = Assert-Throws { Get-ADPermission 'Empfang Drucker Büro' -User 'NT AUTHORITY\ANONYMOUS LOGON' } 'English name on German server'
    Assert-Equal 'User or group "NT AUTHORITY\ANONYMOUS LOGON" wasn''t found. Please make sure you''ve typed it correctly.' $english.Exception.Message 'message'
    $inherited = Get-ADPermission 'Empfang Drucker Büro' | Where-Object IsInherited | Select-Object -First 1
    Assert-Equal 'NT-AUTORITÄT\SYSTEM' "$($inherited.User)" 'inherited SYSTEM ACE in German'
    Assert-True (@(Get-ADPermission 'Empfang Drucker Büro' | Where-Object { "$($_.User)" -eq 'TAILSPIN\Organisations-Admins' }).Count -eq 1) 'Enterprise Admins in the forest''s language'
}

Test-Case 'the account names follow the server the shell is connected to' {
    Use-Scenario woodgrove-extsec -ConnectedServer WGEX01
    Assert-Equal 'NT AUTHORITY\ANONYMOUS LOGON' "$((Get-ADPermission 'Relais Anonyme Imprimantes' -User S-1-5-7)[0].User)" 'English server'
    Use-Scenario woodgrove-extsec
    $french = @(Get-ADPermission 'Relais Anonyme Imprimantes')
    Assert-Equal 'AUTORITE NT\ANONYMOUS LOGON' "$(($french | Where-Object { $_.User.SecurityIdentifier.Value -eq 'S-1-5-7' })[0].User)" 'French server'
    Assert-True (@($french | Where-Object { "$($_.User)" -eq 'AUTORITE NT\Système' }).Count -eq 1) 'SYSTEM in French'
    Assert-True (@(Get-ADPermission 'Externally Secured Mainframe' | Where-Object { "$($_.User)" -eq 'MS Exchange\Externally Secured Servers' }).Count -eq 9) 'Exchange aliases are never translated'
}

Test-Case 'a trustee whose SID does not translate prints as the SID' {
    Use-Scenario sample
    $orphan = @(Get-ADPermission 'Relay Branch Offices' | Where-Object { "$($_.User)" -eq 'S-1-5-21-3180365339-800773672-3767752645-3307' })
    Assert-Equal 1 $orphan.Count 'orphaned SID ACE'
    Assert-Equal 'S-1-5-21-3180365339-800773672-3767752645' "$($orphan[0].User.SecurityIdentifier.AccountDomainSid)" 'AccountDomainSid'
}

Write-Host 'Permission groups as Exchange computes them'

Test-Case 'PermissionGroups gains Custom when a group principal holds more than its set' {
    Use-Scenario contoso-2010
    Assert-Equal 'AnonymousUsers, ExchangeUsers, ExchangeServers, ExchangeLegacyServers, Custom' "$((Get-ReceiveConnector 'Default EX2010').PermissionGroups)" 'Default EX2010'
    Assert-Equal 'ExchangeUsers' "$((Get-ReceiveConnector 'Client EX2010').PermissionGroups)" 'Client EX2010'
}

Test-Case 'Custom also comes from another principal with a non-standard set, not from inherited ACEs' {
    Use-Scenario sample
    Assert-Equal 'AnonymousUsers, Custom' "$((Get-ReceiveConnector 'Relay Monitoring').PermissionGroups)" 'Everyone holding Accept-Any-Recipient'
    Assert-Equal 'AnonymousUsers' "$((Get-ReceiveConnector 'Inbound From Mail Filter').PermissionGroups)" 'inherited GenericAll ACEs do not count'
}

Test-Case 'an explicit deny cancels an allow; an explicit allow beats an inherited deny' {
    Use-Scenario tailspin-de
    $cases = @{
        'Relais Scanner Lager'        = @{ Groups = 'AnonymousUsers'; Relay = $false }
        'Relais Altanwendung'         = @{ Groups = 'AnonymousUsers'; Relay = $false }
        'Empfang Kopierer Verwaltung' = @{ Groups = 'AnonymousUsers, Custom'; Relay = $true }
    }
    foreach ($name in $cases.Keys) {
        Assert-Equal $cases[$name].Groups "$((Get-ReceiveConnector $name).PermissionGroups)" "PermissionGroups of $name"
        $aces = @(Get-ADPermission $name -User S-1-5-7)
        Assert-Equal $cases[$name].Relay (Test-RelayAllowed $aces) "anonymous relay on $name"
    }
    $denyFirst = @(Get-ADPermission 'Relais Scanner Lager')[0]
    Assert-True ($denyFirst.Deny.IsPresent -and -not $denyFirst.IsInherited) 'explicit deny ACEs come first (canonical order)'
}

Test-Case 'ExchangeLegacyServers writes explicit deny ACEs for the forest and organisation headers' {
    Use-Scenario fabrikam-2019
    $denies = @(Get-ADPermission 'EX01\Default EX01' | Where-Object { $_.Deny.IsPresent })
    Assert-Equal 'ms-Exch-Accept-Headers-Forest,ms-Exch-Accept-Headers-Organization' (($denies | ForEach-Object { "$($_.ExtendedRights)" } | Sort-Object) -join ',') 'denied rights'
    Assert-True (@($denies | Where-Object { "$($_.User)" -ne 'FABRIKAM\ExchangeLegacyInterop' }).Count -eq 0) 'denied to ExchangeLegacyInterop'
}

Write-Host 'Shapes and type names'

Test-Case 'objects carry Exchange''s type names' {
    Use-Scenario fabrikam-2019
    $connector = Get-ReceiveConnector 'App Relay'
    Assert-Equal 'Microsoft.Exchange.Data.Directory.SystemConfiguration.ReceiveConnector' $connector.PSObject.TypeNames[0] 'connector'
    Assert-Equal 'Microsoft.Exchange.Data.Directory.SystemConfiguration.ADConfigurationObject' $connector.PSObject.TypeNames[1] 'connector base'
    Assert-Equal 'Microsoft.Exchange.Data.MultiValuedProperty`1[[Microsoft.Exchange.Data.IPRange, Microsoft.Exchange.Data, Version=15.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35]]' $connector.RemoteIPRanges.PSObject.TypeNames[0] 'RemoteIPRanges'
    Assert-Equal 'Microsoft.Exchange.Data.PermissionGroups' $connector.PermissionGroups.GetType().FullName 'PermissionGroups enum'
    Assert-Equal 16384 ([int]$connector.TransportRole) 'FrontendTransport value'
    $ace = Get-ADPermission 'App Relay' | Select-Object -First 1
    Assert-Equal 'Microsoft.Exchange.Management.RecipientTasks.ADAcePresentationObject' $ace.PSObject.TypeNames[0] 'ACE'
    Assert-Equal 'System.Management.Automation.SwitchParameter' $ace.Deny.GetType().FullName 'Deny'
    Assert-Equal 'System.DirectoryServices.ActiveDirectoryRights[]' $ace.AccessRights.GetType().FullName 'AccessRights'
    Assert-Equal 'System.Security.Principal.SecurityIdentifier' $ace.User.SecurityIdentifier.PSObject.TypeNames[0] 'SID'
    Assert-Equal 'EX01\App Relay' "$ace" 'an ACE prints as its object'
    Assert-Equal 'ex01.corp.fabrikam.com' $ace.PSComputerName 'remoting adds PSComputerName'
}

Test-Case 'an Exchange 2010 shell returns the 2010 shape: no TransportRole, 14.0 assemblies' {
    Use-Scenario contoso-2010
    $connector = Get-ReceiveConnector 'Default EX2010'
    Assert-Equal 'Microsoft.Exchange.Data.Directory.SystemConfiguration.ReceiveConnector' $connector.PSObject.TypeNames[0] 'type name'
    Assert-True (-not $connector.PSObject.Properties['TransportRole']) 'no TransportRole'
    Assert-True ($connector.ObjectClass.PSObject.TypeNames[0] -like '*System.String, mscorlib, Version=2.0.0.0*') 'CLR 2 mscorlib in generic names'
    Assert-True ($connector.Bindings.PSObject.TypeNames[0] -like '*Microsoft.Exchange.Data, Version=14.0.0.0*') 'Exchange 14 assemblies'
}

Test-Case 'an Edge server answers from its own directory, without remoting members or domain groups' {
    Use-Scenario litware-edge
    $connector = Get-ReceiveConnector 'Default internal receive connector EDGE01'
    Assert-Equal 'HubTransport' "$($connector.TransportRole)" 'Edge connectors belong to the Transport service'
    Assert-Equal 'AnonymousUsers, ExchangeServers, Partners' "$($connector.PermissionGroups)" 'Edge default groups'
    Assert-True (-not $connector.PSObject.Properties['PSComputerName']) 'local shell: no PSComputerName'
    Assert-True ($connector.DistinguishedName -like '*,CN=Configuration,CN={*}') 'AD LDS configuration partition'
    $names = @(Get-ADPermission $connector | ForEach-Object { "$($_.User)" } | Sort-Object -Unique)
    Assert-True ('BUILTIN\Administrators' -in $names -and -not ($names -like '*Exchange Servers')) 'no domain groups on Edge'
    Assert-True ((Get-ExchangeServer).IsEdgeServer) 'IsEdgeServer'
}

Test-Case 'RemoteIPRanges print and size like Exchange''s IPRange' {
    Use-Scenario northwind-ipv6
    $ranges = @((Get-ReceiveConnector 'IPv6 Relay').RemoteIPRanges)
    Assert-Equal 'fd12:3456:789a:1::/64|2a02:8108:1140:5d00::25|fe80::1|10.50.0.0(255.255.0.0)' (($ranges | ForEach-Object ToString) -join '|') 'ToString'
    Assert-Equal 'fe80::1%12' $ranges[2].Expression 'the zone id survives in Expression only'
    Assert-Equal '0.1.0.0' $ranges[3].Size 'a /16 prints its size in dotted form'
    Assert-Equal 'Netmask' $ranges[3].RangeFormat 'Netmask format'
    $default = @((Get-ReceiveConnector 'Default Frontend NWEX01').RemoteIPRanges)
    Assert-Equal 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff|::1:0:0' (($default | ForEach-Object Size) -join '|') 'full ranges as in the real export'
    Use-Scenario adatum-overlap
    $corrupt = Get-ReceiveConnector 'Relay Legacy' -WarningVariable warnings -WarningAction SilentlyContinue
    Assert-Equal $false $corrupt.IsValid 'a corrupt range makes the object invalid'
    Assert-Equal 'Invalid' @($corrupt.RemoteIPRanges)[1].RangeFormat 'unparseable range'
    Assert-True (@($warnings | Where-Object { "$_" -like '*"10.0.0.300"*' }).Count -eq 1) 'a warning names the bad value'
}

Write-Host 'Scenario files'

Test-Case 'scenario strings are data: nothing in them is executed' {
    $directory = Join-Path ([System.IO.Path]::GetTempPath()) "exchangesim-$PID"
    New-Item -ItemType Directory -Path $directory -Force | Out-Null
    try {
        $marker = Join-Path $directory 'executed'
        $payload = "`$(Set-Content -Path '$marker' -Value x)"
        $scenario = Get-Content (Join-Path $scenarios 'contoso-2010.json') -Raw | ConvertFrom-Json -AsHashtable -DateKind String
        $scenario.connectors[0].comment = $payload
        $scenario.connectors += @{ server = 'EX2010'; name = "Relay $payload"; bindings = @('0.0.0.0:25'); remoteIPRanges = @('10.1.1.1'); authMechanism = @('Tls'); permissionGroups = @('AnonymousUsers') }
        $path = Join-Path $directory 'hostile.json'
        $scenario | ConvertTo-Json -Depth 8 | Set-Content -Path $path -Encoding utf8
        Import-ExchangeSimScenario -Path $path
        $connectors = @(Get-ReceiveConnector)
        $null = $connectors | Get-ADPermission
        Assert-Equal $payload $connectors[0].Comment 'comment kept verbatim'
        Assert-Equal "Relay $payload" $connectors[2].Name 'name kept verbatim'
        Assert-True (-not (Test-Path $marker)) 'the embedded command did not run'
    }
    finally {
        Remove-Item -Recurse -Force $directory
    }
}

Test-Case 'scenario mistakes are reported with the file and the place' {
    $directory = Join-Path ([System.IO.Path]::GetTempPath()) "exchangesim-$PID"
    New-Item -ItemType Directory -Path $directory -Force | Out-Null
    try {
        $base = Get-Content (Join-Path $scenarios 'contoso-2010.json') -Raw
        $cases = @(
            @{ Edit = { param($s) $s.connectors[0].permisionGroups = @('AnonymousUsers') }; Message = "bad.json: connectors[0] ('Default EX2010'): unknown field 'permisionGroups'" }
            @{ Edit = { param($s) $s.connectors[0].permissionGroups = @('Custom') }; Message = 'Custom is computed from the ACL' }
            @{ Edit = { param($s) $s.connectors[0].transportRole = 'HubTransport' }; Message = 'Exchange 2007/2010 connectors have no TransportRole' }
            @{ Edit = { param($s) $s.connectors[0].extraAces[0].principal = 'anonymus' }; Message = "extraAces[0]: unknown principal 'anonymus'" }
            @{ Edit = { param($s) $s.connectors[0].authMechanism = @('ExternalAuthoritative', 'BasicAuth') }; Message = 'ExternalAuthoritative can only be combined with Tls' }
        )
        foreach ($case in $cases) {
            $scenario = $base | ConvertFrom-Json -AsHashtable -DateKind String
            & $case.Edit $scenario
            $path = Join-Path $directory 'bad.json'
            $scenario | ConvertTo-Json -Depth 8 | Set-Content -Path $path -Encoding utf8
            $failure = Assert-Throws { Import-ExchangeSimScenario -Path $path } "expected '$($case.Message)'"
            Assert-True $failure.Exception.Message.Contains($case.Message) "message '$($failure.Exception.Message)' does not contain '$($case.Message)'"
        }
    }
    finally {
        Remove-Item -Recurse -Force $directory
    }
}

if (-not $SkipFixtureRegeneration) {
    Write-Host 'Committed fixtures'

    Test-Case 'fixtures/orgs matches what the generator writes today' {
        $output = Join-Path ([System.IO.Path]::GetTempPath()) "exrelay-fixtures-$PID"
        try {
            & (Join-Path $repository 'fixtures' 'New-ExrelayFixtures.ps1') -OutputDirectory $output 6>$null
            $committed = Join-Path $repository 'fixtures' 'orgs'
            foreach ($file in Get-ChildItem -Path $output -Recurse -File) {
                $relative = [System.IO.Path]::GetRelativePath($output, $file.FullName)
                $twin = Join-Path $committed $relative
                Assert-True (Test-Path $twin) "$relative is not committed"
                Assert-Equal (Get-FileHash $file.FullName).Hash (Get-FileHash $twin).Hash "$relative differs from the generator's output; run fixtures/New-ExrelayFixtures.ps1"
            }
        }
        finally {
            Remove-Item -Recurse -Force $output -ErrorAction SilentlyContinue
        }
    }
}

Write-Host ''
Write-Host "$script:Passed passed, $($script:Failures.Count) failed"
if ($script:Failures.Count -gt 0) { exit 1 }
