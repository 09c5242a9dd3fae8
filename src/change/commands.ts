/**
 * The changes exrelay models, as plain data: what a cmdlet invocation asks Exchange to do, its arguments already
 * evaluated. The evaluator (evaluate.ts) produces them from a script; apply.ts carries them out on a snapshot.
 */

/** A multi-valued property given as a whole list (replaces it) or as @{Add=…; Remove=…}. */
export type ListChange = { replace: string[] } | { add: string[]; remove: string[] };

export const USAGES = ['Custom', 'Internet', 'Internal', 'Client', 'Partner'] as const;
export type Usage = (typeof USAGES)[number];

export interface ConnectorSettings {
  name?: string;
  bindings?: string[];
  remoteIPRanges?: ListChange;
  authMechanism?: string[];
  permissionGroups?: string[];
  enabled?: boolean;
  transportRole?: string;
  tlsDomainCapabilities?: ListChange;
  protocolLoggingLevel?: string;
}

export interface AceSpec {
  /** -User as written: a name (any language) or a SID. */
  user: string;
  extendedRights: string[];
  accessRights: string[];
  deny: boolean;
  /** -InheritanceType, or null when not given. */
  inheritanceType: string | null;
}

export type ChangeCommand =
  | { kind: 'new-connector'; server: string; name: string; usage: Usage | null; settings: ConnectorSettings }
  | { kind: 'set-connector'; identity: string; settings: ConnectorSettings }
  | { kind: 'remove-connector'; identity: string }
  | { kind: 'add-permission'; identity: string; ace: AceSpec }
  | { kind: 'remove-permission'; identity: string; ace: AceSpec }
  | { kind: 'new-accepted-domain'; name: string; domainName: string; domainType: string | null }
  | { kind: 'set-accepted-domain'; identity: string; domainType: string | null; makeDefault: boolean }
  | { kind: 'remove-accepted-domain'; identity: string };

/** One consequence of a command worth telling the reviewer, with the values behind it. */
export interface ChangeEffect {
  kind:
    | 'connector-created'
    | 'connector-removed'
    | 'connector-renamed'
    | 'property-set'
    | 'ranges-added'
    | 'ranges-removed'
    | 'ranges-dropped'
    | 'aces-added'
    | 'aces-removed'
    | 'domain-added'
    | 'domain-removed'
    | 'domain-changed'
    | 'note';
  /** The connector or accepted domain concerned. */
  target: string | null;
  text: string;
  values?: string[];
}

export type CommandStatus = 'applied' | 'unchanged' | 'refused';

export interface CommandResult {
  status: CommandStatus;
  /** Why Exchange would refuse it, in its own terms. */
  reason: string | null;
  effects: ChangeEffect[];
}
