/**
 * The one diff engine (docs/diff.md): two analysed organisations in, their structured difference out. Used by
 * `exrelay diff`, by `exrelay whatif` (before and after a change script) and by the closed-loop fix tests; pure.
 *
 * Connectors are matched by GUID, DN, known renames, then identity; findings by check, matched connector and
 * subject. Sizes are decimal strings, as in the JSON report.
 */

import type { ConnectorAnalysis, OrganizationAnalysis } from '../analysis/analyze.js';
import { appliesToObject } from '../analysis/grants.js';
import { identifyPrincipal } from '../analysis/principals.js';
import { severityRank, type Severity } from '../analysis/severity.js';
import type { Finding } from '../checks/check.js';
import type { AccessControlEntry, AcceptedDomain, ReceiveConnector } from '../model/snapshot.js';
import { IntervalSet } from '../net/interval-set.js';
import type { IpFamily } from '../net/ip-address.js';
import { parseRemoteIpRange, rangeSize } from '../net/ip-range.js';
import { formatRanges } from '../net/range-texts.js';
import { matchConnectors, type ConnectorPair } from './match-connectors.js';
import { unreadServers } from './unread-servers.js';

export interface EvaluatedOrganization {
  analysis: OrganizationAnalysis;
  findings: readonly Finding[];
}

export interface DiffOptions {
  /** Renames known from elsewhere ([old identity, new identity]): a what-if run knows them even without GUIDs. */
  renames?: ReadonlyArray<readonly [string, string]>;
  /**
   * The later side is the earlier one changed in memory (a what-if review), not a read of its own: a server
   * without connectors there lost them to the change, and is never taken as unread (unread-servers.ts).
   */
  derived?: boolean;
}

export interface Change<T> {
  before: T;
  after: T;
}

export interface RangeChange {
  text: string;
  /** Decimal string. */
  addresses: string;
}

export interface AceChange {
  user: string;
  sid: string | null;
  rights: string[];
  deny: boolean;
  inherited: boolean;
}

export interface ScopeChange {
  /** Decimal strings: the addresses the connector receives before and after. */
  before: string;
  after: string;
  gained: { addresses: string; ranges: string[] };
  lost: { addresses: string; ranges: string[] };
  /** `own-change`: its own settings changed; `other-connectors`: only other connectors' changes moved it (precedence). */
  cause: 'own-change' | 'other-connectors';
}

export interface ConnectorDiff {
  status: 'added' | 'removed' | 'changed';
  /** The identity before and after (null on the side where the connector does not exist). */
  identity: Change<string | null>;
  renamed: boolean;
  matchedBy: ConnectorPair['matchedBy'];
  enabled: Change<boolean> | null;
  transportRole: Change<string | null> | null;
  bindings: { added: string[]; removed: string[] } | null;
  authMechanism: Change<string[]> | null;
  permissionGroups: Change<string[]> | null;
  remoteIPRanges: { added: RangeChange[]; removed: RangeChange[] } | null;
  aces: { added: AceChange[]; removed: AceChange[] } | null;
  verdict: Change<string> | null;
  latent: Change<string | null> | null;
  /** Who holds the relay right (principal names), when that changed. */
  relayPrincipals: Change<string[]> | null;
  effectiveScope: ScopeChange | null;
  score: Change<number> | null;
  severity: Change<Severity> | null;
}

export interface FindingDiff {
  fingerprint: string;
  checkId: string;
  /** The connector's identity (after the change where it still exists). */
  connector: string | null;
  subject: string | null;
  severity: Change<Severity | null>;
  /** The connector's received addresses (decimal strings), when the finding is about a connector. */
  scope: Change<string | null>;
  message: string;
  remediation: string | null;
}

export interface OrganizationDiff {
  connectors: ConnectorDiff[];
  acceptedDomains: {
    added: AcceptedDomain[];
    removed: AcceptedDomain[];
    retyped: Array<{ domainName: string; before: string; after: string }>;
  } | null;
  findings: {
    introduced: FindingDiff[];
    resolved: FindingDiff[];
    widened: FindingDiff[];
    narrowed: FindingDiff[];
    unchanged: number;
  };
  summary: DiffSummary;
}

export interface DiffSummary {
  connectorsAdded: number;
  connectorsRemoved: number;
  connectorsRenamed: number;
  connectorsChanged: number;
  findingsIntroduced: number;
  findingsResolved: number;
  findingsWidened: number;
  findingsNarrowed: number;
  /** The highest severity among introduced and widened findings, or null. */
  highestNewSeverity: Severity | null;
}

export function diffOrganizations(
  before: EvaluatedOrganization,
  after: EvaluatedOrganization,
  options: DiffOptions = {},
): OrganizationDiff {
  const pairs = matchConnectors(
    before.analysis.snapshot.connectors,
    after.analysis.snapshot.connectors,
    options.renames,
  );
  const unread = options.derived ? new Set<string>() : unreadServers(before.analysis, after.analysis);
  const onUnread = (index: number | null) =>
    index !== null && unread.has(before.analysis.snapshot.connectors[index]!.server.toLowerCase());
  const connectors: ConnectorDiff[] = [];
  for (const pair of pairs) {
    // Not read on the later side: not compared (neither removed nor changed).
    if (pair.after === null && onUnread(pair.before)) continue;
    const diff = diffConnector(
      pair,
      pair.before === null ? null : (before.analysis.connectors[pair.before] ?? null),
      pair.after === null ? null : (after.analysis.connectors[pair.after] ?? null),
    );
    if (diff) connectors.push(diff);
  }
  const findings = diffFindings(before, after, pairs, unread);
  const changed = connectors.filter((connector) => connector.status === 'changed');
  const rising = [...findings.introduced, ...findings.widened];
  return {
    connectors,
    acceptedDomains: diffDomains(
      before.analysis.snapshot.acceptedDomains,
      after.analysis.snapshot.acceptedDomains,
    ),
    findings,
    summary: {
      connectorsAdded: connectors.filter((connector) => connector.status === 'added').length,
      connectorsRemoved: connectors.filter((connector) => connector.status === 'removed').length,
      connectorsRenamed: changed.filter((connector) => connector.renamed).length,
      connectorsChanged: changed.length,
      findingsIntroduced: findings.introduced.length,
      findingsResolved: findings.resolved.length,
      findingsWidened: findings.widened.length,
      findingsNarrowed: findings.narrowed.length,
      highestNewSeverity: rising.reduce<Severity | null>((highest, finding) => {
        const severity = finding.severity.after;
        if (severity === null) return highest;
        return highest === null || severityRank(severity) > severityRank(highest) ? severity : highest;
      }, null),
    },
  };
}

/** Checks whose subject is another connector, and the data field that names it by identity. */
const OTHER_CONNECTOR_FIELD: Readonly<Record<string, string>> = {
  'relay-capture': 'from',
  'ambiguous-precedence': 'other',
};

/**
 * A finding's subject as the diff matches it. A subject that is another connector names it by its stable identity
 * (GUID, else DN), which one side may lack (an export without Guid): such a subject is keyed by the other
 * connector's matched pair instead, so that the same capture is not introduced and resolved at once.
 */
function subjectKey(finding: Finding, pairOf: ReadonlyMap<string, number>): string {
  const field = OTHER_CONNECTOR_FIELD[finding.checkId];
  const other = field === undefined ? undefined : finding.data[field];
  const pair = typeof other === 'string' ? pairOf.get(other.toLowerCase()) : undefined;
  if (pair === undefined) return finding.subject ?? '';
  return `pair ${pair} port ${String(finding.data['port'])} ${String(finding.data['family'])}`;
}

/**
 * Whether the later side could check an earlier finding again: without accepted domains, accepted-domain-relay
 * does not run, and a server whose connectors it did not read (unread-servers.ts) was not looked at, so their
 * findings are not resolved, only not checked (counted as unchanged).
 */
function checkedAgain(
  old: { finding: Finding; server: string | null },
  after: EvaluatedOrganization,
  unread: ReadonlySet<string>,
): boolean {
  if (old.server !== null && unread.has(old.server)) return false;
  return old.finding.checkId !== 'accepted-domain-relay' || after.analysis.snapshot.acceptedDomains !== null;
}

/** The earlier side's findings the later side could not check again (checkedAgain): worth a note. */
export function uncheckedDomainFindings(before: EvaluatedOrganization, after: EvaluatedOrganization): number {
  return before.findings.filter((finding) => !checkedAgain({ finding, server: null }, after, new Set()))
    .length;
}

/** What the later side did not read of the earlier one's servers (unread-servers.ts): worth a note. */
export function uncheckedServers(
  before: EvaluatedOrganization,
  after: EvaluatedOrganization,
): { servers: string[]; connectors: number } {
  const unread = unreadServers(before.analysis, after.analysis);
  const on = before.analysis.snapshot.connectors.filter((connector) =>
    unread.has(connector.server.toLowerCase()),
  );
  const names = new Map(on.map((connector) => [connector.server.toLowerCase(), connector.server]));
  return { servers: [...names.values()], connectors: on.length };
}

/**
 * Both sides hold connectors and none of them matched: the usual sign of two different organisations (a wrong
 * file, or a snapshot folder two organisations' audits share), where every connector shows as removed and added.
 */
export function noConnectorInCommon(
  diff: OrganizationDiff,
  before: EvaluatedOrganization,
  after: EvaluatedOrganization,
): boolean {
  const { connectorsAdded, connectorsRemoved } = diff.summary;
  const beforeCount = before.analysis.snapshot.connectors.length;
  const afterCount = after.analysis.snapshot.connectors.length;
  return (
    beforeCount > 0 && afterCount > 0 && connectorsRemoved === beforeCount && connectorsAdded === afterCount
  );
}

/** Introduced or widened findings at or above the threshold: what makes `diff` and `whatif` exit 1. */
export function regressions(diff: OrganizationDiff, failOn: Severity | 'none'): FindingDiff[] {
  if (failOn === 'none') return [];
  return [...diff.findings.introduced, ...diff.findings.widened].filter(
    (finding) =>
      finding.severity.after !== null && severityRank(finding.severity.after) >= severityRank(failOn),
  );
}

function change<T>(before: T, after: T, same: (a: T, b: T) => boolean = Object.is): Change<T> | null {
  return same(before, after) ? null : { before, after };
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((value, index) => value.toLowerCase() === b[index]?.toLowerCase());

const sameSet = (a: readonly string[], b: readonly string[]) =>
  sameList(
    [...a].map((value) => value.toLowerCase()).sort(),
    [...b].map((value) => value.toLowerCase()).sort(),
  );

function diffConnector(
  pair: ConnectorPair,
  before: ConnectorAnalysis | null,
  after: ConnectorAnalysis | null,
): ConnectorDiff | null {
  const empty = {
    renamed: false,
    matchedBy: pair.matchedBy,
    enabled: null,
    transportRole: null,
    bindings: null,
    authMechanism: null,
    permissionGroups: null,
    remoteIPRanges: null,
    aces: null,
    verdict: null,
    latent: null,
    relayPrincipals: null,
    effectiveScope: null,
    score: null,
    severity: null,
  };
  if (!before && after)
    return {
      ...empty,
      status: 'added',
      identity: { before: null, after: after.connector.identity },
      remoteIPRanges: { added: after.connector.remoteIPRanges.map(rangeChange), removed: [] },
      aces: {
        added: (after.connector.permissions ?? []).filter((ace) => !ace.inherited).map(aceChange),
        removed: [],
      },
      verdict: { before: 'none', after: after.relay.verdict },
      score: { before: 0, after: after.score },
      severity: { before: 'info', after: after.severity },
      effectiveScope: scopeChange(null, after, 'own-change'),
    };
  if (before && !after)
    return {
      ...empty,
      status: 'removed',
      identity: { before: before.connector.identity, after: null },
      verdict: { before: before.relay.verdict, after: 'none' },
      score: { before: before.score, after: 0 },
      severity: { before: before.severity, after: 'info' },
      effectiveScope: scopeChange(before, null, 'own-change'),
    };
  if (!before || !after) return null;
  const a = before.connector;
  const b = after.connector;
  // A what-if run shares every connector it did not change: only its analysis (scope, score) can differ.
  if (a === b) return analysisOnlyDiff(pair, before, after, empty);
  const ranges = diffRanges(a.remoteIPRanges, b.remoteIPRanges);
  const bindings = diffStrings(a.bindings, b.bindings);
  const enabled = change(a.enabled, b.enabled);
  const transportRole = change(a.transportRole, b.transportRole);
  const ownScopeChange = Boolean(ranges || bindings || enabled || transportRole);
  const diff: ConnectorDiff = {
    status: 'changed',
    identity: { before: a.identity, after: b.identity },
    renamed: a.identity.toLowerCase() !== b.identity.toLowerCase(),
    matchedBy: pair.matchedBy,
    enabled,
    transportRole,
    bindings,
    authMechanism: change(a.authMechanism, b.authMechanism, sameSet),
    permissionGroups: change(a.permissionGroups, b.permissionGroups, sameSet),
    remoteIPRanges: ranges,
    aces: diffAces(a, b),
    verdict: change<string>(before.relay.verdict, after.relay.verdict),
    latent: change(before.latent, after.latent),
    relayPrincipals: change(relayNames(before), relayNames(after), sameSet),
    effectiveScope: scopeChange(before, after, ownScopeChange ? 'own-change' : 'other-connectors'),
    score: change(before.score, after.score),
    severity: change(before.severity, after.severity),
  };
  const { status: _status, identity: _identity, matchedBy: _matchedBy, renamed, ...rest } = diff;
  return renamed || Object.values(rest).some((value) => value !== null) ? diff : null;
}

function analysisOnlyDiff(
  pair: ConnectorPair,
  before: ConnectorAnalysis,
  after: ConnectorAnalysis,
  empty: Omit<ConnectorDiff, 'status' | 'identity'>,
): ConnectorDiff | null {
  const diff: ConnectorDiff = {
    ...empty,
    status: 'changed',
    identity: { before: before.connector.identity, after: after.connector.identity },
    matchedBy: pair.matchedBy,
    verdict: change<string>(before.relay.verdict, after.relay.verdict),
    latent: change(before.latent, after.latent),
    effectiveScope: scopeChange(before, after, 'other-connectors'),
    score: change(before.score, after.score),
    severity: change(before.severity, after.severity),
  };
  return diff.verdict || diff.latent || diff.effectiveScope || diff.score || diff.severity ? diff : null;
}

function relayNames(connector: ConnectorAnalysis): string[] {
  return connector.relay.principals.map((principal) => principal.user);
}

function rangeChange(text: string): RangeChange {
  const parsed = parseRemoteIpRange(text);
  return { text, addresses: parsed.ok ? rangeSize(parsed.range).toString() : '0' };
}

function rangeKey(text: string): string {
  const parsed = parseRemoteIpRange(text);
  return parsed.ok
    ? `${parsed.range.family}:${parsed.range.first}-${parsed.range.last}`
    : text.trim().toLowerCase();
}

function diffRanges(before: readonly string[], after: readonly string[]): ConnectorDiff['remoteIPRanges'] {
  const beforeKeys = new Set(before.map(rangeKey));
  const afterKeys = new Set(after.map(rangeKey));
  const added = after.filter((text) => !beforeKeys.has(rangeKey(text))).map(rangeChange);
  const removed = before.filter((text) => !afterKeys.has(rangeKey(text))).map(rangeChange);
  return added.length > 0 || removed.length > 0 ? { added, removed } : null;
}

function diffStrings(
  before: readonly string[],
  after: readonly string[],
): { added: string[]; removed: string[] } | null {
  const fold = (values: readonly string[]) => new Set(values.map((value) => value.trim().toLowerCase()));
  const beforeSet = fold(before);
  const afterSet = fold(after);
  const added = after.filter((value) => !beforeSet.has(value.trim().toLowerCase()));
  const removed = before.filter((value) => !afterSet.has(value.trim().toLowerCase()));
  return added.length > 0 || removed.length > 0 ? { added, removed } : null;
}

/** ACEs compared by what they mean: principal, rights, allow or deny, inherited, and whether they apply at all. */
function aceKey(ace: AccessControlEntry): string {
  const rights = [...ace.extendedRights, ...(ace.extendedRights.length > 0 ? [] : ace.accessRights)]
    .map((right) => right.toLowerCase())
    .sort();
  return [
    identifyPrincipal(ace.user, ace.sid).key,
    ace.deny,
    ace.inherited,
    appliesToObject(ace),
    ...rights,
  ].join('|');
}

function aceChange(ace: AccessControlEntry): AceChange {
  return {
    user: ace.user,
    sid: ace.sid,
    rights: ace.extendedRights.length > 0 ? [...ace.extendedRights] : [...ace.accessRights],
    deny: ace.deny,
    inherited: ace.inherited,
  };
}

function diffAces(before: ReceiveConnector, after: ReceiveConnector): ConnectorDiff['aces'] {
  if (before.permissions === null || after.permissions === null) return null;
  const count = (aces: readonly AccessControlEntry[]) => {
    const counts = new Map<string, { ace: AccessControlEntry; count: number }>();
    for (const ace of aces) {
      const key = aceKey(ace);
      const entry = counts.get(key);
      if (entry) entry.count++;
      else counts.set(key, { ace, count: 1 });
    }
    return counts;
  };
  const a = count(before.permissions);
  const b = count(after.permissions);
  const removed = [...a]
    .filter(([key, entry]) => (b.get(key)?.count ?? 0) < entry.count)
    .map(([, entry]) => aceChange(entry.ace));
  const added = [...b]
    .filter(([key, entry]) => (a.get(key)?.count ?? 0) < entry.count)
    .map(([, entry]) => aceChange(entry.ace));
  return added.length > 0 || removed.length > 0 ? { added, removed } : null;
}

const EMPTY_SCOPE: Record<IpFamily, IntervalSet> = { 4: IntervalSet.EMPTY, 6: IntervalSet.EMPTY };
const LISTED_RANGES = 8;

function scopeChange(
  before: ConnectorAnalysis | null,
  after: ConnectorAnalysis | null,
  cause: ScopeChange['cause'],
): ScopeChange | null {
  const a = before?.effective ?? EMPTY_SCOPE;
  const b = after?.effective ?? EMPTY_SCOPE;
  if (a[4].equals(b[4]) && a[6].equals(b[6])) return null;
  const describe = (scope: Record<IpFamily, IntervalSet>) => {
    const ranges: string[] = [];
    let addresses = 0n;
    for (const family of [4, 6] as const) {
      addresses += scope[family].size();
      ranges.push(...formatRanges(family, scope[family], LISTED_RANGES - ranges.length));
    }
    return { addresses: addresses.toString(), ranges };
  };
  return {
    before: (a[4].size() + a[6].size()).toString(),
    after: (b[4].size() + b[6].size()).toString(),
    gained: describe({ 4: b[4].difference(a[4]), 6: b[6].difference(a[6]) }),
    lost: describe({ 4: a[4].difference(b[4]), 6: a[6].difference(b[6]) }),
    cause,
  };
}

function diffDomains(
  before: readonly AcceptedDomain[] | null,
  after: readonly AcceptedDomain[] | null,
): OrganizationDiff['acceptedDomains'] {
  if (before === null || after === null) return null;
  const key = (domain: AcceptedDomain) => domain.domainName.toLowerCase();
  const afterByName = new Map(after.map((domain) => [key(domain), domain]));
  const beforeByName = new Map(before.map((domain) => [key(domain), domain]));
  return {
    added: after.filter((domain) => !beforeByName.has(key(domain))),
    removed: before.filter((domain) => !afterByName.has(key(domain))),
    retyped: before.flatMap((domain) => {
      const other = afterByName.get(key(domain));
      return other && other.domainType !== domain.domainType
        ? [{ domainName: domain.domainName, before: domain.domainType, after: other.domainType }]
        : [];
    }),
  };
}

interface KeyedFinding {
  finding: Finding;
  /** checkId | matched pair | subject: what must be equal for two findings to be the same one. */
  key: string;
  fingerprint: string;
  scope: bigint | null;
  /** The addresses the finding's connector receives; null for a finding of the organisation. */
  effective: Record<IpFamily, IntervalSet> | null;
  connector: string | null;
  /** The server of the finding's connector, lower-cased; null for a finding of the organisation. */
  server: string | null;
}

function diffFindings(
  before: EvaluatedOrganization,
  after: EvaluatedOrganization,
  pairs: readonly ConnectorPair[],
  unread: ReadonlySet<string>,
): OrganizationDiff['findings'] {
  const pairOfBefore = new Map<string, number>();
  const pairOfAfter = new Map<string, number>();
  pairs.forEach((pair, index) => {
    if (pair.before !== null)
      pairOfBefore.set(before.analysis.snapshot.connectors[pair.before]!.identity.toLowerCase(), index);
    if (pair.after !== null)
      pairOfAfter.set(after.analysis.snapshot.connectors[pair.after]!.identity.toLowerCase(), index);
  });
  const keyed = (side: EvaluatedOrganization, pairOf: Map<string, number>): KeyedFinding[] => {
    const byIdentity = new Map(
      side.analysis.connectors.map((connector) => [connector.connector.identity.toLowerCase(), connector]),
    );
    return side.findings.map((finding) => {
      const connector =
        finding.connector === null ? undefined : byIdentity.get(finding.connector.toLowerCase());
      const pair =
        finding.connector === null
          ? '-'
          : String(pairOf.get(finding.connector.toLowerCase()) ?? `?${finding.connector.toLowerCase()}`);
      return {
        finding,
        key: `${finding.checkId}|${pair}|${subjectKey(finding, pairOf)}`,
        fingerprint: finding.fingerprint,
        scope: connector ? connector.effectiveMetrics.addresses : null,
        effective: connector ? connector.effective : null,
        connector: finding.connector,
        server: connector ? connector.connector.server.toLowerCase() : null,
      };
    });
  };
  const olds = keyed(before, pairOfBefore);
  const news = keyed(after, pairOfAfter);
  const matched = pairFindings(olds, news);
  const result: OrganizationDiff['findings'] = {
    introduced: [],
    resolved: [],
    widened: [],
    narrowed: [],
    unchanged: 0,
  };
  for (const [old, current] of matched) {
    if (!old && current) result.introduced.push(findingDiff(null, current));
    else if (old && !current && !checkedAgain(old, after, unread)) result.unchanged++;
    else if (old && !current) result.resolved.push(findingDiff(old, null));
    else if (old && current) {
      const severity = severityRank(current.finding.severity) - severityRank(old.finding.severity);
      const scope = old.scope !== null && current.scope !== null ? compare(current.scope, old.scope) : 0;
      // Senders it did not reach before widen a finding even when as many or more others were dropped, or its
      // severity fell: a relay range moved from 10.20.0.0/16 to 10.99.0.0/24 lets 256 new hosts relay.
      const gains = gainsAddresses(old.effective, current.effective);
      if (severity > 0 || gains || (severity === 0 && scope > 0))
        result.widened.push(findingDiff(old, current));
      else if (severity < 0 || (severity === 0 && scope < 0)) result.narrowed.push(findingDiff(old, current));
      else result.unchanged++;
    }
  }
  return result;
}

/** Same key: pair one to one; several with one key (no subject yet) pair by equal message first, then in order. */
function pairFindings(
  olds: KeyedFinding[],
  news: KeyedFinding[],
): Array<[KeyedFinding | null, KeyedFinding | null]> {
  const group = (items: KeyedFinding[]) => {
    const groups = new Map<string, KeyedFinding[]>();
    for (const item of items) groups.set(item.key, [...(groups.get(item.key) ?? []), item]);
    return groups;
  };
  const oldGroups = group(olds);
  const newGroups = group(news);
  const result: Array<[KeyedFinding | null, KeyedFinding | null]> = [];
  for (const [key, oldItems] of oldGroups) {
    const newItems = [...(newGroups.get(key) ?? [])];
    const unmatched: KeyedFinding[] = [];
    for (const old of oldItems) {
      const same = newItems.findIndex((item) => item.finding.message === old.finding.message);
      if (same >= 0) result.push([old, newItems.splice(same, 1)[0]!]);
      else unmatched.push(old);
    }
    for (const old of unmatched) result.push([old, newItems.shift() ?? null]);
    for (const item of newItems) result.push([null, item]);
    newGroups.delete(key);
  }
  for (const items of newGroups.values()) for (const item of items) result.push([null, item]);
  return result;
}

function findingDiff(old: KeyedFinding | null, current: KeyedFinding | null): FindingDiff {
  const shown = (current ?? old)!;
  return {
    fingerprint: (old ?? current)!.fingerprint,
    checkId: shown.finding.checkId,
    connector: shown.connector,
    subject: shown.finding.subject,
    severity: { before: old?.finding.severity ?? null, after: current?.finding.severity ?? null },
    scope: { before: old?.scope?.toString() ?? null, after: current?.scope?.toString() ?? null },
    message: shown.finding.message,
    remediation: shown.finding.remediation,
  };
}

function gainsAddresses(
  before: Record<IpFamily, IntervalSet> | null,
  after: Record<IpFamily, IntervalSet> | null,
): boolean {
  if (before === null || after === null) return false;
  return !before[4].containsSet(after[4]) || !before[6].containsSet(after[6]);
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
