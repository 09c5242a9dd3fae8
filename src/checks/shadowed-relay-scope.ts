import type { OrganizationAnalysis, ConnectorAnalysis } from '../analysis/analyze.js';
import type { ListenerOutcome } from '../analysis/precedence.js';
import type { IntervalSet } from '../net/interval-set.js';
import type { IpFamily } from '../net/ip-address.js';
import type { Check, FindingDraft } from './check.js';
import { listNames, listScope, plural, scopeRanges } from './describe.js';
import { connectorAt, relays } from './precedence-text.js';

export const shadowedRelayScope: Check = {
  meta: {
    id: 'shadowed-relay-scope',
    title: 'Relay scope received by more specific connectors',
    severityRule:
      'Info: the shadowed part relays nothing today, but removing or changing the other connector exposes it.',
    explanation:
      "Exchange hands each connection to the connector with the smallest RemoteIPRanges entry containing the sender. Parts of this relay connector's scope are won by other connectors, so its relay grant does not apply there; the audit scores only what it really receives, and lists the rest here.",
    messages: {
      shadowed: {
        description:
          'Addresses of the relay scope that more specific connectors receive instead (data.winners).',
        data: ['addresses', 'ranges', 'winners'],
      },
    },
  },
  run(analysis) {
    const findings: FindingDraft[] = [];
    const listenersOf = indexListeners(analysis.precedence.listeners);
    for (const connector of analysis.connectors) {
      if (!connector.connector.enabled || !relays(connector)) continue;
      const shadowed: Record<IpFamily, IntervalSet> = {
        // Addresses lost only to Active Directory order are not shadowed: ambiguous-precedence reports them.
        4: connector.scope.configured[4].difference(connector.reachable[4]),
        6: connector.scope.configured[6].difference(connector.reachable[6]),
      };
      const count = shadowed[4].size() + shadowed[6].size();
      if (count === 0n) continue;
      const winners = shadowingConnectors(
        analysis,
        listenersOf.get(connector.index) ?? [],
        connector,
        shadowed,
      ).map((other) => other.connector.identity);
      findings.push({
        messageId: 'shadowed',
        severity: 'info',
        connector: connector.connector.identity,
        subject: null,
        message: `${plural(count, 'address', 'addresses')} of its relay scope (${listScope(shadowed)}) ${count === 1n ? 'is' : 'are'} received by ${listNames(winners.map((name) => `'${name}'`))} instead; the relay grant does not apply there today.`,
        data: {
          addresses: count.toString(),
          ranges: scopeRanges(shadowed),
          winners,
        },
        remediation: null,
        rollback: null,
      });
    }
    return findings;
  },
};

/** The connectors that win those addresses on the listeners this connector competes on. */
function shadowingConnectors(
  analysis: OrganizationAnalysis,
  listeners: readonly ListenerOutcome[],
  connector: ConnectorAnalysis,
  shadowed: Record<IpFamily, IntervalSet>,
): ConnectorAnalysis[] {
  const winners = new Set<number>();
  for (const listener of listeners) {
    for (const [other, addresses] of listener.effective) {
      if (other !== connector.index && !addresses.intersect(shadowed[listener.family]).isEmpty())
        winners.add(other);
    }
  }
  return [...winners].sort((a, b) => a - b).map((index) => connectorAt(analysis, index));
}

function indexListeners(listeners: readonly ListenerOutcome[]): Map<number, ListenerOutcome[]> {
  const index = new Map<number, ListenerOutcome[]>();
  for (const listener of listeners) {
    for (const connector of listener.participants) {
      const list = index.get(connector);
      if (list) list.push(listener);
      else index.set(connector, [listener]);
    }
  }
  return index;
}
