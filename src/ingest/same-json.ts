/**
 * Whether two JSON values (as parsed: objects, arrays, strings, numbers, booleans, null) are equal, field order
 * aside. Iterative, so a value nested 100,000 levels deep (an unknown field of a hostile snapshot) costs time in
 * proportion to its size and never the call stack, as JSON.stringify would.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  const pending: Array<[unknown, unknown]> = [[a, b]];
  for (let pair = pending.pop(); pair !== undefined; pair = pending.pop()) {
    const [left, right] = pair;
    if (left === right) continue;
    if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null)
      return false;
    if (Array.isArray(left) !== Array.isArray(right)) return false;
    if (Array.isArray(left)) {
      const other = right as unknown[];
      if (left.length !== other.length) return false;
      for (let index = 0; index < left.length; index++) pending.push([left[index], other[index]]);
      continue;
    }
    const leftObject = left as Record<string, unknown>;
    const rightObject = right as Record<string, unknown>;
    const keys = Object.keys(leftObject).filter((key) => leftObject[key] !== undefined);
    const rightKeys = Object.keys(rightObject).filter((key) => rightObject[key] !== undefined);
    if (keys.length !== rightKeys.length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(rightObject, key)) return false;
      pending.push([leftObject[key], rightObject[key]]);
    }
  }
  return true;
}
