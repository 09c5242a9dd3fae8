import type { Check, Finding } from './check.js';
import { removeRemoteIpRanges } from './remediation.js';

export const unparseableRange: Check = {
  meta: {
    id: 'unparseable-range',
    title: 'RemoteIPRanges entry or binding that cannot be parsed',
    severityRule:
      'Medium: the entry cannot be scored, and Exchange may ignore it or fail to start the transport service.',
    explanation:
      'Exchange validates RemoteIPRanges and Bindings when they are set with its cmdlets, so an entry that does not parse was written around them (ADSI Edit, scripts against AD) or came through a damaged export. Nobody can tell which addresses it was meant to cover.',
  },
  run(analysis) {
    const findings: Finding[] = [];
    for (const connector of analysis.connectors) {
      const identity = connector.connector.identity;
      for (const range of connector.scope.ranges) {
        if (range.error === null) continue;
        findings.push({
          checkId: 'unparseable-range',
          severity: 'medium',
          connector: identity,
          message: `RemoteIPRanges entry '${range.text}' cannot be parsed: ${range.error}.`,
          remediation: removeRemoteIpRanges(identity, [range.text]),
        });
      }
      for (const binding of connector.scope.invalidBindings) {
        findings.push({
          checkId: 'unparseable-range',
          severity: 'medium',
          connector: identity,
          message: `Binding '${binding}' cannot be parsed as address:port.`,
          remediation: null,
        });
      }
    }
    return findings;
  },
};
