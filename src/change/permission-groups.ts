/**
 * Permission groups as Exchange writes and reads them (exchange-domain.md §1.1–1.2): each group is a set of
 * (principal, right) ACEs, "all server rights" depending on the server's version; reading PermissionGroups back
 * computes it from the ACL.
 */

import type { AccessControlEntry } from '../model/snapshot.js';
import {
  E15_INTERNAL_RIGHTS,
  LEGACY_DENIED_RIGHTS,
  TRUSTED_SOURCE_RIGHTS,
  XSHADOW_RIGHT,
} from '../analysis/extended-rights.js';
import { appliesToObject, coverage, type RightName } from '../analysis/grants.js';
import { identifyPrincipal } from '../analysis/principals.js';
import type { GroupPrincipal, PrincipalDirectory } from './principal-directory.js';

export const PERMISSION_GROUP_NAMES = [
  'AnonymousUsers',
  'ExchangeUsers',
  'ExchangeServers',
  'ExchangeLegacyServers',
  'Partners',
  'Custom',
] as const;

export type PermissionGroup = (typeof PERMISSION_GROUP_NAMES)[number];

const ANONYMOUS_RIGHTS = [
  'ms-Exch-SMTP-Submit',
  'ms-Exch-SMTP-Accept-Any-Sender',
  'ms-Exch-SMTP-Accept-Authoritative-Domain-Sender',
  'ms-Exch-Accept-Headers-Routing',
];
const EXCHANGE_USERS_RIGHTS = [
  'ms-Exch-SMTP-Submit',
  'ms-Exch-SMTP-Accept-Any-Recipient',
  'ms-Exch-Bypass-Anti-Spam',
  'ms-Exch-Accept-Headers-Routing',
];
const PARTNER_RIGHTS = ['ms-Exch-SMTP-Submit', 'ms-Exch-Accept-Headers-Routing'];

/** "All server rights" grew with each generation: 2010 added XShadow, 2013 the other internal X* rights. */
function serverRights(major: number): string[] {
  const rights = [...TRUSTED_SOURCE_RIGHTS, ...LEGACY_DENIED_RIGHTS];
  if (major >= 14) rights.push(XSHADOW_RIGHT);
  if (major >= 15) rights.push(...E15_INTERNAL_RIGHTS);
  return rights;
}

export interface GroupGrant {
  group: Exclude<PermissionGroup, 'Custom'>;
  principal: GroupPrincipal;
  rights: readonly string[];
  denied: readonly string[];
}

export interface ServerKind {
  /** Exchange major version: 8 (2007), 14 (2010), 15 (2013 and later). */
  major: number;
  isEdge: boolean;
}

/** The grants behind each group on a server, in the order Exchange writes them. Edge has no domain groups. */
export function groupGrants(server: ServerKind): GroupGrant[] {
  const all = serverRights(server.major);
  const grants: GroupGrant[] = [
    { group: 'AnonymousUsers', principal: 'anonymous', rights: ANONYMOUS_RIGHTS, denied: [] },
    { group: 'ExchangeUsers', principal: 'authenticatedUsers', rights: EXCHANGE_USERS_RIGHTS, denied: [] },
    { group: 'ExchangeServers', principal: 'hubTransportServers', rights: all, denied: [] },
    { group: 'ExchangeServers', principal: 'edgeTransportServers', rights: all, denied: [] },
  ];
  if (!server.isEdge)
    grants.push({ group: 'ExchangeServers', principal: 'exchangeServers', rights: all, denied: [] });
  grants.push({
    group: 'ExchangeServers',
    principal: 'externallySecuredServers',
    rights: TRUSTED_SOURCE_RIGHTS,
    denied: [],
  });
  if (!server.isEdge)
    grants.push({
      group: 'ExchangeLegacyServers',
      principal: 'exchangeLegacyInterop',
      rights: TRUSTED_SOURCE_RIGHTS,
      denied: LEGACY_DENIED_RIGHTS,
    });
  grants.push({ group: 'Partners', principal: 'partnerServers', rights: PARTNER_RIGHTS, denied: [] });
  return grants;
}

/** The explicit ACEs one group writes. */
export function groupAces(
  group: PermissionGroup,
  server: ServerKind,
  directory: PrincipalDirectory,
): AccessControlEntry[] {
  const aces: AccessControlEntry[] = [];
  for (const grant of groupGrants(server)) {
    if (grant.group !== group) continue;
    const { user, sid } = directory.groupPrincipal(grant.principal);
    for (const right of grant.rights) aces.push(extendedRightAce(user, sid, right, false));
    for (const right of grant.denied) aces.push(extendedRightAce(user, sid, right, true));
  }
  return aces;
}

export function extendedRightAce(
  user: string,
  sid: string | null,
  right: string,
  deny: boolean,
): AccessControlEntry {
  return {
    user,
    sid,
    deny,
    inherited: false,
    accessRights: ['ExtendedRight'],
    extendedRights: [right],
    inheritanceType: 'None',
  };
}

/** The key that identifies an ACE's principal across spellings (SID when known, else the folded name). */
export function principalKey(ace: { user: string; sid: string | null }): string {
  return identifyPrincipal(ace.user, ace.sid).key;
}

/** Every extended right a principal holds on the object, by the first applicable ACE in canonical order. */
export function heldRights(acl: readonly AccessControlEntry[], key: string): Set<string> {
  const aces = acl.filter((ace) => appliesToObject(ace) && principalKey(ace) === key);
  const ordered = [0, 1, 2, 3].flatMap((rank) =>
    aces.filter((ace) => (ace.inherited ? 2 : 0) + (ace.deny ? 0 : 1) === rank),
  );
  const rights = new Set<string>();
  const candidates = new Set<string>([
    ...ANONYMOUS_RIGHTS,
    ...EXCHANGE_USERS_RIGHTS,
    ...serverRights(15),
    ...aces.flatMap((ace) => ace.extendedRights),
  ]);
  for (const right of candidates) {
    // coverage() only compares names, so any right name works despite its narrower type.
    const decided = ordered.find((ace) => coverage(ace, right as RightName) !== null);
    if (decided && !decided.deny) rights.add(right.toLowerCase());
  }
  return rights;
}

/**
 * PermissionGroups as Exchange computes it from the ACL: a group is set when each of its principals holds at
 * least the group's rights; Custom is added when a group principal holds some other non-empty set, or when another
 * principal with an explicit ACE holds a set that matches no group's.
 */
export function computePermissionGroups(
  acl: readonly AccessControlEntry[],
  server: ServerKind,
  directory: PrincipalDirectory,
): string[] {
  const grants = groupGrants(server).map((grant) => ({
    ...grant,
    key: principalKey(directory.groupPrincipal(grant.principal)),
    rightSet: new Set(grant.rights.map((right) => right.toLowerCase())),
  }));
  const held = new Map<string, Set<string>>();
  const heldBy = (key: string) => {
    let rights = held.get(key);
    if (!rights) held.set(key, (rights = heldRights(acl, key)));
    return rights;
  };
  const result = new Set<string>();
  for (const group of PERMISSION_GROUP_NAMES) {
    const members = grants.filter((grant) => grant.group === group);
    if (members.length > 0 && members.every((grant) => isSuperset(heldBy(grant.key), grant.rightSet)))
      result.add(group);
  }
  let custom = grants.some(
    (grant) => heldBy(grant.key).size > 0 && !sameSet(heldBy(grant.key), grant.rightSet),
  );
  const groupKeys = new Set(grants.map((grant) => grant.key));
  for (const ace of acl) {
    if (custom) break;
    if (ace.inherited) continue;
    const key = principalKey(ace);
    if (groupKeys.has(key)) continue;
    const rights = heldBy(key);
    if (rights.size > 0 && !grants.some((grant) => sameSet(rights, grant.rightSet))) custom = true;
  }
  if (custom) result.add('Custom');
  const names = PERMISSION_GROUP_NAMES.filter((name) => result.has(name));
  return names.length > 0 ? [...names] : ['None'];
}

function isSuperset(set: ReadonlySet<string>, subset: ReadonlySet<string>): boolean {
  for (const item of subset) if (!set.has(item)) return false;
  return true;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && isSuperset(a, b);
}
