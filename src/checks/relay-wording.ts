/** Message and fix for an unauthenticated relay grant; shared by the anonymous, default-connector and externally secured checks. */

import type { ConnectorAnalysis, LatentReason } from '../analysis/analyze.js';
import type { RelayPrincipal } from '../analysis/relay.js';
import { FEW_HOSTS } from '../analysis/scoring.js';
import {
  describeConfiguredScope,
  describeEffectiveScope,
  tooWideEntries,
  usableEntries,
} from './scope-text.js';
import { listScope, plural } from './describe.js';
import { comment, removeRemoteIpRanges, revokeRelayRight } from './remediation.js';

const LATENT_WORDING: Record<LatentReason, string> = {
  disabled: 'The connector is disabled, so it relays nothing today; enabling it opens relay for',
  shadowed:
    'More specific connectors receive every address in its scope, so it relays nothing today; changing them exposes',
  'no-submit':
    'The relay right is there but ms-Exch-SMTP-Submit is not, so senders cannot use it yet; granting Submit (e.g. the AnonymousUsers permission group) opens relay for',
};

/** `grant` names who holds the right, e.g. "ANONYMOUS LOGON holds ms-Exch-SMTP-Accept-Any-Recipient". */
export function relayMessage(analysis: ConnectorAnalysis, grant: string): string {
  if (analysis.latent)
    return `${grant}. ${LATENT_WORDING[analysis.latent]} ${describeConfiguredScope(analysis)}.`;
  const scope = describeEffectiveScope(analysis);
  if (analysis.effectiveMetrics.publicAddresses > 0n)
    return `${grant}. Senders on the Internet can relay mail through it without authenticating; it receives ${scope}.`;
  if (analysis.isDefault)
    return `${grant}. Every device in ${scope} can relay mail without authenticating; a default connector is the wrong place for relay.`;
  if (analysis.scope.hostsOnly) {
    // The hosts it really receives, one entry per address: the same count the score is based on.
    const received = new Map<string, string>();
    for (const range of usableEntries(analysis)) {
      if (
        range.family === null ||
        range.first === null ||
        !analysis.effective[range.family].contains(range.first)
      )
        continue;
      const key = `${range.family}:${range.first}`;
      if (!received.has(key)) received.set(key, range.text);
    }
    const hosts = [...received.values()];
    return hosts.length <= FEW_HOSTS
      ? `${grant}, limited to ${plural(hosts.length, 'single host')}: ${hosts.join(', ')}. This is the recommended setup; confirm each host still needs to relay.`
      : `${grant}, for ${plural(hosts.length, 'single host')} (${listScope(analysis.effective)}): more than a handful of devices; review that each still needs to relay, or whether they should authenticate.`;
  }
  return `${grant}. Every device in ${scope} can relay mail without authenticating; scope it to the single hosts that need it.`;
}

export function inheritedNote(principals: readonly RelayPrincipal[]): string {
  return principals.some((principal) => principal.inherited)
    ? ' The grant is inherited from a parent container: it applies to every connector below it.'
    : '';
}

/**
 * Narrow the scope when some entries are fine (private single hosts); otherwise take the grant away, because
 * RemoteIPRanges cannot be left empty. Null when nothing needs to change (hosts only, nothing latent).
 */
export function relayRemediation(
  analysis: ConnectorAnalysis,
  revokeAll: () => string[],
  advice = 'Devices that must relay belong on a dedicated connector scoped to their single IP addresses.',
): string | null {
  const identity = analysis.connector.identity;
  if (analysis.latent) return revokeAll().join('\n');
  if (analysis.isDefault) return [...revokeAll(), comment(advice)].join('\n');
  const wide = tooWideEntries(analysis);
  if (wide.length === 0) return null;
  if (wide.length < usableEntries(analysis).length)
    return removeRemoteIpRanges(
      identity,
      wide.map((range) => range.text),
    );
  return [...revokeAll(), comment(advice)].join('\n');
}

export function revokeFor(analysis: ConnectorAnalysis, principals: readonly RelayPrincipal[]): string[] {
  return principals.flatMap((principal) => revokeRelayRight(analysis.connector, principal));
}
