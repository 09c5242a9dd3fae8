/**
 * What a check is: metadata plus a pure function from the organisation's analysis to findings. The engine
 * (registry.ts) knows nothing about individual checks, as with ESLint rules: a check reports drafts, and the
 * engine adds the check id and the fingerprint.
 */

import type { OrganizationAnalysis } from '../analysis/analyze.js';
import type { Severity } from '../analysis/severity.js';

/** A value of `Finding.data`: plain JSON (address counts are decimal strings, as everywhere in the report). */
export type FindingValue =
  string | number | boolean | null | readonly FindingValue[] | { readonly [key: string]: FindingValue };

export type FindingData = { readonly [key: string]: FindingValue };

/** One message template of a check, like ESLint's meta.messages: what it says, and the data keys it carries. */
export interface MessageMeta {
  description: string;
  /** Exactly the keys of `data` for this message, always all of them. */
  data: readonly string[];
}

export interface CheckMeta {
  /** Stable identifier; never renamed (it is in JSON reports and monitoring rules). */
  id: string;
  title: string;
  /** How the severity is decided, in one or two sentences. */
  severityRule: string;
  /** Why it matters, for `exrelay checks` and the docs page. */
  explanation: string;
  /** Every message the check reports, by messageId (stable: consumers match on it, never on the prose). */
  messages: Readonly<Record<string, MessageMeta>>;
}

/** What a check reports; the engine adds `checkId` and `fingerprint`. */
export interface FindingDraft {
  messageId: string;
  severity: Severity;
  /** The connector's identity, or null for an organisation-wide finding. */
  connector: string | null;
  /**
   * What the finding is about besides its connector: a principal's SID (or its name when the SID is unknown),
   * an accepted domain, a RemoteIPRanges entry, the other connector's stable identity; null when nothing.
   */
  subject: string | null;
  message: string;
  data: FindingData;
  /** A ready-to-paste Exchange Management Shell command (several lines allowed), or null when nothing is to change. */
  remediation: string | null;
  /** The commands that restore today's state after `remediation` ran; null when there is no fix to undo. */
  rollback: string | null;
}

export interface Finding extends FindingDraft {
  checkId: string;
  /** Stable across audits, exrelay versions and wording: see docs/json-report.md. */
  fingerprint: string;
}

export interface Check {
  meta: CheckMeta;
  run(analysis: OrganizationAnalysis): FindingDraft[];
}

export function docsPath(id: string): string {
  return `docs/checks/${id}.md`;
}
