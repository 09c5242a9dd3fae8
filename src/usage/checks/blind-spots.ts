/**
 * What the logs cannot show, said as findings so that no silence reads as "unused": the window itself, relay
 * connectors whose service's logs were not read, Hub logs read without Front End logs, one address hiding many
 * clients, connectors the snapshot does not know.
 */

import { listNames, plural } from '../../checks/describe.js';
import type { ConnectorUsage, ServiceLogs, UsageAnalysis } from '../analyze-usage.js';
import { grantsUnauthenticatedRelay, notShownPrivate } from '../least-privilege.js';
import type { FindingDraft } from '../../checks/check.js';
import type { UsageCheck } from '../usage-check.js';
import { NO_COUNTS } from '../usage-tally.js';
import { clientText, countedList, gapList, sizeText, windowText } from '../wording.js';

const SERVICE_NAMES: Record<string, string> = {
  FrontendTransport: 'Front End Transport',
  HubTransport: 'Transport',
};

function serviceName(role: string): string {
  return SERVICE_NAMES[role] ?? role;
}

function logFolder(usage: UsageAnalysis, server: string, role: string): string | null {
  const info = usage.organization.snapshot.servers.find(
    (item) => item.name.toLowerCase() === server.toLowerCase(),
  );
  return info?.receiveProtocolLogPaths?.find((path) => path.transportRole === role)?.path ?? null;
}

const FORMATS: Record<string, string> = {
  '14.0.0.0': 'Exchange 2010 (14.0.0.0)',
  '15.0.0.0': 'Exchange 2013 or later (15.0.0.0)',
};

export const logWindow: UsageCheck = {
  meta: {
    id: 'usage-window',
    title: 'The time the logs cover',
    severityRule: 'Info.',
    explanation:
      'Every usage finding holds only for the time the logs cover. Exchange keeps protocol logs for 30 days and at most 250 MB per folder by default, so a job that runs monthly or quarterly may not appear in them.',
    messages: {
      window: {
        description: 'The time, files and services the logs cover.',
        data: ['from', 'to', 'files', 'bytes', 'versions'],
      },
    },
  },
  run({ usage }) {
    if (usage.window === null) return [];
    const services = usage.services.map(
      (service: ServiceLogs) =>
        `${service.server} ${serviceName(service.transportRole)}${service.window ? ` ${windowText(service.window)}` : ''}${service.gaps.length > 0 ? ` but no log ${gapList(service.gaps)}` : ''}`,
    );
    return [
      {
        messageId: 'window',
        severity: 'info',
        connector: null,
        subject: null,
        message: `The logs cover the time ${windowText(usage.window)}: ${plural(usage.files, 'file')}, ${sizeText(usage.bytes)}, ${usage.versions.map((version) => FORMATS[version] ?? version).join(' and ') || 'no #Version line'}; ${services.length > 0 ? services.join('; ') : 'no connector of the snapshot appears in them'}. Nothing before or after is known: a job that runs monthly may not appear.`,
        remediation: null,
        rollback: null,
        data: {
          from: usage.window.from,
          to: usage.window.to,
          files: usage.files,
          bytes: usage.bytes,
          versions: usage.versions,
        },
      },
    ];
  },
};

export const noEvidence: UsageCheck = {
  meta: {
    id: 'usage-no-evidence',
    title: 'A relay connector whose logs were not read',
    severityRule: 'Info: nothing is known about it, in either direction.',
    explanation:
      'The connector logs (or its level is unknown), but no log of its transport service on its server was among the files read. Its grant is neither shown used nor unused; read that folder too.',
    messages: {
      'logs-not-read': {
        description: "No log of the relay connector's transport service was read.",
        data: ['server', 'transportRole', 'folder'],
      },
    },
  },
  run({ usage }) {
    const findings: FindingDraft[] = [];
    for (const connector of usage.connectors) {
      const analysis = connector.analysis;
      if (analysis === null || connector.evidence !== 'not-read' || !grantsUnauthenticatedRelay(analysis))
        continue;
      const folder = logFolder(usage, connector.server, connector.transportRole);
      findings.push({
        messageId: 'logs-not-read',
        severity: 'info',
        connector: connector.identity,
        subject: null,
        message: `No log of the ${serviceName(connector.transportRole)} service of ${connector.server} was read, so there is no evidence for this relay connector, neither used nor unused${folder ? `; its logs are in ${folder} on ${connector.server}` : ''}.`,
        remediation: null,
        rollback: null,
        data: { server: connector.server, transportRole: connector.transportRole, folder },
      });
    }
    return findings;
  },
};

export const hubLogsOnly: UsageCheck = {
  meta: {
    id: 'usage-hub-logs',
    title: 'Transport (Hub) logs read without the Front End logs',
    severityRule: 'Info.',
    explanation:
      "On Exchange 2013 and later, clients connect to the Front End Transport service, which passes their mail to the Transport service of a Mailbox server. The Transport service's log therefore shows Exchange servers (and, after XPROXYFROM, the client each session was for), not who connected: read the Front End logs to see who relays.",
    messages: {
      'hub-without-frontend': {
        description: "A server's Transport logs were read without its Front End logs.",
        data: ['server', 'senders', 'proxiedClients', 'folder'],
      },
    },
  },
  run({ usage }) {
    const findings: FindingDraft[] = [];
    const read = new Set(
      usage.services.map((service) => `${service.server.toLowerCase()}|${service.transportRole}`),
    );
    for (const service of usage.services) {
      if (service.transportRole !== 'HubTransport') continue;
      const server = service.server;
      const hasFrontend = usage.organization.snapshot.connectors.some(
        (connector) =>
          connector.server.toLowerCase() === server.toLowerCase() &&
          connector.transportRole === 'FrontendTransport',
      );
      if (!hasFrontend || read.has(`${server.toLowerCase()}|FrontendTransport`)) continue;
      const hub = usage.connectors.filter(
        (connector) =>
          connector.server.toLowerCase() === server.toLowerCase() &&
          connector.transportRole === 'HubTransport',
      );
      const senders = hub.reduce((sum, connector) => sum + connector.totals.clients, 0);
      const proxied = new Set(
        hub.flatMap((connector) =>
          connector.clients.flatMap((client) => [...(client.proxiedClients ?? NO_COUNTS).keys()]),
        ),
      );
      const folder = logFolder(usage, server, 'FrontendTransport');
      findings.push({
        messageId: 'hub-without-frontend',
        severity: 'info',
        connector: null,
        subject: server,
        message: `Only the Transport service's logs of ${server} were read: they show ${plural(senders, 'sending address', 'sending addresses')}, mostly Exchange servers passing mail on${proxied.size > 0 ? ` (XPROXYFROM names ${plural(proxied.size, 'client')} behind them)` : ''}, not who connected. Read the Front End logs${folder ? ` (${folder})` : ''} to see who relays.`,
        remediation: null,
        rollback: null,
        data: { server, senders, proxiedClients: proxied.size, folder },
      });
    }
    return findings;
  },
};

export const sharedAddress: UsageCheck = {
  meta: {
    id: 'usage-shared-address',
    title: 'One address, many HELO names: a load balancer or NAT',
    severityRule: 'Info; from --helo-threshold distinct names (default 10).',
    explanation:
      'A client names itself in HELO/EHLO. Many different names from one address mean several clients behind one address: a load balancer or source NAT. A relay grant for that address is a grant for every client behind it, and the logs cannot tell them apart.',
    messages: {
      'many-helo-names': {
        description: 'One address used many HELO/EHLO names.',
        data: ['address', 'heloNames'],
      },
    },
  },
  run({ usage, options }) {
    const findings: FindingDraft[] = [];
    for (const connector of usage.connectors) {
      for (const client of connector.clients) {
        const names = client.heloNames.size;
        if (names < options.heloThreshold) continue;
        findings.push({
          messageId: 'many-helo-names',
          severity: 'info',
          connector: connector.identity,
          subject: client.address,
          message: `${clientText(client)} named itself ${names >= 50 ? 'in 50 or more' : `in ${names}`} different ways in HELO/EHLO (${countedList(client.heloNames)}): a load balancer or NAT in front of several clients. A grant for this address is a grant for all of them, and its evidence is theirs together.`,
          remediation: null,
          rollback: null,
          data: { address: client.address, heloNames: [...client.heloNames.keys()] },
        });
      }
    }
    return findings;
  },
};

export const unknownConnector: UsageCheck = {
  meta: {
    id: 'usage-unknown-connector',
    title: 'The logs name a connector the snapshot does not have',
    severityRule: 'Info.',
    explanation:
      'Log lines name their connector as SERVER\\Connector Name. One that is not in the snapshot was renamed or removed since, or the logs come from another organisation (or another snapshot is needed). Its evidence is listed but cannot be set against a grant.',
    messages: {
      'not-in-snapshot': {
        description: 'The logs name a connector the snapshot lacks.',
        data: ['sessions', 'clients', 'relayed'],
      },
    },
  },
  run({ usage }) {
    return usage.connectors
      .filter((connector: ConnectorUsage) => connector.evidence === 'not-in-snapshot')
      .map((connector) => ({
        messageId: 'not-in-snapshot',
        severity: 'info',
        connector: connector.identity,
        subject: null,
        message: `The logs name this connector, which the snapshot does not have: ${plural(connector.totals.sessions, 'session')} from ${plural(connector.totals.clients, 'address', 'addresses')}, ${plural(connector.totals.recipients.relayed, 'recipient')} relayed without authenticating. Renamed or removed since the logs were written, or logs of another organisation.`,
        remediation: null,
        rollback: null,
        data: {
          sessions: connector.totals.sessions,
          clients: connector.totals.clients,
          relayed: connector.totals.recipients.relayed,
        },
      }));
  },
};

export const catchAllDomain: UsageCheck = {
  meta: {
    id: 'usage-catch-all-domain',
    title: 'Recipients accepted only through a catch-all accepted domain',
    severityRule:
      'High when clients that did not authenticate used it from outside the private ranges; medium from private addresses; info when only authenticated clients did.',
    explanation:
      'An accepted domain "*" (or "*.com"-like) makes every such recipient an accepted one, so Exchange needs no relay right for them and by configuration nothing is relay: exrelay counts these recipients apart instead of as relayed. In effect every client that may submit can send to those domains; see the accepted-domain-relay check.',
    messages: {
      'accepted-through-catch-all': {
        description: 'Recipients outside the organisation were accepted through a catch-all accepted domain.',
        data: ['recipients', 'clients', 'anonymousClients', 'outsideClients', 'acceptedDomains'],
      },
    },
  },
  run({ usage }) {
    const clients = usage.connectors.flatMap((connector) =>
      connector.clients.filter((client) => client.recipients.catchAll > 0),
    );
    if (clients.length === 0) return [];
    const recipients = clients.reduce((sum, client) => sum + client.recipients.catchAll, 0);
    const anonymous = clients.filter((client) => client.anonymousSessions > 0);
    const outside = anonymous.filter(notShownPrivate);
    const catchAll = (usage.organization.acceptedDomains ?? [])
      .filter((domain) => domain.breadth === 'everything' || domain.breadth === 'public-suffix')
      .map((domain) => `${domain.domain.domainName} (${domain.domain.domainType})`);
    return [
      {
        messageId: 'accepted-through-catch-all',
        severity: outside.length > 0 ? 'high' : anonymous.length > 0 ? 'medium' : 'info',
        connector: null,
        subject: catchAll.join(', ') || null,
        message: `${plural(recipients, 'recipient')} outside the organisation's own domains were accepted only through the catch-all accepted domain ${listNames(catchAll)}, from ${plural(clients.length, 'address', 'addresses')} (${plural(anonymous.length, 'of them', 'of them')} without authenticating). By configuration that is not relay, so none is counted as relayed; in effect those senders relay to every domain it covers.`,
        remediation: null,
        rollback: null,
        data: {
          recipients,
          clients: clients.length,
          anonymousClients: anonymous.length,
          outsideClients: outside.length,
          acceptedDomains: catchAll,
        },
      },
    ];
  },
};
