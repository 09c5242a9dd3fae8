/** Severities, their order, and the score bands they map to (docs/scoring.md). */

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

/** Lowest score of each band; a score belongs to the highest band whose floor it reaches. */
export const BAND_FLOOR: Readonly<Record<Severity, number>> = {
  info: 0,
  low: 20,
  medium: 40,
  high: 60,
  critical: 85,
};

export function severityOfScore(score: number): Severity {
  let result: Severity = 'info';
  for (const severity of SEVERITIES) if (score >= BAND_FLOOR[severity]) result = severity;
  return result;
}
