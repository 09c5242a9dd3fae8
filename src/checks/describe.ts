/** Wording shared by check messages: counts, address lists, connector names. */

import { IntervalSet } from '../net/interval-set.js';
import type { IpFamily } from '../net/ip-address.js';
import { formatRanges, rangeTexts, scopeRangeTexts } from '../net/range-texts.js';
import { flat } from './flat.js';

/** 65536n → "65,536". (toLocaleString goes through ICU, and a look-ahead regex is not much better, in bulk.) */
export function formatCount(value: bigint | number): string {
  const digits = String(value);
  if (digits.length <= 3) return digits;
  const head = digits.length % 3 || 3;
  let text = digits.slice(0, head);
  for (let index = head; index < digits.length; index += 3) text += `,${digits.slice(index, index + 3)}`;
  return text;
}

export function plural(count: bigint | number, singular: string, pluralForm = `${singular}s`): string {
  const text = formatCount(count);
  return `${text} ${count === 1 || count === 1n ? singular : pluralForm}`;
}

/** The ranges of a scope as Exchange would print them, the first few only. */
export function listScope(scope: Record<IpFamily, IntervalSet>, limit = 4): string {
  const first = formatRanges(4, scope[4], limit);
  first.push(...formatRanges(6, scope[6], limit - first.length));
  return listFirstRanges(first, scope[4].count() + scope[6].count());
}

/**
 * What listScope says, from the scope's range texts already made (familyRanges, scopeRanges): a finding that
 * carries them in its data need not format its first ranges again.
 */
export function listTexts(texts: readonly string[], limit = 4): string {
  return listFirstRanges(texts.length <= limit ? texts : texts.slice(0, limit), texts.length);
}

/** "10.0.0.1, 10.0.0.5-10.0.0.9 and 3 more ranges": the first ranges' texts, and how many ranges there are in all. */
function listFirstRanges(first: readonly string[], total: number): string {
  if (total === 0) return 'no addresses';
  const listed = first.join(', ');
  const more = total - first.length;
  return more > 0 ? flat`${listed} and ${plural(more, 'more range')}` : listed;
}

/** A scope holding one family's addresses. */
export function singleFamily(family: IpFamily, addresses: IntervalSet): Record<IpFamily, IntervalSet> {
  return family === 4 ? { 4: addresses, 6: IntervalSet.EMPTY } : { 4: IntervalSet.EMPTY, 6: addresses };
}

/** "'A', 'B' and 3 more": lists of connector names stay readable. */
export function listNames(names: readonly string[], limit = 3): string {
  if (names.length === 0) return 'other connectors';
  if (names.length <= limit)
    return names.length === 1
      ? (names[0] as string)
      : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${names.slice(0, limit).join(', ')} and ${names.length - limit} more`;
}

/**
 * "10.0.0.1, 10.0.0.2, … and 24,992 more": a message quotes at most `limit` entries (a connector can hold hundreds
 * of thousands); the finding's data carries them all.
 */
export function listEntries(entries: readonly string[], limit = 8): string {
  if (entries.length <= limit) return entries.join(', ');
  return `${entries.slice(0, limit).join(', ')} and ${formatCount(entries.length - limit)} more`;
}

/** One family's addresses as ranges, as Exchange would print them. */
export const familyRanges = rangeTexts;

/** A scope's ranges, IPv4 first. */
export const scopeRanges = scopeRangeTexts;
