/** Message and fix for an unauthenticated relay grant; shared by the anonymous, default-connector and externally secured checks. */

import type { ConnectorAnalysis, LatentReason } from '../analysis/analyze.js';
import type { RelayPrincipal } from '../analysis/relay.js';
import { FEW_HOSTS } from '../analysis/scoring.js';
import type { FindingData, MessageMeta } from './check.js';
import {
  configuredMetrics,
  describeLatentScope,
  describeReceivedScope,
  receivedHostTexts,
  tooWideEntries,
} from './scope-text.js';
import { countText } from '../net/count-text.js';
import { listTexts, plural, scopeRanges } from './describe.js';
import { flat } from './flat.js';
import { note, removeRemoteIpRanges, revokeRelayRight, type FixStep } from './remediation.js';

/** How each reason a grant is latent is said; the scope it would open follows. */
export const LATENT_WORDING: Record<LatentReason, string> = {
  disabled: 'The connector is disabled, so it relays nothing today; enabling it opens relay for',
  'no-usable-range':
    'None of its RemoteIPRanges entries is of an address family it has a binding for (no usable range), so it receives no mail today; a binding of that family opens relay for',
  shadowed:
    'More specific connectors receive every address in its scope, so it relays nothing today; changing them exposes',
  'no-submit':
    'The relay right is there but ms-Exch-SMTP-Submit is not, so senders cannot use it yet; granting Submit (e.g. the AnonymousUsers permission group) opens relay for',
  'no-authentication':
    'AuthMechanism offers no way to log on (neither BasicAuth nor Integrated), so nobody can use it today; enabling BasicAuth or Integrated opens relay for',
  'no-tls':
    'AuthMechanism does not include Tls, so no certificate can be presented today; enabling TLS opens it for',
};

/** Ends the message of a grant some principal holds through an inherited ACE. */
export const INHERITED_GRANT_NOTE =
  ' The grant is inherited from a parent container: it applies to every connector below it.';

/** The data every relay message carries: the same keys whichever message it is. */
const RELAY_DATA = [
  'addresses',
  'publicAddresses',
  'ranges',
  'hosts',
  'latent',
  'inherited',
  'tiedAddresses',
] as const;

/** Every message of the checks that report an unauthenticated relay grant. */
const RELAY_MESSAGES: Readonly<Record<RelayMessageId, MessageMeta>> = {
  public: {
    description: 'Live grant; the connector receives public addresses.',
    data: RELAY_DATA,
  },
  'default-connector': {
    description: 'Live grant on a default connector that receives only non-public addresses.',
    data: RELAY_DATA,
  },
  'few-hosts': {
    description: `Live grant limited to at most ${FEW_HOSTS} single non-public hosts (the recommended setup).`,
    data: RELAY_DATA,
  },
  'many-hosts': {
    description: `Live grant for more than ${FEW_HOSTS} single non-public hosts.`,
    data: RELAY_DATA,
  },
  network: {
    description: 'Live grant over non-public ranges wider than single hosts.',
    data: RELAY_DATA,
  },
  latent: {
    description: 'The grant receives no mail today (data.latent says why); the scope it would open.',
    data: RELAY_DATA,
  },
  'unreadable-scope': {
    description:
      'Live grant on a connector none of whose RemoteIPRanges entries or bindings can be read: what it receives is unknown.',
    data: RELAY_DATA,
  },
};

type RelayMessageId =
  'public' | 'default-connector' | 'few-hosts' | 'many-hosts' | 'network' | 'latent' | 'unreadable-scope';

/** The messages a relay check can produce: a default connector is never "few hosts", a dedicated one never "default". */
export function relayMessages(...ids: RelayMessageId[]): Record<string, MessageMeta> {
  return Object.fromEntries(ids.map((id) => [id, RELAY_MESSAGES[id]]));
}

export interface RelayWording {
  messageId: string;
  message: string;
  data: FindingData;
}

/** `grant` names who holds the right, e.g. "ANONYMOUS LOGON holds ms-Exch-SMTP-Accept-Any-Recipient". */
export function relayWording(
  analysis: ConnectorAnalysis,
  grant: string,
  principals: readonly RelayPrincipal[],
): RelayWording {
  const inherited = principals.some((principal) => principal.inherited);
  const suffix = inherited ? INHERITED_GRANT_NOTE : '';
  const latent = analysis.latent;
  const scope = latent ? analysis.scope.configured : analysis.reachable;
  // The count the score is based on: the single hosts it receives or can receive unchanged (ties).
  const hosts = analysis.scope.hostsOnly && !latent ? receivedHostTexts(analysis) : [];
  const tied = analysis.tiedAway[4].size() + analysis.tiedAway[6].size();
  const ranges = scopeRanges(scope);
  const data: FindingData = {
    addresses: countText(scope[4].size() + scope[6].size()),
    publicAddresses: countText(
      (latent ? configuredMetrics(analysis) : analysis.reachableMetrics).publicAddresses,
    ),
    ranges,
    hosts,
    latent,
    inherited,
    tiedAddresses: countText(tied),
  };
  const tieNote =
    tied > 0n && !latent
      ? ` For ${plural(tied, 'address', 'addresses')} it ties with another connector, and only Active Directory order decides which one receives them: the grant can go live without any change (see ambiguous-precedence).`
      : '';
  const contested = analysis.contestedAway[4].size() + analysis.contestedAway[6].size();
  const contestedNote =
    contested > 0n && !latent
      ? ` ${plural(contested, 'address', 'addresses')} of these ${contested === 1n ? 'goes' : 'go'} to another connector only as the input may be wrong about it (two copies with different settings, or no Enabled value); which is true is unknown, so ${contested === 1n ? 'it counts' : 'they count'}.`
      : '';
  // Each message ends with these, inside its flat text: appended afterwards, they would link it again.
  const notes = tieNote + contestedNote + suffix;
  const wording = (messageId: RelayMessageId, message: string): RelayWording => ({
    messageId,
    message,
    data,
  });
  if (latent)
    return wording(
      'latent',
      flat`${grant}. ${LATENT_WORDING[latent]} ${describeLatentScope(analysis, ranges)}.${notes}`,
    );
  if (analysis.scopeUnreadable)
    return wording(
      'unreadable-scope',
      flat`${grant}. None of its RemoteIPRanges entries or bindings can be read (see unparseable-range), so which senders can relay without authenticating is unknown: it may be anyone on the Internet.${notes}`,
    );
  const described = describeReceivedScope(analysis, ranges);
  if (analysis.reachableMetrics.publicAddresses > 0n)
    return wording(
      'public',
      flat`${grant}. Senders on the Internet can relay mail through it without authenticating; it receives ${described}.${notes}`,
    );
  if (analysis.isDefault)
    return wording(
      'default-connector',
      flat`${grant}. Every device in ${described} can relay mail without authenticating; a default connector is the wrong place for relay.${notes}`,
    );
  if (analysis.scope.hostsOnly)
    return hosts.length <= FEW_HOSTS
      ? wording(
          'few-hosts',
          flat`${grant}, limited to ${plural(hosts.length, 'single host')}: ${hosts.join(', ')}. This is the recommended setup; confirm each host still needs to relay.${notes}`,
        )
      : wording(
          'many-hosts',
          flat`${grant}, for ${plural(hosts.length, 'single host')} (${listTexts(ranges)}): more than a handful of devices; review that each still needs to relay, or whether they should authenticate.${notes}`,
        );
  return wording(
    'network',
    flat`${grant}. Every device in ${described} can relay mail without authenticating; scope it to the single hosts that need it.${notes}`,
  );
}

/**
 * Narrow the scope when some entries are fine (private single hosts); otherwise take the grant away, because
 * RemoteIPRanges cannot be left empty. Null when nothing needs to change (hosts only, nothing latent).
 */
export function relayRemediation(
  analysis: ConnectorAnalysis,
  revokeAll: () => FixStep[],
  advice = 'Devices that must relay belong on a dedicated connector scoped to their single IP addresses.',
): FixStep[] | null {
  const { identity, remoteIPRanges } = analysis.connector;
  if (analysis.latent) return revokeAll();
  if (analysis.isDefault) return [...revokeAll(), note(advice)];
  const { wide, usable } = tooWideEntries(analysis);
  if (wide.length === 0) return null;
  if (wide.length < usable) return [removeRemoteIpRanges(identity, wide, remoteIPRanges)];
  return [...revokeAll(), note(advice)];
}

export function revokeFor(analysis: ConnectorAnalysis, principals: readonly RelayPrincipal[]): FixStep[] {
  return principals.flatMap((principal) => revokeRelayRight(analysis.connector, principal));
}
