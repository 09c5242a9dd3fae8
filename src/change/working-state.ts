/**
 * The organisation while a change is applied: a copy of the snapshot whose connectors are copied only when a
 * command changes them (a 10,000-connector organisation is not cloned for a two-line script), with look-ups by
 * identity, name, DN and GUID as Exchange's -Identity accepts them.
 */

import type { AcceptedDomain, ReceiveConnector, Snapshot } from '../model/snapshot.js';
import type { ServerKind } from './permission-groups.js';
import { PrincipalDirectory } from './principal-directory.js';

/** `undecided`: the answer depends on what the input does not say (the shell's server, Exchange's wildcard rules). */
export type Lookup<T> = { ok: true; value: T } | { ok: false; reason: string; undecided?: true };

export class WorkingState {
  readonly connectors: ReceiveConnector[];
  acceptedDomains: AcceptedDomain[] | null;
  readonly directory: PrincipalDirectory;
  /** Connectors copied for change in this run: safe to mutate. */
  private readonly owned = new WeakSet<ReceiveConnector>();
  /** A stable handle per connector across copies and renames: what a script's connector objects hold on to. */
  private readonly handles = new Map<ReceiveConnector, number>();
  private readonly byHandles = new Map<number, ReceiveConnector>();
  private nextHandle = 0;
  /** Look-up keys (identity, name, DN, GUID; folded) → handles; kept across copies, rebuilt after add/remove/rename. */
  private index: Map<string, number[]> | null = null;
  /** Folded server name → handles of its connectors, in AD order. */
  private servers: Map<string, number[]> | null = null;
  private readonly kinds = new Map<string, ServerKind & { known: boolean }>();

  constructor(
    readonly original: Snapshot,
    /** The server the shell is connected to (Get-ReceiveConnector without -Server, New-ReceiveConnector without -Server). */
    readonly connectedServer: string | null,
  ) {
    this.connectors = [...original.connectors];
    this.acceptedDomains = original.acceptedDomains
      ? original.acceptedDomains.map((domain) => ({ ...domain }))
      : null;
    this.directory = new PrincipalDirectory(original);
  }

  /** The snapshot after the change. */
  result(): Snapshot {
    return { ...this.original, connectors: [...this.connectors], acceptedDomains: this.acceptedDomains };
  }

  serverKind(server: string): ServerKind & { known: boolean } {
    const key = server.toLowerCase();
    const known = this.kinds.get(key);
    if (known) return known;
    const kind = this.readServerKind(server);
    this.kinds.set(key, kind);
    return kind;
  }

  private readServerKind(server: string): ServerKind & { known: boolean } {
    const info = this.original.servers.find((entry) => entry.name.toLowerCase() === server.toLowerCase());
    const major = Number(/(\d+)\.\d+/.exec(info?.version ?? '')?.[1] ?? NaN);
    return {
      major: Number.isFinite(major) ? major : 15,
      isEdge: info?.isEdge ?? false,
      known: info !== undefined && Number.isFinite(major),
    };
  }

  serverExists(server: string): boolean {
    const name = server.toLowerCase();
    return (
      this.original.servers.some((entry) => entry.name.toLowerCase() === name) ||
      (this.serverIndex().get(name)?.length ?? 0) > 0
    );
  }

  /** The connector, copied on first change so the input snapshot is never modified. */
  mutable(connector: ReceiveConnector): ReceiveConnector {
    if (this.owned.has(connector)) return connector;
    const position = this.connectors.indexOf(connector);
    if (position < 0) throw new Error(`connector '${connector.identity}' is not in the working state`);
    const copy = cloneConnector(connector);
    this.connectors[position] = copy;
    this.owned.add(copy);
    const handle = this.handleOf(connector);
    this.handles.set(copy, handle);
    this.byHandles.set(handle, copy);
    return copy;
  }

  /** The connector's handle; the same for the copy a change makes of it. */
  handleOf(connector: ReceiveConnector): number {
    let handle = this.handles.get(connector);
    if (handle === undefined) {
      handle = this.nextHandle++;
      this.handles.set(connector, handle);
      this.byHandles.set(handle, connector);
    }
    return handle;
  }

  /** The connector a handle names today, or null once it was removed. */
  byHandle(handle: number): ReceiveConnector | null {
    return this.byHandles.get(handle) ?? null;
  }

  add(connector: ReceiveConnector): void {
    this.connectors.push(connector);
    this.owned.add(connector);
    const handle = this.handleOf(connector);
    if (this.index) for (const key of lookupKeys(connector)) push(this.index, key, handle);
    if (this.servers) push(this.servers, connector.server.toLowerCase(), handle);
  }

  remove(connector: ReceiveConnector): void {
    const position = this.connectors.indexOf(connector);
    if (position >= 0) this.connectors.splice(position, 1);
    const handle = this.handles.get(connector);
    if (handle !== undefined) this.byHandles.delete(handle);
    this.index = null;
    this.servers = null;
  }

  /** Call after a rename: look-ups are rebuilt. */
  renamed(): void {
    this.index = null;
  }

  connectorsOn(server: string): ReceiveConnector[] {
    return this.resolve(this.serverIndex().get(server.toLowerCase()) ?? []);
  }

  private resolve(handles: readonly number[]): ReceiveConnector[] {
    return handles
      .map((handle) => this.byHandles.get(handle))
      .filter((connector): connector is ReceiveConnector => connector !== undefined);
  }

  private serverIndex(): Map<string, number[]> {
    if (this.servers) return this.servers;
    const servers = new Map<string, number[]>();
    for (const connector of this.connectors)
      push(servers, connector.server.toLowerCase(), this.handleOf(connector));
    this.servers = servers;
    return servers;
  }

  /**
   * A receive connector by -Identity: "SERVER\Name", a GUID, a DN, or a bare name (on the connected server when
   * it has one, else unique in the organisation). A bare name on several servers, with no --connected-server,
   * names the connected server's one in Exchange (exchange-domain.md §10): which one is undecided, not refused.
   * A '*' is a wildcard (matchConnectors); one match is taken, several are undecided.
   */
  findConnector(identity: string): Lookup<ReceiveConnector> {
    const key = identityKey(identity);
    const matches = this.resolve(this.lookup().get(key) ?? []);
    if (matches.length === 1) return { ok: true, value: matches[0] as ReceiveConnector };
    if (matches.length > 1 && !key.includes('\\')) {
      const local = this.connectedServer?.toLowerCase();
      const onConnected = matches.filter((connector) => connector.server.toLowerCase() === local);
      if (onConnected.length === 1) return { ok: true, value: onConnected[0] as ReceiveConnector };
      const names = matches.map((connector) => connector.identity).join(', ');
      if (local === undefined)
        return {
          ok: false,
          undecided: true,
          reason: `'${identity}' names a connector on ${matches.length} servers (${names}); Exchange takes the one on the server the shell is connected to, which the input does not say (pass --connected-server)`,
        };
      return {
        ok: false,
        reason: `the operation couldn't be performed because '${identity}' matches multiple entries (${names})`,
      };
    }
    if (matches.length === 0 && isWildcard(identity)) {
      const found = this.matchConnectors(identity);
      if (found.length === 1) return { ok: true, value: found[0] as ReceiveConnector };
      if (found.length > 1)
        return {
          ok: false,
          undecided: true,
          reason: `the wildcard '${identity}' matches ${found.length} connectors (${found.map((connector) => connector.identity).join(', ')}); which of them Exchange's -Identity takes is not something exrelay decides`,
        };
    }
    return {
      ok: false,
      reason: `the operation couldn't be performed because object '${identity}' couldn't be found`,
    };
  }

  /**
   * The connectors a wildcard identity ('*' only, as Exchange's identity parameters read it) matches: the
   * pattern against the name, and against the server too when written "SERVER\Name". Every server's
   * connectors are searched: a superset when Exchange would search only the connected server's.
   */
  matchConnectors(identity: string): ReceiveConnector[] {
    const text = identity.trim();
    const slash = text.indexOf('\\');
    const server = slash < 0 ? null : starMatcher(text.slice(0, slash));
    const name = starMatcher(slash < 0 ? text : text.slice(slash + 1));
    return this.connectors.filter(
      (connector) => name(connector.name) && (server === null || server(connector.server)),
    );
  }

  private lookup(): Map<string, number[]> {
    if (this.index) return this.index;
    const index = new Map<string, number[]>();
    for (const connector of this.connectors) {
      const handle = this.handleOf(connector);
      for (const key of lookupKeys(connector)) push(index, key, handle);
    }
    this.index = index;
    return index;
  }

  findAcceptedDomain(identity: string): Lookup<AcceptedDomain> {
    const key = identity.trim().toLowerCase();
    const domain = (this.acceptedDomains ?? []).find(
      (entry) => entry.name.toLowerCase() === key || entry.domainName.toLowerCase() === key,
    );
    return domain
      ? { ok: true, value: domain }
      : {
          ok: false,
          reason: `the operation couldn't be performed because accepted domain '${identity}' couldn't be found`,
        };
  }
}

/** A connector whose lists can be changed without touching the original. */
export function cloneConnector(connector: ReceiveConnector): ReceiveConnector {
  return {
    ...connector,
    bindings: [...connector.bindings],
    remoteIPRanges: [...connector.remoteIPRanges],
    authMechanism: [...connector.authMechanism],
    permissionGroups: [...connector.permissionGroups],
    permissions: connector.permissions && connector.permissions.map((ace) => ({ ...ace })),
    tlsDomainCapabilities: connector.tlsDomainCapabilities
      ? [...connector.tlsDomainCapabilities]
      : connector.tlsDomainCapabilities,
  };
}

/** What -Identity may name a connector by: "SERVER\\Name", the bare name, the DN and the GUID (folded). */
function lookupKeys(connector: ReceiveConnector): string[] {
  return [connector.identity, connector.name, connector.distinguishedName, connector.guid]
    .filter((key): key is string => Boolean(key))
    .map(identityKey);
}

const GUID_FORMS = /^[{(]?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})[})]?$/i;
const SERVER_FQDN = /^([^\\.]+)\.[^\\]*\\(.+)$/;

/**
 * One key for the ways -Identity may write the same connector: a GUID in any of .NET's forms ({…}, (…), no
 * dashes), a DN with spaces after its commas, the server as an FQDN ("EX01.contoso.com\Relay"). Case folded.
 */
export function identityKey(identity: string): string {
  const text = identity.trim().toLowerCase();
  const guid = GUID_FORMS.exec(text);
  if (guid) return guid.slice(1).join('-');
  if (/^cn=/.test(text)) return text.replace(/\s*([,=])\s*/g, '$1');
  const fqdn = SERVER_FQDN.exec(text);
  return fqdn ? `${fqdn[1]}\\${fqdn[2]}` : text;
}

function push(index: Map<string, number[]>, key: string, handle: number): void {
  const list = index.get(key);
  if (!list) index.set(key, [handle]);
  else if (!list.includes(handle)) list.push(handle);
}

/** Whether an identity is a pattern for Exchange: a '*' in it. */
export function isWildcard(identity: string): boolean {
  return identity.includes('*');
}

/** A case-insensitive whole-text test where '*' is any run and every other character itself. */
function starMatcher(pattern: string): (text: string) => boolean {
  const parts = pattern.trim().toLowerCase().split('*');
  return (text) => {
    const folded = text.toLowerCase();
    const first = parts[0] as string;
    if (parts.length === 1) return folded === first;
    const last = parts[parts.length - 1] as string;
    if (!folded.startsWith(first) || folded.length < first.length + last.length || !folded.endsWith(last))
      return false;
    // Each middle part at its earliest place after the previous one: enough for '*'-only patterns.
    let at = first.length;
    const end = folded.length - last.length;
    for (const part of parts.slice(1, -1)) {
      const found = folded.indexOf(part, at);
      if (found < 0 || found + part.length > end) return false;
      at = found + part.length;
    }
    return true;
  };
}
