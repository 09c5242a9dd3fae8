/**
 * A count of addresses as the decimal text reports and findings carry ("65536"), one shared string per value: an
 * organisation's ranges and scopes repeat a few sizes (the 10k snapshot's findings carry 46,913 counts of 3,596
 * distinct values), and every finding and range record keeps its texts to the end of the run.
 */

/** Counts up to this are kept in a list by value: most ranges are hosts and small networks. */
const SMALL_COUNT = 1024n;
const smallTexts: string[] = [];

/** Larger counts remembered at most, so that a long-running process does not keep every count it ever wrote. */
const COUNT_TEXTS = 10_000;
const countTexts = new Map<number, { count: bigint; text: string }>();

export function countText(count: bigint): string {
  if (count >= 0n && count <= SMALL_COUNT) return (smallTexts[Number(count)] ??= count.toString());
  // Keyed by the count as a double: V8 hashes a BigInt by its lowest 64 bits only, so IPv6 counts (multiples of
  // 2^64) would all fall into one bucket (47,000 lookups took ~160 ms so). Two large counts can round to the same
  // double; the second then gets its text made anew.
  const key = Number(count);
  const known = countTexts.get(key);
  if (known !== undefined && known.count === count) return known.text;
  const text = count.toString();
  if (known === undefined && countTexts.size < COUNT_TEXTS) countTexts.set(key, { count, text });
  return text;
}
