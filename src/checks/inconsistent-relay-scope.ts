import type { ConnectorAnalysis } from '../analysis/analyze.js';
import { measureScope, relayExposureScore } from '../analysis/scoring.js';
import { BAND_FLOOR } from '../analysis/severity.js';
import type { Check, FindingDraft } from './check.js';
import { formatCount, plural } from './describe.js';
import { relays } from './precedence-text.js';
import { note, renderFix, replaceRemoteIpRanges, type FixStep } from './remediation.js';
import { usableTexts } from './scope-text.js';

export const inconsistentRelayScope: Check = {
  meta: {
    id: 'inconsistent-relay-scope',
    title: 'Same relay connector, different scope on different servers',
    severityRule:
      'Low: the wider copy is scored on its own by the relay checks; this finding points at the drift.',
    explanation:
      'Relay connectors are usually created with the same name on every server that devices may reach (through a load balancer or DNS round robin). When their RemoteIPRanges differ, a device relays through one server and not another, and a range widened on one server to fix a problem often stays wider than intended.',
    messages: {
      drift: {
        description:
          'Copies of one relay connector differ; the finding is on the most exposed copy, data.reference is the least exposed one.',
        data: ['name', 'copies', 'reference'],
      },
      'drift-all-public': {
        description: 'Copies differ, and every copy relays for public addresses.',
        data: ['name', 'copies', 'reference'],
      },
    },
  },
  run(analysis) {
    const groups = new Map<string, ConnectorAnalysis[]>();
    for (const connector of analysis.connectors) {
      if (!relays(connector)) continue;
      const key = connector.connector.name.trim().toLowerCase();
      const group = groups.get(key);
      if (group) group.push(connector);
      else groups.set(key, [connector]);
    }
    const findings: FindingDraft[] = [];
    for (const group of groups.values()) {
      const servers = new Set(group.map((connector) => connector.connector.server.toLowerCase()));
      if (servers.size < 2) continue;
      const [reference] = group;
      if (!reference || group.every((connector) => sameScope(connector, reference))) continue;
      // Least exposed first, by what each copy really relays for (after precedence; a latent copy scores low):
      // ranges written on a paper scope can win more on their server once narrowed, so the configured scope alone
      // is a poor guide. The most exposed copy is the one to change, and the finding belongs to it.
      // Each copy's size and exposure worked out once, beside it: the sorts below compare a copy many times (500
      // copies per name). Both sorts are stable, so equal copies stay in connector order.
      const copies = group.map((connector) => ({
        connector,
        size: configuredSize(connector),
        exposure: relayExposure(connector),
      }));
      const ranked = [...copies].sort((a, b) => a.exposure - b.exposure || compare(a.size, b.size));
      const bySize = copies.sort((a, b) => compare(a.size, b.size));
      const safest = (ranked[0] as Copy).connector;
      const widest = (ranked[ranked.length - 1] as Copy).connector;
      const sizes = describeSizes(bySize);
      const allPublic = group.every((connector) => configuredExposure(connector) >= BAND_FLOOR.critical);
      findings.push({
        messageId: allPublic ? 'drift-all-public' : 'drift',
        severity: 'low',
        connector: widest.connector.identity,
        subject: null,
        message: `Relay connector '${widest.connector.name}' has different RemoteIPRanges on different servers (${sizes}).`,
        data: {
          name: widest.connector.name,
          copies: bySize.map(({ connector, size }) => ({
            identity: connector.connector.identity,
            addresses: size.toString(),
          })),
          reference: safest.connector.identity,
        },
        ...renderFix(
          allPublic
            ? [
                note(
                  'Every copy relays for public addresses: scope each to the single addresses of the devices that need it.',
                ),
              ]
            : alignCopies(group, safest),
        ),
      });
    }
    return findings;
  },
};

/** Copies aligned at most, one command each; beyond that the fix says how many are left. */
const ALIGNED_COPIES = 100;

/** Every copy that differs from the least exposed one gets its entries: the drift is closed, not halved. */
function alignCopies(group: readonly ConnectorAnalysis[], safest: ConnectorAnalysis): FixStep[] {
  const entries = usableTexts(safest);
  const differing = group.filter((connector) => connector !== safest && !sameScope(connector, safest));
  const steps: FixStep[] = [
    note(`Align the copies to the least exposed one ('${safest.connector.identity}'):`),
    ...differing
      .slice(0, ALIGNED_COPIES)
      .map((connector) =>
        replaceRemoteIpRanges(connector.connector.identity, entries, connector.connector.remoteIPRanges),
      ),
  ];
  const left = differing.length - ALIGNED_COPIES;
  if (left > 0)
    steps.push(note(`${left} more copies differ: run the same command for each of their servers.`));
  return steps;
}

/** What a copy relays for today: its unauthenticated or Everyone relay score (latent grants score low). */
function relayExposure(connector: ConnectorAnalysis): number {
  return Math.max(connector.aspects.unauthenticatedRelay ?? 0, connector.aspects.everyoneRelay ?? 0);
}

/** What a copy's RemoteIPRanges would expose to unauthenticated relay, wherever it sits. */
function configuredExposure(connector: ConnectorAnalysis): number {
  return relayExposureScore(measureScope(connector.scope.configured), connector.scope.hostsOnly);
}

/** Copies listed one by one in the message; beyond that they are grouped by size. */
const LISTED_COPIES = 5;

/** A copy of the relay connector, with what the sorts compare. */
interface Copy {
  connector: ConnectorAnalysis;
  size: bigint;
  exposure: number;
}

/**
 * "EX01: 1 address, EX02: 8 addresses"; with many copies (one per server of a large organisation) grouped by
 * size, "EX00001, EX00003, EX00005 and 19,997 more: 1 address; …", so the message stays short. `bySize` are the
 * copies smallest first.
 */
function describeSizes(bySize: readonly Copy[]): string {
  const addresses = (size: bigint) => plural(size, 'address', 'addresses');
  if (bySize.length <= LISTED_COPIES)
    return bySize
      .map(({ connector, size }) => `${connector.connector.server}: ${addresses(size)}`)
      .join(', ');
  const groups: Array<{ size: bigint; servers: string[] }> = [];
  for (const { connector, size } of bySize) {
    const server = connector.connector.server;
    const last = groups[groups.length - 1];
    if (last && last.size === size) last.servers.push(server);
    else groups.push({ size, servers: [server] });
  }
  const shown = groups.slice(0, LISTED_COPIES).map(({ size, servers }) => {
    const more = servers.length - 3;
    return `${servers.slice(0, 3).join(', ')}${more > 0 ? ` and ${formatCount(more)} more` : ''}: ${addresses(size)}`;
  });
  const rest = groups.length - shown.length;
  return `${formatCount(bySize.length)} copies; ${shown.join('; ')}${rest > 0 ? `; ${rest} other sizes` : ''}`;
}

function configuredSize(connector: ConnectorAnalysis): bigint {
  return connector.scope.configured[4].size() + connector.scope.configured[6].size();
}

function sameScope(a: ConnectorAnalysis, b: ConnectorAnalysis): boolean {
  return (
    a.scope.configured[4].equals(b.scope.configured[4]) && a.scope.configured[6].equals(b.scope.configured[6])
  );
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
