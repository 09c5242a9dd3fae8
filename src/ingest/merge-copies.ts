/**
 * One connector read twice with different settings (an organisation export and a server's own export taken at
 * different times, two snapshots): nothing in the input says which copy is current, so the analysis must not
 * pick one and call the connector safe on its word. The copies are combined into the worst case of the two:
 * every binding, RemoteIPRanges entry, AuthMechanism, permission group and TlsDomainCapabilities entry of
 * either, enabled if either is; two different ACLs make the ACL unknown. What both copies agree on is kept
 * beside it (`agreed`): only that may take addresses away from other connectors (analysis/contested-scope.ts).
 */

import type { AccessControlEntry, AgreedSettings, ReceiveConnector } from '../model/snapshot.js';
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
  // An ACL unknown because copies differ stays unknown: a third copy is one more to assess, not the answer.
  if (first.permissionCopies) return differentAcls(first.permissionCopies, second.permissions);
  if (first.permissions === null)
    return { permissions: [...second.permissions], permissionsError: second.permissionsError ?? null };
  return differentAcls([first.permissions], second.permissions);
}

/**
 * Different ACLs of one connector (two copies, or two Get-ADPermission exports: build-snapshot.ts): the ACL is
 * unknown, and each is kept to be assessed alone. Nothing when `added` is one of them already.
 */
function differentAcls(
  known: readonly AccessControlEntry[][],
  added: readonly AccessControlEntry[],
): Partial<ReceiveConnector> {
  if (known.some((acl) => sameJson(acl, added))) return {};
  return { permissions: null, permissionsError: DIFFERENT_ACLS, permissionCopies: [...known, [...added]] };
}

/** Items of `first` that `second` holds too (case-insensitive). */
function intersection(first: readonly string[], second: readonly string[]): string[] {
  const held = new Set(second.map((item) => item.toLowerCase()));
  return first.filter((item) => held.has(item.toLowerCase()));
}

/**
 * What both copies agree on, when they disagree about what the connector listens for. The union is the worst
 * case for the connector itself, but not for its neighbours: a range or binding, or an enabled state, of one copy
 * only would let it take addresses away from another connector, and an open relay next to it read as shadowed
 * (low) while the other copy may be the current one.
 */
function agreedSettings(first: ReceiveConnector, second: ReceiveConnector): AgreedSettings | undefined {
  // A copy may be in doubt on its own already (an export without Enabled: exchange-objects.ts).
  const base: AgreedSettings = first.agreed ?? first;
  const other: AgreedSettings = second.agreed ?? second;
  const agreed: AgreedSettings = {
    enabled: base.enabled && other.enabled,
    bindings: intersection(base.bindings, other.bindings),
    remoteIPRanges: intersection(base.remoteIPRanges, other.remoteIPRanges),
  };
  const same =
    agreed.enabled === (first.enabled || second.enabled) &&
    agreed.bindings.length === union(first.bindings, second.bindings).length &&
    agreed.remoteIPRanges.length === union(first.remoteIPRanges, second.remoteIPRanges).length;
  return same && first.agreed === undefined && second.agreed === undefined ? undefined : agreed;
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
  const agreed = agreedSettings(first, second);
  if (agreed !== undefined) merged.agreed = agreed;
  const capabilities = optionalUnion(first.tlsDomainCapabilities, second.tlsDomainCapabilities);
  if (capabilities !== null || first.tlsDomainCapabilities !== undefined)
    merged.tlsDomainCapabilities = capabilities;
  return { connector: merged, widened: !sameJson(merged, first) };
}
