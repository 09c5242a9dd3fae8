/**
 * Numeric values of the Exchange and .NET enums that ConvertTo-Json writes as numbers
 * (exchange-domain.md §1.1 and the I32 values in the real Exchange 2019 exports).
 */

export const AUTH_MECHANISMS = {
  None: 0,
  Tls: 1,
  Integrated: 2,
  BasicAuth: 4,
  BasicAuthRequireTLS: 8,
  ExchangeServer: 16,
  ExternalAuthoritative: 32,
} as const;

export const PERMISSION_GROUPS = {
  None: 0,
  AnonymousUsers: 1,
  ExchangeUsers: 2,
  ExchangeServers: 4,
  ExchangeLegacyServers: 8,
  Partners: 16,
  Custom: 32,
} as const;

/** Microsoft.Exchange.Data.Directory.SystemConfiguration.ServerRole (flags). */
export const SERVER_ROLES = {
  None: 0,
  Cafe: 1,
  Mailbox: 2,
  ClientAccess: 4,
  UnifiedMessaging: 16,
  HubTransport: 32,
  Edge: 64,
  FrontendTransport: 16384,
} as const;

export const ACCEPTED_DOMAIN_TYPES = {
  Authoritative: 0,
  ExternalRelay: 1,
  InternalRelay: 2,
} as const;

/** System.DirectoryServices.ActiveDirectoryRights (flags); GenericAll is the composite of the rest. */
export const ACTIVE_DIRECTORY_RIGHTS = {
  CreateChild: 1,
  DeleteChild: 2,
  ListChildren: 4,
  Self: 8,
  ReadProperty: 16,
  WriteProperty: 32,
  DeleteTree: 64,
  ListObject: 128,
  ExtendedRight: 256,
  Delete: 65536,
  ReadControl: 131072,
  GenericExecute: 131076,
  GenericWrite: 131112,
  GenericRead: 131220,
  WriteDacl: 262144,
  WriteOwner: 524288,
  GenericAll: 983551,
  Synchronize: 1048576,
  AccessSystemSecurity: 16777216,
} as const;

/** ActiveDirectoryRights names as the analysis compares them: ignoring case. */
const RIGHT_NAMES: ReadonlySet<string> = new Set(
  Object.keys(ACTIVE_DIRECTORY_RIGHTS).map((name) => name.toLowerCase()),
);

/** Whether `name` is an ActiveDirectoryRights name, in any case. */
export function isActiveDirectoryRight(name: string): boolean {
  return Object.hasOwn(ACTIVE_DIRECTORY_RIGHTS, name) || RIGHT_NAMES.has(name.toLowerCase());
}

/** The first of `names` that is no ActiveDirectoryRights name (a leftover number, a hand-made 'FullControl'). */
export function firstUnknownRight(names: readonly string[]): string | undefined {
  return names.find((name) => !isActiveDirectoryRight(name));
}

/** System.DirectoryServices.ActiveDirectorySecurityInheritance. */
export const SECURITY_INHERITANCE = {
  None: 0,
  All: 1,
  Descendents: 2,
  SelfAndChildren: 3,
  Children: 4,
} as const;

/** Microsoft.Exchange.Data.IPRange+Format. */
export const RANGE_FORMATS = {
  Invalid: 0,
  CIDR: 1,
  Netmask: 2,
  LoHi: 3,
  SingleAddress: 4,
} as const;

/** Microsoft.Exchange.Data.ProtocolLoggingLevel (exchange-domain.md §4.3: None 0, Verbose 1). */
export const PROTOCOL_LOGGING_LEVELS = {
  None: 0,
  Verbose: 1,
} as const;
