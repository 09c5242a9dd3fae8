/**
 * Collection through a PowerShell session that already has the Exchange cmdlets: the inventory (servers,
 * connectors, accepted domains) in one run, then the permissions a chunk of connectors per run, so that progress
 * shows and one failing chunk costs only its connectors. A connector whose ACL cannot be read is kept with
 * `permissions: null` and its error, and the snapshot is partial.
 */

import { CollectionError } from '../errors.js';
import {
  SNAPSHOT_KIND,
  SNAPSHOT_SCHEMA_VERSION,
  type CollectionIssue,
  type ReceiveConnector,
  type Snapshot,
  type SnapshotSource,
} from '../model/snapshot.js';
import { SnapshotFormatError, validateSnapshot } from '../model/validate-snapshot.js';
import type { PowerShellSession } from './powershell-runner.js';
import type { CollectionProgress } from './progress.js';
import { SNAPSHOT_SCRIPT, loadScript } from './scripts.js';
import {
  parseInventory,
  parsePermissions,
  parsePrincipalNames,
  splitAnswer,
  type InventoryConnector,
} from './step-output.js';

/** Connectors per Get-ADPermission run: a default connector has about 90 entries, so a chunk stays well under 1 MB. */
export const DEFAULT_CHUNK_SIZE = 25;

export interface CollectorOptions {
  source: SnapshotSource;
  /** Time limit for each run; the session's own otherwise. */
  timeoutMs?: number;
  chunkSize?: number;
  progress?: CollectionProgress;
  /** The time written as collectedAt; the start of the inventory otherwise. */
  now?: () => Date;
  /** Receives what PowerShell printed to its host beside the answers (remote warnings). */
  onHostLine?: (line: string) => void;
}

/** Get-ExrelaySnapshot.ps1 in one PowerShell session: its steps, and whether the session still answers. */
class SnapshotScript {
  constructor(
    private readonly session: PowerShellSession,
    private readonly script: string,
    private readonly options: CollectorOptions,
  ) {}

  /** Runs one step and returns its JSON answer; what the host printed beside it goes to onHostLine. */
  async step(args: Record<string, unknown>, label: string): Promise<string> {
    const output = await this.session.run(this.script, args, { label, timeoutMs: this.options.timeoutMs });
    const { json, hostLines } = splitAnswer(output);
    for (const line of hostLines) this.options.onHostLine?.(line.replace(/^WARNING:\s*/, ''));
    return json;
  }

  /**
   * A step may fail on its own (an odd answer, an error the script did not expect) or because the shell or its
   * connection is gone; only the first is worth going on after. A trivial run tells them apart.
   */
  async stillAnswers(): Promise<boolean> {
    try {
      await this.session.run(
        "'alive'",
        {},
        {
          label: 'checking that PowerShell still answers',
          timeoutMs: this.options.timeoutMs,
        },
      );
      return true;
    } catch {
      return false;
    }
  }
}

export async function collectSnapshot(
  session: PowerShellSession,
  options: CollectorOptions,
): Promise<Snapshot> {
  const script = new SnapshotScript(session, await loadScript(SNAPSHOT_SCRIPT), options);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const collectedAt = (options.now ?? (() => new Date()))().toISOString();

  options.progress?.phase('Reading servers, receive connectors and accepted domains');
  const inventory = parseInventory(
    await script.step({ Step: 'Inventory' }, 'reading servers, receive connectors and accepted domains'),
  );
  if (inventory.connectors.length === 0) {
    const serverErrors = inventory.errors.map((issue) => issue.message).join('; ');
    throw new CollectionError(
      `no receive connectors were found${serverErrors ? `: ${serverErrors}` : ' (is the account allowed to read them?)'}`,
    );
  }

  const errors: CollectionIssue[] = [...inventory.errors];
  const connectors: ReceiveConnector[] = [];
  const total = inventory.connectors.length;
  options.progress?.permissions(0, total);
  for (let start = 0; start < total; start += chunkSize) {
    const chunk = inventory.connectors.slice(start, start + chunkSize);
    const label = `reading the permissions of connectors ${start + 1}-${start + chunk.length} of ${total}`;
    for (const connector of await readPermissions(script, chunk, label)) {
      if (connector.permissionsError) {
        errors.push({ scope: 'connector', target: connector.identity, message: connector.permissionsError });
      }
      connectors.push(connector);
    }
    options.progress?.permissions(start + chunk.length, total);
  }

  const principalNames = await learnPrincipalNames(script, connectors);
  return checked({
    kind: SNAPSHOT_KIND,
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collectedAt,
    source: options.source,
    partial: errors.length > 0,
    servers: inventory.servers,
    connectors,
    acceptedDomains: inventory.acceptedDomains,
    errors,
    principalNames,
  });
}

/** Connectors to ask for principal names, at most: each asks Get-ADPermission once per well-known SID. */
const PRINCIPAL_NAME_CONNECTORS = 5;

/**
 * Remote collection loses SIDs: ask the server how it prints the well-known principals (ANONYMOUS LOGON,
 * Everyone, Authenticated Users, Externally Secured Servers), on connectors whose ACL names someone without a
 * SID. Nothing to ask when every entry carries its SID. A failure here costs only the names, never the snapshot.
 */
async function learnPrincipalNames(script: SnapshotScript, connectors: readonly ReceiveConnector[]) {
  const keys = connectors
    .filter((connector) => connector.permissions?.some((ace) => ace.sid === null))
    .slice(0, PRINCIPAL_NAME_CONNECTORS)
    .map(aclKey);
  if (keys.length === 0) return [];
  try {
    return parsePrincipalNames(
      await script.step(
        { Step: 'PrincipalNames', Identity: keys },
        'reading how the server names well-known principals',
      ),
    );
  } catch (error) {
    if (!(error instanceof CollectionError) || !(await script.stillAnswers())) throw error;
    return [];
  }
}

/** The ACL is read by distinguished name, which stays unique when two servers have a connector of one name. */
function aclKey(connector: Pick<InventoryConnector, 'distinguishedName' | 'identity'>): string {
  return connector.distinguishedName ?? connector.identity;
}

async function readPermissions(
  script: SnapshotScript,
  chunk: InventoryConnector[],
  label: string,
): Promise<ReceiveConnector[]> {
  const keys = chunk.map(aclKey);
  try {
    const results = parsePermissions(await script.step({ Step: 'Permissions', Identity: keys }, label), keys);
    return chunk.map((connector) => {
      const result = results.get(aclKey(connector));
      return {
        ...connector,
        permissions: result?.permissions ?? null,
        permissionsError: result?.error ?? null,
      };
    });
  } catch (error) {
    if (!(error instanceof CollectionError) || !(await script.stillAnswers())) throw error;
    return chunk.map((connector) => ({ ...connector, permissions: null, permissionsError: error.message }));
  }
}

function checked(snapshot: Snapshot): Snapshot {
  try {
    return validateSnapshot(snapshot);
  } catch (error) {
    if (!(error instanceof SnapshotFormatError)) throw error;
    throw new CollectionError(`the collected data is not a valid snapshot: ${error.message}`, {
      cause: error,
    });
  }
}
