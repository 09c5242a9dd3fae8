/**
 * The fixes usage findings print, as steps with their undo (src/checks/remediation.ts renders them): taking an
 * unused relay grant away, narrowing or moving a relay scope, turning protocol logging on. Every value is quoted
 * with psArgument (names come from the audited organisation and its logs).
 */

import type { ConnectorAnalysis } from '../analysis/analyze.js';
import type { RelayPrincipal } from '../analysis/relay.js';
import { wellKnownSid } from '../analysis/principals.js';
import { revokeFor } from '../checks/relay-wording.js';
import { connectorPipe, RELAY_RIGHT, setAuthMechanism, type FixStep } from '../checks/remediation.js';
import { psArgument } from '../powershell/quote.js';

/** The principals whose grant lets senders relay without authenticating. */
export function unauthenticatedRelayPrincipals(analysis: ConnectorAnalysis): RelayPrincipal[] {
  return analysis.relay.principals.filter(
    (principal) => principal.wellKnown === 'anonymous' || principal.wellKnown === 'everyone',
  );
}

/**
 * Take unauthenticated relay away and keep anonymous submission: the anonymous and Everyone grants are revoked;
 * an externally secured connector loses ExternalAuthoritative and gains the AnonymousUsers group, so its clients
 * still reach accepted domains.
 */
export function revokeUnauthenticatedRelay(analysis: ConnectorAnalysis): FixStep[] {
  const { connector, relay } = analysis;
  const steps = revokeFor(analysis, unauthenticatedRelayPrincipals(analysis));
  if (relay.externallySecured) {
    const kept = connector.authMechanism.filter((name) => name.toLowerCase() !== 'externalauthoritative');
    steps.push(
      setAuthMechanism(connector.identity, kept.length > 0 ? kept : ['Tls'], connector.authMechanism),
    );
    const groups = connector.permissionGroups.filter((group) => group !== 'Custom');
    if (!groups.includes('AnonymousUsers'))
      steps.push(
        setConnector(
          connector.identity,
          'PermissionGroups',
          [...groups, 'AnonymousUsers'].join(', '),
          groups.join(', '),
        ),
      );
  }
  return steps;
}

function setConnector(identity: string, parameter: string, value: string, today: string): FixStep {
  const set = (to: string) => `Set-ReceiveConnector -Identity ${psArgument(identity)} -${parameter} ${to}`;
  return { command: set(psArgument(value)), undo: set(psArgument(today)) };
}

export function disableConnector(identity: string): FixStep {
  const set = (value: string) => `Set-ReceiveConnector -Identity ${psArgument(identity)} -Enabled ${value}`;
  return { command: set('$false'), undo: set('$true') };
}

export function enableProtocolLog(identity: string, today: string): FixStep {
  const set = (value: string) =>
    `Set-ReceiveConnector -Identity ${psArgument(identity)} -ProtocolLoggingLevel ${value}`;
  return { command: set('Verbose'), undo: set(today) };
}

/**
 * A dedicated anonymous relay connector for the devices that relay through a default connector (Microsoft's
 * documented sequence, exchange-domain.md §10), then the grant taken from the default connector.
 */
export function moveToDedicatedConnector(
  analysis: ConnectorAnalysis,
  name: string,
  addresses: readonly string[],
  port: number,
): FixStep[] {
  const { connector } = analysis;
  const identity = `${connector.server}\\${name}`;
  const bindings = [
    ...new Set(addresses.map((address) => (address.includes(':') ? `[::]:${port}` : `0.0.0.0:${port}`))),
  ];
  const role = connector.transportRole === null ? '' : ` -TransportRole ${connector.transportRole}`;
  const anonymous = psArgument(wellKnownSid('anonymous'));
  return [
    {
      command: `New-ReceiveConnector -Name ${psArgument(name)} -Server ${psArgument(connector.server)}${role} -Custom -Bindings ${bindings.map(psArgument).join(',')} -RemoteIPRanges ${addresses.map(psArgument).join(',')} -PermissionGroups AnonymousUsers -ProtocolLoggingLevel Verbose`,
      undo: `Remove-ReceiveConnector -Identity ${psArgument(identity)} -Confirm:$false`,
    },
    {
      command: `${connectorPipe(identity)} Add-ADPermission -User ${anonymous} -ExtendedRights ${RELAY_RIGHT}`,
      undo: `${connectorPipe(identity)} Remove-ADPermission -User ${anonymous} -ExtendedRights ${RELAY_RIGHT} -Confirm:$false`,
    },
    ...revokeUnauthenticatedRelay(analysis),
  ];
}
