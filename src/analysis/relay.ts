/**
 * Who may relay through a connector: the relay paths of exchange-domain.md §1–2, decided from the ACL.
 * PermissionGroups is used only as positive evidence (a flag is set only when the group's principals hold its
 * rights); it can never prove that a connector is safe.
 */

import type { ReceiveConnector } from '../model/snapshot.js';
import { effectiveRights, holds, Right, type PrincipalRights, type GrantSource } from './grants.js';
import type { WellKnownPrincipal } from './principals.js';

export type RelayVerdict = 'relay' | 'no-relay' | 'unknown';

export interface RelayPrincipal {
  user: string;
  sid: string | null;
  wellKnown: WellKnownPrincipal | null;
  /** The relay right was granted by an inherited ACE (set on a parent container). */
  inherited: boolean;
  source: GrantSource;
  /** The principal also holds ms-Exch-SMTP-Submit; without it, it cannot send at all. */
  canSubmit: boolean;
}

export interface RelayAssessment {
  /** `relay`: mail can be relayed without authenticating (anonymous or externally secured). */
  verdict: RelayVerdict;
  /** ANONYMOUS LOGON holds Submit and Accept-Any-Recipient. */
  anonymous: boolean;
  /** ANONYMOUS LOGON holds Accept-Any-Recipient but not Submit: relay is latent (one Submit grant away). */
  anonymousRelayLatent: boolean;
  /** ANONYMOUS LOGON holds Submit: the connector accepts unauthenticated mail for accepted domains. */
  anonymousSubmit: boolean;
  /** AuthMechanism contains ExternalAuthoritative. */
  externallySecuredConfigured: boolean;
  /** ExternalAuthoritative and Externally Secured Servers hold Submit and Accept-Any-Recipient. */
  externallySecured: boolean;
  /** Everyone holds Accept-Any-Recipient. */
  everyone: boolean;
  /** Authenticated Users, or an account or group granted the right on purpose: relay after AUTH. */
  authenticated: boolean;
  /** Every principal that holds Accept-Any-Recipient. */
  principals: RelayPrincipal[];
  /** Why the verdict is what it is, in one sentence. */
  basis: string;
}

function hasFlag(values: readonly string[], flag: string): boolean {
  return values.some((value) => value.toLowerCase() === flag.toLowerCase());
}

export function assessRelay(connector: ReceiveConnector): RelayAssessment {
  const externallySecuredConfigured = hasFlag(connector.authMechanism, 'ExternalAuthoritative');
  if (connector.permissions === null) return assessWithoutAcl(connector, externallySecuredConfigured);

  const principals = effectiveRights(connector.permissions);
  const find = (wellKnown: WellKnownPrincipal): PrincipalRights | undefined =>
    principals.find((principal) => principal.wellKnown === wellKnown);

  const anonymousPrincipal = find('anonymous');
  const anonymousSubmit = holds(anonymousPrincipal, Right.Submit);
  const anonymousRelayRight = holds(anonymousPrincipal, Right.AcceptAnyRecipient);
  const securedPrincipal = find('externallySecuredServers');
  const externallySecured =
    externallySecuredConfigured &&
    holds(securedPrincipal, Right.Submit) &&
    holds(securedPrincipal, Right.AcceptAnyRecipient);

  const relayPrincipals: RelayPrincipal[] = principals
    .filter((principal) => holds(principal, Right.AcceptAnyRecipient))
    .map((principal) => {
      const decided = principal.rights.get(Right.AcceptAnyRecipient)?.decidedBy;
      return {
        user: principal.user,
        sid: principal.sid,
        wellKnown: principal.wellKnown,
        inherited: decided?.inherited ?? false,
        source: decided?.source ?? 'extended-right',
        canSubmit: holds(principal, Right.Submit),
      };
    });

  const anonymous = anonymousSubmit && anonymousRelayRight;
  const everyone = relayPrincipals.some((principal) => principal.wellKnown === 'everyone');
  const authenticated = relayPrincipals.some(isAuthenticatedRelayPrincipal);
  const verdict: RelayVerdict = anonymous || externallySecured ? 'relay' : 'no-relay';
  return {
    verdict,
    anonymous,
    anonymousRelayLatent: anonymousRelayRight && !anonymousSubmit,
    anonymousSubmit,
    externallySecuredConfigured,
    externallySecured,
    everyone,
    authenticated,
    principals: relayPrincipals,
    basis: describeBasis(anonymous, externallySecured, externallySecuredConfigured),
  };
}

function describeBasis(anonymous: boolean, externallySecured: boolean, configured: boolean): string {
  if (anonymous && externallySecured)
    return 'ANONYMOUS LOGON holds Accept-Any-Recipient, and the connector is externally secured.';
  if (anonymous) return 'ANONYMOUS LOGON holds ms-Exch-SMTP-Submit and ms-Exch-SMTP-Accept-Any-Recipient.';
  if (externallySecured)
    return 'AuthMechanism includes ExternalAuthoritative and Externally Secured Servers hold Accept-Any-Recipient.';
  if (configured)
    return 'ExternalAuthoritative is set, but Externally Secured Servers lack Submit or Accept-Any-Recipient in the ACL.';
  return 'No unauthenticated principal holds Accept-Any-Recipient in the ACL.';
}

/**
 * Without the ACL only positive evidence counts: ExternalAuthoritative plus the ExchangeServers group proves
 * unauthenticated relay; nothing proves its absence.
 */
function assessWithoutAcl(
  connector: ReceiveConnector,
  externallySecuredConfigured: boolean,
): RelayAssessment {
  const groups = connector.permissionGroups;
  const externallySecured = externallySecuredConfigured && hasFlag(groups, 'ExchangeServers');
  const anonymousSubmit = hasFlag(groups, 'AnonymousUsers');
  const authenticated = hasFlag(groups, 'ExchangeUsers');
  const reason = connector.permissionsError
    ? `The ACL could not be read (${connector.permissionsError}).`
    : 'No Get-ADPermission data for this connector.';
  return {
    verdict: externallySecured ? 'relay' : 'unknown',
    anonymous: false,
    anonymousRelayLatent: false,
    anonymousSubmit,
    externallySecuredConfigured,
    externallySecured,
    everyone: false,
    authenticated,
    principals: [],
    basis: externallySecured
      ? `${reason} ExternalAuthoritative with the ExchangeServers permission group grants relay to every sender.`
      : `${reason} PermissionGroups cannot prove the absence of a relay grant.`,
  };
}

/**
 * Accounts that may relay after authenticating: Authenticated Users, and any other account or group granted the
 * right on purpose. Full control inherited from the configuration container (SYSTEM, Enterprise Admins, Exchange
 * Trusted Subsystem hold GenericAll on every connector) is Exchange's default, not a relay grant.
 */
export function isAuthenticatedRelayPrincipal(principal: RelayPrincipal): boolean {
  if (principal.wellKnown === 'authenticatedUsers') return true;
  return principal.wellKnown === null && !(principal.inherited && principal.source === 'generic-all');
}
