/**
 * The least-privilege scope of a relay connector: the addresses that really relayed through it without
 * authenticating (public ones excepted: they are findings of their own), and what setting RemoteIPRanges to them
 * would change. The change is tried on a copy of the organisation with exrelay's own precedence model, so the
 * other clients seen on the connector are shown landing where Exchange would put them.
 */

import {
  analyzeOrganization,
  type ConnectorAnalysis,
  type OrganizationAnalysis,
} from '../analysis/analyze.js';
import { transportRoleOf } from '../analysis/listeners.js';
import { formatIpAddress, parseIpAddress, type IpAddress } from '../net/ip-address.js';
import type { ClientEvidence, ConnectorUsage, UsageAnalysis } from './analyze-usage.js';

export interface ScopeProposal {
  usage: ConnectorUsage;
  analysis: ConnectorAnalysis;
  /** The RemoteIPRanges to set. */
  ranges: string[];
  /** Many relaying hosts were grouped into their /24 (IPv4) or /64 (IPv6) networks. */
  grouped: boolean;
  /** The clients that relayed (kept). */
  relayers: ClientEvidence[];
  addressesBefore: bigint;
  addressesAfter: bigint;
  /** Clients seen on the connector that did not relay, and the connector that would receive them instead. */
  moved: { client: ClientEvidence; receivedBy: string | null }[];
  /**
   * Relaying clients that the change would send elsewhere (another connector ties with the new entry): the
   * proposal says so rather than break them quietly.
   */
  lost: { client: ClientEvidence; receivedBy: string | null }[];
}

/** Beyond this many single addresses a list is grouped into networks (a longer list is not reviewable). */
const MAX_HOSTS = 64;

/** The client's address as a number (only clients with a readable address are asked). */
function ipOf(client: ClientEvidence): IpAddress {
  return parseIpAddress(client.address ?? '') as IpAddress;
}

/** Relay without authenticating: anonymous, externally secured, or Everyone. */
export function grantsUnauthenticatedRelay(analysis: ConnectorAnalysis): boolean {
  return analysis.relay.verdict === 'relay' || analysis.relay.everyone;
}

/** A client is "outside any private range" unless it is private, loopback or link-local. */
export function isOutsidePrivateRanges(client: ClientEvidence): boolean {
  return client.addressClass !== null && !['private', 'loopback', 'link-local'].includes(client.addressClass);
}

/**
 * Whether evidence of relay counts as coming from outside the private ranges: it does unless the address is shown
 * to be private. A remote endpoint that did not parse (a damaged or doctored log line) proves nothing about where
 * the sender was, so relay from it is judged as relay from the Internet, never as harmless.
 */
export function notShownPrivate(client: ClientEvidence): boolean {
  return client.addressClass === null || isOutsidePrivateRanges(client);
}

/**
 * Proposals for dedicated relay connectors whose logs were read and that relayed for fewer addresses than their
 * scope holds. Default connectors get none: their scope is everybody's inbound mail (their fix is a dedicated
 * connector, see the least-privilege check).
 */
export function proposeScopes(usage: UsageAnalysis): Map<string, ScopeProposal> {
  const proposals = new Map<string, ScopeProposal>();
  for (const connector of usage.connectors) {
    const analysis = connector.analysis;
    if (analysis === null || analysis.isDefault || connector.evidence !== 'logged') continue;
    if (!relayGrantedOrProven(connector)) continue;
    // Lines out of order were not applied: a device among them may have relayed, and a scope cut to the others
    // would shut it out. No proposal then (a problem of the run names the lines).
    if (connector.totals.outOfOrderLines > 0) continue;
    // A relayer outside today's scope means the configuration changed since the logs: never widen a scope.
    const relayers = privateRelayers(connector).filter((client) => {
      const ip = ipOf(client);
      return analysis.scope.configured[ip.family].contains(ip.value);
    });
    if (relayers.length === 0) continue;
    const { ranges, grouped, addresses } = rangesFor(relayers);
    const before = analysis.scope.configured[4].size() + analysis.scope.configured[6].size();
    if (addresses >= before) continue;
    proposals.set(connector.identity, {
      usage: connector,
      analysis,
      ranges,
      grouped,
      relayers,
      addressesBefore: before,
      addressesAfter: addresses,
      moved: [],
      lost: [],
    });
  }
  if (proposals.size > 0) traceMovedClients(usage.organization, proposals);
  return proposals;
}

/**
 * The configuration grants relay without authentication, or could not be read and the logs show such relay:
 * proof of a grant the snapshot cannot see.
 */
export function relayGrantedOrProven(connector: ConnectorUsage): boolean {
  const analysis = connector.analysis;
  if (analysis === null) return false;
  return (
    grantsUnauthenticatedRelay(analysis) ||
    (analysis.relay.verdict === 'unknown' && connector.totals.recipients.relayed > 0)
  );
}

/** Clients that relayed without authenticating from private (or loopback, link-local) addresses. */
export function privateRelayers(connector: ConnectorUsage): ClientEvidence[] {
  return connector.clients.filter(
    (client) => client.address !== null && client.recipients.relayed > 0 && !isOutsidePrivateRanges(client),
  );
}

function rangesFor(relayers: readonly ClientEvidence[]): {
  ranges: string[];
  grouped: boolean;
  addresses: bigint;
} {
  const ips = relayers.map(ipOf);
  if (ips.length <= MAX_HOSTS) {
    const sorted = [...ips].sort(compareIps);
    return { ranges: sorted.map(formatIpAddress), grouped: false, addresses: BigInt(sorted.length) };
  }
  const networks = new Map<string, IpAddress>();
  for (const ip of ips) {
    const hostBits = ip.family === 4 ? 8n : 64n;
    const network = { family: ip.family, value: (ip.value >> hostBits) << hostBits };
    networks.set(`${network.family}:${network.value}`, network);
  }
  const sorted = [...networks.values()].sort(compareIps);
  return {
    ranges: sorted.map((network) => `${formatIpAddress(network)}/${network.family === 4 ? 24 : 64}`),
    grouped: true,
    addresses: sorted.reduce((sum, network) => sum + (network.family === 4 ? 256n : 1n << 64n), 0n),
  };
}

function compareIps(a: IpAddress, b: IpAddress): number {
  return a.family - b.family || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
}

/** Applies every proposal to a copy of the organisation and finds which connector receives each other client. */
function traceMovedClients(organization: OrganizationAnalysis, proposals: Map<string, ScopeProposal>): void {
  const snapshot = organization.snapshot;
  const after = analyzeOrganization({
    ...snapshot,
    connectors: snapshot.connectors.map((connector) => {
      const proposal = proposals.get(connector.identity);
      return proposal ? { ...connector, remoteIPRanges: proposal.ranges } : connector;
    }),
  });
  for (const proposal of proposals.values()) {
    const kept = new Set(proposal.relayers);
    proposal.moved = proposal.usage.clients
      .filter((client) => !kept.has(client) && client.address !== null)
      .map((client) => ({ client, receivedBy: receiverOf(after, proposal.analysis, client) }));
    proposal.lost = proposal.relayers
      .map((client) => ({ client, receivedBy: receiverOf(after, proposal.analysis, client) }))
      .filter(
        ({ receivedBy }) => receivedBy?.toLowerCase() !== proposal.analysis.connector.identity.toLowerCase(),
      );
  }
}

/** The connector of the same server and transport service, bound to the client's port, whose scope holds it. */
function receiverOf(
  organization: OrganizationAnalysis,
  from: ConnectorAnalysis,
  client: ClientEvidence,
): string | null {
  const ip = ipOf(client);
  const port = usualPort(client);
  const role = transportRoleOf(from.connector);
  const server = from.connector.server.toLowerCase();
  const receiver = organization.connectors.find(
    (candidate) =>
      candidate.connector.server.toLowerCase() === server &&
      transportRoleOf(candidate.connector) === role &&
      candidate.scope.bindings.some((binding) => binding.port === port) &&
      candidate.effective[ip.family].contains(ip.value),
  );
  return receiver?.connector.identity ?? null;
}

function usualPort(client: ClientEvidence): number {
  let best = 25;
  let most = 0;
  for (const [port, count] of client.localPorts)
    if (count > most) {
      best = port;
      most = count;
    }
  return best;
}
