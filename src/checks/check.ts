/**
 * What a check is: metadata plus a pure function from the organisation's analysis to findings. The engine
 * (registry.ts) knows nothing about individual checks, as with ESLint rules.
 */

import type { OrganizationAnalysis } from '../analysis/analyze.js';
import type { Severity } from '../analysis/severity.js';

export interface CheckMeta {
  /** Stable identifier; never renamed (it is in JSON reports and monitoring rules). */
  id: string;
  title: string;
  /** How the severity is decided, in one or two sentences. */
  severityRule: string;
  /** Why it matters, for `exrelay checks` and the docs page. */
  explanation: string;
}

export interface Finding {
  checkId: string;
  severity: Severity;
  /** The connector's identity, or null for an organisation-wide finding. */
  connector: string | null;
  message: string;
  /** A ready-to-paste Exchange Management Shell command (several lines allowed), or null when nothing is to change. */
  remediation: string | null;
}

export interface Check {
  meta: CheckMeta;
  run(analysis: OrganizationAnalysis): Finding[];
}

export function docsPath(id: string): string {
  return `docs/checks/${id}.md`;
}
