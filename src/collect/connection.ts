/**
 * Where the Exchange cmdlets come from (a remote endpoint, this server's Management Shell, or the
 * administrator's own init script), how that is described in the snapshot, and opening and closing it in a
 * PowerShell session through scripts/Connect-ExrelayExchange.ps1.
 */

import { hostname } from 'node:os';
import { basename } from 'node:path';
import type { SnapshotSource } from '../model/snapshot.js';
import type { PowerShellSession } from './powershell-runner.js';
import { CONNECT_SCRIPT, loadScript } from './scripts.js';

export interface Credential {
  userName: string;
  password: string;
}

export type ConnectionTarget =
  | { kind: 'remote'; connectionUri: string; authentication: string; credential: Credential | null }
  | { kind: 'local' }
  | { kind: 'init-script'; path: string };

/** The snapshot's source: the endpoint's URI (which holds no credential: the CLI refuses one), or this host. */
export function describeSource(
  target: ConnectionTarget,
  host: string = hostname(),
): Omit<SnapshotSource, 'tool'> {
  switch (target.kind) {
    case 'remote':
      return { method: 'remote', description: target.connectionUri };
    case 'local':
      return { method: 'local', description: host };
    case 'init-script':
      return { method: 'local', description: `${host} (init script ${basename(target.path)})` };
  }
}

function connectArguments(target: ConnectionTarget): Record<string, unknown> {
  switch (target.kind) {
    case 'remote':
      return {
        ConnectionUri: target.connectionUri,
        Authentication: target.authentication,
        ...(target.credential && {
          UserName: target.credential.userName,
          Password: target.credential.password,
        }),
      };
    case 'local':
      return { Local: true };
    case 'init-script':
      return { InitScript: target.path };
  }
}

function connectLabel(target: ConnectionTarget): string {
  switch (target.kind) {
    case 'remote':
      return `connecting to ${target.connectionUri}`;
    case 'local':
      return 'loading the Exchange Management Shell';
    case 'init-script':
      return `running the init script ${target.path}`;
  }
}

/** Brings the Exchange Get- cmdlets into the session; a CollectionError when that fails. */
export async function connect(
  session: PowerShellSession,
  target: ConnectionTarget,
  timeoutMs: number,
): Promise<void> {
  const script = await loadScript(CONNECT_SCRIPT);
  await session.run(script, connectArguments(target), { timeoutMs, label: connectLabel(target) });
}

/**
 * Closes every PSSession of the shell: Exchange allows a user 18 concurrent shells, and one left open counts
 * until the server's idle timeout. Fails like any run when the shell itself is gone.
 */
export async function disconnect(session: PowerShellSession, timeoutMs: number): Promise<void> {
  const script = await loadScript(CONNECT_SCRIPT);
  await session.run(script, { Disconnect: true }, { timeoutMs, label: 'closing the Exchange session' });
}
