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
 * The connector as the *-ADPermission cmdlets should receive it: piped from Get-ReceiveConnector, which
 * understands "SERVER\Name" (their own -Identity wants a DN or a name unique in the forest).
 */
export function connectorPipe(identity: string): string {
  return `Get-ReceiveConnector -Identity ${psArgument(identity)} |`;
}

/** "CN=Relay,CN=SMTP Receive Connectors,…" → "CN=SMTP Receive Connectors,…" (commas escaped as \, stay). */
function parentDn(dn: string | null): string | null {
  const match = dn ? /^(?:[^,\\]|\\.)*,(.+)$/.exec(dn) : null;
  return match?.[1] ?? null;
}

/**
 * Take a relay grant away. An explicit ACE is removed. An inherited one cannot be removed on the connector:
 * for ANONYMOUS LOGON, a deny on the connector wins over it and touches nobody else; for a group (Everyone,
 * Authenticated Users, …) a deny would lock out every member, Exchange servers included, so the fix is to find
 * and remove it where it is set.
 */
export function revokeRelayRight(
  connector: { identity: string; distinguishedName: string | null },
  principal: RelayPrincipal,
): string[] {
  const user = userArgument(principal);
  if (!principal.inherited)
    return [
      `${connectorPipe(connector.identity)} Remove-ADPermission -User ${user} ${rightArguments(principal)} -Confirm:$false`,
    ];
  if (principal.wellKnown === 'anonymous')
    return [
      `${connectorPipe(connector.identity)} Add-ADPermission -User ${user} -ExtendedRights ${RELAY_RIGHT} -Deny`,
    ];
  const parent = parentDn(connector.distinguishedName);
  return [
    comment(
      `The grant to ${principal.user} is inherited: remove it on the container where it is set (a deny here would lock out every member of that group). Find it with:`,
    ),
    parent
      ? `Get-ADPermission -Identity ${psArgument(parent)} -User ${user}`
      : `${connectorPipe(connector.identity)} Get-ADPermission -User ${user}`,
  ];
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

/** A comment line; text from the audited organisation must not be able to end it. */
export function comment(text: string): string {
  return `# ${text.replace(/[\r\n\u0085\u2028\u2029]+/g, ' ')}`;
}
