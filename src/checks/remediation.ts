/**
 * Exchange Management Shell commands printed as fixes. Identities and values are always quoted with
 * psArgument, so a hostile connector name stays inert when the admin pastes the command.
 */

import type { RelayPrincipal } from '../analysis/relay.js';
import { wellKnownSid } from '../analysis/principals.js';
import { psArgument } from '../powershell/quote.js';

const RELAY_RIGHT = 'ms-Exch-SMTP-Accept-Any-Recipient';

/** -User with a SID works whatever the server's language; fall back to the printed name. */
function userArgument(principal: RelayPrincipal): string {
  const sid = principal.sid ?? (principal.wellKnown ? wellKnownSid(principal.wellKnown) : null);
  return psArgument(sid ?? principal.user);
}

/** The ACE to remove, matched the way it was granted. */
function rightArguments(principal: RelayPrincipal): string {
  switch (principal.source) {
    case 'generic-all':
      return '-AccessRights GenericAll';
    case 'all-extended-rights':
      return '-AccessRights ExtendedRight';
    case 'extended-right':
      return `-ExtendedRights ${RELAY_RIGHT}`;
  }
}

/**
 * Remove an explicit grant; an inherited one cannot be removed on the connector, so deny it there instead
 * (an explicit deny wins over an inherited allow).
 */
export function revokeRelayRight(identity: string, principal: RelayPrincipal): string {
  if (principal.inherited) {
    return `Add-ADPermission -Identity ${psArgument(identity)} -User ${userArgument(principal)} -ExtendedRights ${RELAY_RIGHT} -Deny`;
  }
  return `Remove-ADPermission -Identity ${psArgument(identity)} -User ${userArgument(principal)} ${rightArguments(principal)} -Confirm:$false`;
}

export function removeRemoteIpRanges(identity: string, ranges: readonly string[]): string {
  return `Set-ReceiveConnector -Identity ${psArgument(identity)} -RemoteIPRanges @{Remove=${ranges.map(psArgument).join(',')}}`;
}

export function replaceRemoteIpRanges(identity: string, ranges: readonly string[]): string {
  return `Set-ReceiveConnector -Identity ${psArgument(identity)} -RemoteIPRanges ${ranges.map(psArgument).join(',')}`;
}

export function setAuthMechanism(identity: string, mechanisms: readonly string[]): string {
  return `Set-ReceiveConnector -Identity ${psArgument(identity)} -AuthMechanism ${psArgument(mechanisms.join(', '))}`;
}

export function comment(text: string): string {
  return `# ${text.replace(/[\r\n]+/g, ' ')}`;
}
