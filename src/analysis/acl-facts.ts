/**
 * What a connector's ACL alone says about relay, decided once per distinct ACL: an organisation's connectors
 * repeat a few ACLs (the 10,000-connector benchmark has 200,000 ACEs in 3 distinct lists), and the reader gives
 * equal ACEs one shared object (model/shared-values.ts), so an ACL is recognised by the identity of its ACEs.
 */

import type { AccessControlEntry } from '../model/snapshot.js';
import {
  decidingRank,
  effectiveRights,
  holds,
  holdsAsListed,
  rankAllows,
  Right,
  type PrincipalRights,
} from './grants.js';
import type { PrincipalDirectory, WellKnownPrincipal } from './principals.js';
import { isUnresolvedRight } from './extended-rights.js';
import type { RelayPrincipal, UnknownReason, UnresolvedRightHolder } from './relay.js';

export interface AclFacts {
  /** ANONYMOUS LOGON holds Submit. */
  anonymousSubmit: boolean;
  /** ANONYMOUS LOGON holds Accept-Any-Recipient. */
  anonymousRelayRight: boolean;
  /** In the order the ACL is listed, ANONYMOUS LOGON holds Submit and Accept-Any-Recipient. */
  anonymousRelaysAsListed: boolean;
  /** Some ACE is identified as ANONYMOUS LOGON. */
  anonymousIdentified: boolean;
  /** Externally Secured Servers hold Submit and Accept-Any-Recipient. */
  securedRelays: boolean;
  securedRelaysAsListed: boolean;
  securedIdentified: boolean;
  /** Everyone holds Accept-Any-Recipient, and no deny takes it from authenticated sessions. */
  everyone: boolean;
  /** Every principal that holds Accept-Any-Recipient; shared by the connectors of this ACL, never changed. */
  principals: readonly RelayPrincipal[];
  /** One reason per relay principal exrelay cannot identify, in the order of `principals`. */
  unidentified: readonly UnknownReason[];
  /** Some principal relays once it authenticates. */
  authenticated: boolean;
  /**
   * ANONYMOUS LOGON, Externally Secured Servers and principals exrelay cannot identify, when their relay is not
   * proven and an allow entry of theirs names a right exrelay cannot resolve (extended-rights.ts).
   */
  unresolvedRights: readonly UnresolvedRightHolder[];
}

interface AclNode {
  next: Map<AccessControlEntry, AclNode> | null;
  facts: AclFacts | null;
}

/** Distinct ACLs remembered per directory at most: a hostile export can give every connector its own. */
const MAX_REMEMBERED = 1_000;

interface Remembered {
  root: AclNode;
  count: number;
}

// Per directory, because identification depends on the snapshot's names; dropped with the directory.
const rememberedBy = new WeakMap<PrincipalDirectory, Remembered>();

/** The facts of an ACL, decided now or remembered from an ACL of the same ACE objects. */
export function aclFacts(acl: readonly AccessControlEntry[], directory: PrincipalDirectory): AclFacts {
  let remembered = rememberedBy.get(directory);
  if (remembered === undefined) {
    remembered = { root: { next: null, facts: null }, count: 0 };
    rememberedBy.set(directory, remembered);
  }
  const grow = remembered.count < MAX_REMEMBERED;
  let node: AclNode | undefined = remembered.root;
  for (let index = 0; index < acl.length && node !== undefined; index++) {
    const ace = acl[index] as AccessControlEntry;
    let child: AclNode | undefined = node.next?.get(ace);
    if (child === undefined && grow) {
      child = { next: null, facts: null };
      (node.next ??= new Map()).set(ace, child);
    }
    node = child;
  }
  if (node?.facts) return node.facts;
  const facts = decideAcl(acl, directory);
  if (node !== undefined) {
    node.facts = facts;
    remembered.count++;
  }
  return facts;
}

function decideAcl(acl: readonly AccessControlEntry[], directory: PrincipalDirectory): AclFacts {
  const principals = effectiveRights(acl, directory);
  const find = (wellKnown: WellKnownPrincipal): PrincipalRights | undefined =>
    principals.find((principal) => principal.identity.wellKnown === wellKnown);

  const anonymousPrincipal = find('anonymous');
  const securedPrincipal = find('externallySecuredServers');
  // Every authenticated session's token holds Everyone and Authenticated Users: their ACEs count for each account.
  const tokenAces = [...(find('everyone')?.aces ?? []), ...(find('authenticatedUsers')?.aces ?? [])];
  const tokenRank = decidingRank(tokenAces, Right.AcceptAnyRecipient);
  const relaysWhenAuthenticated = (principal: PrincipalRights) =>
    rankAllows(Math.min(decidingRank(principal.aces, Right.AcceptAnyRecipient), tokenRank));

  const relayPrincipals: RelayPrincipal[] = principals
    .filter((principal) => holds(principal, Right.AcceptAnyRecipient))
    .map((principal) => {
      const right = principal.rights.get(Right.AcceptAnyRecipient);
      const decided = right?.decidedBy;
      const { identity } = principal;
      const inherited = decided?.inherited ?? false;
      const source = decided?.source ?? 'extended-right';
      const account =
        identity.wellKnown === 'authenticatedUsers' ||
        (identity.kind === 'account' && !(inherited && source === 'generic-all'));
      // Frozen: every connector of this ACL reports the same objects (AclFacts.principals).
      return Object.freeze({
        user: principal.user,
        sid: principal.sid,
        wellKnown: identity.wellKnown,
        kind: identity.kind,
        infrastructure: identity.infrastructure,
        inherited,
        source,
        canSubmit: holds(principal, Right.Submit),
        grants: right?.allows ?? [],
        authenticatedRelay: account && !identity.infrastructure && relaysWhenAuthenticated(principal),
      });
    });

  const everyonePrincipal = find('everyone');
  const identified = (wellKnown: WellKnownPrincipal) =>
    acl.some((ace) => directory.identify(ace.user, ace.sid).wellKnown === wellKnown);
  const relaysAsListed = (principal: PrincipalRights | undefined) =>
    holdsAsListed(principal, Right.Submit) && holdsAsListed(principal, Right.AcceptAnyRecipient);
  return {
    anonymousSubmit: holds(anonymousPrincipal, Right.Submit),
    anonymousRelayRight: holds(anonymousPrincipal, Right.AcceptAnyRecipient),
    anonymousRelaysAsListed: relaysAsListed(anonymousPrincipal),
    anonymousIdentified: identified('anonymous'),
    securedRelays: holds(securedPrincipal, Right.Submit) && holds(securedPrincipal, Right.AcceptAnyRecipient),
    securedRelaysAsListed: relaysAsListed(securedPrincipal),
    securedIdentified: identified('externallySecuredServers'),
    everyone:
      holds(everyonePrincipal, Right.AcceptAnyRecipient) &&
      relaysWhenAuthenticated(everyonePrincipal as PrincipalRights),
    principals: relayPrincipals,
    unidentified: relayPrincipals
      .filter((principal) => principal.kind === 'unidentified')
      .map((principal) => ({
        kind: 'unidentified-principal',
        principal,
        ntAuthority: directory.isNtAuthorityName(principal.user),
      })),
    authenticated: relayPrincipals.some((principal) => principal.authenticatedRelay),
    unresolvedRights: principals.flatMap((principal) => unresolvedRightsOf(principal)),
  };
}

/** The principal with the rights it may hold unseen; none when it cannot relay unauthenticated or already does. */
function unresolvedRightsOf(principal: PrincipalRights): UnresolvedRightHolder[] {
  const { identity } = principal;
  const wellKnown =
    identity.wellKnown === 'anonymous' || identity.wellKnown === 'externallySecuredServers'
      ? identity.wellKnown
      : null;
  if (wellKnown === null && identity.kind !== 'unidentified') return [];
  if (holds(principal, Right.Submit) && holds(principal, Right.AcceptAnyRecipient)) return [];
  const rights = new Set<string>();
  for (const ace of principal.aces)
    if (!ace.deny) for (const right of ace.extendedRights) if (isUnresolvedRight(right)) rights.add(right);
  if (rights.size === 0) return [];
  // Frozen: every connector of this ACL reports the same object.
  return [
    Object.freeze({
      user: principal.user,
      sid: principal.sid,
      wellKnown,
      rights: Object.freeze([...rights]),
    }),
  ];
}
