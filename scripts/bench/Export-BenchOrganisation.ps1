#Requires -Version 7.5
<#
.SYNOPSIS
Writes a generated benchmark organisation (scripts/generate-org.mjs) as Export-Clixml files, the way an
administrator exports selected properties: ReceiveConnector.xml, ADPermission.xml and AcceptedDomain.xml.

.DESCRIPTION
Each connector, permission entry and accepted domain becomes an object carrying the Exchange type name (as
Select-Object leaves it, "Selected.<type>") and the properties exrelay reads, as the strings, booleans and
lists PowerShell prints them as. Real Export-Clixml writes the files, so they are PowerShell's own CLIXML.

.EXAMPLE
pwsh -NoProfile -File scripts/bench/Export-BenchOrganisation.ps1 -Snapshot .bench/org-1x.json -OutputDirectory .bench/clixml-1x
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Snapshot,
    [Parameter(Mandatory)] [string] $OutputDirectory
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$organisation = Get-Content -LiteralPath $Snapshot -Raw | ConvertFrom-Json
$null = New-Item -ItemType Directory -Force -Path $OutputDirectory

function New-Selected {
    param([string] $TypeName, [System.Collections.Specialized.OrderedDictionary] $Properties)
    $object = [pscustomobject]$Properties
    $object.PSObject.TypeNames.Insert(0, "Selected.$TypeName")
    $object
}

$connectors = [System.Collections.Generic.List[object]]::new()
$aces = [System.Collections.Generic.List[object]]::new()
foreach ($connector in $organisation.connectors) {
    $connectors.Add((New-Selected 'Microsoft.Exchange.Data.Directory.SystemConfiguration.ReceiveConnector' ([ordered]@{
                    Identity          = $connector.identity
                    Name              = $connector.name
                    Server            = $connector.server
                    DistinguishedName = $connector.distinguishedName
                    Enabled           = $connector.enabled
                    TransportRole     = $connector.transportRole
                    Bindings          = [string[]]$connector.bindings
                    RemoteIPRanges    = [string[]]$connector.remoteIPRanges
                    AuthMechanism     = $connector.authMechanism -join ', '
                    PermissionGroups  = $connector.permissionGroups -join ', '
                })))
    foreach ($ace in $connector.permissions) {
        $aces.Add((New-Selected 'Microsoft.Exchange.Management.RecipientTasks.ADAcePresentationObject' ([ordered]@{
                        Identity        = $connector.identity
                        User            = $ace.user
                        Deny            = $ace.deny
                        AccessRights    = [string[]]$ace.accessRights
                        # A one-element array stays an array (the comma), as Exchange's ExtendedRightIdParameter[].
                        ExtendedRights  = if ($ace.extendedRights.Count -gt 0) { , [string[]]$ace.extendedRights } else { $null }
                        IsInherited     = $ace.inherited
                        InheritanceType = $ace.inheritanceType
                    })))
    }
}
$connectors | Export-Clixml -LiteralPath (Join-Path $OutputDirectory 'ReceiveConnector.xml')
$aces | Export-Clixml -LiteralPath (Join-Path $OutputDirectory 'ADPermission.xml')
$domains = foreach ($domain in $organisation.acceptedDomains) {
    New-Selected 'Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain' ([ordered]@{
            Name       = $domain.name
            DomainName = $domain.domainName
            DomainType = $domain.domainType
            Default    = $domain.isDefault
        })
}
$domains | Export-Clixml -LiteralPath (Join-Path $OutputDirectory 'AcceptedDomain.xml')
