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
import type { ExchangeRecord, ObjectReference, UnusableEntry } from './exchange-objects.js';
import type { ParsedInput } from './read-input.js';
import { ansiMismatchHint, ansiWarning } from './ansi-reading.js';
import { DIFFERENT_ACLS, mergeCopies } from './merge-copies.js';
import { sameJson } from './same-json.js';

export interface MergeResult {
  snapshot: Snapshot;
  warnings: string[];
}

export interface MergeOptions {
  /**
   * One warning per item (every unmatched ACE target, every repeated connector) instead of a count and the first
   * few names: --verbose. Hostile or broken input can name 100,000 of them.
   */
  listAll?: boolean;
}

/** Items a summarised warning names; the rest are counted. */
const LISTED = 3;

/** A file's permission entries, attached once every connector is known. */
interface PendingAces {
  file: string;
  /** The file's records; those of kind 'ace' are the entries (no copy of 200,000 of them is made). */
  records: readonly ExchangeRecord[];
}

export function buildSnapshot(inputs: readonly ParsedInput[], options: MergeOptions = {}): MergeResult {
  const listAll = options.listAll ?? false;
  const warnings: string[] = [];
  const connectors = new Map<string, ReceiveConnector>();
  const servers = new Map<string, ExchangeServerInfo>();
  const domains = new Map<string, AcceptedDomain>();
  const errors: CollectionIssue[] = [];
  const pendingAces: PendingAces[] = [];
  const principalNames = new Map<string, PrincipalName>();
  let sawDomains = false;
  let partial = false;
  const snapshots: Snapshot[] = [];
  /** "file: what was assumed" → the connectors concerned, reported once per file. */
  const assumed = new Map<string, string[]>();
  /** file → connectors that appear again there with different settings. */
  const repeated = new Map<string, string[]>();
  /** file → connectors whose copy there changes what the analysis sees: both copies are combined. */
  const widened = new Map<string, string[]>();
  /** Files read as Windows-1252: names beyond ASCII in them may be wrong. */
  const ansiFiles: string[] = [];

  const addConnector = (connector: ReceiveConnector, file: string) => {
    const key = connector.identity.toLowerCase();
    const existing = connectors.get(key);
    if (!existing)
      connectors.set(key, { ...connector, permissions: connector.permissions && [...connector.permissions] });
    else if (!sameJson(existing, connector)) {
      const merged = mergeCopies(existing, connector);
      connectors.set(key, merged.connector);
      append(merged.widened ? widened : repeated, file, connector.identity);
    }
  };
  const addDomain = (domain: AcceptedDomain) => {
    sawDomains = true;
    domains.set(`${domain.domainName.toLowerCase()}|${domain.domainType}`, domain);
  };
  const addServer = (server: ExchangeServerInfo) => {
    if (!servers.has(server.name.toLowerCase())) servers.set(server.name.toLowerCase(), server);
  };

  for (const input of inputs) {
    warnings.push(...(input.notes ?? []));
    if (input.ansi) {
      ansiFiles.push(input.file);
      warnings.push(ansiWarning(input.file, input.ansi));
    }
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
          append(assumed, key, record.value.identity);
        }
      } else if (record.kind === 'acceptedDomain') addDomain(record.value);
      else if (record.kind === 'server') addServer(record.value);
    }
    pendingAces.push({ file: input.file, records: input.records });
  }

  for (const [file, identities] of repeated)
    warnings.push(
      ...summarise(
        identities,
        listAll,
        (identity) =>
          `${file}: connector '${identity}' appears again with different settings; the first copy is used`,
        (listed, repeats) =>
          `${file}: ${count(repeats)} connectors appear again with different settings (${listed}); the first copies are used`,
      ),
    );
  for (const [file, identities] of widened)
    warnings.push(
      ...summarise(
        identities,
        listAll,
        (identity) =>
          `${file}: connector '${identity}' appears again with different settings; which copy is current is unknown, so both are analysed as one (the bindings, ranges and mechanisms of either)`,
        (listed, repeats) =>
          `${file}: ${count(repeats)} connectors appear again with different settings (${listed}); which copies are current is unknown, so both copies of each are analysed as one (the bindings, ranges and mechanisms of either)`,
      ),
    );
  for (const [warning, identities] of assumed)
    warnings.push(
      `${warning} (${identities.length === 1 ? identities[0] : `${identities.length} connectors, e.g. ${identities[0]}`})`,
    );
  if (connectors.size === 0)
    throw new InputError(null, 'no receive connectors in the input: include the Get-ReceiveConnector export');
  const attached = attachAces([...connectors.values()], pendingAces, listAll, ansiFiles);
  warnings.push(...attached.warnings);
  for (const file of attached.filteredFiles) {
    warnings.push(`${file}: ${FILTERED_PERMISSIONS}`);
    errors.push({
      scope: 'input',
      target: file,
      message: FILTERED_PERMISSIONS,
      kind: 'filtered-permissions',
    });
    partial = true;
  }

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

/**
 * Get-ADPermission returns every entry of a connector's ACL, inherited ones included, and every connector inherits
 * entries from its containers: an export without a single inherited entry was filtered (`-User`, or Where-Object on
 * IsInherited or Deny). The grants it left out (Everyone's, Externally Secured Servers', an account's) are unseen.
 */
const FILTERED_PERMISSIONS =
  'the permission entries hold no inherited entry, so the export was filtered (Get-ADPermission -User, or Where-Object): grants to the principals it left out (Everyone, Externally Secured Servers, accounts) are not in it, and a connector shown without relay may relay. Export every entry: Get-ReceiveConnector | Get-ADPermission | Export-Clixml -Path .\\ADPermission.xml';

/** Attach each ACE to its connector: by DN, then by identity, then by a name that only one connector has. */
function attachAces(
  connectors: ReceiveConnector[],
  pending: readonly PendingAces[],
  listAll: boolean,
  ansiFiles: readonly string[],
): { warnings: string[]; filteredFiles: string[] } {
  // Snapshots hold their ACEs already: without any entry to attach, the look-up maps (10,000 lower-cased DNs) are
  // not built.
  if (!pending.some(({ records }) => records.some((record) => record.kind === 'ace')))
    return { warnings: [], filteredFiles: [] };
  /** Files with permission entries, and whether one of them was inherited. */
  const anyInherited = new Map<string, boolean>();
  const byDn = new Map<string, ReceiveConnector>();
  const byIdentity = new Map<string, ReceiveConnector>();
  /** Name → the one connector of that name, or null when several share it (one per server is common). */
  const byName = new Map<string, ReceiveConnector | null>();
  for (const connector of connectors) {
    if (connector.distinguishedName) byDn.set(connector.distinguishedName.toLowerCase(), connector);
    byIdentity.set(connector.identity.toLowerCase(), connector);
    const name = connector.name.toLowerCase();
    byName.set(name, byName.has(name) ? null : connector);
  }
  const unmatched = new Map<string, { file: string; count: number }>();
  const unreadable = new Map<string, { problem: UnusableEntry; count: number }>();
  const spoiled = new Map<ReceiveConnector, UnusableEntry>();
  /** Each connector's entries, by the file they come from. */
  const read = new Map<ReceiveConnector, Map<string, AccessControlEntry[]>>();
  // Get-ADPermission lists each connector's entries together: one look-up serves the run of them.
  let lastTarget: ObjectReference | null = null;
  let lastConnector: ReceiveConnector | undefined;
  for (const { file, records } of pending) {
    let entries = 0;
    let inherited = false;
    for (const record of records) {
      if (record.kind !== 'ace') continue;
      const { target, value: ace, unreadable: problem } = record;
      entries++;
      inherited ||= ace.inherited;
      if (
        lastTarget === null ||
        target.text !== lastTarget.text ||
        target.distinguishedName !== lastTarget.distinguishedName
      ) {
        lastTarget = target;
        lastConnector = findTarget(target, byDn, byIdentity, byName);
      }
      const connector = lastConnector;
      if (!connector) {
        const key = target.text ?? target.distinguishedName ?? '(no identity)';
        const entry = unmatched.get(key) ?? { file, count: 0 };
        entry.count++;
        unmatched.set(key, entry);
        continue;
      }
      if (problem) {
        // One untrustworthy entry makes the whole ACL unknown: a missing deny or grant changes the verdict.
        if (!spoiled.has(connector)) spoiled.set(connector, problem);
        const entry = unreadable.get(file) ?? { problem, count: 0 };
        entry.count++;
        unreadable.set(file, entry);
        continue;
      }
      let byFile = read.get(connector);
      if (!byFile) read.set(connector, (byFile = new Map()));
      append(byFile, file, ace);
    }
    if (entries > 0) anyInherited.set(file, inherited || anyInherited.get(file) === true);
  }
  /** Files that hold different ACLs for one connector → the connectors concerned. */
  const differing = new Map<string, { files: string[]; identities: string[] }>();
  for (const [connector, byFile] of read) {
    // Each Get-ADPermission export holds a connector's whole ACL: two exports of it are two ACLs, perhaps of
    // different days, never one. Joined, an explicit deny of one would mask the other's grant (or the join would
    // read as out of canonical order), and the verdict would hang on the order of the file names. So, as for two
    // copies of a connector (merge-copies.ts), different ACLs make it unknown, and each is assessed alone.
    const held = connector.permissions ?? [];
    const copies = [...(connector.permissionCopies ?? [])];
    for (const acl of byFile.values()) {
      const whole = held.length === 0 ? acl : [...held, ...acl];
      if (!copies.some((known) => sameJson(known, whole))) copies.push(whole);
    }
    const [only] = copies;
    if (copies.length === 1 && only) {
      connector.permissions = only;
      continue;
    }
    connector.permissions = null;
    connector.permissionsError = DIFFERENT_ACLS;
    connector.permissionCopies = copies;
    if (byFile.size > 1) {
      const files = [...byFile.keys()];
      const key = files.join('\0');
      const entry = differing.get(key) ?? { files, identities: [] };
      entry.identities.push(connector.identity);
      differing.set(key, entry);
    }
  }
  for (const [connector, problem] of spoiled) {
    connector.permissions = null;
    connector.permissionsError = problem.aclError;
  }
  /** file → the targets not found there, with how many entries each. */
  const unmatchedByFile = new Map<string, Array<{ target: string; count: number }>>();
  for (const [target, { file, count }] of unmatched) append(unmatchedByFile, file, { target, count });
  const filteredFiles = [...anyInherited].filter(([, inherited]) => !inherited).map(([file]) => file);
  const warnings = [
    ...[...differing.values()].flatMap(({ files, identities }) =>
      summarise(
        identities,
        listAll,
        (identity) =>
          `${files[files.length - 1]}: permission entries for '${identity}' come from ${count(files.length)} files (${files.join(', ')}) that hold different ACLs for it: each export holds the whole ACL, so they are not joined; which is current is unknown, so the ACL is unknown and each is assessed alone`,
        (listed, connectors) =>
          `${files[files.length - 1]}: permission entries for ${count(connectors)} connectors (${listed}) come from ${count(files.length)} files (${files.join(', ')}) that hold different ACLs for them: each export holds the whole ACL, so they are not joined; which is current is unknown, so their ACLs are unknown and each is assessed alone`,
      ),
    ),
    ...[...unreadable].map(
      ([file, { problem, count }]) =>
        `${file}: ${entries(count)} unusable: ${problem.reason}; their connectors' verdicts are unknown. ${problem.advice}`,
    ),
    ...[...unmatchedByFile].flatMap(([file, targets]) => {
      const hint = (names: string) => {
        const found = ansiMismatchHint(names, ansiFiles);
        return found === null ? '' : `; ${found}`;
      };
      return summarise(
        targets,
        listAll,
        ({ target, count }) =>
          `${file}: ${entries(count)} for '${target}', which is not among the connectors read; ignored${hint(target)}`,
        (listed, objects) =>
          `${file}: ${entries(targets.reduce((sum, entry) => sum + entry.count, 0))} for ${count(objects)} objects that are not among the connectors read (${listed}); ignored${hint(targets.map(({ target }) => target).join(''))}`,
        ({ target }) => target,
      );
    }),
  ];
  return { warnings, filteredFiles };
}

/**
 * One warning per item when there are few (or with --verbose), else one that counts them and names the first
 * few: a hostile export must not bury the other warnings under 100,000 lines.
 */
function summarise<T>(
  items: readonly T[],
  listAll: boolean,
  one: (item: T) => string,
  many: (listed: string, count: number) => string,
  name: (item: T) => string = String,
): string[] {
  if (listAll || items.length <= LISTED) return items.map(one);
  const listed = `${items
    .slice(0, LISTED)
    .map((item) => `'${name(item)}'`)
    .join(', ')} and ${count(items.length - LISTED)} more; --verbose lists them all`;
  return [many(listed, items.length)];
}

/**
 * The connector an ACE names. A DN, when both sides have one, is the object's identity: an ACE whose DN names
 * another object (another organisation's export, a connector since deleted and recreated) never attaches by the
 * identity text or the name it shares, or the connector would be judged on somebody else's ACL.
 */
function findTarget(
  target: ObjectReference,
  byDn: Map<string, ReceiveConnector>,
  byIdentity: Map<string, ReceiveConnector>,
  byName: Map<string, ReceiveConnector | null>,
): ReceiveConnector | undefined {
  const dn = target.distinguishedName?.toLowerCase() ?? null;
  if (dn !== null) {
    const exact = byDn.get(dn);
    if (exact) return exact;
  }
  const byText =
    (target.text ? byIdentity.get(target.text.toLowerCase()) : undefined) ??
    (target.text ? uniqueByName(byName, target.text) : undefined);
  if (byText && dn !== null && byText.distinguishedName && byText.distinguishedName.toLowerCase() !== dn)
    return undefined;
  return byText;
}

/**
 * The one connector of the name an ACE's identity ends in, when its identity text is not a connector's own
 * spelling. An identity that names a server names that server's connector: `EX02\Relay` never falls back to
 * `EX01\Relay`, whose verdict would rest on another object's ACL (an export of more servers' entries than
 * connectors).
 */
function uniqueByName(
  byName: Map<string, ReceiveConnector | null>,
  text: string,
): ReceiveConnector | undefined {
  const cut = text.lastIndexOf('\\');
  const connector = byName.get((cut < 0 ? text : text.slice(cut + 1)).toLowerCase()) ?? undefined;
  if (connector && cut >= 0 && !sameServer(text.slice(0, text.indexOf('\\')), connector.server))
    return undefined;
  return connector;
}

/** A server's short name and its FQDN name the same server. */
function sameServer(named: string, server: string): boolean {
  const a = named.trim().toLowerCase();
  const b = server.trim().toLowerCase();
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/** Adds to a map of lists in place (spreading the list each time would cost the square of its length). */
function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function entries(number: number): string {
  return `${count(number)} permission entr${number === 1 ? 'y' : 'ies'}`;
}

/** 100,000: counts in messages are read by people. */
function count(number: number): string {
  return number.toLocaleString('en-US');
}
