/**
 * Merge every input into one organisation view: connectors from any number of exports (an org export plus
 * separate Edge exports), ACEs attached to their connector by DN or identity, servers and accepted domains
 * de-duplicated. Problems that do not stop the analysis come back as warnings.
 */

import { InputError } from '../errors.js';
import {
  SNAPSHOT_KIND,
  SNAPSHOT_SCHEMA_VERSION,
  type AccessControlEntry,
  type AcceptedDomain,
  type CollectionIssue,
  type ExchangeServerInfo,
  type PrincipalName,
  type ReceiveConnector,
  type Snapshot,
} from '../model/snapshot.js';
import type { ObjectReference } from './exchange-objects.js';
import type { ParsedInput } from './read-input.js';

export interface MergeResult {
  snapshot: Snapshot;
  warnings: string[];
}

interface PendingAce {
  file: string;
  target: ObjectReference;
  ace: AccessControlEntry;
  /** Why the entry cannot be trusted; its connector's ACL is then unknown. */
  unreadable: string | null;
}

export function buildSnapshot(inputs: readonly ParsedInput[]): MergeResult {
  const warnings: string[] = [];
  const connectors = new Map<string, ReceiveConnector>();
  const servers = new Map<string, ExchangeServerInfo>();
  const domains = new Map<string, AcceptedDomain>();
  const errors: CollectionIssue[] = [];
  const pendingAces: PendingAce[] = [];
  const principalNames = new Map<string, PrincipalName>();
  let sawDomains = false;
  let partial = false;
  const snapshots: Snapshot[] = [];
  /** "file: what was assumed" → the connectors concerned, reported once per file. */
  const assumed = new Map<string, string[]>();

  const addConnector = (connector: ReceiveConnector, file: string) => {
    const key = connector.identity.toLowerCase();
    const existing = connectors.get(key);
    if (!existing)
      connectors.set(key, { ...connector, permissions: connector.permissions && [...connector.permissions] });
    else if (JSON.stringify(existing) !== JSON.stringify(connector))
      warnings.push(
        `${file}: connector '${connector.identity}' appears again with different settings; the first copy is used`,
      );
  };
  const addDomain = (domain: AcceptedDomain) => {
    sawDomains = true;
    domains.set(`${domain.domainName.toLowerCase()}|${domain.domainType}`, domain);
  };
  const addServer = (server: ExchangeServerInfo) => {
    if (!servers.has(server.name.toLowerCase())) servers.set(server.name.toLowerCase(), server);
  };

  for (const input of inputs) {
    if (input.format === 'snapshot') {
      const { snapshot } = input;
      snapshots.push(snapshot);
      snapshot.connectors.forEach((connector) => addConnector(connector, input.file));
      snapshot.servers.forEach(addServer);
      if (snapshot.acceptedDomains) snapshot.acceptedDomains.forEach(addDomain);
      errors.push(...snapshot.errors);
      for (const known of snapshot.principalNames ?? [])
        principalNames.set(`${known.name.toLowerCase()}|${known.sid.toUpperCase()}`, known);
      partial ||= snapshot.partial;
      continue;
    }
    for (const record of input.records) {
      if (record.kind === 'connector') {
        addConnector(record.value, input.file);
        for (const warning of new Set(record.warnings)) {
          const key = `${input.file}: ${warning}`;
          assumed.set(key, [...(assumed.get(key) ?? []), record.value.identity]);
        }
      } else if (record.kind === 'acceptedDomain') addDomain(record.value);
      else if (record.kind === 'server') addServer(record.value);
      else
        pendingAces.push({
          file: input.file,
          target: record.target,
          ace: record.value,
          unreadable: record.unreadable,
        });
    }
  }

  for (const [warning, identities] of assumed)
    warnings.push(
      `${warning} (${identities.length === 1 ? identities[0] : `${identities.length} connectors, e.g. ${identities[0]}`})`,
    );
  if (connectors.size === 0)
    throw new InputError(null, 'no receive connectors in the input: include the Get-ReceiveConnector export');
  warnings.push(...attachAces([...connectors.values()], pendingAces));

  const onlySnapshots = snapshots.length === inputs.length && snapshots.length > 0;
  const first = snapshots[0];
  return {
    snapshot: {
      kind: SNAPSHOT_KIND,
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      collectedAt: onlySnapshots && first ? first.collectedAt : null,
      source:
        onlySnapshots && first && snapshots.length === 1
          ? first.source
          : { method: 'files', description: inputs.map((input) => input.file).join(', '), tool: null },
      partial,
      servers: [...servers.values()],
      connectors: [...connectors.values()],
      acceptedDomains: sawDomains ? [...domains.values()] : null,
      errors,
      principalNames: [...principalNames.values()],
    },
    warnings,
  };
}

/** Attach each ACE to its connector: by DN, then by identity, then by a name that only one connector has. */
function attachAces(connectors: ReceiveConnector[], pending: readonly PendingAce[]): string[] {
  const byDn = new Map<string, ReceiveConnector>();
  const byIdentity = new Map<string, ReceiveConnector>();
  const byName = new Map<string, ReceiveConnector[]>();
  for (const connector of connectors) {
    if (connector.distinguishedName) byDn.set(connector.distinguishedName.toLowerCase(), connector);
    byIdentity.set(connector.identity.toLowerCase(), connector);
    const name = connector.name.toLowerCase();
    byName.set(name, [...(byName.get(name) ?? []), connector]);
  }
  const unmatched = new Map<string, { file: string; count: number }>();
  const unreadable = new Map<string, { reason: string; count: number }>();
  const spoiled = new Set<ReceiveConnector>();
  for (const { file, target, ace, unreadable: problem } of pending) {
    const connector =
      (target.distinguishedName ? byDn.get(target.distinguishedName.toLowerCase()) : undefined) ??
      (target.text ? byIdentity.get(target.text.toLowerCase()) : undefined) ??
      (target.text ? uniqueByName(byName, target.text) : undefined);
    if (!connector) {
      const key = target.text ?? target.distinguishedName ?? '(no identity)';
      const entry = unmatched.get(key) ?? { file, count: 0 };
      entry.count++;
      unmatched.set(key, entry);
      continue;
    }
    if (problem) {
      // One untrustworthy entry makes the whole ACL unknown: a missing deny or grant changes the verdict.
      spoiled.add(connector);
      const entry = unreadable.get(file) ?? { reason: problem, count: 0 };
      entry.count++;
      unreadable.set(file, entry);
      continue;
    }
    if (connector.permissions) connector.permissions.push(ace);
    else connector.permissions = [ace];
  }
  for (const connector of spoiled) {
    connector.permissions = null;
    connector.permissionsError = 'ConvertTo-Json dropped the names of its extended rights';
  }
  return [
    ...[...unreadable].map(
      ([file, { reason, count }]) =>
        `${file}: ${entries(count)} unusable: ${reason}; their connectors' verdicts are unknown. Export Get-ADPermission with Export-Clixml instead`,
    ),
    ...[...unmatched].map(
      ([target, { file, count }]) =>
        `${file}: ${entries(count)} for '${target}', which is not among the connectors read; ignored`,
    ),
  ];
}

function uniqueByName(byName: Map<string, ReceiveConnector[]>, text: string): ReceiveConnector | undefined {
  const name = text.includes('\\') ? text.slice(text.lastIndexOf('\\') + 1) : text;
  const matches = byName.get(name.toLowerCase());
  return matches?.length === 1 ? matches[0] : undefined;
}

function entries(count: number): string {
  return `${count} permission entr${count === 1 ? 'y' : 'ies'}`;
}
