/**
 * Effective SMTP rights from a connector's ACL, evaluated the way Windows evaluates a canonical DACL: explicit
 * deny, then explicit allow, then inherited deny, then inherited allow; the first ACE that covers the right
 * decides. Per principal (how Exchange evaluates anonymous sessions: the exact SID, no groups), and per token
 * (an authenticated session also holds Everyone and Authenticated Users, so their ACEs count too).
 */

import type { AccessControlEntry } from '../model/snapshot.js';
import type { PrincipalDirectory, PrincipalIdentity } from './principals.js';

/** The rights relay depends on: Submit (may send at all) and Accept-Any-Recipient (may send anywhere). */
export const Right = {
  Submit: 'ms-Exch-SMTP-Submit',
  AcceptAnyRecipient: 'ms-Exch-SMTP-Accept-Any-Recipient',
} as const;

export type RightName = (typeof Right)[keyof typeof Right];

/** How an ACE came to cover a right: named explicitly, or through a right that includes every extended right. */
export type GrantSource = 'extended-right' | 'all-extended-rights' | 'generic-all';

/** An ACE that covers a right, as a fix needs to name it. */
export interface CoveringAce {
  inherited: boolean;
  deny: boolean;
  source: GrantSource;
  /** ActiveDirectorySecurityInheritance of the ACE (None, All, SelfAndChildren); null when unknown. */
  inheritanceType: string | null;
}

export interface PrincipalRight {
  granted: boolean;
  /**
   * Whether the ACEs grant the right in the order the input lists them (explicit ones before inherited ones).
   * Windows evaluates the order the DACL holds, which is canonical unless a tool wrote it otherwise; this differs
   * from `granted` only then.
   */
  grantedAsListed: boolean;
  /** The ACE that decided, when one did. */
  decidedBy: CoveringAce | null;
  /** Every allow ACE of the principal that covers the right, explicit and inherited: what a revocation must undo. */
  allows: CoveringAce[];
}

export interface PrincipalRights {
  identity: PrincipalIdentity;
  /** The principal as printed in the first ACE seen for it. */
  user: string;
  sid: string | null;
  /** The principal's ACEs that apply to the connector itself, in canonical order. */
  aces: AccessControlEntry[];
  rights: ReadonlyMap<RightName, PrincipalRight>;
}

const EVALUATED_RIGHTS: readonly RightName[] = Object.values(Right);
/** Lower-cased once, not once per ACE. */
const LOWER_CASE_RIGHTS: ReadonlyMap<RightName, string> = new Map(
  EVALUATED_RIGHTS.map((right) => [right, right.toLowerCase()]),
);

/** Inherit-only ACEs (meant for child objects) do not apply to the connector itself. */
const INHERIT_ONLY_TYPES = new Set(['descendents', 'children']);

export function appliesToObject(ace: AccessControlEntry): boolean {
  const type = ace.inheritanceType;
  // Only a name as long as an inherit-only type is lower-cased: one string less for nearly every ACE.
  if (!type || (type.length !== 'descendents'.length && type.length !== 'children'.length)) return true;
  return !INHERIT_ONLY_TYPES.has(type.toLowerCase());
}

/** Case-insensitive equality; the length test spares lower-casing for almost every pair (hundreds of thousands). */
function sameName(name: string, lowerCaseName: string): boolean {
  return name.length === lowerCaseName.length && name.toLowerCase() === lowerCaseName;
}

/** Whether the list holds the name, case aside. A loop, not some() with a closure: called millions of times. */
function listsName(names: readonly string[], lowerCaseName: string): boolean {
  for (let index = 0; index < names.length; index++)
    if (sameName(names[index] as string, lowerCaseName)) return true;
  return false;
}

/** Whether the ACE covers the right, and how. Exported for tests and for explaining a grant. */
export function coverage(ace: AccessControlEntry, right: RightName): GrantSource | null {
  if (listsName(ace.accessRights, 'genericall')) return 'generic-all';
  const lowerRight = LOWER_CASE_RIGHTS.get(right) ?? right.toLowerCase();
  if (listsName(ace.extendedRights, lowerRight)) return 'extended-right';
  // ExtendedRight (control access) with no object type means every extended right.
  if (ace.extendedRights.length === 0 && listsName(ace.accessRights, 'extendedright'))
    return 'all-extended-rights';
  return null;
}

/** Canonical-order rank: lower decides first. */
function rank(ace: AccessControlEntry): number {
  return (ace.inherited ? 2 : 0) + (ace.deny ? 0 : 1);
}

/**
 * The canonical rank of the first ACE that covers `right` (4 when none does). Of several lists weighed together,
 * the lowest of their ranks decides, as the first covering ACE of their canonical order does in `decide`: an
 * account's few ACEs are weighed with the ACEs of every token it holds without joining and sorting them each time.
 */
export function decidingRank(aces: readonly AccessControlEntry[], right: RightName): number {
  let lowest = 4;
  for (const ace of aces) if (rank(ace) < lowest && coverage(ace, right)) lowest = rank(ace);
  return lowest;
}

/** Whether the ACE of that rank (from decidingRank) allows: the allow ranks are odd, and 4 means none covers. */
export function rankAllows(decided: number): boolean {
  return decided % 2 === 1;
}

/**
 * The ACEs by rank, keeping their order within a rank (a four-bucket stable sort). Within a rank every ACE is
 * a deny or every one an allow, so their order never changes a decision.
 */
export function canonicalOrder(aces: readonly AccessControlEntry[]): AccessControlEntry[] {
  // Most ACLs are already in canonical order (Windows keeps them so): one pass, one copy.
  if (isCanonical(aces)) return aces.slice();
  const buckets: AccessControlEntry[][] = [[], [], [], []];
  for (const ace of aces) (buckets[rank(ace)] as AccessControlEntry[]).push(ace);
  return [...buckets[0]!, ...buckets[1]!, ...buckets[2]!, ...buckets[3]!];
}

/**
 * Adds `ace` where Windows puts it: .NET's DiscretionaryAcl (behind Add-ADPermission and the PermissionGroups
 * setter) inserts a new entry at the end of its rank in a canonical ACL, so an explicit deny lands before the
 * explicit allows and wins. A list already out of canonical order gets it at the end.
 */
export function insertInCanonicalOrder(aces: AccessControlEntry[], ace: AccessControlEntry): void {
  if (!isCanonical(aces)) {
    aces.push(ace);
    return;
  }
  const after = aces.findIndex((existing) => rank(existing) > rank(ace));
  if (after < 0) aces.push(ace);
  else aces.splice(after, 0, ace);
}

function isCanonical(aces: readonly AccessControlEntry[]): boolean {
  for (let index = 1; index < aces.length; index++)
    if (rank(aces[index - 1] as AccessControlEntry) > rank(aces[index] as AccessControlEntry)) return false;
  return true;
}

/** The inheritance types Windows writes; a covering ACE with one of them (or none) is shared, frozen. */
const KNOWN_INHERITANCE: readonly (string | null)[] = [
  null,
  'None',
  'All',
  'Descendents',
  'SelfAndChildren',
  'Children',
];
const SOURCES: readonly GrantSource[] = ['extended-right', 'all-extended-rights', 'generic-all'];
/** Indexed by coveringSlot: filled as each combination is first met. */
const SHARED_COVERING: (CoveringAce | undefined)[] = [];

/** A number for each combination of the four facts: a string key cost ~50 MB of garbage on 10,000 connectors. */
function coveringSlot(inherited: boolean, deny: boolean, source: GrantSource, inheritance: number): number {
  return (
    ((inheritance * SOURCES.length + SOURCES.indexOf(source)) * 2 + (deny ? 1 : 0)) * 2 + (inherited ? 1 : 0)
  );
}

/**
 * How an ACE covers a right. Its four facts take few values, and a large organisation has hundreds of thousands
 * of principal rights: equal ones share one frozen object.
 */
function covering(ace: AccessControlEntry, source: GrantSource): CoveringAce {
  const { inherited, deny, inheritanceType } = ace;
  const inheritance = KNOWN_INHERITANCE.indexOf(inheritanceType);
  if (inheritance < 0) return { inherited, deny, source, inheritanceType };
  const slot = coveringSlot(inherited, deny, source, inheritance);
  let shared = SHARED_COVERING[slot];
  if (!shared) {
    shared = Object.freeze({ inherited, deny, source, inheritanceType });
    SHARED_COVERING[slot] = shared;
  }
  return shared;
}

const NO_ALLOWS: CoveringAce[] = Object.freeze([]) as unknown as CoveringAce[];

/** The right as canonical-ordered ACEs decide it. */
export function decide(ordered: readonly AccessControlEntry[], right: RightName): PrincipalRight {
  let decidedBy: CoveringAce | null = null;
  let allows: CoveringAce[] = NO_ALLOWS;
  for (const ace of ordered) {
    const source = coverage(ace, right);
    if (!source) continue;
    const cover = covering(ace, source);
    decidedBy ??= cover;
    // Most principals have one allow ACE per right: a one-element array, not one with room for sixteen.
    if (!ace.deny) {
      if (allows === NO_ALLOWS) allows = [cover];
      else allows.push(cover);
    }
  }
  const granted = decidedBy !== null && !decidedBy.deny;
  return { granted, grantedAsListed: granted, decidedBy, allows };
}

/** Whether the first ACE in `listed` that covers the right allows it. */
function firstCoveringAllows(listed: readonly AccessControlEntry[], right: RightName): boolean {
  for (const ace of listed) if (coverage(ace, right)) return !ace.deny;
  return false;
}

export function effectiveRights(
  acl: readonly AccessControlEntry[],
  directory: PrincipalDirectory,
): PrincipalRights[] {
  const byPrincipal = new Map<
    string,
    { first: AccessControlEntry; identity: PrincipalIdentity; sid: string | null; aces: AccessControlEntry[] }
  >();
  for (const ace of acl) {
    if (!appliesToObject(ace)) continue;
    const identity = directory.identify(ace.user, ace.sid);
    let entry = byPrincipal.get(identity.key);
    if (!entry) {
      entry = { first: ace, identity, sid: ace.sid ?? identity.sid, aces: [] };
      byPrincipal.set(identity.key, entry);
    }
    entry.sid ??= ace.sid;
    entry.aces.push(ace);
  }

  const result: PrincipalRights[] = [];
  for (const entry of byPrincipal.values()) {
    const reordered = !isCanonical(entry.aces);
    // entry.aces is this function's own list: kept as it is when already canonical.
    const ordered = reordered ? canonicalOrder(entry.aces) : entry.aces;
    // Windows keeps inherited entries after explicit ones; only the order within each part is in doubt.
    const listed = reordered
      ? [...entry.aces.filter((ace) => !ace.inherited), ...entry.aces.filter((ace) => ace.inherited)]
      : ordered;
    const rights = new Map<RightName, PrincipalRight>();
    for (const right of EVALUATED_RIGHTS) {
      const decided = decide(ordered, right);
      if (reordered) decided.grantedAsListed = firstCoveringAllows(listed, right);
      rights.set(right, decided);
    }
    result.push({ identity: entry.identity, user: entry.first.user, sid: entry.sid, aces: ordered, rights });
  }
  return result;
}

export function holds(principal: PrincipalRights | undefined, right: RightName): boolean {
  return principal?.rights.get(right)?.granted ?? false;
}

/** Whether the principal holds the right when its ACEs are evaluated in the order the input lists them. */
export function holdsAsListed(principal: PrincipalRights | undefined, right: RightName): boolean {
  return principal?.rights.get(right)?.grantedAsListed ?? false;
}
