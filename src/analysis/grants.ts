/**
 * Effective SMTP rights per principal from a connector's ACL, evaluated the way Windows evaluates a canonical
 * DACL: explicit deny, then explicit allow, then inherited deny, then inherited allow; the first ACE that covers
 * the right decides.
 */

import type { AccessControlEntry } from '../model/snapshot.js';
import { identifyPrincipal, type WellKnownPrincipal } from './principals.js';

/** The rights relay depends on: Submit (may send at all) and Accept-Any-Recipient (may send anywhere). */
export const Right = {
  Submit: 'ms-Exch-SMTP-Submit',
  AcceptAnyRecipient: 'ms-Exch-SMTP-Accept-Any-Recipient',
} as const;

export type RightName = (typeof Right)[keyof typeof Right];

/** How an ACE came to cover a right: named explicitly, or through a right that includes every extended right. */
export type GrantSource = 'extended-right' | 'all-extended-rights' | 'generic-all';

export interface PrincipalRight {
  granted: boolean;
  /** The ACE that decided, when one did. */
  decidedBy: { inherited: boolean; deny: boolean; source: GrantSource } | null;
}

export interface PrincipalRights {
  key: string;
  /** The principal as printed in the first ACE seen for it. */
  user: string;
  sid: string | null;
  wellKnown: WellKnownPrincipal | null;
  rights: ReadonlyMap<RightName, PrincipalRight>;
}

const EVALUATED_RIGHTS: readonly RightName[] = Object.values(Right);

/** Inherit-only ACEs (meant for child objects) do not apply to the connector itself. */
const INHERIT_ONLY_TYPES = new Set(['descendents', 'children']);

export function appliesToObject(ace: AccessControlEntry): boolean {
  return !ace.inheritanceType || !INHERIT_ONLY_TYPES.has(ace.inheritanceType.toLowerCase());
}

/** Case-insensitive equality; the length test spares lower-casing for almost every pair (hundreds of thousands). */
function sameName(name: string, lowerCaseName: string): boolean {
  return name.length === lowerCaseName.length && name.toLowerCase() === lowerCaseName;
}

/** Whether the ACE covers the right, and how. Exported for tests and for explaining a grant. */
export function coverage(ace: AccessControlEntry, right: RightName): GrantSource | null {
  if (ace.accessRights.some((name) => sameName(name, 'genericall'))) return 'generic-all';
  const lowerRight = right.toLowerCase();
  if (ace.extendedRights.some((name) => sameName(name, lowerRight))) return 'extended-right';
  // ExtendedRight (control access) with no object type means every extended right.
  if (ace.extendedRights.length === 0 && ace.accessRights.some((name) => sameName(name, 'extendedright')))
    return 'all-extended-rights';
  return null;
}

/** Canonical-order rank: lower decides first. */
function rank(ace: AccessControlEntry): number {
  return (ace.inherited ? 2 : 0) + (ace.deny ? 0 : 1);
}

/** The ACEs by rank, keeping their order within a rank (a four-bucket stable sort). */
function canonicalOrder(aces: readonly AccessControlEntry[]): AccessControlEntry[] {
  const buckets: AccessControlEntry[][] = [[], [], [], []];
  for (const ace of aces) (buckets[rank(ace)] as AccessControlEntry[]).push(ace);
  return buckets.flat();
}

export function effectiveRights(acl: readonly AccessControlEntry[]): PrincipalRights[] {
  const byPrincipal = new Map<
    string,
    {
      first: AccessControlEntry;
      sid: string | null;
      wellKnown: WellKnownPrincipal | null;
      aces: AccessControlEntry[];
    }
  >();
  for (const ace of acl) {
    if (!appliesToObject(ace)) continue;
    const identity = identifyPrincipal(ace.user, ace.sid);
    let entry = byPrincipal.get(identity.key);
    if (!entry) {
      entry = { first: ace, sid: ace.sid, wellKnown: identity.wellKnown, aces: [] };
      byPrincipal.set(identity.key, entry);
    }
    entry.sid ??= ace.sid;
    entry.aces.push(ace);
  }

  const result: PrincipalRights[] = [];
  for (const [key, entry] of byPrincipal) {
    const ordered = canonicalOrder(entry.aces);
    const rights = new Map<RightName, PrincipalRight>();
    for (const right of EVALUATED_RIGHTS) rights.set(right, decide(ordered, right));
    result.push({ key, user: entry.first.user, sid: entry.sid, wellKnown: entry.wellKnown, rights });
  }
  return result;
}

function decide(ordered: readonly AccessControlEntry[], right: RightName): PrincipalRight {
  for (const ace of ordered) {
    const source = coverage(ace, right);
    if (source)
      return { granted: !ace.deny, decidedBy: { inherited: ace.inherited, deny: ace.deny, source } };
  }
  return { granted: false, decidedBy: null };
}

export function holds(principal: PrincipalRights | undefined, right: RightName): boolean {
  return principal?.rights.get(right)?.granted ?? false;
}
