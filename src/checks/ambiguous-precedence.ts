import type { Bound } from '../net/bound.js';
import type { IntervalSet } from '../net/interval-set.js';
import type { ConnectorAnalysis } from '../analysis/analyze.js';
import type { Tie } from '../analysis/precedence.js';
import type { Check, FindingDraft } from './check.js';
import { countText } from '../net/count-text.js';
import { familyRanges, listTexts, plural } from './describe.js';
import {
  connectorAt,
  describeListener,
  familyName,
  otherConnectorSubject,
  relays,
} from './precedence-text.js';
import { note, removeRemoteIpRangesCommand, renderFix, type FixStep } from './remediation.js';
import { isUsable } from './scope-text.js';
import { flat } from './flat.js';

const DATA = ['other', 'addresses', 'ranges', 'server', 'transportRole', 'port', 'family'] as const;

export const ambiguousPrecedence: Check = {
  meta: {
    id: 'ambiguous-precedence',
    title: 'Two connectors tie for the same senders',
    severityRule:
      'Medium when one of the tied connectors grants relay (whether those senders can relay is then down to chance); low otherwise.',
    explanation:
      'Two enabled connectors on the same binding have equally specific RemoteIPRanges entries for the same addresses. Exchange refuses to create such a pair, but it can exist in Active Directory (edited directly, or created on two servers at once). Exchange then uses whichever connector Active Directory returns first, an order that is not documented and can change.',
    messages: {
      'tie-relay': {
        description:
          'A tie where one of the two connectors grants relay. The finding is on the connector that wins in this export; data.other lost.',
        data: DATA,
      },
      tie: { description: 'A tie between two connectors that do not grant relay.', data: DATA },
    },
  },
  run(analysis) {
    const findings: FindingDraft[] = [];
    for (const tie of analysis.precedence.ties) {
      const first = connectorAt(analysis, tie.connectors[0]);
      const second = connectorAt(analysis, tie.connectors[1]);
      const relay = relays(first) || relays(second);
      const ranges = familyRanges(tie.context.family, tie.addresses);
      findings.push({
        messageId: relay ? 'tie-relay' : 'tie',
        severity: relay ? 'medium' : 'low',
        connector: first.connector.identity,
        subject: otherConnectorSubject(second, tie.context),
        message: flat`'${first.connector.identity}' and '${second.connector.identity}' tie for ${plural(tie.addresses.size(), 'address', 'addresses')} (${listTexts(ranges)}) on ${describeListener(tie.context)}: Exchange uses whichever Active Directory returns first (in this export '${first.connector.identity}').`,
        data: {
          other: second.connector.identity,
          addresses: countText(tie.addresses.size()),
          ranges,
          // The listener, written out: no object made for each finding only to be spread.
          server: tie.context.server,
          transportRole: tie.context.transportRole,
          port: tie.context.port,
          family: familyName(tie.context),
        },
        // Never take the duplicate from a connector that does not relay: its senders would go to the one that does.
        ...renderFix(untie(tie, relay ? [second, first].filter(relays) : [second, first])),
      });
    }
    return findings;
  },
};

/**
 * Remove the duplicate entries from one of the candidates, preferring the first; never from a connector whose
 * RemoteIPRanges would be left empty (Exchange refuses that).
 */
function untie(tie: Tie, candidates: readonly ConnectorAnalysis[]): FixStep[] {
  const { family } = tie.context;
  const overlapsTie = overlapTest(tie.addresses);
  for (const connector of candidates) {
    let usable = 0;
    // Read from the table's columns: no entry object is made for each of a connector's entries.
    const duplicates = connector.scope.ranges.textsWhere((index, ranges) => {
      if (!isUsable(index, ranges)) return false;
      usable++;
      return ranges.family(index) === family && overlapsTie(ranges.first(index), ranges.last(index));
    });
    if (duplicates.length === 0 || duplicates.length === usable) continue;
    // No rollback: the tie cannot be written back, Exchange's cmdlets refuse equal or partly overlapping ranges
    // on one binding (exchange-domain.md §3.2); ties are made around them.
    return [
      note(
        'Give each sender exactly one most specific connector, e.g. remove the duplicate entry from one of them (the tie cannot be restored: Exchange refuses equal ranges on one binding):',
      ),
      { command: removeRemoteIpRangesCommand(connector.connector.identity, duplicates), undo: null },
    ];
  }
  return [
    note(
      candidates.length === 2
        ? 'Both connectors hold nothing but this range: disable the one that should not receive these senders, or bind it to another local address.'
        : `'${candidates[0]?.connector.identity}' holds nothing but this range: narrow it to the devices that must relay, or disable it; removing the range from the other connector would hand those senders to the relay.`,
    ),
  ];
}

/** Whether [first, last] meets the set: a binary search over its intervals, made into lists once per tie. */
function overlapTest(addresses: IntervalSet): (first: Bound, last: Bound) => boolean {
  const los: bigint[] = [];
  const his: bigint[] = [];
  addresses.map((lo, hi) => {
    los.push(lo);
    his.push(hi);
  });
  return (first, last) => {
    const lo = BigInt(first);
    // The first interval ending at or after the range's start; it meets the range when it starts by its end.
    let low = 0;
    let high = his.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((his[middle] as bigint) < lo) low = middle + 1;
      else high = middle;
    }
    return low < los.length && (los[low] as bigint) <= BigInt(last);
  };
}
