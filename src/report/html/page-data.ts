/**
 * What the HTML report's script receives: the report reduced to what the page shows, every string from the input
 * already made visible (hidden characters as escapes, very long names shortened), so that the page only ever puts
 * these strings into text nodes. Principals repeat across thousands of connectors and are listed once.
 */

import type { Severity } from '../../analysis/severity.js';
import type { Finding } from '../../checks/check.js';
import { formatCount } from '../../checks/describe.js';
import type { ReportConnector, ReportRange } from '../report.js';
import { CELL_LIMIT, LINE_LIMIT, shorten, shownCommand, visible } from '../untrusted-text.js';

/** Ranges and effective ranges listed per connector; the JSON report has them all. */
export const RANGE_LIMIT = 200;

export interface PageRange {
  text: string;
  family: string | null;
  /** For reading: exact up to 12 digits ("65,536"), else rounded. */
  addresses: string;
  scope: string | null;
  publicAddresses: string;
  unused: boolean;
  error: string | null;
}

export interface PageTakenBy {
  /** The other connector's identity as shown: the page finds its row by it (it may come later in the stream). */
  identity: string;
  addresses: string;
  ranges: string[];
  more: number;
  tie: boolean;
}

export interface PageConnector {
  /** The identity for the table (shortened to a cell's length). */
  label: string;
  /** The identity in full, up to a line's length. */
  identity: string;
  server: string;
  name: string;
  enabled: boolean;
  role: string | null;
  isDefault: boolean;
  bindings: string[];
  authMechanism: string[];
  permissionGroups: string[];
  verdict: 'relay' | 'no-relay' | 'unknown';
  latent: string | null;
  basis: string;
  /** Indexes into `principals`. */
  principals: number[];
  ranges: PageRange[];
  moreRanges: number;
  receives: string;
  /** Decimal, exact: for sorting. */
  addressesExact: string;
  /** Grouped, exact ("65,536"). */
  addresses: string;
  /** For the table: exact up to 12 digits, else rounded ("≈ 3.4 × 10³⁸"). */
  addressesShort: string;
  publicAddresses: string;
  effectiveRanges: string[];
  moreEffectiveRanges: number;
  takenBy: PageTakenBy[];
  score: number;
  severity: Severity;
}

/** [user, sid, inherited, grantedBy, canSubmit] */
export type PagePrincipal = [string, string | null, boolean, string, boolean];

export interface PageFinding {
  checkId: string;
  messageId: string;
  severity: Severity;
  /** Index of the connector in `connectors`; -1 for an organisation-wide finding. */
  connector: number;
  /** The connector's identity as shown, or null. */
  connectorLabel: string | null;
  subject: string | null;
  message: string;
  remediation: string | null;
  rollback: string | null;
  fingerprint: string;
}

/** Everything the page's script reads, as JSON in <script type="application/json" id="report-data">. */
export interface PageData {
  connectors: PageConnector[];
  principals: PagePrincipal[];
  findings: PageFinding[];
  /** Check id → title, for every check. */
  checks: Record<string, string>;
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** A decimal count short enough for a table cell: IPv6 counts run to 39 digits. */
export function approximateCount(decimal: string): string {
  if (decimal.length <= 12) return formatCount(BigInt(decimal));
  const exponent = String(decimal.length - 1).replace(/\d/g, (digit) => SUPERSCRIPT[Number(digit)] as string);
  return `≈ ${decimal[0]}.${decimal[1]} × 10${exponent}`;
}

function shownCell(text: string): string {
  return visible(shorten(text, CELL_LIMIT));
}

function shownLine(text: string): string {
  return visible(shorten(text, LINE_LIMIT));
}

function pageRange(range: ReportRange): PageRange {
  return {
    text: shownLine(range.text),
    family: range.family,
    addresses: approximateCount(range.addresses),
    scope: range.scope,
    publicAddresses: approximateCount(range.publicAddresses),
    unused: range.unused,
    error: range.error === null ? null : shownLine(range.error),
  };
}

/**
 * Builds the page's data while the report's connectors stream past: connectors are converted one at a time;
 * principals and identities are remembered for the findings that come after.
 */
export class PageDataBuilder {
  readonly principals: PagePrincipal[] = [];
  readonly #principalIndex = new Map<string, number>();
  /** Identity → index; the first connector wins when an identity repeats (hand-edited input). */
  readonly #connectorIndex = new Map<string, number>();
  #count = 0;

  connector(connector: ReportConnector): PageConnector {
    const index = this.#count++;
    if (!this.#connectorIndex.has(connector.identity)) this.#connectorIndex.set(connector.identity, index);
    const label = shownCell(connector.identity);
    return {
      label,
      identity: shownLine(connector.identity),
      server: shownCell(connector.server),
      name: shownLine(connector.name),
      enabled: connector.enabled,
      role: connector.transportRole,
      isDefault: connector.isDefault,
      bindings: connector.bindings.map(shownLine),
      authMechanism: connector.authMechanism.map(shownLine),
      permissionGroups: connector.permissionGroups.map(shownLine),
      verdict: connector.relay.verdict,
      latent: connector.relay.latent,
      basis: shownLine(connector.relay.basis),
      principals: connector.relay.principals.map((principal) =>
        this.#principal([
          shownLine(principal.user),
          principal.sid === null ? null : shownLine(principal.sid),
          principal.inherited,
          principal.grantedBy,
          principal.canSubmit,
        ]),
      ),
      ranges: connector.remoteIPRanges.slice(0, RANGE_LIMIT).map(pageRange),
      moreRanges: Math.max(0, connector.remoteIPRanges.length - RANGE_LIMIT),
      receives: shownLine(connector.receives),
      addressesExact: connector.effectiveAddresses,
      addresses: formatCount(BigInt(connector.effectiveAddresses)),
      addressesShort: approximateCount(connector.effectiveAddresses),
      publicAddresses: formatCount(BigInt(connector.effectivePublicAddresses)),
      effectiveRanges: connector.effectiveRanges.slice(0, RANGE_LIMIT),
      moreEffectiveRanges: Math.max(0, connector.effectiveRanges.length - RANGE_LIMIT),
      takenBy: connector.takenBy.map((taker) => ({
        identity: shownLine(taker.connector),
        addresses: approximateCount(taker.addresses),
        ranges: taker.ranges.slice(0, RANGE_LIMIT),
        more: Math.max(0, taker.ranges.length - RANGE_LIMIT),
        tie: taker.tie,
      })),
      score: connector.score,
      severity: connector.severity,
    };
  }

  finding(finding: Finding): PageFinding {
    return {
      checkId: finding.checkId,
      messageId: finding.messageId,
      severity: finding.severity,
      connector: finding.connector === null ? -1 : (this.#connectorIndex.get(finding.connector) ?? -1),
      connectorLabel: finding.connector === null ? null : shownCell(finding.connector),
      subject: finding.subject === null ? null : shownLine(finding.subject),
      message: shownLine(finding.message),
      remediation: finding.remediation === null ? null : shownCommand(finding.remediation),
      rollback: finding.rollback === null ? null : shownCommand(finding.rollback),
      fingerprint: finding.fingerprint,
    };
  }

  #principal(principal: PagePrincipal): number {
    const key = JSON.stringify(principal);
    let index = this.#principalIndex.get(key);
    if (index === undefined) {
      index = this.principals.length;
      this.principals.push(principal);
      this.#principalIndex.set(key, index);
    }
    return index;
  }
}
