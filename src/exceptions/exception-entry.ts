/** What an approved exception says (docs/scheduled-audits.md): which finding, why, whose, until when, how wide. */

import type { Severity } from '../analysis/severity.js';

/** Where something is in the exceptions file: 1-based line and column. */
export interface FilePosition {
  line: number;
  column: number;
}

export type FindingReference =
  | { kind: 'fingerprint'; fingerprint: string }
  | { kind: 'finding'; checkId: string; connector: string | null; subject: string | null };

export interface ApprovedScope {
  /** RemoteIPRanges-style entries the connector may receive from; null: not limited by the exception. */
  ranges: string[] | null;
  /** Principals (SID or name) that may hold the relay right on the connector; null: not limited. */
  principals: string[] | null;
}

export interface ExceptionEntry {
  finding: FindingReference;
  reason: string;
  owner: string;
  ticket: string | null;
  /** The last day the exception covers, YYYY-MM-DD. */
  expires: string;
  scope: ApprovedScope;
  /** The most severe the finding may be (its severity when approved); null: any severity. */
  severity: Severity | null;
  /** Where the entry starts in the file, for messages. */
  position: FilePosition;
}

export interface ExceptionsFile {
  entries: ExceptionEntry[];
}

/** A problem in the file itself, at a position: the edge adds the file name and exits 2. */
export class ExceptionsFileError extends Error {
  readonly position: FilePosition;
  constructor(position: FilePosition, message: string) {
    super(message);
    this.name = 'ExceptionsFileError';
    this.position = position;
  }
}

function fold(text: string): string {
  return text.normalize('NFC').trim().toLowerCase();
}

/** A case-folded key for the finding an entry names: two entries with one key are duplicates. */
export function referenceKey(reference: FindingReference): string {
  if (reference.kind === 'fingerprint') return `fingerprint:${reference.fingerprint.toLowerCase()}`;
  return [
    'finding',
    reference.checkId,
    reference.connector === null ? '' : fold(reference.connector),
    reference.subject === null ? '' : fold(reference.subject),
  ].join('\u0000');
}

/** How an entry names its finding, for messages: a fingerprint, or "check on connector (subject)". */
export function describeReference(reference: FindingReference): string {
  if (reference.kind === 'fingerprint') return `fingerprint ${reference.fingerprint}`;
  const where = reference.connector === null ? 'the organisation' : reference.connector;
  return `${reference.checkId} on ${where}${reference.subject === null ? '' : ` (${reference.subject})`}`;
}

export function sameText(a: string, b: string): boolean {
  return fold(a) === fold(b);
}
