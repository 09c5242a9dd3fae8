/**
 * One connector read twice with different settings (an organisation export and a server's own export taken at
 * different times, two snapshots): nothing in the input says which copy is current, so the analysis must not
 * pick one and call the connector safe on its word. The copies are combined into the worst case of the two:
 * every binding, RemoteIPRanges entry, AuthMechanism, permission group and TlsDomainCapabilities entry of
 * either, enabled if either is; two different ACLs make the ACL unknown.
 */

import type { ReceiveConnector } from '../model/snapshot.js';
import { sameJson } from './same-json.js';

export interface MergedCopies {
  connector: ReceiveConnector;
  /** Whether the second copy changed what the analysis sees (else only fields no verdict reads differ). */
  widened: boolean;
}

export const DIFFERENT_ACLS =
  'two inputs hold different ACLs for this connector, and which one is current is unknown';

/** Items of `first`, then those of `second` not in it (case-insensitive, as Exchange compares them). */
function union(first: readonly string[], second: readonly string[]): string[] {
  const seen = new Set(first.map((item) => item.toLowerCase()));
  const added = second.filter((item) => !seen.has(item.toLowerCase()));
  return added.length === 0 ? [...first] : [...first, ...new Set(added)];
}

function optionalUnion(
  first: readonly string[] | null | undefined,
  second: readonly string[] | null | undefined,
): string[] | null {
  if (!first && !second) return null;
  return union(first ?? [], second ?? []);
}

function combinedAcl(first: ReceiveConnector, second: ReceiveConnector): Partial<ReceiveConnector> {
  if (second.permissions === null) return {};
  if (first.permissions === null)
    return { permissions: [...second.permissions], permissionsError: second.permissionsError ?? null };
  if (sameJson(first.permissions, second.permissions)) return {};
  return { permissions: null, permissionsError: DIFFERENT_ACLS };
}

export function mergeCopies(first: ReceiveConnector, second: ReceiveConnector): MergedCopies {
  const merged: ReceiveConnector = {
    ...first,
    enabled: first.enabled || second.enabled,
    bindings: union(first.bindings, second.bindings),
    remoteIPRanges: union(first.remoteIPRanges, second.remoteIPRanges),
    authMechanism: union(first.authMechanism, second.authMechanism),
    permissionGroups: union(first.permissionGroups, second.permissionGroups),
    ...combinedAcl(first, second),
  };
  const capabilities = optionalUnion(first.tlsDomainCapabilities, second.tlsDomainCapabilities);
  if (capabilities !== null || first.tlsDomainCapabilities !== undefined)
    merged.tlsDomainCapabilities = capabilities;
  return { connector: merged, widened: !sameJson(merged, first) };
}
