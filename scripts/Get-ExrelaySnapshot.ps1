<#
.SYNOPSIS
Reads the receive connectors, their permissions and the accepted domains of an Exchange organisation for
exrelay. It only reads: the Exchange cmdlets it calls are Get-ExchangeServer, Get-ReceiveConnector,
Get-ADPermission and Get-AcceptedDomain, and where the shell has them the transport service cmdlets that tell where
protocol logs are written (Get-FrontendTransportService, Get-TransportService, Get-MailboxTransportService on 2013
and later, Get-TransportServer on 2007/2010).

.DESCRIPTION
Run it where those four cmdlets are available (the Exchange Management Shell, or a session that imported them):

    .\Get-ExrelaySnapshot.ps1 -OutFile snapshot.json

PowerShell 3.0 and later write an exrelay snapshot (JSON, UTF-8 without BOM) that `exrelay analyze` reads.
PowerShell 2.0 has no ConvertTo-Json: there, and with -AsClixml, the script writes ExchangeServer.xml,
ReceiveConnector.xml, ADPermission.xml and AcceptedDomain.xml (Export-Clixml of the cmdlets' own output) into
-OutFolder instead; `exrelay analyze <folder>` reads those too.

exrelay runs the same script step by step (-Step Inventory, then -Step Permissions for a few connectors at a
time), so that it can show progress and keep going when one connector's permissions cannot be read.

Every value is filtered and converted in this PowerShell. An Exchange remote endpoint runs in NoLanguage mode:
it only ever receives plain commands with literal parameters, never a script block.

.PARAMETER OutFile
Where to write the snapshot. Default: exrelay-snapshot-<yyyyMMdd-HHmmss>.json (UTC) in the current folder.

.PARAMETER OutFolder
Where to write the Export-Clixml files (PowerShell 2.0, or -AsClixml). Default: the -OutFile path without its
extension, or exrelay-export-<yyyyMMdd-HHmmss> in the current folder.

.PARAMETER AsClixml
Write Export-Clixml files instead of a snapshot, also on PowerShell 3.0 and later.

.PARAMETER Step
Used by exrelay: Inventory returns servers, connectors and accepted domains as JSON; Permissions returns the
permission entries of the connectors named by -Identity; PrincipalNames returns how the server prints the
well-known principals, read from the connectors named by -Identity.

.PARAMETER Identity
With -Step Permissions or PrincipalNames: the connectors (distinguished names or identities) to read.
#>
#requires -Version 2.0
[CmdletBinding(DefaultParameterSetName = 'Snapshot')]
param(
    [Parameter(ParameterSetName = 'Snapshot')] [string] $OutFile,
    [Parameter(ParameterSetName = 'Snapshot')] [string] $OutFolder,
    [Parameter(ParameterSetName = 'Snapshot')] [switch] $AsClixml,
    [Parameter(ParameterSetName = 'Step', Mandatory = $true)] [ValidateSet('Inventory', 'Permissions', 'PrincipalNames')] [string] $Step,
    [Parameter(ParameterSetName = 'Step')] [string[]] $Identity
)

$ErrorActionPreference = 'Stop'
# No Set-StrictMode: the object model differs between Exchange versions (TransportRole exists from 2013 on), and
# a property a version lacks must read as $null.

# The syntax stays PowerShell 2.0 compatible: no [ordered], no -in, no $PSItem, no member enumeration.

$ExrelayExchangeCmdlets = @('Get-ExchangeServer', 'Get-ReceiveConnector', 'Get-ADPermission', 'Get-AcceptedDomain')
# Optional cmdlets this shell lacks, each reported once.
$ExrelayMissingCmdlets = @{}
$ExrelayScriptTool = 'Get-ExrelaySnapshot.ps1 1'
$ExrelaySidPattern = '^S-1(-\d+)+$'
# ANONYMOUS LOGON, Everyone, Authenticated Users, Externally Secured Servers: the principals whose names decide
# relay. The server prints them in its own language; asking by SID works in every language.
$ExrelayWellKnownSids = @('S-1-5-7', 'S-1-1-0', 'S-1-5-11', 'S-1-9-1419165041-1139599005-3936102811-1022490595-23')
# Connectors to ask, at most: each SID costs one Get-ADPermission per connector until one holds an ACE for it.
$ExrelayPrincipalNameConnectors = 5

function Assert-ExrelayExchangeCmdlets {
    $missing = @(foreach ($name in $ExrelayExchangeCmdlets) {
            if (-not (Get-Command -Name $name -ErrorAction SilentlyContinue)) { $name }
        })
    if ($missing.Count -gt 0) {
        throw ('The Exchange cmdlets are not loaded in this PowerShell session (missing: {0}). Run the script in the Exchange Management Shell, or connect to Exchange first.' -f ($missing -join ', '))
    }
}

# OrderedDictionary keeps the fields in the order written; [ordered] needs PowerShell 3.0.
function New-ExrelayRecord {
    New-Object System.Collections.Specialized.OrderedDictionary
}

function ConvertTo-ExrelayText($Value) {
    if ($null -eq $Value) { return $null }
    $Value.ToString()
}

function ConvertTo-ExrelayBoolean($Value) {
    if ($null -eq $Value) { return $false }
    # Deny is a SwitchParameter, live or deserialized; a [bool] cast of any object would be $true.
    # IsPresent itself may arrive as the text 'False' from a deserializer, which a [bool] cast reads as $true.
    if ($Value.PSObject.Properties['IsPresent']) { return ConvertTo-ExrelayBoolean $Value.IsPresent }
    if ($Value -is [string]) { return $Value -eq 'True' }
    [bool]$Value
}

# Collection items as printed (IPBinding, IPRange, ExtendedRightIdParameter); a single value is a list of one.
function Get-ExrelayTextList($Value) {
    if ($null -eq $Value) { return }
    foreach ($item in @($Value)) {
        if ($null -ne $item) { $item.ToString() }
    }
}

# Bindings and RemoteIPRanges, which Exchange never leaves empty: null or empty, the value was lost on the way, and
# is written as exrelay's lost-value text (src/net/ip-range.ts), which the analysis never reads as "listens nowhere".
function Get-ExrelayScopeList($Value) {
    $items = @(Get-ExrelayTextList $Value)
    if ($items.Count -eq 0) { return '(value lost by the export)' }
    $items
}

# Flag enums print as "Tls, Integrated"; AccessRights is a list holding one such text per entry.
function Split-ExrelayNames($Value) {
    if ($null -eq $Value) { return }
    foreach ($item in @($Value)) {
        if ($null -eq $item) { continue }
        foreach ($name in ($item.ToString() -split ',')) {
            $trimmed = $name.Trim()
            if ($trimmed) { $trimmed }
        }
    }
}

# An error as one line: Exchange's Active Directory errors span several.
function Format-ExrelayMessage($ErrorRecord) {
    $lines = @(foreach ($line in ($ErrorRecord.Exception.Message -split '\r?\n')) {
            if ($line.Trim()) { $line.Trim() }
        })
    $lines -join ' '
}

function New-ExrelayIssue([string] $Scope, $Target, [string] $Message) {
    $issue = New-ExrelayRecord
    $issue['scope'] = $Scope
    $issue['target'] = $Target
    $issue['message'] = $Message
    $issue
}

# The servers whose receive connectors this shell can read: transport servers (Hub and Edge on 2007/2010;
# Mailbox, Client Access and Edge from 2013 on). An Edge server keeps its connectors in its own AD LDS: a shell
# connected to the organisation cannot read them (exrelay analyze reports such an Edge server), and a shell on the
# Edge itself sees only that Edge.
function Select-ExrelayConnectorServers($Servers) {
    $inOrganization = @(foreach ($server in $Servers) { if (-not (ConvertTo-ExrelayBoolean $server.IsEdgeServer)) { $server } }).Count -gt 0
    foreach ($server in $Servers) {
        $isEdge = ConvertTo-ExrelayBoolean $server.IsEdgeServer
        # Both flags null (a server object that lost them) may still be a transport server: asked, not skipped.
        $flagsLost = ($null -eq $server.IsHubTransportServer) -and ($null -eq $server.IsFrontendTransportServer)
        $isTransport = $isEdge -or $flagsLost -or (ConvertTo-ExrelayBoolean $server.IsHubTransportServer) -or (ConvertTo-ExrelayBoolean $server.IsFrontendTransportServer)
        if ($isTransport -and -not ($isEdge -and $inOrganization)) { $server }
    }
}

# The transport services a server runs, as (cmdlet, transportRole) pairs: one service on 2007/2010, up to three from
# 2013 on. An Edge server's Transport service is the HubTransport role, as its connectors' TransportRole says.
function Get-ExrelayTransportServices($Server) {
    $major = 0
    if ((ConvertTo-ExrelayText $Server.AdminDisplayVersion) -match 'Version (\d+)') { $major = [int]$Matches[1] }
    $isEdge = ConvertTo-ExrelayBoolean $Server.IsEdgeServer
    if ($major -lt 15) {
        if ($isEdge -or (ConvertTo-ExrelayBoolean $Server.IsHubTransportServer)) { , @('Get-TransportServer', 'HubTransport') }
        return
    }
    if (ConvertTo-ExrelayBoolean $Server.IsFrontendTransportServer) { , @('Get-FrontendTransportService', 'FrontendTransport') }
    if ($isEdge -or (ConvertTo-ExrelayBoolean $Server.IsHubTransportServer)) { , @('Get-TransportService', 'HubTransport') }
    if ((ConvertTo-ExrelayBoolean $Server.IsMailboxServer) -and -not $isEdge) { , @('Get-MailboxTransportService', 'MailboxTransport') }
}

# Each cmdlet is named literally: the collection script never calls a command by a computed name.
function Read-ExrelayTransportService([string] $Cmdlet, [string] $Name) {
    switch ($Cmdlet) {
        'Get-FrontendTransportService' { Get-FrontendTransportService -Identity $Name -ErrorAction Stop }
        'Get-TransportService' { Get-TransportService -Identity $Name -ErrorAction Stop }
        'Get-MailboxTransportService' { Get-MailboxTransportService -Identity $Name -ErrorAction Stop }
        'Get-TransportServer' { Get-TransportServer -Identity $Name -ErrorAction Stop }
    }
}

# ReceiveProtocolLogPath of each transport service of the server; null when none could be read. A cmdlet this shell
# lacks, or one that fails, is reported as a warning: the snapshot stays complete for relay analysis.
function Get-ExrelayProtocolLogPaths($Server) {
    $name = ConvertTo-ExrelayText $Server.Name
    $paths = @(foreach ($service in @(Get-ExrelayTransportServices $Server)) {
            $cmdlet = $service[0]
            if (-not (Get-Command -Name $cmdlet -ErrorAction SilentlyContinue)) {
                if (-not $ExrelayMissingCmdlets.ContainsKey($cmdlet)) {
                    $ExrelayMissingCmdlets[$cmdlet] = $true
                    Write-Warning ('{0} is not available in this session: {1} protocol log folders are not recorded.' -f $cmdlet, $service[1])
                }
                continue
            }
            try {
                $path = ConvertTo-ExrelayText (Read-ExrelayTransportService $cmdlet $name).ReceiveProtocolLogPath
                if ($path) {
                    $entry = New-ExrelayRecord
                    $entry['transportRole'] = $service[1]
                    $entry['path'] = $path
                    $entry
                }
            }
            catch {
                Write-Warning ('{0} -Identity {1}: {2}' -f $cmdlet, $name, (Format-ExrelayMessage $_))
            }
        })
    if ($paths.Count -eq 0) { return $null }
    , $paths
}

function ConvertTo-ExrelayServer($Server, [bool] $ReadLogPaths) {
    $roles = @(Split-ExrelayNames $Server.ServerRole)
    $record = New-ExrelayRecord
    $record['name'] = ConvertTo-ExrelayText $Server.Name
    $record['version'] = ConvertTo-ExrelayText $Server.AdminDisplayVersion
    $record['roles'] = $roles
    $record['isEdge'] = (ConvertTo-ExrelayBoolean $Server.IsEdgeServer) -or ($roles -contains 'Edge')
    $record['receiveProtocolLogPaths'] = $null
    if ($ReadLogPaths) { $record['receiveProtocolLogPaths'] = Get-ExrelayProtocolLogPaths $Server }
    $record
}

function ConvertTo-ExrelayConnector($Connector) {
    $server = ConvertTo-ExrelayText $Connector.Server
    $name = ConvertTo-ExrelayText $Connector.Name
    $identity = ConvertTo-ExrelayText $Connector.Identity
    if (-not $identity -or -not $identity.Contains('\')) { $identity = '{0}\{1}' -f $server, $name }
    $record = New-ExrelayRecord
    $record['identity'] = $identity
    $record['server'] = $server
    $record['name'] = $name
    $record['distinguishedName'] = ConvertTo-ExrelayText $Connector.DistinguishedName
    $record['guid'] = ConvertTo-ExrelayText $Connector.Guid
    # Exchange always returns Enabled; without it the connector is read as enabled, the worst case for its grants.
    $record['enabled'] = ($null -eq $Connector.Enabled) -or (ConvertTo-ExrelayBoolean $Connector.Enabled)
    # 2007/2010 connectors have no TransportRole.
    $record['transportRole'] = ConvertTo-ExrelayText $Connector.TransportRole
    $record['bindings'] = @(Get-ExrelayScopeList $Connector.Bindings)
    $record['remoteIPRanges'] = @(Get-ExrelayScopeList $Connector.RemoteIPRanges)
    $record['authMechanism'] = @(Split-ExrelayNames $Connector.AuthMechanism)
    $record['permissionGroups'] = @(Split-ExrelayNames $Connector.PermissionGroups)
    # Left null when this Exchange version has no such property (TlsDomainCapabilities arrived with 2010).
    $record['tlsDomainCapabilities'] = $null
    if ($Connector.PSObject.Properties['TlsDomainCapabilities']) {
        $record['tlsDomainCapabilities'] = @(Get-ExrelayTextList $Connector.TlsDomainCapabilities)
    }
    $record['protocolLoggingLevel'] = ConvertTo-ExrelayText $Connector.ProtocolLoggingLevel
    $record
}

# The principal's SID: carried by a live or CLIXML User, lost by remoting (which prints User as text), so then
# the printed name is translated on this machine. Names in another language than this machine's, and Exchange's
# own "MS Exchange\..." aliases, do not translate: the SID stays unknown and exrelay goes by the name.
function Resolve-ExrelaySid($User, [string] $Name, [hashtable] $Cache) {
    if ($null -ne $User -and $User.PSObject.Properties['SecurityIdentifier']) {
        $carried = ConvertTo-ExrelayText $User.SecurityIdentifier
        if ($carried -match $ExrelaySidPattern) { return $carried.ToUpperInvariant() }
    }
    if ($Name -match $ExrelaySidPattern) { return $Name.ToUpperInvariant() }
    if (-not $Name) { return $null }
    if (-not $Cache.ContainsKey($Name)) {
        $Cache[$Name] = $null
        try {
            $account = New-Object System.Security.Principal.NTAccount($Name)
            $Cache[$Name] = $account.Translate([System.Security.Principal.SecurityIdentifier]).Value
        }
        catch {
            # Unknown here, or no Windows account lookup on this platform.
        }
    }
    $Cache[$Name]
}

function ConvertTo-ExrelayAce($Ace, [hashtable] $SidCache) {
    $user = ConvertTo-ExrelayText $Ace.User
    $record = New-ExrelayRecord
    $record['user'] = $user
    $record['sid'] = Resolve-ExrelaySid -User $Ace.User -Name $user -Cache $SidCache
    $record['deny'] = ConvertTo-ExrelayBoolean $Ace.Deny
    $record['inherited'] = ConvertTo-ExrelayBoolean $Ace.IsInherited
    $record['accessRights'] = @(Split-ExrelayNames $Ace.AccessRights)
    $record['extendedRights'] = @(Get-ExrelayTextList $Ace.ExtendedRights)
    $record['inheritanceType'] = ConvertTo-ExrelayText $Ace.InheritanceType
    $record
}

# How Get-ADPermission is pointed at a connector: the distinguished name is unique across servers.
function Get-ExrelayAclKey($ConnectorRecord) {
    if ($ConnectorRecord['distinguishedName']) { return $ConnectorRecord['distinguishedName'] }
    $ConnectorRecord['identity']
}

function Get-ExrelayInventory {
    $errors = New-Object System.Collections.ArrayList
    $servers = @(Get-ExchangeServer -ErrorAction Stop)
    $connectorServers = @(Select-ExrelayConnectorServers $servers)
    $connectors = @(foreach ($server in $connectorServers) {
            $name = ConvertTo-ExrelayText $server.Name
            try {
                Get-ReceiveConnector -Server $name -ErrorAction Stop | ForEach-Object { ConvertTo-ExrelayConnector $_ }
            }
            catch {
                [void]$errors.Add((New-ExrelayIssue 'server' $name ('Get-ReceiveConnector -Server {0}: {1}' -f $name, (Format-ExrelayMessage $_))))
            }
        })
    $acceptedDomains = $null
    try {
        $acceptedDomains = @(Get-AcceptedDomain -ErrorAction Stop | ForEach-Object {
                $domain = New-ExrelayRecord
                $domain['name'] = ConvertTo-ExrelayText $_.Name
                $domain['domainName'] = ConvertTo-ExrelayText $_.DomainName
                $domain['domainType'] = ConvertTo-ExrelayText $_.DomainType
                $domain['isDefault'] = ConvertTo-ExrelayBoolean $_.Default
                $domain
            })
    }
    catch {
        [void]$errors.Add((New-ExrelayIssue 'acceptedDomains' $null ('Get-AcceptedDomain: {0}' -f (Format-ExrelayMessage $_))))
    }
    $inventory = New-ExrelayRecord
    $inventory['servers'] = @(foreach ($server in $servers) { ConvertTo-ExrelayServer $server ($connectorServers -contains $server) })
    $inventory['connectors'] = $connectors
    $inventory['acceptedDomains'] = $acceptedDomains
    $inventory['errors'] = @($errors)
    $inventory
}

# One result per requested connector: its permission entries, or why Get-ADPermission could not read them.
function Get-ExrelayPermissions([string[]] $Keys, [hashtable] $SidCache) {
    foreach ($key in $Keys) {
        $result = New-ExrelayRecord
        $result['identity'] = $key
        try {
            $aces = @(Get-ADPermission -Identity $key -ErrorAction Stop)
            $result['permissions'] = @(foreach ($ace in $aces) { ConvertTo-ExrelayAce $ace $SidCache })
            $result['error'] = $null
        }
        catch {
            $result['permissions'] = $null
            $result['error'] = 'Get-ADPermission: {0}' -f (Format-ExrelayMessage $_)
        }
        $result
    }
}

# How the server names each well-known principal: the User of an ACE that Get-ADPermission returns for the SID
# (-User takes a SID in every language). Only plain commands with literal parameters, for NoLanguage endpoints.
function Get-ExrelayPrincipalNames([string[]] $Keys) {
    foreach ($sid in $ExrelayWellKnownSids) {
        foreach ($key in $Keys) {
            try { $aces = @(Get-ADPermission -Identity $key -User $sid -ErrorAction Stop) }
            catch { continue }
            if ($aces.Count -eq 0) { continue }
            $server = $null
            if ($aces[0].PSObject.Properties['PSComputerName']) { $server = ConvertTo-ExrelayText $aces[0].PSComputerName }
            if (-not $server) { $server = [Environment]::MachineName }
            $known = New-ExrelayRecord
            $known['name'] = ConvertTo-ExrelayText $aces[0].User
            $known['sid'] = $sid
            $known['server'] = $server
            $known
            break
        }
    }
}

# Connectors whose ACL names a principal without its SID: the ones to ask, a few at most.
function Select-ExrelayPrincipalNameKeys($Connectors) {
    @(foreach ($connector in $Connectors) {
            $unnamed = @(foreach ($ace in @($connector['permissions'])) { if ($null -ne $ace -and -not $ace['sid']) { $ace } })
            if ($unnamed.Count -gt 0) { Get-ExrelayAclKey $connector }
        }) | Select-Object -First $ExrelayPrincipalNameConnectors
}

function New-ExrelaySnapshot {
    $inventory = Get-ExrelayInventory
    $sidCache = @{}
    $errors = New-Object System.Collections.ArrayList
    foreach ($issue in $inventory['errors']) { [void]$errors.Add($issue) }
    $connectors = $inventory['connectors']
    $index = 0
    foreach ($connector in $connectors) {
        $index++
        Write-Progress -Activity 'Reading receive connector permissions' -Status $connector['identity'] -PercentComplete ([int](100 * $index / $connectors.Count))
        $result = @(Get-ExrelayPermissions -Keys @(Get-ExrelayAclKey $connector) -SidCache $sidCache)[0]
        $connector['permissions'] = $result['permissions']
        $connector['permissionsError'] = $result['error']
        if ($result['error']) { [void]$errors.Add((New-ExrelayIssue 'connector' $connector['identity'] $result['error'])) }
    }
    Write-Progress -Activity 'Reading receive connector permissions' -Completed

    $source = New-ExrelayRecord
    $source['method'] = 'script'
    $source['description'] = [Environment]::MachineName
    $source['tool'] = $ExrelayScriptTool
    $snapshot = New-ExrelayRecord
    $snapshot['kind'] = 'exrelay.snapshot'
    $snapshot['schemaVersion'] = 1
    $snapshot['collectedAt'] = [DateTime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ssZ', [Globalization.CultureInfo]::InvariantCulture)
    $snapshot['source'] = $source
    $snapshot['partial'] = $errors.Count -gt 0
    $snapshot['servers'] = $inventory['servers']
    $snapshot['connectors'] = $connectors
    $snapshot['acceptedDomains'] = $inventory['acceptedDomains']
    $snapshot['errors'] = @($errors)
    $snapshot['principalNames'] = @(Get-ExrelayPrincipalNames -Keys @(Select-ExrelayPrincipalNameKeys $connectors))
    $snapshot
}

# The cmdlets' own objects, exported as an administrator would by hand; a connector whose permissions cannot be
# read is left out of ADPermission.xml, and exrelay reports its verdict as unknown.
function Export-ExrelayClixml([string] $Folder) {
    [void][System.IO.Directory]::CreateDirectory($Folder)
    $servers = @(Get-ExchangeServer -ErrorAction Stop)
    $servers | Export-Clixml -Path (Join-Path $Folder 'ExchangeServer.xml')
    $connectors = @(foreach ($server in Select-ExrelayConnectorServers $servers) {
            try { Get-ReceiveConnector -Server $server.Name -ErrorAction Stop }
            catch { Write-Warning ('Get-ReceiveConnector -Server {0}: {1}' -f $server.Name, (Format-ExrelayMessage $_)) }
        })
    $connectors | Export-Clixml -Path (Join-Path $Folder 'ReceiveConnector.xml')
    $aces = @(foreach ($connector in $connectors) {
            $key = $connector.DistinguishedName
            if (-not $key) { $key = $connector.Identity }
            try { Get-ADPermission -Identity $key -ErrorAction Stop }
            catch { Write-Warning ('Get-ADPermission {0}: {1}' -f $connector.Identity, (Format-ExrelayMessage $_)) }
        })
    $aces | Export-Clixml -Path (Join-Path $Folder 'ADPermission.xml')
    try { Get-AcceptedDomain -ErrorAction Stop | Export-Clixml -Path (Join-Path $Folder 'AcceptedDomain.xml') }
    catch { Write-Warning ('Get-AcceptedDomain: {0}' -f (Format-ExrelayMessage $_)) }
    Write-Host ('Wrote ExchangeServer.xml, ReceiveConnector.xml, ADPermission.xml and AcceptedDomain.xml to {0} ({1} receive connector(s)). Analyse them with: exrelay analyze "{0}"' -f $Folder, $connectors.Count)
}

function Resolve-ExrelayPath([string] $Path) {
    $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
}

Assert-ExrelayExchangeCmdlets

if ($PSCmdlet.ParameterSetName -eq 'Step') {
    # Driven by exrelay: the answer is one line of JSON.
    if ($Step -eq 'Inventory') {
        $answer = Get-ExrelayInventory
    }
    elseif ($Step -eq 'PrincipalNames') {
        $answer = New-ExrelayRecord
        $answer['principalNames'] = @(Get-ExrelayPrincipalNames -Keys $Identity)
    }
    else {
        $answer = New-ExrelayRecord
        $answer['connectors'] = @(Get-ExrelayPermissions -Keys $Identity -SidCache @{})
    }
    ConvertTo-Json -InputObject $answer -Depth 10 -Compress
    return
}

$stamp = [DateTime]::UtcNow.ToString('yyyyMMdd-HHmmss', [Globalization.CultureInfo]::InvariantCulture)
if ($AsClixml -or $PSVersionTable.PSVersion.Major -lt 3) {
    if (-not $OutFolder) {
        if ($OutFile) {
            $file = Resolve-ExrelayPath $OutFile
            $OutFolder = [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($file), [System.IO.Path]::GetFileNameWithoutExtension($file))
        }
        else { $OutFolder = 'exrelay-export-{0}' -f $stamp }
    }
    Export-ExrelayClixml -Folder (Resolve-ExrelayPath $OutFolder)
    return
}

if (-not $OutFile) { $OutFile = 'exrelay-snapshot-{0}.json' -f $stamp }
$target = Resolve-ExrelayPath $OutFile
$snapshot = New-ExrelaySnapshot
# Set-Content and Out-File write a byte order mark in Windows PowerShell; exrelay's snapshots have none.
[System.IO.File]::WriteAllText($target, (ConvertTo-Json -InputObject $snapshot -Depth 10), (New-Object System.Text.UTF8Encoding $false))
Write-Host ('Wrote {0}: {1} receive connector(s) on {2} server(s). Analyse it with: exrelay analyze "{0}"' -f $target, @($snapshot['connectors']).Count, @($snapshot['servers']).Count)
if ($snapshot['partial']) {
    Write-Warning ('The snapshot is partial: {0} item(s) could not be read; see "errors" in the file.' -f @($snapshot['errors']).Count)
}
