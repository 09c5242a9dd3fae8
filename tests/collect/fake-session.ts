/**
 * A PowerShellSession that answers Get-ExrelaySnapshot.ps1's steps from canned data, as the real script would,
 * and fails on demand; it records every run.
 */

import type { PowerShellSession, RunOptions } from '../../src/collect/powershell-runner.js';
import type { InventoryConnector, Inventory } from '../../src/collect/step-output.js';
import { CollectionError } from '../../src/errors.js';
import type { AccessControlEntry } from '../../src/model/snapshot.js';
import { anonymousUsersGroup, grant, RELAY } from '../support/builders.js';

export interface RecordedRun {
  script: string;
  args: Record<string, unknown>;
  options: RunOptions;
}

/** What a run does instead of answering: throw this error. */
export type Failure = (run: RecordedRun) => Error | null;

export class FakeSession implements PowerShellSession {
  readonly runs: RecordedRun[] = [];
  disposed = false;
  /** Printed to the host before an answer, as implicit remoting prints remote warnings. */
  hostLines: string[] = [];
  /** What the PrincipalNames step answers. */
  principalNames: Array<{ name: string; sid: string; server: string | null }> = [];

  constructor(
    private readonly inventory: Inventory,
    /** Permission entries per ACL key (DN or identity); a string is the error Get-ADPermission reported. */
    private readonly acls: ReadonlyMap<string, AccessControlEntry[] | string>,
    private readonly failure: Failure = () => null,
  ) {}

  async run(script: string, args: Record<string, unknown> = {}, options: RunOptions = {}): Promise<string> {
    const run = { script, args, options };
    this.runs.push(run);
    const error = this.failure(run);
    if (error) throw error;
    const prefix = this.hostLines.map((line) => `${line}\n`).join('');
    if (args.Step === 'Inventory') return prefix + JSON.stringify(this.inventory);
    if (args.Step === 'Permissions') {
      const connectors = (args.Identity as string[]).map((identity) => {
        const acl = this.acls.get(identity) ?? [];
        return typeof acl === 'string'
          ? { identity, permissions: null, error: acl }
          : { identity, permissions: acl, error: null };
      });
      return prefix + JSON.stringify({ connectors });
    }
    if (args.Step === 'PrincipalNames')
      return prefix + JSON.stringify({ principalNames: this.principalNames });
    return 'alive';
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }

  /** The Identity lists the Permissions runs asked for, in order. */
  permissionRequests(): string[][] {
    return this.runs
      .filter((run) => run.args.Step === 'Permissions')
      .map((run) => run.args.Identity as string[]);
  }
}

export function runFailure(message: string): CollectionError {
  return new CollectionError(message);
}

const ORG_DN =
  'CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com';

export function inventoryConnector(
  server: string,
  name: string,
  overrides: Partial<InventoryConnector> = {},
): InventoryConnector {
  return {
    identity: `${server}\\${name}`,
    server,
    name,
    distinguishedName: `CN=${name},CN=SMTP Receive Connectors,CN=Protocols,CN=${server},${ORG_DN}`,
    enabled: true,
    transportRole: 'FrontendTransport',
    bindings: ['0.0.0.0:25'],
    remoteIPRanges: ['10.10.20.31'],
    authMechanism: ['Tls'],
    permissionGroups: ['AnonymousUsers'],
    ...overrides,
  };
}

/** Contoso: two Exchange 2019 servers with relay connectors for printers and scanners. */
export function contosoInventory(connectors: InventoryConnector[]): Inventory {
  return {
    servers: [
      { name: 'EX01', version: 'Version 15.2 (Build 1544.4)', roles: ['Mailbox'], isEdge: false },
      { name: 'EX02', version: 'Version 15.2 (Build 1544.4)', roles: ['Mailbox'], isEdge: false },
    ],
    connectors,
    acceptedDomains: [
      { name: 'contoso.com', domainName: 'contoso.com', domainType: 'Authoritative', isDefault: true },
    ],
    errors: [],
  };
}

export function relayAcl(): AccessControlEntry[] {
  return [
    ...anonymousUsersGroup().map((entry) => ({ ...entry, sid: 'S-1-5-7' })),
    grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY, { sid: 'S-1-5-7' }),
  ];
}
