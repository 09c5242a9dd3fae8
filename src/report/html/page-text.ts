/**
 * Text from the input as the HTML report shows it: visible (hidden characters as escapes, untrusted-text.ts),
 * shortened where a table cell or a line would otherwise hold a 100,000-character name (the JSON report keeps
 * them whole), and escaped for markup when the writer puts it there itself. Address counts short enough for a cell.
 */

import type { Finding } from '../../checks/check.js';
import { formatCount } from '../../checks/describe.js';
import type { ExceptionMark } from '../../exceptions/apply-exceptions.js';
import { describeException } from '../changes-text.js';
import { CELL_LIMIT, LINE_LIMIT, shorten, shownCommand, visible } from '../untrusted-text.js';
import { escapeHtml } from './escape.js';
import type { PageException, PageFinding } from './page-types.js';

/** For a table cell. */
export function shownCell(text: string): string {
  return visible(shorten(text, CELL_LIMIT));
}

/** For a line of its own. */
export function shownLine(text: string): string {
  return visible(shorten(text, LINE_LIMIT));
}

/** A line of its own, as markup. */
export function markupLine(text: string): string {
  return escapeHtml(shownLine(text));
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** A decimal count short enough for a table cell: exact up to 12 digits, else rounded (IPv6 counts run to 39). */
export function approximateCount(decimal: string): string {
  if (decimal.length <= 12) return formatCount(BigInt(decimal));
  const exponent = String(decimal.length - 1).replace(/\d/g, (digit) => SUPERSCRIPT[Number(digit)] as string);
  return `≈ ${decimal[0]}.${decimal[1]} × 10${exponent}`;
}

/** A finding for the page: its row (or -1), prose and commands made visible. */
export function pageFinding(
  finding: Pick<
    Finding,
    'checkId' | 'severity' | 'connector' | 'subject' | 'message' | 'remediation' | 'fingerprint'
  > &
    Partial<Pick<Finding, 'messageId' | 'rollback'>>,
  row: number,
  extra: { mark?: string | null; note?: string | null; exception?: ExceptionMark | undefined } = {},
): PageFinding {
  return {
    checkId: finding.checkId,
    messageId: finding.messageId ?? null,
    severity: finding.severity,
    mark: extra.mark ?? null,
    note: extra.note ?? null,
    row,
    connectorLabel: finding.connector === null ? null : shownCell(finding.connector),
    subject: finding.subject === null ? null : shownLine(finding.subject),
    message: shownLine(finding.message),
    remediation: finding.remediation === null ? null : shownCommand(finding.remediation),
    rollback:
      finding.rollback === undefined || finding.rollback === null ? null : shownCommand(finding.rollback),
    fingerprint: finding.fingerprint,
    exception: extra.exception ? pageException(extra.exception) : null,
  };
}

/** An approved exception's mark for the page; its reason, owner and ticket come from the file, made visible. */
export function pageException(mark: ExceptionMark): PageException {
  return { status: mark.status, text: shownLine(describeException(mark)) };
}

/** Identity → the first row that has it, for findings and links (an identity may repeat in hand-edited input). */
export class RowIndex {
  readonly #rows = new Map<string, number>();
  #count = 0;

  /** Registers the next row under its identities (a renamed connector has two) and returns its index. */
  add(...identities: Array<string | null>): number {
    const index = this.#count++;
    for (const identity of identities)
      if (identity !== null && !this.#rows.has(identity)) this.#rows.set(identity, index);
    return index;
  }

  of(identity: string | null): number {
    return identity === null ? -1 : (this.#rows.get(identity) ?? -1);
  }
}
