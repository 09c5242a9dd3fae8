/**
 * What a usage check is: the project's check metadata (messages declared as ESLint does) and a pure function from
 * the joined evidence to finding drafts; the engine (usage-checks.ts) adds the check id and the fingerprint, as
 * src/checks/registry.ts does for the configuration checks.
 */

import type { CheckMeta, FindingDraft } from '../checks/check.js';
import type { UsageAnalysis } from './analyze-usage.js';
import type { ScopeProposal } from './least-privilege.js';

export interface UsageOptions {
  /** Refused relay attempts from one address on one connector that make a finding. */
  refusedThreshold: number;
  /** Distinct HELO names from one address that suggest a load balancer or NAT. */
  heloThreshold: number;
}

export const DEFAULT_USAGE_OPTIONS: UsageOptions = { refusedThreshold: 5, heloThreshold: 10 };

export interface UsageContext {
  usage: UsageAnalysis;
  proposals: Map<string, ScopeProposal>;
  options: UsageOptions;
}

export interface UsageCheck {
  meta: CheckMeta;
  run(context: UsageContext): FindingDraft[];
}
