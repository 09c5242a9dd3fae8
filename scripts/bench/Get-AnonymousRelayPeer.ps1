#Requires -Version 7.5
<#
.SYNOPSIS
The benchmark's peer: what an administrator would run on the same exports instead of exrelay. Imports both
files, keeps the allow entries that give ANONYMOUS LOGON ms-Exch-SMTP-Accept-Any-Recipient, joins them to their
connectors and writes the result as JSON.

.EXAMPLE
pwsh -NoProfile -File scripts/bench/Get-AnonymousRelayPeer.ps1 -Directory .bench/clixml-1x -OutFile .bench/peer.json
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Directory,
    [Parameter(Mandatory)] [string] $OutFile
)

$connectors = Import-Clixml -LiteralPath (Join-Path $Directory 'ReceiveConnector.xml')
$permissions = Import-Clixml -LiteralPath (Join-Path $Directory 'ADPermission.xml')
$byIdentity = @{}
foreach ($connector in $connectors) { $byIdentity[[string]$connector.Identity] = $connector }
$permissions |
    Where-Object { -not $_.Deny -and $_.User -like '*\ANONYMOUS LOGON' -and $_.ExtendedRights -contains 'ms-Exch-SMTP-Accept-Any-Recipient' } |
    ForEach-Object {
        $connector = $byIdentity[[string]$_.Identity]
        [pscustomobject]@{
            Identity       = [string]$_.Identity
            Enabled        = $connector.Enabled
            RemoteIPRanges = $connector.RemoteIPRanges
            User           = [string]$_.User
        }
    } |
    ConvertTo-Json -Depth 3 |
    Set-Content -LiteralPath $OutFile
