/** ANSI colour for severities; the caller decides whether colour is on (TTY, NO_COLOR). */

import type { Severity } from '../analysis/severity.js';

const CODES: Record<Severity, [number, number]> = {
  critical: [91, 39],
  high: [31, 39],
  medium: [33, 39],
  low: [36, 39],
  info: [2, 22],
};

export function paintSeverity(severity: Severity, text: string, enabled: boolean): string {
  if (!enabled) return text;
  const [open, close] = CODES[severity];
  const bold = severity === 'critical';
  return `${bold ? '\u001b[1m' : ''}\u001b[${open}m${text}\u001b[${close}m${bold ? '\u001b[22m' : ''}`;
}

export function bold(text: string, enabled: boolean): string {
  return enabled ? `\u001b[1m${text}\u001b[22m` : text;
}
