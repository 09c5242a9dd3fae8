import { LOST_VALUE } from '../net/ip-range.js';
import { psArgument } from '../powershell/quote.js';
import type { ConnectorAnalysis } from '../analysis/analyze.js';
import type { Check, FindingDraft } from './check.js';
import { note, renderFix, type FixStep } from './remediation.js';

export const unparseableRange: Check = {
  meta: {
    id: 'unparseable-range',
    title: 'RemoteIPRanges entry or binding that cannot be parsed',
    severityRule:
      'High on an enabled connector that relays without authentication: what it lets relay is then unknown, and may be the Internet. Medium otherwise: the entry cannot be scored, and Exchange may ignore it or fail to start the transport service.',
    explanation:
      'Exchange validates RemoteIPRanges and Bindings when they are set with its cmdlets, so an entry that does not parse was written around them (ADSI Edit, scripts against AD) or came through a damaged export. Nobody can tell which addresses it was meant to cover.',
    messages: {
      range: {
        description: 'A RemoteIPRanges entry that does not parse; data.reason says why.',
        data: ['entry', 'reason'],
      },
      binding: { description: 'A binding that does not parse as address:port.', data: ['entry'] },
    },
  },
  run(analysis) {
    const findings: FindingDraft[] = [];
    for (const connector of analysis.connectors) {
      const { identity, remoteIPRanges } = connector.connector;
      const severity = scopeDecidesRelay(connector) ? 'high' : 'medium';
      const bad = connector.scope.ranges.where((index, ranges) => !ranges.parsed(index));
      // Only connectors with a bad entry need the list of good ones (most have none).
      const parsed =
        bad.length === 0 ? [] : connector.scope.ranges.textsWhere((index, ranges) => ranges.parsed(index));
      // A list the export lost a value of cannot be written back from the export: it would drop a real range.
      const lost = bad.some((range) => range.text.trim() === LOST_VALUE);
      for (const [position, range] of bad.entries()) {
        // One command fixes them all; repeating the whole list for 100,000 bad entries would cost their square.
        const fix = lost
          ? [note(LOST_NOTE)]
          : bad.length <= REPEATED_FIXES || position === 0
            ? replaceUnparseable(identity, parsed, remoteIPRanges.length)
            : [note(`The fix of the first unparseable-range finding of ${identity} removes this entry too.`)];
        findings.push({
          messageId: 'range',
          severity,
          connector: identity,
          subject: range.text,
          message: `RemoteIPRanges entry '${range.text}' cannot be parsed: ${range.error}.`,
          data: { entry: range.text, reason: range.error },
          ...renderFix(fix),
        });
      }
      for (const binding of connector.scope.invalidBindings) {
        findings.push({
          messageId: 'binding',
          severity,
          connector: identity,
          subject: `binding ${binding}`,
          message: `Binding '${binding}' cannot be parsed as address:port.`,
          data: { entry: binding },
          remediation: null,
          rollback: null,
        });
      }
    }
    return findings;
  },
};

/**
 * Whether the connector relays without authentication, so that the part of its scope that cannot be read
 * decides what it lets relay: the entry may be the Internet. Medium would let a nightly audit at the default
 * --fail-on high pass an open relay whose RemoteIPRanges the export lost. (A connector whose verdict is unknown
 * is reported by verdict-unknown, scored as the relay it may be.)
 */
function scopeDecidesRelay(connector: ConnectorAnalysis): boolean {
  return connector.connector.enabled && connector.relay.verdict === 'relay';
}

const LOST_NOTE =
  'The export lost this value, not Exchange: export the connectors again with Export-Clixml and analyse that export before changing RemoteIPRanges.';

/** Up to this many bad entries of one connector each carry the whole fix; beyond, only the first does. */
const REPEATED_FIXES = 5;

/**
 * Exchange must parse a value before it can remove it, so @{Remove=…} cannot take a bad entry out: write the
 * whole list of the entries that parse. Today's list cannot be written back (Exchange refuses the bad entry),
 * so there is no rollback command.
 */
function replaceUnparseable(identity: string, parsed: readonly string[], total: number): FixStep[] {
  if (parsed.length === 0)
    return [
      note(
        'No entry of this connector parses: set RemoteIPRanges to the addresses it is meant for, e.g. Set-ReceiveConnector -Identity <connector> -RemoteIPRanges <addresses>.',
      ),
    ];
  const plural = total - parsed.length === 1 ? 'entry' : 'entries';
  return [
    note(
      `Write the list back without the ${plural} that cannot be parsed (the old list cannot be restored):`,
    ),
    {
      command: `Set-ReceiveConnector -Identity ${psArgument(identity)} -RemoteIPRanges ${parsed.map(psArgument).join(',')}`,
      undo: null,
    },
  ];
}
