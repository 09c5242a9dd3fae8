import type { ExchangeServerInfo } from '../model/snapshot.js';
import { psArgument } from '../powershell/quote.js';
import type { Check, FindingDraft } from './check.js';
import { EXPORT_PERMISSIONS, note, renderFix, type FixStep } from './remediation.js';

export const incompleteInput: Check = {
  meta: {
    id: 'incomplete-input',
    title: 'Part of the organisation could not be read',
    severityRule:
      'Low: the report is incomplete; connector-level gaps are reported by verdict-unknown. High for a filtered permissions export: a connector it shows without relay may relay.',
    explanation:
      'Collection or the exported files missed something other than a connector ACL (a server, the accepted domains): checks that need it did not run, and the report cannot say the organisation is clean.',
    messages: {
      'no-accepted-domains': { description: 'The input has no accepted domains.', data: [] },
      'missing-server': {
        description:
          'A transport server has no connector in the input (data.edge: an Edge server, exported on its own).',
        data: ['server', 'roles', 'edge'],
      },
      'filtered-permissions': {
        description:
          'A Get-ADPermission export holds no inherited entry: it was filtered, and grants to the principals it left out are unseen.',
        data: ['file'],
      },
      'input-error': {
        description: 'A problem met while collecting or reading the input, other than one connector ACL.',
        data: ['scope', 'target', 'reason'],
      },
    },
  },
  run(analysis) {
    const findings: FindingDraft[] = [];
    const { snapshot } = analysis;
    if (snapshot.acceptedDomains === null) {
      findings.push({
        messageId: 'no-accepted-domains',
        severity: 'low',
        connector: null,
        subject: 'accepted domains',
        message:
          'No accepted domains in the input: relay through accepted domains (e.g. "*.com") was not checked.',
        data: {},
        ...renderFix([
          { command: 'Get-AcceptedDomain | Export-Clixml -Path .\\AcceptedDomain.xml', undo: null },
        ]),
      });
    }
    const withConnectors = new Set(snapshot.connectors.map((connector) => connector.server.toLowerCase()));
    for (const server of snapshot.servers) {
      if (!receivesMail(server) || withConnectors.has(server.name.toLowerCase())) continue;
      findings.push({
        messageId: 'missing-server',
        severity: 'low',
        connector: null,
        subject: `server ${server.name}`,
        data: { server: server.name, roles: server.roles, edge: server.isEdge },
        message: server.isEdge
          ? `Edge Transport server ${server.name} is in the organisation, but none of its receive connectors are in the input: Edge servers keep them locally, so export them on ${server.name} and analyse both exports together.`
          : `Server ${server.name} (${server.roles.join(', ')}) has receive connectors, but none are in the input.`,
        ...renderFix(exportCommands(server)),
      });
    }
    for (const issue of snapshot.errors) {
      if (issue.scope === 'connector') continue;
      if (issue.kind === 'filtered-permissions') {
        findings.push(filteredPermissions(issue.target));
        continue;
      }
      findings.push({
        messageId: 'input-error',
        severity: 'low',
        connector: null,
        subject: `${issue.scope} ${issue.target ?? ''}: ${issue.message}`,
        message: `${issue.target ? `${issue.target}: ` : ''}${issue.message}`,
        data: { scope: issue.scope, target: issue.target, reason: issue.message },
        remediation: null,
        rollback: null,
      });
    }
    return findings;
  },
};

/**
 * Get-ADPermission returns every entry, inherited ones included, and every connector inherits some: without one,
 * the export was filtered, and a grant to a principal it left out (Everyone, Externally Secured Servers) is unseen.
 */
function filteredPermissions(file: string | null): FindingDraft {
  return {
    messageId: 'filtered-permissions',
    severity: 'high',
    connector: null,
    subject: `permissions ${file ?? ''}`,
    message: `${file ? `${file}: ` : ''}the Get-ADPermission export holds no inherited entry, so it was filtered (-User, or Where-Object): grants to the principals it left out (Everyone, Externally Secured Servers, accounts) are not in it, and a connector shown without relay may relay.`,
    data: { file },
    ...renderFix([
      note('Export every entry of every connector, then analyse again with this file instead:'),
      EXPORT_PERMISSIONS,
    ]),
  };
}

/**
 * Servers that run a transport service with receive connectors: Edge always; Hub Transport on 2007/2010;
 * Mailbox and Client Access (front end transport) on 2013 and later (version 15).
 */
function receivesMail(server: ExchangeServerInfo): boolean {
  if (server.isEdge || server.roles.some((role) => /^(HubTransport|Edge)$/i.test(role))) return true;
  const major = /Version (\d+)\./.exec(server.version ?? '')?.[1];
  return (
    major !== undefined &&
    Number(major) >= 15 &&
    server.roles.some((role) => /^(Mailbox|ClientAccess)$/i.test(role))
  );
}

/** The export to run for a missing server, with its own file names so it can sit beside the organisation's. */
function exportCommands(server: ExchangeServerInfo): FixStep[] {
  const suffix = server.name.replace(/[^A-Za-z0-9_.-]/g, '_');
  const connectors = server.isEdge
    ? 'Get-ReceiveConnector'
    : `Get-ReceiveConnector -Server ${psArgument(server.name)}`;
  return [
    ...(server.isEdge ? [note(`On ${server.name}, in its Exchange Management Shell:`)] : []),
    { command: `${connectors} | Export-Clixml -Path .\\ReceiveConnector-${suffix}.xml`, undo: null },
    {
      command: `${connectors} | Get-ADPermission | Export-Clixml -Path .\\ADPermission-${suffix}.xml`,
      undo: null,
    },
  ];
}
