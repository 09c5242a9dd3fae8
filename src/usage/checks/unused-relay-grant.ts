import type { FindingDraft } from '../../checks/check.js';
import { plural } from '../../checks/describe.js';
import { renderFix } from '../../checks/remediation.js';
import { disableConnector, revokeUnauthenticatedRelay } from '../fixes.js';
import { evidenceWindow, type ConnectorUsage } from '../analyze-usage.js';
import { grantsUnauthenticatedRelay } from '../least-privilege.js';
import type { UsageCheck } from '../usage-check.js';
import { gapsSentence, loggedDays, windowDays, windowText } from '../wording.js';

/** Below this many days of logs, a weekly or monthly job may simply not have run yet. */
const SHORT_WINDOW_DAYS = 7;
const DATA = ['from', 'to', 'days', 'loggedDays', 'sessions', 'clients'];

export const unusedRelayGrant: UsageCheck = {
  meta: {
    id: 'usage-unused-relay-grant',
    title: 'A relay grant nobody used in the logs',
    severityRule:
      'Medium; low when the logs cover less than 7 days (a weekly or monthly job may not have run in them), days without any log of its service (a gap of more than a day) not counted.',
    explanation:
      'The connector lets senders relay without authenticating, its protocol log is on and its logs were read, and no client relayed through it in that time. An unused grant is exposure with no benefit: remove it. Clients that only send to accepted domains do not need it; a connector nobody connected to at all can be disabled.',
    messages: {
      'no-relay': { description: 'Clients used the connector, but none relayed.', data: DATA },
      'no-sessions': { description: 'Nobody connected to the connector at all.', data: DATA },
    },
  },
  run({ usage }) {
    const findings: FindingDraft[] = [];
    // Services whose logs name a connector the snapshot lacks: a connector renamed since the logs were written has
    // its sessions there, under its old name, and "nobody connected to it" would be wrong.
    const renamedMaybe = new Set(
      usage.connectors
        .filter((connector) => connector.evidence === 'not-in-snapshot')
        .map((connector) => serviceOf(connector)),
    );
    for (const connector of usage.connectors) {
      const analysis = connector.analysis;
      if (analysis === null || connector.evidence !== 'logged' || connector.window === null) continue;
      if (renamedMaybe.has(serviceOf(connector))) continue;
      if (!grantsUnauthenticatedRelay(analysis)) continue;
      const { totals } = connector;
      // Recipients that could not be classified (no accepted domains in the input, a path that does not parse) may
      // have been relayed, and so may lines out of order, which were not applied (a problem of the run names them).
      if (
        totals.recipients.relayed > 0 ||
        totals.recipients.catchAll > 0 ||
        totals.recipients.unclassified > 0 ||
        // Relay for a proxied client used the rights this session had on this connector, whoever holds them.
        totals.recipients.relayedProxied > 0 ||
        totals.outOfOrderLines > 0
      )
        continue;
      const evidence = evidenceWindow(connector);
      if (evidence === null) continue;
      const days = windowDays(evidence.window);
      // Rotation gaps: logs of the first and the last day are not two weeks of evidence.
      const logged = loggedDays(evidence.window, evidence.gaps);
      const window = `${windowText(evidence.window)}${evidence.cut ? `, the time of its own sessions (its ProtocolLoggingLevel is None now: nothing after them is known)` : ''}`;
      const gaps = gapsSentence(evidence.gaps, 'it may have been used then');
      const idle = totals.sessions === 0;
      findings.push({
        messageId: idle ? 'no-sessions' : 'no-relay',
        severity: logged < SHORT_WINDOW_DAYS ? 'low' : 'medium',
        connector: connector.identity,
        subject: null,
        message: idle
          ? `Nobody connected to it in the logs ${window}, yet it grants relay without authentication: disable it (or remove it once you are sure).${gaps}`
          : `No client relayed through it without authenticating in the logs ${window}: ${plural(totals.sessions, 'session')} from ${plural(totals.clients, 'address', 'addresses')}, every recipient in an accepted domain. The relay grant is not used: remove it; mail to accepted domains does not need it.${gaps}`,
        ...renderFix(idle ? [disableConnector(connector.identity)] : revokeUnauthenticatedRelay(analysis)),
        data: {
          from: evidence.window.from,
          to: evidence.window.to,
          days: Math.round(days * 10) / 10,
          loggedDays: Math.round(logged * 10) / 10,
          sessions: totals.sessions,
          clients: totals.clients,
        },
      });
    }
    return findings;
  },
};

function serviceOf(connector: ConnectorUsage): string {
  return `${connector.server.toLowerCase()}|${connector.transportRole.toLowerCase()}`;
}
