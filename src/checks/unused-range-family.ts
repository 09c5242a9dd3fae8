import type { Check, FindingDraft } from './check.js';
import { listEntries, plural } from './describe.js';

export const unusedRangeFamily: Check = {
  meta: {
    id: 'unused-range-family',
    title: 'RemoteIPRanges of an address family the connector does not listen on',
    severityRule:
      'Info (low when the connector holds a relay grant, whose intended scope then silently does not apply).',
    explanation:
      'Exchange matches IPv4 ranges only on IPv4 bindings (0.0.0.0 or a specific IPv4 address) and IPv6 ranges only on IPv6 bindings. Entries of the other family are ignored: the connector receives none of those addresses.',
    messages: {
      unused: {
        description: 'Entries of a family the connector has no binding for.',
        data: ['entries', 'families'],
      },
      'unused-relay': {
        description:
          'The same on a connector that holds a relay grant: its intended scope silently does not apply.',
        data: ['entries', 'families'],
      },
    },
  },
  run(analysis) {
    const findings: FindingDraft[] = [];
    for (const connector of analysis.connectors) {
      const unused = connector.scope.ranges.where(
        (index, ranges) => ranges.parsed(index) && ranges.unused(index),
      );
      if (unused.length === 0) continue;
      const familyNames = [...new Set(unused.map((range) => `IPv${range.family}`))];
      const families = familyNames.join(' and ');
      const relay = connector.relay.verdict === 'relay' || connector.relay.everyone;
      findings.push({
        messageId: relay ? 'unused-relay' : 'unused',
        severity: relay ? 'low' : 'info',
        subject: null,
        connector: connector.connector.identity,
        message: `${plural(unused.length, 'RemoteIPRanges entry', 'RemoteIPRanges entries')} (${listEntries(unused.map((range) => range.text))}) ${unused.length === 1 ? 'is' : 'are'} ${families}, but the connector has no ${families} binding: Exchange ignores ${unused.length === 1 ? 'it' : 'them'}.`,
        data: { entries: unused.map((range) => range.text), families: familyNames },
        remediation: null,
        rollback: null,
      });
    }
    return findings;
  },
};
