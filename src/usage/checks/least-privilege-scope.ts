import type { FindingDraft } from '../../checks/check.js';
import { formatCount, listNames, plural } from '../../checks/describe.js';
import { note, renderFix, replaceRemoteIpRanges } from '../../checks/remediation.js';
import { evidenceWindow, type ConnectorUsage } from '../analyze-usage.js';
import { moveToDedicatedConnector } from '../fixes.js';
import { grantsUnauthenticatedRelay, privateRelayers, type ScopeProposal } from '../least-privilege.js';
import type { UsageCheck } from '../usage-check.js';
import { addressList, gapsSentence, windowText } from '../wording.js';

export const leastPrivilegeScope: UsageCheck = {
  meta: {
    id: 'usage-least-privilege',
    title: 'Relay scope wider than the clients that relay',
    severityRule:
      'High for a default connector that devices relay through (the grant there is for everyone); medium when the addresses that would go include public ones or more than 256; low otherwise.',
    explanation:
      "Only the addresses that relayed in the logs need the grant. For a dedicated relay connector the fix sets RemoteIPRanges to exactly those addresses, and says where every other client seen on it would land (tried on a copy of the organisation with exrelay's precedence model). For a default connector the devices move to a dedicated connector and the grant is taken from the default one.",
    messages: {
      'narrow-scope': {
        description: 'A dedicated relay connector relayed for fewer addresses than its RemoteIPRanges hold.',
        data: ['ranges', 'current', 'addressesBefore', 'addressesAfter', 'relayers', 'lost'],
      },
      'dedicated-connector': {
        description: 'Devices relayed through a default connector that grants relay to everyone.',
        data: ['relayers', 'newConnector'],
      },
    },
  },
  run({ usage, proposals }) {
    const findings: FindingDraft[] = [];
    for (const connector of usage.connectors) {
      const proposal = proposals.get(connector.identity);
      if (proposal) findings.push(narrowFinding(proposal));
      else {
        const moved = dedicatedFinding(
          connector,
          usage.organization.snapshot.connectors.map((item) => item.identity.toLowerCase()),
        );
        if (moved) findings.push(moved);
      }
    }
    return findings;
  },
};

/** " in the logs from … to … (13 days)", cut to its own sessions when its logging is off now (evidenceWindow). */
function windowWords(connector: ConnectorUsage): string {
  const evidence = evidenceWindow(connector);
  if (evidence === null) return '';
  return ` in the logs ${windowText(evidence.window)}${evidence.cut ? ', the time of its own sessions (its ProtocolLoggingLevel is None now: nothing after them is known)' : ''}`;
}

function narrowFinding(proposal: ScopeProposal): FindingDraft {
  const { usage: connector, analysis } = proposal;
  const removed = proposal.addressesBefore - proposal.addressesAfter;
  const wide = removed > 256n || analysis.scope.ranges.some((index, ranges) => ranges.holdsPublic(index));
  const addresses = proposal.relayers.map((client) => client.address as string);
  const window = windowWords(connector);
  return {
    messageId: 'narrow-scope',
    severity: wide ? 'medium' : 'low',
    connector: connector.identity,
    subject: null,
    message: `${plural(addresses.length, 'address', 'addresses')} relayed through it${window}: ${addressList(addresses)}. RemoteIPRanges (${listNames(analysis.connector.remoteIPRanges, 4)}: ${plural(proposal.addressesBefore, 'address', 'addresses')}) can shrink to ${proposal.grouped ? `their networks (${plural(proposal.ranges.length, 'range')}, ${formatCount(proposal.addressesAfter)} addresses)` : addresses.length === 1 ? 'that address' : 'them'}.${movedText(proposal)}${gapsSentence(evidenceWindow(connector)?.gaps ?? [], 'devices that relayed only then are not in this list')}`,
    ...renderFix([
      replaceRemoteIpRanges(connector.identity, proposal.ranges, analysis.connector.remoteIPRanges),
    ]),
    data: {
      ranges: proposal.ranges,
      current: analysis.connector.remoteIPRanges,
      addressesBefore: proposal.addressesBefore.toString(),
      addressesAfter: proposal.addressesAfter.toString(),
      relayers: addresses,
      lost: proposal.lost.map(({ client }) => client.address as string),
    },
  };
}

/** Where the clients that did not relay would go: the part of the change an admin must agree to. */
function movedText(proposal: ScopeProposal): string {
  const lost =
    proposal.lost.length === 0
      ? ''
      : ` Careful: ${plural(proposal.lost.length, 'relaying address', 'relaying addresses')} would then be received by another connector (${addressList(
          proposal.lost.map(({ client, receivedBy }) => `${client.address} by ${receivedBy ?? 'none'}`),
          3,
        )}); resolve that tie first.`;
  return lost + movedOnly(proposal);
}

function movedOnly(proposal: ScopeProposal): string {
  if (proposal.moved.length === 0) return ' No other client was seen on it.';
  const byReceiver = new Map<string | null, string[]>();
  for (const { client, receivedBy } of proposal.moved)
    byReceiver.set(receivedBy, [...(byReceiver.get(receivedBy) ?? []), client.address as string]);
  const parts = [...byReceiver].map(([receiver, addresses]) =>
    receiver === null
      ? `${plural(addresses.length, 'address', 'addresses')} would be received by no connector and refused (${addressList(addresses, 3)})`
      : `${plural(addresses.length, 'address', 'addresses')} would be received by ${receiver} (${addressList(addresses, 3)})`,
  );
  return ` The other clients seen on it did not relay; after the change ${parts.join('; ')}.`;
}

/** Devices relaying through a default connector: a dedicated connector for them, then the grant revoked. */
function dedicatedFinding(connector: ConnectorUsage, existing: readonly string[]): FindingDraft | null {
  const analysis = connector.analysis;
  if (analysis === null || !analysis.isDefault || connector.evidence !== 'logged') return null;
  if (!grantsUnauthenticatedRelay(analysis)) return null;
  const relayers = privateRelayers(connector);
  if (relayers.length === 0) return null;
  const addresses = relayers.map((client) => client.address as string);
  const name = freeName(connector.server, existing);
  const port = Math.min(...relayers.flatMap((client) => [...client.localPorts.keys()]), 25);
  const fix = renderFix([
    note(
      `A dedicated relay connector for the ${addresses.length === 1 ? 'device' : 'devices'} seen in the logs, then the grant removed here:`,
    ),
    ...moveToDedicatedConnector(analysis, name, addresses, port),
  ]);
  return {
    messageId: 'dedicated-connector',
    severity: 'high',
    connector: connector.identity,
    subject: null,
    message: `${plural(addresses.length, 'device', 'devices')} relayed through this default connector${windowWords(connector)}: ${addressList(addresses)}. Give them a dedicated connector scoped to exactly these addresses, then take the grant from the default connector (which every sender reaches).${gapsSentence(evidenceWindow(connector)?.gaps ?? [], 'devices that relayed only then are not in this list')}`,
    ...fix,
    data: { relayers: addresses, newConnector: `${connector.server}\\${name}` },
  };
}

function freeName(server: string, existing: readonly string[]): string {
  for (let index = 1; ; index++) {
    const name = index === 1 ? `Relay ${server}` : `Relay ${server} ${index}`;
    if (!existing.includes(`${server}\\${name}`.toLowerCase())) return name;
  }
}
