/** How usage findings say times, windows, addresses and counted lists. */

import { formatCount, plural } from '../checks/describe.js';
import type { ClientEvidence, LogWindow } from './analyze-usage.js';

/** "2026-03-02 08:15 UTC" from an ISO time. */
export function minuteText(time: string): string {
  return `${time.slice(0, 10)} ${time.slice(11, 16)} UTC`;
}

const DAY = 86_400_000;

/** "from 2026-03-01 00:00 UTC to 2026-03-30 23:59 UTC (30 days)". */
export function windowText(window: LogWindow): string {
  return `from ${minuteText(window.from)} to ${minuteText(window.to)} (${durationText(window)})`;
}

export function windowDays(window: LogWindow): number {
  return (Date.parse(window.to) - Date.parse(window.from)) / DAY;
}

/** The days of the window the logs really cover: the window less its gaps. */
export function loggedDays(window: LogWindow, gaps: readonly LogWindow[]): number {
  return Math.max(0, windowDays(window) - gaps.reduce((sum, gap) => sum + windowDays(gap), 0));
}

/** "from 2026-03-03 10:00 UTC to 2026-03-14 07:00 UTC (11 days)": the first three gaps, then how many more. */
export function gapList(gaps: readonly LogWindow[]): string {
  const shown = gaps.slice(0, 3).map((gap) => windowText(gap));
  const more = gaps.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? ` and ${plural(more, 'more gap')}` : ''}`;
}

/**
 * " No log covers …: …", or '' without gaps: said wherever a window's ends stand as evidence of what did not
 * happen, because what happened in a gap is unknown.
 */
export function gapsSentence(gaps: readonly LogWindow[], what: string): string {
  if (gaps.length === 0) return '';
  return ` No log of its service covers the time ${gapList(gaps)}: files rotated away or not given, or logging off; ${what}.`;
}

function durationText(window: LogWindow): string {
  const days = windowDays(window);
  if (days >= 2) return plural(Math.round(days), 'day');
  const hours = Math.max(1, Math.round(days * 24));
  return plural(hours, 'hour');
}

/** "10.1.1.5 (private)". */
export function clientText(client: ClientEvidence): string {
  const address = client.address ?? 'an unreadable remote address';
  return client.addressClass === null ? address : `${address} (${client.addressClass})`;
}

/**
 * English collation whatever the machine's locale: localeCompare would follow LANG, and the same logs would name
 * other domains on a Danish machine ("aa…" after "z") or a Lithuanian one ("y" after "i").
 */
let collator: Intl.Collator | undefined;

/** "gmail.com (12), outlook.com (3) and 2 more": the largest first, ties in English alphabetical order. */
export function countedList(counts: ReadonlyMap<string, number>, limit = 3): string {
  collator ??= new Intl.Collator('en');
  const { compare } = collator;
  const entries = [...counts].sort((a, b) => b[1] - a[1] || compare(a[0], b[0]));
  const shown = entries.slice(0, limit).map(([name, count]) => `${name} (${formatCount(count)})`);
  const more = entries.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${formatCount(more)} more` : shown.join(', ');
}

/** Addresses in a sentence: the first few, then how many more. */
export function addressList(addresses: readonly string[], limit = 5): string {
  if (addresses.length <= limit) return addresses.join(', ');
  return `${addresses.slice(0, limit).join(', ')} and ${formatCount(addresses.length - limit)} more`;
}

/** Sessions and recipients in the window, for a client. */
export function seenText(client: ClientEvidence): string {
  return `${plural(client.sessions, 'session')}, ${minuteText(client.firstSeen)} to ${minuteText(client.lastSeen)}`;
}

/** "812 KB", "4.2 MB", "1,024 MB": log sizes as an administrator reads them; a log with a byte is at least 1 KB. */
export function sizeText(bytes: number): string {
  // Empty logs say logging wrote nothing: shown as 1 KB, they would look like evidence.
  if (bytes === 0) return '0 bytes';
  if (bytes < 1048576) return `${formatCount(Math.max(1, Math.round(bytes / 1024)))} KB`;
  const megabytes = bytes / 1048576;
  return megabytes < 10 ? `${megabytes.toFixed(1)} MB` : `${formatCount(Math.round(megabytes))} MB`;
}
