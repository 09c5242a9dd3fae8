import type { ConnectorAnalysis, OrganizationAnalysis } from '../analysis/analyze.js';
import { wellKnownSid } from '../analysis/principals.js';
import { severityOfScore } from '../analysis/severity.js';
import { psArgument } from '../powershell/quote.js';
import type { Check, FindingDraft } from './check.js';
import { connectorPipe, note, RELAY_RIGHT, renderFix, type FixStep } from './remediation.js';
import { relayMessages, relayWording, revokeFor } from './relay-wording.js';

/** A documentation address (RFC 5737): harmless if the sequence runs before it is replaced. */
const DEVICE_PLACEHOLDER = '192.0.2.10';

export const defaultConnectorRelay: Check = {
  meta: {
    id: 'default-connector-relay',
    title: 'Anonymous relay on a default connector',
    severityRule:
      'At least high; critical when the connector receives public addresses (a default connector receives the whole Internet unless others take addresses from it); low when the grant is latent.',
    explanation:
      'The connectors Exchange setup creates (Default, Default Frontend, Client, Client Frontend, Client Proxy, Outbound Proxy Frontend, Default internal receive connector) accept connections from every address. Granting ANONYMOUS LOGON the relay right there makes the server an open relay; spammers find one within hours. Anonymous relay belongs on a dedicated connector scoped to the devices that need it.',
    messages: relayMessages('public', 'default-connector', 'latent', 'unreadable-scope'),
  },
  run(analysis) {
    const findings: FindingDraft[] = [];
    const names = connectorNamesByServer(analysis);
    for (const connector of analysis.connectors) {
      const { relay } = connector;
      if (!connector.isDefault || (!relay.anonymous && !relay.anonymousRelayLatent)) continue;
      const principals = relay.principals.filter((principal) => principal.wellKnown === 'anonymous');
      const wording = relayWording(
        connector,
        'ANONYMOUS LOGON holds ms-Exch-SMTP-Accept-Any-Recipient on a default connector',
        principals,
      );
      findings.push({
        ...wording,
        severity: severityOfScore(connector.aspects.unauthenticatedRelay ?? 0),
        connector: connector.connector.identity,
        subject: wellKnownSid('anonymous'),
        ...renderFix([
          ...revokeFor(connector, principals),
          // Nobody relays through a latent grant: nothing needs a new home.
          ...(connector.latent ? [] : dedicatedConnector(names, connector)),
        ]),
      });
    }
    return findings;
  },
};

/**
 * Microsoft's documented sequence for devices that must relay (exchange-domain.md §10): a dedicated connector
 * on the same server, on Front End port 25 from 2013 on, scoped to the devices, with the AnonymousUsers group and
 * the relay right. Runnable as printed; the device address is a placeholder the comment asks to replace.
 */
function dedicatedConnector(names: ConnectorNames, connector: ConnectorAnalysis): FixStep[] {
  const { server } = connector.connector;
  const name = freeName(names.get(server.toLowerCase()), `Anonymous Relay ${server}`);
  const identity = `${server}\\${name}`;
  const role = connector.connector.transportRole === null ? '' : ' -TransportRole FrontendTransport';
  const pipe = connectorPipe(identity);
  const grant = `-User '${wellKnownSid('anonymous')}' -ExtendedRights ${RELAY_RIGHT}`;
  return [
    note(
      `Then give the devices that must relay a connector of their own, scoped to their single addresses: replace ${DEVICE_PLACEHOLDER} with them (comma-separated) before running this.`,
    ),
    {
      command: `New-ReceiveConnector -Name ${psArgument(name)} -Server ${psArgument(server)}${role} -Custom -Bindings '0.0.0.0:25' -RemoteIPRanges '${DEVICE_PLACEHOLDER}' -PermissionGroups AnonymousUsers`,
      undo: `Remove-ReceiveConnector -Identity ${psArgument(identity)} -Confirm:$false`,
    },
    {
      command: `${pipe} Add-ADPermission ${grant}`,
      undo: `${pipe} Remove-ADPermission ${grant} -Confirm:$false`,
    },
  ];
}

/** Per server (lower-cased), its connectors' names (lower-cased): made once, not once per finding. */
type ConnectorNames = Map<string, Set<string>>;

function connectorNamesByServer(analysis: OrganizationAnalysis): ConnectorNames {
  const names: ConnectorNames = new Map();
  for (const { connector } of analysis.connectors) {
    const server = connector.server.toLowerCase();
    let taken = names.get(server);
    if (!taken) names.set(server, (taken = new Set()));
    taken.add(connector.name.toLowerCase());
  }
  return names;
}

/** "Anonymous Relay EX01", or with " 2", " 3"… when the server already has a connector of that name. */
function freeName(taken: ReadonlySet<string> | undefined, base: string): string {
  let name = base;
  for (let suffix = 2; taken?.has(name.toLowerCase()); suffix++) name = `${base} ${suffix}`;
  return name;
}
