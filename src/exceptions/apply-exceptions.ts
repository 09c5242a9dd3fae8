/**
 * The exceptions layer between checks and report, pure: findings, the exceptions file, each connector's scope and
 * "today" (a YYYY-MM-DD given by the caller) in; the findings marked, plus findings about the exceptions, out.
 *
 * An entry covers its finding (status `accepted`) until it expires or the connector's scope grows beyond what the
 * entry approves; then the finding is marked `expired` or `scope-exceeded`, counts as usual, and a finding of
 * check `exception` says so at the covered finding's severity. An entry that matches no finding is `stale`.
 */

import type { ConnectorAnalysis, OrganizationAnalysis } from '../analysis/analyze.js';
import { identifyPrincipal } from '../analysis/principals.js';
import { severityRank, type Severity } from '../analysis/severity.js';
import type { Finding, FindingData } from '../checks/check.js';
import { formatCount, listNames, listScope, scopeRanges } from '../checks/describe.js';
import { findingFingerprint, stableConnectorKey } from '../checks/fingerprint.js';
import { IntervalSet } from '../net/interval-set.js';
import type { IpFamily } from '../net/ip-address.js';
import { parseRemoteIpRange } from '../net/ip-range.js';
import {
  describeReference,
  ExceptionsFileError,
  sameText,
  type ExceptionEntry,
  type ExceptionsFile,
} from './exception-entry.js';

/** The check id of findings about exceptions (not a registered check: the exceptions layer reports them). */
export const EXCEPTION_CHECK_ID = 'exception';

export interface ExceptionMark {
  /** `accepted`: covered, not counted toward the exit code; otherwise why coverage stopped. */
  status: 'accepted' | 'expired' | 'scope-exceeded';
  reason: string;
  owner: string;
  ticket: string | null;
  expires: string;
  /** The entry's line in the exceptions file. */
  line: number;
}

/** A finding as the report carries it: with its exception, when an entry names it. */
export type MarkedFinding = Finding & { exception?: ExceptionMark };

export interface ExceptionsSummary {
  entries: number;
  accepted: number;
  expired: number;
  scopeExceeded: number;
  stale: number;
}

export interface ExceptionsOutcome {
  /** Every finding (marked where an entry names it) and the exception findings, most severe first. */
  findings: MarkedFinding[];
  summary: ExceptionsSummary;
}

/** What an exception's scope is compared with: the connector's received addresses and its relay principals. */
export interface ConnectorScope {
  identity: string;
  stableKey: string;
  effective: Record<IpFamily, IntervalSet>;
  relayPrincipals: ReadonlyArray<{ user: string; sid: string | null }>;
}

export function connectorScopes(analysis: OrganizationAnalysis): ConnectorScope[] {
  return analysis.connectors.map((connector: ConnectorAnalysis) => ({
    identity: connector.connector.identity,
    stableKey: stableConnectorKey(connector.connector),
    effective: connector.effective,
    relayPrincipals: connector.relay.principals,
  }));
}

/** Not accepted: what counts toward exit codes. */
export function isAccepted(finding: MarkedFinding): boolean {
  return finding.exception?.status === 'accepted';
}

export function applyExceptions(input: {
  findings: readonly Finding[];
  connectors: readonly ConnectorScope[];
  exceptions: ExceptionsFile;
  /** YYYY-MM-DD: an entry covers through its `expires` day. */
  today: string;
}): ExceptionsOutcome {
  const { findings, exceptions, today } = input;
  const connectors = new Map(input.connectors.map((scope) => [scope.identity.toLowerCase(), scope]));
  const marks = new Map<Finding, ExceptionMark>();
  const extra: Finding[] = [];
  const coveredBy = new Map<Finding, ExceptionEntry>();
  const summary: ExceptionsSummary = {
    entries: exceptions.entries.length,
    accepted: 0,
    expired: 0,
    scopeExceeded: 0,
    stale: 0,
  };
  for (const entry of exceptions.entries) {
    const matches = findings.filter((finding) => names(entry, finding));
    if (matches.length > 1)
      throw new ExceptionsFileError(
        entry.position,
        `this entry matches ${matches.length} findings (${matches.map((finding) => finding.fingerprint).join(', ')}): name one by its fingerprint`,
      );
    const finding = matches[0];
    if (!finding) {
      summary.stale++;
      extra.push(staleFinding(entry));
      continue;
    }
    const earlier = coveredBy.get(finding);
    if (earlier)
      throw new ExceptionsFileError(
        entry.position,
        `this entry names the same finding (${finding.fingerprint}) as the entry at line ${earlier.position.line}: keep one`,
      );
    coveredBy.set(finding, entry);
    const scope = finding.connector === null ? undefined : connectors.get(finding.connector.toLowerCase());
    if (!scope && (entry.scope.ranges !== null || entry.scope.principals !== null))
      throw new ExceptionsFileError(
        entry.position,
        `this entry approves a scope, but its finding (${finding.checkId}) is about no connector: leave scope out`,
      );
    const excess = exceeded(entry, finding, scope);
    const expired = entry.expires < today;
    const status = excess ? 'scope-exceeded' : expired ? 'expired' : 'accepted';
    marks.set(finding, {
      status,
      reason: entry.reason,
      owner: entry.owner,
      ticket: entry.ticket,
      expires: entry.expires,
      line: entry.position.line,
    });
    if (status === 'accepted') summary.accepted++;
    else if (status === 'expired') {
      summary.expired++;
      extra.push(expiredFinding(entry, finding, scope));
    } else {
      summary.scopeExceeded++;
      extra.push(exceededFinding(entry, finding, scope, excess as Excess, expired));
    }
  }
  const marked: MarkedFinding[] = findings.map((finding) => {
    const mark = marks.get(finding);
    return mark ? { ...finding, exception: mark } : finding;
  });
  return { findings: bySeverity([...marked, ...extra]), summary };
}

function names(entry: ExceptionEntry, finding: Finding): boolean {
  const reference = entry.finding;
  if (reference.kind === 'fingerprint') return finding.fingerprint === reference.fingerprint;
  return (
    sameText(finding.checkId, reference.checkId) &&
    (reference.connector === null
      ? finding.connector === null
      : finding.connector !== null && sameText(finding.connector, reference.connector)) &&
    (reference.subject === null
      ? finding.subject === null
      : finding.subject !== null && sameText(finding.subject, reference.subject))
  );
}

interface Excess {
  addresses: Record<IpFamily, IntervalSet>;
  principals: string[];
  /** The entry's severity when the finding is now more severe than it; null otherwise. */
  severity: Severity | null;
}

/**
 * What the finding has beyond what the entry approves (a more severe finding: an Authoritative `*.com` retyped to
 * InternalRelay, a hybrid certificate entry given AcceptCrossForestMail), and what its connector has beyond the
 * approved scope; null when it stays within both.
 */
function exceeded(entry: ExceptionEntry, finding: Finding, scope: ConnectorScope | undefined): Excess | null {
  const severity =
    entry.severity !== null && severityRank(finding.severity) > severityRank(entry.severity)
      ? entry.severity
      : null;
  const beyond = scope ? exceededScope(entry, scope) : null;
  if (severity === null && beyond === null) return null;
  return { addresses: { 4: IntervalSet.EMPTY, 6: IntervalSet.EMPTY }, principals: [], ...beyond, severity };
}

/** What the connector has beyond the approved scope, or null when it stays within it. */
function exceededScope(entry: ExceptionEntry, scope: ConnectorScope): Omit<Excess, 'severity'> | null {
  const addresses = { 4: IntervalSet.EMPTY, 6: IntervalSet.EMPTY };
  if (entry.scope.ranges !== null) {
    const approved: Record<IpFamily, IntervalSet> = { 4: IntervalSet.EMPTY, 6: IntervalSet.EMPTY };
    for (const text of entry.scope.ranges) {
      const parsed = parseRemoteIpRange(text);
      if (parsed.ok) {
        const { family, first, last } = parsed.range;
        approved[family] = approved[family].union(IntervalSet.of([[first, last]]));
      }
    }
    for (const family of [4, 6] as const)
      addresses[family] = scope.effective[family].difference(approved[family]);
  }
  const approvedPrincipals = entry.scope.principals;
  const principals =
    approvedPrincipals === null
      ? []
      : scope.relayPrincipals
          .filter((principal) => !approvedPrincipals.some((name) => samePrincipal(name, principal)))
          .map((principal) => principal.user);
  const outside = !addresses[4].isEmpty() || !addresses[6].isEmpty();
  return outside || principals.length > 0 ? { addresses, principals: [...new Set(principals)] } : null;
}

function samePrincipal(approved: string, principal: { user: string; sid: string | null }): boolean {
  return (
    sameText(approved, principal.user) ||
    identifyPrincipal(approved, null).key === identifyPrincipal(principal.user, principal.sid).key
  );
}

function exceptionFinding(
  entry: ExceptionEntry,
  parts: {
    messageId: string;
    severity: Severity;
    connector: ConnectorScope | undefined;
    message: string;
    data: FindingData;
  },
): Finding {
  const subject = describeReference(entry.finding);
  return {
    checkId: EXCEPTION_CHECK_ID,
    messageId: parts.messageId,
    severity: parts.severity,
    connector: parts.connector?.identity ?? null,
    subject,
    message: parts.message,
    data: parts.data,
    remediation: null,
    rollback: null,
    fingerprint: findingFingerprint(EXCEPTION_CHECK_ID, parts.connector?.stableKey ?? null, subject),
  };
}

/** "owner …, ticket …", as an exception's findings name whoever approved it. */
function ownerAndTicket(entry: ExceptionEntry): string {
  return `owner ${entry.owner}${entry.ticket ? `, ticket ${entry.ticket}` : ''}`;
}

/** The data every finding about a matched exception carries: the entry, and the finding it names. */
function entryData(entry: ExceptionEntry, finding: Finding) {
  return {
    line: entry.position.line,
    owner: entry.owner,
    expires: entry.expires,
    finding: finding.fingerprint,
    checkId: finding.checkId,
  };
}

function staleFinding(entry: ExceptionEntry): Finding {
  return exceptionFinding(entry, {
    messageId: 'stale',
    severity: 'low',
    connector: undefined,
    message: `The exception at line ${entry.position.line} (${describeReference(entry.finding)}) matches no finding: the finding was fixed, or its connector was renamed in an input without GUIDs. Remove the entry, or point it at the finding's new fingerprint.`,
    data: { line: entry.position.line, owner: entry.owner, expires: entry.expires },
  });
}

function expiredFinding(entry: ExceptionEntry, finding: Finding, scope: ConnectorScope | undefined): Finding {
  return exceptionFinding(entry, {
    messageId: 'expired',
    severity: finding.severity,
    connector: scope,
    message: `The exception at line ${entry.position.line} (${ownerAndTicket(entry)}) for this ${finding.checkId} finding expired on ${entry.expires}: the finding counts again. Give the exception a new date if it is still approved, or fix the finding.`,
    data: {
      ...entryData(entry, finding),
    },
  });
}

const LISTED_RANGES = 8;

function exceededFinding(
  entry: ExceptionEntry,
  finding: Finding,
  scope: ConnectorScope | undefined,
  excess: Excess,
  expired: boolean,
): Finding {
  const count = excess.addresses[4].size() + excess.addresses[6].size();
  const parts: string[] = [];
  if (excess.severity !== null)
    parts.push(`is ${finding.severity} now, more severe than the ${excess.severity} it approves`);
  if (count > 0n)
    parts.push(
      `receives ${formatCount(count)} address${count === 1n ? '' : 'es'} outside it (${listScope(excess.addresses)})`,
    );
  if (excess.principals.length > 0)
    parts.push(`lets ${listNames(excess.principals)} relay, which it does not approve`);
  return exceptionFinding(entry, {
    messageId: 'scope-exceeded',
    severity: finding.severity,
    connector: scope,
    message: exceededMessage(entry, finding, scope, parts, expired),
    data: {
      ...entryData(entry, finding),
      addresses: count.toString(),
      ranges: scopeRanges(excess.addresses).slice(0, LISTED_RANGES),
      principals: excess.principals,
      approvedSeverity: entry.severity,
    },
  });
}

function exceededMessage(
  entry: ExceptionEntry,
  finding: Finding,
  scope: ConnectorScope | undefined,
  parts: readonly string[],
  expired: boolean,
): string {
  const approval = `the exception at line ${entry.position.line} (${ownerAndTicket(entry)})`;
  const counts = `The ${finding.checkId} finding counts again${expired ? ' (the exception has also expired)' : ''}.`;
  if (!scope)
    return `The ${finding.checkId} finding (${finding.subject ?? 'the organisation'}) is ${finding.severity} now, more severe than the ${entry.severity ?? ''} approved by ${approval}. ${counts} Undo the change, or have the finding approved at its new severity and the entry's severity updated.`;
  return `${scope.identity} has grown beyond the scope approved by ${approval}: it ${parts.join(', and ')}. ${counts} Narrow the connector back, or have the wider scope approved and the entry updated.`;
}

/** Most severe first; equal severities keep their order (check findings before exception findings). */
function bySeverity<T extends Finding>(findings: T[]): T[] {
  return findings
    .map((finding, order) => ({ finding, order }))
    .sort((a, b) => severityRank(b.finding.severity) - severityRank(a.finding.severity) || a.order - b.order)
    .map(({ finding }) => finding);
}
