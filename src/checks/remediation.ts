/**
 * Exchange Management Shell commands printed as fixes, each with the command that undoes it. Identities and
 * values are always quoted with psArgument, so a hostile connector name stays inert when the admin pastes the
 * command. Only forms a change model can replay are used: New-/Set-/Remove-ReceiveConnector and
 * Add-/Remove-ADPermission (piped from Get-ReceiveConnector), plus read-only Get- commands and '#' comments.
 */

import type { CoveringAce } from '../analysis/grants.js';
import type { RelayPrincipal } from '../analysis/relay.js';
import { wellKnownSid } from '../analysis/principals.js';
import { psArgument } from '../powershell/quote.js';
import { flat } from './flat.js';

export const RELAY_RIGHT = 'ms-Exch-SMTP-Accept-Any-Recipient';

/** One line of a fix: a comment, or a command with the command that undoes it (null for read-only commands). */
export type FixStep = { comment: string } | CommandStep;

/** Read-only: every permission entry of every connector, as exrelay reads them best (Export-Clixml). */
export const EXPORT_PERMISSIONS: CommandStep = {
  command: 'Get-ReceiveConnector | Get-ADPermission | Export-Clixml -Path .\\ADPermission.xml',
  undo: null,
};
export interface CommandStep {
  command: string;
  undo: string | null;
}

/** The fix as printed, and its rollback: the undo commands in reverse order; null when there is nothing to undo. */
export function renderFix(steps: readonly FixStep[] | null): {
  remediation: string | null;
  rollback: string | null;
} {
  if (!steps || steps.length === 0) return { remediation: null, rollback: null };
  // Most fixes are one command: no lists to make and join.
  const [only] = steps;
  if (steps.length === 1 && only !== undefined && 'command' in only)
    return { remediation: only.command, rollback: only.undo };
  const undo = steps
    .flatMap((step) => ('command' in step && step.undo !== null ? [step.undo] : []))
    .reverse();
  return {
    remediation: steps.map((step) => ('comment' in step ? comment(step.comment) : step.command)).join('\n'),
    rollback: undo.length > 0 ? undo.join('\n') : null,
  };
}

export function note(text: string): FixStep {
  return { comment: text };
}

/** -User with a SID works whatever the server's language; fall back to the printed name. */
function userArgument(principal: RelayPrincipal): string {
  const sid = principal.sid ?? (principal.wellKnown ? wellKnownSid(principal.wellKnown) : null);
  return psArgument(sid ?? principal.user);
}

/** The ACE to remove or add again, matched the way it was granted (Remove-ADPermission matches exactly). */
function aceArguments(ace: CoveringAce): string {
  const rights =
    ace.source === 'generic-all'
      ? '-AccessRights GenericAll'
      : ace.source === 'all-extended-rights'
        ? '-AccessRights ExtendedRight'
        : `-ExtendedRights ${RELAY_RIGHT}`;
  const inheritance =
    ace.inheritanceType && ace.inheritanceType.toLowerCase() !== 'none'
      ? ` -InheritanceType ${ace.inheritanceType}`
      : '';
  return rights + inheritance;
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
 * Take a relay grant away, whichever ACEs make it: every explicit ACE that grants the right (the extended right,
 * ExtendedRight for all rights, GenericAll; one command per distinct ACE) is removed. An inherited grant cannot
 * be removed on the connector: for ANONYMOUS LOGON an explicit deny on the connector beats it and touches nobody
 * else; for a group (Everyone, Authenticated Users, …) a deny would lock out every member, Exchange servers
 * included, so the fix finds the grant on the container where it is set.
 */
export function revokeRelayRight(
  connector: { identity: string; distinguishedName: string | null },
  principal: RelayPrincipal,
): FixStep[] {
  const user = userArgument(principal);
  const pipe = connectorPipe(connector.identity);
  const explicit = new Map<string, CoveringAce>();
  for (const ace of principal.grants) if (!ace.inherited) explicit.set(aceArguments(ace), ace);
  const steps: FixStep[] = [...explicit.keys()].map((rights) => ({
    command: flat`${pipe} Remove-ADPermission -User ${user} ${rights} -Confirm:$false`,
    undo: flat`${pipe} Add-ADPermission -User ${user} ${rights}`,
  }));
  if (!principal.grants.some((ace) => ace.inherited)) return steps;
  if (principal.wellKnown === 'anonymous') {
    const rights = `-ExtendedRights ${RELAY_RIGHT} -Deny`;
    return [
      ...steps,
      {
        command: flat`${pipe} Add-ADPermission -User ${user} ${rights}`,
        undo: flat`${pipe} Remove-ADPermission -User ${user} ${rights} -Confirm:$false`,
      },
    ];
  }
  const parent = parentDn(connector.distinguishedName);
  return [
    ...steps,
    // A comment, not a command: the container is not part of the snapshot, so a change model cannot replay it.
    note(
      `The grant to ${principal.user} is ${steps.length > 0 ? 'also ' : ''}inherited: remove it on the container where it is set (a deny here would lock out every member of that group). Find it with: ${
        parent
          ? `Get-ADPermission -Identity ${psArgument(parent)} -User ${user}`
          : `${pipe} Get-ADPermission -User ${user}`
      }`,
    ),
  ];
}

function setRemoteIpRanges(identity: string, ranges: readonly string[]): string {
  return flat`Set-ReceiveConnector -Identity ${psArgument(identity)} -RemoteIPRanges ${ranges.map(psArgument).join(',')}`;
}

/** Replace the whole RemoteIPRanges list; the rollback writes today's list back. */
export function replaceRemoteIpRanges(
  identity: string,
  ranges: readonly string[],
  today: readonly string[],
): FixStep {
  return { command: setRemoteIpRanges(identity, ranges), undo: setRemoteIpRanges(identity, today) };
}

export function removeRemoteIpRanges(
  identity: string,
  ranges: readonly string[],
  today: readonly string[],
): CommandStep {
  return { command: removeRemoteIpRangesCommand(identity, ranges), undo: setRemoteIpRanges(identity, today) };
}

/** The removal alone, for a fix that cannot be rolled back (no list of today's entries quoted for nothing). */
export function removeRemoteIpRangesCommand(identity: string, ranges: readonly string[]): string {
  return flat`Set-ReceiveConnector -Identity ${psArgument(identity)} -RemoteIPRanges @{Remove=${ranges.map(psArgument).join(',')}}`;
}

function authMechanismCommand(identity: string, mechanisms: readonly string[]): string {
  return `Set-ReceiveConnector -Identity ${psArgument(identity)} -AuthMechanism ${psArgument(mechanisms.join(', '))}`;
}

export function setAuthMechanism(
  identity: string,
  mechanisms: readonly string[],
  today: readonly string[],
): FixStep {
  return { command: authMechanismCommand(identity, mechanisms), undo: authMechanismCommand(identity, today) };
}

/** A comment line; text from the audited organisation must not be able to end it. */
export function comment(text: string): string {
  return `# ${text.replace(/[\r\n\u0085\u2028\u2029]+/g, ' ')}`;
}
