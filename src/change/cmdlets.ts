/**
 * The cmdlets exrelay evaluates, with their parameters as PowerShell binds them: full names or unambiguous
 * prefixes, switches, positions, and the common parameters every cmdlet has.
 */

export interface CmdletSpec {
  name: string;
  parameters: readonly string[];
  switches: readonly string[];
  positional: readonly string[];
  /** ShouldProcess cmdlets also take -WhatIf and -Confirm. */
  changes: boolean;
}

const COMMON = [
  'Verbose',
  'Debug',
  'ErrorAction',
  'WarningAction',
  'InformationAction',
  'ProgressAction',
  'ErrorVariable',
  'WarningVariable',
  'InformationVariable',
  'OutVariable',
  'OutBuffer',
  'PipelineVariable',
];
const COMMON_ALIASES: Record<string, string> = {
  vb: 'Verbose',
  db: 'Debug',
  ea: 'ErrorAction',
  wa: 'WarningAction',
  infa: 'InformationAction',
  proga: 'ProgressAction',
  ev: 'ErrorVariable',
  wv: 'WarningVariable',
  iv: 'InformationVariable',
  ov: 'OutVariable',
  ob: 'OutBuffer',
  pv: 'PipelineVariable',
  wi: 'WhatIf',
  cf: 'Confirm',
};

/** Set-ReceiveConnector's parameters (Exchange 2013–SE); New-ReceiveConnector adds the creation ones. */
const CONNECTOR_SETTINGS = [
  'AdvertiseClientSettings',
  'AuthMechanism',
  'AuthTarpitInterval',
  'Banner',
  'BareLinefeedRejectionEnabled',
  'BinaryMimeEnabled',
  'Bindings',
  'ChunkingEnabled',
  'Comment',
  'ConnectionInactivityTimeout',
  'ConnectionTimeout',
  'DefaultDomain',
  'DeliveryStatusNotificationEnabled',
  'DomainController',
  'DomainSecureEnabled',
  'EightBitMimeEnabled',
  'EnableAuthGSSAPI',
  'Enabled',
  'EnhancedStatusCodesEnabled',
  'ExtendedProtectionPolicy',
  'Fqdn',
  'LongAddressesEnabled',
  'MaxAcknowledgementDelay',
  'MaxHeaderSize',
  'MaxHopCount',
  'MaxInboundConnection',
  'MaxInboundConnectionPercentagePerSource',
  'MaxInboundConnectionPerSource',
  'MaxLocalHopCount',
  'MaxLogonFailures',
  'MaxMessageSize',
  'MaxProtocolErrors',
  'MaxRecipientsPerMessage',
  'MessageRateLimit',
  'MessageRateSource',
  'Name',
  'OrarEnabled',
  'PermissionGroups',
  'PipeliningEnabled',
  'ProtocolLoggingLevel',
  'RejectReservedSecondLevelRecipientDomains',
  'RejectReservedTopLevelRecipientDomains',
  'RejectSingleLabelRecipientDomains',
  'RemoteIPRanges',
  'RequireEHLODomain',
  'RequireTLS',
  'ServiceDiscoveryFqdn',
  'SizeEnabled',
  'SmtpUtf8Enabled',
  'SuppressXAnonymousTls',
  'TarpitInterval',
  'TlsCertificateName',
  'TlsDomainCapabilities',
  'TransportRole',
];

const ACE_PARAMETERS = [
  'Identity',
  'User',
  'AccessRights',
  'ExtendedRights',
  'ChildObjectTypes',
  'Deny',
  'DomainController',
  'IgnoreDefaultScope',
  'InheritanceType',
  'InheritedObjectType',
  'Instance',
  'Owner',
  'Properties',
];

const COMPARISONS = [
  'EQ',
  'NE',
  'GT',
  'LT',
  'GE',
  'LE',
  'Like',
  'NotLike',
  'Match',
  'NotMatch',
  'Contains',
  'NotContains',
  'In',
  'NotIn',
  'Is',
  'IsNot',
  'CEQ',
  'CNE',
  'CLike',
  'CNotLike',
  'CMatch',
  'CNotMatch',
  'Not',
];

function spec(
  name: string,
  parameters: readonly string[],
  options: { switches?: string[]; positional?: string[]; changes?: boolean } = {},
): CmdletSpec {
  return {
    name,
    parameters,
    switches: options.switches ?? [],
    positional: options.positional ?? [],
    changes: options.changes ?? false,
  };
}

export const CMDLETS: ReadonlyMap<string, CmdletSpec> = new Map(
  [
    spec('Get-ReceiveConnector', ['Identity', 'Server', 'DomainController'], { positional: ['Identity'] }),
    spec('Get-ExchangeServer', ['Identity', 'Domain', 'DomainController', 'Status'], {
      switches: ['Status'],
      positional: ['Identity'],
    }),
    spec('Get-ADPermission', ['Identity', 'User', 'DomainController', 'Owner'], {
      switches: ['Owner'],
      positional: ['Identity'],
    }),
    spec('Get-AcceptedDomain', ['Identity', 'DomainController'], { positional: ['Identity'] }),
    spec(
      'New-ReceiveConnector',
      [...CONNECTOR_SETTINGS, 'Server', 'Custom', 'Internet', 'Internal', 'Client', 'Partner', 'Usage'],
      {
        switches: ['Custom', 'Internet', 'Internal', 'Client', 'Partner'],
        positional: ['Name'],
        changes: true,
      },
    ),
    spec('Set-ReceiveConnector', ['Identity', 'Instance', ...CONNECTOR_SETTINGS], {
      positional: ['Identity'],
      changes: true,
    }),
    spec('Remove-ReceiveConnector', ['Identity', 'DomainController'], {
      positional: ['Identity'],
      changes: true,
    }),
    spec('Add-ADPermission', ACE_PARAMETERS, {
      switches: ['Deny', 'IgnoreDefaultScope'],
      positional: ['Identity'],
      changes: true,
    }),
    spec('Remove-ADPermission', ACE_PARAMETERS, {
      switches: ['Deny', 'IgnoreDefaultScope'],
      positional: ['Identity'],
      changes: true,
    }),
    spec(
      'New-AcceptedDomain',
      [
        'Name',
        'DomainName',
        'DomainType',
        'AddressBookEnabled',
        'DomainController',
        'MatchSubDomains',
        'OutboundOnly',
      ],
      {
        positional: ['Name'],
        changes: true,
      },
    ),
    spec(
      'Set-AcceptedDomain',
      [
        'Identity',
        'DomainType',
        'MakeDefault',
        'AddressBookEnabled',
        'DomainController',
        'EnableNego2Authentication',
        'MatchSubDomains',
        'Name',
        'PendingCompletion',
        'SendingFromDomainDisabled',
      ],
      { switches: ['MakeDefault'], positional: ['Identity'], changes: true },
    ),
    spec('Remove-AcceptedDomain', ['Identity', 'DomainController'], {
      positional: ['Identity'],
      changes: true,
    }),
    spec('Where-Object', ['FilterScript', 'Property', 'Value', 'InputObject', ...COMPARISONS], {
      switches: COMPARISONS,
      positional: ['FilterScript', 'Value'],
    }),
    spec(
      'ForEach-Object',
      [
        'Process',
        'Begin',
        'End',
        'MemberName',
        'ArgumentList',
        'InputObject',
        'RemainingScripts',
        'Parallel',
        'ThrottleLimit',
      ],
      {
        positional: ['Process'],
      },
    ),
    spec(
      'Select-Object',
      [
        'Property',
        'ExpandProperty',
        'First',
        'Last',
        'Skip',
        'Unique',
        'Index',
        'InputObject',
        'ExcludeProperty',
        'SkipLast',
        'Wait',
        'CaseInsensitive',
      ],
      {
        switches: ['Unique', 'Wait', 'CaseInsensitive'],
        positional: ['Property'],
      },
    ),
    spec('New-Object', ['TypeName', 'ArgumentList', 'Property', 'ComObject', 'Strict'], {
      switches: ['Strict'],
      positional: ['TypeName', 'ArgumentList'],
    }),
  ].map((entry) => [entry.name.toLowerCase(), entry]),
);

/** PowerShell's built-in aliases for the commands above. */
export const COMMAND_ALIASES: Readonly<Record<string, string>> = {
  '?': 'Where-Object',
  where: 'Where-Object',
  '%': 'ForEach-Object',
  foreach: 'ForEach-Object',
  select: 'Select-Object',
};

export type ParameterMatch = { ok: true; name: string } | { ok: false; reason: string };

/** A parameter as written (-Rem, -remoteipranges, -ea) → its full name, or PowerShell's binding error. */
export function matchParameter(cmdlet: CmdletSpec, written: string): ParameterMatch {
  const folded = written.toLowerCase();
  const all = [...cmdlet.parameters, ...COMMON, ...(cmdlet.changes ? ['WhatIf', 'Confirm'] : [])];
  const exact = all.find((name) => name.toLowerCase() === folded);
  if (exact) return { ok: true, name: exact };
  const alias = COMMON_ALIASES[folded];
  if (alias && all.includes(alias)) return { ok: true, name: alias };
  const prefixed = all.filter((name) => name.toLowerCase().startsWith(folded));
  if (prefixed.length === 1) return { ok: true, name: prefixed[0] as string };
  if (prefixed.length > 1)
    return {
      ok: false,
      reason: `parameter name '${written}' is ambiguous for ${cmdlet.name}: it could be ${prefixed.join(', ')}`,
    };
  return { ok: false, reason: `${cmdlet.name} has no parameter named '${written}'` };
}

export function isSwitch(cmdlet: CmdletSpec, name: string): boolean {
  return cmdlet.switches.includes(name) || ['Verbose', 'Debug', 'WhatIf', 'Confirm'].includes(name);
}
