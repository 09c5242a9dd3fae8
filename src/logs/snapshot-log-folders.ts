/**
 * The protocol log folders a snapshot records (each transport service's ReceiveProtocolLogPath), as this machine
 * can reach them: a local path on the server, "D:\Exchange\…\SmtpReceive", is "\\SERVER\D$\Exchange\…\SmtpReceive"
 * over the server's administrative share. Only the Front End and Transport services receive from clients; the
 * Mailbox Transport Delivery log is left out.
 */

import type { Snapshot } from '../model/snapshot.js';

export interface LogFolder {
  server: string;
  transportRole: string;
  /** The path as the server reported it. */
  local: string;
  /** The administrative-share path, or null when the local path has no drive letter. */
  unc: string | null;
}

const RECEIVING_ROLES = new Set(['FrontendTransport', 'HubTransport']);

export function snapshotLogFolders(snapshot: Snapshot): LogFolder[] {
  return snapshot.servers.flatMap((server) =>
    (server.receiveProtocolLogPaths ?? [])
      .filter((entry) => RECEIVING_ROLES.has(entry.transportRole))
      .map((entry) => ({
        server: server.name,
        transportRole: entry.transportRole,
        local: entry.path,
        unc: adminSharePath(server.name, entry.path),
      })),
  );
}

/** "C:\Program Files\…" on EX01 → "\\EX01\C$\Program Files\…"; null for anything but a drive-letter path. */
export function adminSharePath(server: string, local: string): string | null {
  const match = /^([A-Za-z]):\\(.*)$/.exec(local.trim());
  if (!match) return null;
  return `\\\\${server}\\${(match[1] as string).toUpperCase()}$\\${match[2] as string}`;
}
