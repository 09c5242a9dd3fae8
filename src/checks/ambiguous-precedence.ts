import { IntervalSet } from '../net/interval-set.js';
import type { Check, Finding } from './check.js';
import { listScope, plural, singleFamily } from './describe.js';
import { connectorAt, describeListener, relays } from './precedence-text.js';
import { comment, removeRemoteIpRanges } from './remediation.js';
import { usableEntries } from './scope-text.js';

export const ambiguousPrecedence: Check = {
  meta: {
    id: 'ambiguous-precedence',
    title: 'Two connectors tie for the same senders',
    severityRule:
      'Medium when one of the tied connectors grants relay (whether those senders can relay is then down to chance); low otherwise.',
    explanation:
      'Two enabled connectors on the same binding have equally specific RemoteIPRanges entries for the same addresses. Exchange refuses to create such a pair, but it can exist in Active Directory (edited directly, or created on two servers at once). Exchange then uses whichever connector Active Directory returns first, an order that is not documented and can change.',
  },
  run(analysis) {
    const findings: Finding[] = [];
    for (const tie of analysis.precedence.ties) {
      const first = connectorAt(analysis, tie.connectors[0]);
      const second = connectorAt(analysis, tie.connectors[1]);
      const duplicates = usableEntries(second).filter(
        (range) =>
          range.family === tie.context.family &&
          range.first !== null &&
          range.last !== null &&
          !tie.addresses.intersect(IntervalSet.of([[range.first, range.last]])).isEmpty(),
      );
      findings.push({
        checkId: 'ambiguous-precedence',
        severity: relays(first) || relays(second) ? 'medium' : 'low',
        connector: first.connector.identity,
        message: `'${first.connector.identity}' and '${second.connector.identity}' tie for ${plural(tie.addresses.size(), 'address', 'addresses')} (${listScope(singleFamily(tie.context.family, tie.addresses))}) on ${describeListener(tie.context)}: Exchange uses whichever Active Directory returns first (in this export '${first.connector.identity}').`,
        remediation:
          duplicates.length > 0
            ? [
                comment(
                  'Give each sender exactly one most specific connector, e.g. remove the duplicate entry from one of them:',
                ),
                removeRemoteIpRanges(
                  second.connector.identity,
                  duplicates.map((range) => range.text),
                ),
              ].join('\n')
            : null,
      });
    }
    return findings;
  },
};
