/**
 * The Snapshot: one normalised, versioned view of an Exchange organisation's receive side.
 * Every input (live collection, CLIXML, ConvertTo-Json, exrelay's own snapshot files) becomes one of these;
 * every analysis starts from one. It is plain JSON: documented in docs/snapshot.md.
 */

export const SNAPSHOT_KIND = 'exrelay.snapshot';
export const SNAPSHOT_SCHEMA_VERSION = 1;

export interface Snapshot {
  kind: typeof SNAPSHOT_KIND;
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  /** ISO 8601 time of collection, or null when unknown (files exported by hand). */
  collectedAt: string | null;
  source: SnapshotSource;
  /** True when some item could not be read (see `errors`): verdicts for those items are unknown. */
  partial: boolean;
  servers: ExchangeServerInfo[];
  connectors: ReceiveConnector[];
  /** null when accepted domains were not part of the input (relay-domain checks cannot run). */
  acceptedDomains: AcceptedDomain[] | null;
  /** Per-item problems met while collecting or ingesting; never fatal on their own. */
  errors: CollectionIssue[];
  /**
   * How the Exchange servers print well-known principals (learned while collecting, or given with --principal):
   * lets ACEs that arrive without a SID be identified whatever the server's language. Left out: none known.
   */
  principalNames?: PrincipalName[];
}

export interface PrincipalName {
  /** The name as Get-ADPermission printed it, e.g. "NT INSTANS\ANONYM INLOGGNING". */
  name: string;
  sid: string;
  /** The server that printed it, or null when given by the user. */
  server: string | null;
}

export interface SnapshotSource {
  /** How the data was obtained. */
  method: 'remote' | 'local' | 'script' | 'files';
  /** Human-readable origin: a connection URI, a host name, or the list of input files. */
  description: string;
  /** Tool and version that wrote the snapshot, when known (e.g. "exrelay 0.1.0", "Get-ExrelaySnapshot.ps1 1"). */
  tool?: string | null;
}

export interface ExchangeServerInfo {
  name: string;
  /** AdminDisplayVersion as printed, e.g. "Version 15.2 (Build 1118.7)"; null when unknown. */
  version: string | null;
  /** ServerRole names, e.g. ["Mailbox"], ["Edge"], ["HubTransport","ClientAccess"]. */
  roles: string[];
  isEdge: boolean;
  /**
   * Where each transport service writes its SMTP Receive protocol logs (ReceiveProtocolLogPath), as the server
   * reports it; left out or null when not collected.
   */
  receiveProtocolLogPaths?: ProtocolLogPath[] | null;
}

export interface ProtocolLogPath {
  /**
   * FrontendTransport, HubTransport (the Transport service: 2007/2010's only one, and an Edge server's), or
   * MailboxTransport (Mailbox Transport Delivery).
   */
  transportRole: string;
  /** A local path on that server, e.g. "C:\Program Files\Microsoft\Exchange Server\V15\TransportRoles\Logs\FrontEnd\ProtocolLog\SmtpReceive". */
  path: string;
}

/**
 * Why an empty ACL is never read as "nobody may relay": every connector inherits entries from its containers, and
 * Get-ADPermission lists them all, so a list without a single entry was emptied on its way (an edited file, an
 * account that may read no entry); the grants it held are unseen. Such a connector's ACL counts as not read.
 */
export const EMPTY_ACL_ERROR =
  'its permission list is empty, yet every connector inherits entries from its containers and Get-ADPermission lists them all: the entries were lost on the way, and a relay grant may have been among them';

export interface ReceiveConnector {
  /** Exchange's identity string, "SERVER\Connector Name". The key that ACEs attach to. */
  identity: string;
  server: string;
  name: string;
  distinguishedName: string | null;
  /** The AD object GUID: the identity that survives a rename. Left out or null when the input lacks it. */
  guid?: string | null;
  enabled: boolean;
  /** FrontendTransport / HubTransport on 2013+; null on 2007/2010 (one transport service, treated as Hub). */
  transportRole: string | null;
  /** As Exchange prints them: "0.0.0.0:25", "[::]:25", "10.1.2.3:25". */
  bindings: string[];
  /** As Exchange prints them (IPRange.ToString()): "10.0.0.0/8", "10.1.1.1-10.1.1.9", "192.168.1.5", "10.0.0.0(255.0.0.0)". */
  remoteIPRanges: string[];
  /** AuthMechanisms flag names, e.g. ["Tls","ExternalAuthoritative"]. */
  authMechanism: string[];
  /** PermissionGroups flag names as Exchange computed them; informative only, never proof of safety. */
  permissionGroups: string[];
  /** The ACL as Get-ADPermission returned it (inherited ACEs included); null when it was not read. */
  permissions: AccessControlEntry[] | null;
  /** Why the ACL could not be read, when collection tried and failed. */
  permissionsError?: string | null;
  /**
   * TlsDomainCapabilities as Exchange prints them ("mail.protection.outlook.com:AcceptCloudServicesMail");
   * [] when read and empty, left out or null when the input lacks the property.
   */
  tlsDomainCapabilities?: string[] | null;
  /** ProtocolLoggingLevel: "None" or "Verbose"; left out or null when the input lacks it. */
  protocolLoggingLevel?: string | null;
  /**
   * Set by the reader, never read from a file: the connector was read more than once with different settings
   * (ingest/merge-copies.ts). The connector holds what either copy holds, all it may receive; this holds what
   * every copy agrees on, all it may be trusted to take away from other connectors.
   */
  agreed?: AgreedSettings;
  /**
   * Set by the reader, never read from a file: the different ACLs that inputs hold for the connector, when
   * `permissions` is null for that reason (ingest/merge-copies.ts). Which is current is unknown; each is assessed
   * alone, so that one granting relay is not lost (analysis/relay.ts).
   */
  permissionCopies?: AccessControlEntry[][];
}

/** What every copy of a connector read more than once agrees on (ReceiveConnector.agreed). */
export interface AgreedSettings {
  /** Enabled in every copy. */
  enabled: boolean;
  /** The bindings every copy holds. */
  bindings: string[];
  /** The RemoteIPRanges entries every copy holds. */
  remoteIPRanges: string[];
}

export interface AccessControlEntry {
  /** The principal as the Exchange server printed it (localized, e.g. "NT-AUTORITÄT\ANONYMOUS-ANMELDUNG"). */
  user: string;
  /** The principal's SID when known ("S-1-5-7"); the most reliable identification. */
  sid: string | null;
  deny: boolean;
  inherited: boolean;
  /** ActiveDirectoryRights names, e.g. ["ExtendedRight"], ["GenericAll"], ["ReadProperty","GenericExecute"]. */
  accessRights: string[];
  /** Extended right names ("ms-Exch-SMTP-Accept-Any-Recipient"); empty when the ACE is not for one right. */
  extendedRights: string[];
  /** ActiveDirectorySecurityInheritance: None, All, Descendents, SelfAndChildren, Children; null when unknown. */
  inheritanceType: string | null;
}

export type AcceptedDomainType = 'Authoritative' | 'InternalRelay' | 'ExternalRelay';

export interface AcceptedDomain {
  name: string;
  /** The domain as configured, e.g. "contoso.com", "*.contoso.com", "*". */
  domainName: string;
  domainType: AcceptedDomainType;
  isDefault: boolean;
}

export interface CollectionIssue {
  scope: 'organization' | 'server' | 'connector' | 'acceptedDomains' | 'input';
  /** The server, connector identity or file concerned; null for organisation-wide problems. */
  target: string | null;
  message: string;
  /**
   * What kind of problem, when a check treats it apart: `filtered-permissions`, a Get-ADPermission export that
   * holds only some entries. Left out: any other.
   */
  kind?: 'filtered-permissions';
}
