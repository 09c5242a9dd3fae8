/**
 * RemoteIPRanges entries as the change model compares them, each text parsed once: every statement checks its
 * connector's whole list (and its neighbours' lists) again, so a script that adds ranges one statement at a time
 * would parse every earlier entry again (5,000 statements: 12 million parses, 40 s). Bounded, since an entry is
 * cheap to parse again.
 */

import { parseRemoteIpRange, type IpRange } from '../net/ip-range.js';

const KEPT = 100_000;
const parsed = new Map<string, IpRange | null>();
const keys = new Map<string, string>();

/** The entry's addresses; null when Exchange would not accept it. */
export function parsedRange(text: string): IpRange | null {
  let range = parsed.get(text);
  if (range === undefined) {
    const result = parseRemoteIpRange(text);
    range = result.ok ? result.range : null;
    if (parsed.size >= KEPT) parsed.clear();
    parsed.set(text, range);
  }
  return range;
}

/** Equal for entries that cover the same addresses however written ("10.0.0.0/24", "10.0.0.0-10.0.0.255"). */
export function rangeKey(text: string): string {
  let key = keys.get(text);
  if (key === undefined) {
    const range = parsedRange(text);
    key = range ? `${range.family}:${range.first}-${range.last}` : `text:${text.trim().toLowerCase()}`;
    if (keys.size >= KEPT) keys.clear();
    keys.set(text, key);
  }
  return key;
}
