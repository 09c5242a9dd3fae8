/**
 * PowerShell property names are case-insensitive: an object read by Import-Clixml has one `RemoteIPRanges`
 * however often, and in whatever case, the file writes it, and the member written last gives its value. Export-Clixml
 * never writes two such names, but a file edited by hand or made by another tool can: exrelay must then read the
 * value an administrator's own Import-Clixml shows, never the narrow range of one spelling beside the wide range of
 * another.
 */

import type { PsValue } from './ps-value.js';

/** Names seen, by their lower-case form: an export uses a few hundred names, each met millions of times. */
const LOWER = new Map<string, string>();
const MAX_REMEMBERED = 10_000;

function lowerOf(name: string): string {
  let lower = LOWER.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (LOWER.size < MAX_REMEMBERED) LOWER.set(name, lower);
  }
  return lower;
}

/** Up to this many names are compared pairwise; more are looked up in a map. Only such shapes are remembered. */
const PAIRWISE = 16;

/**
 * The names of objects found to have no case variants, most recent first: the objects of an export come in a few
 * shapes whose names are the very same strings from object to object (the readers reuse them), so an object is
 * nearly always told by a comparison of references.
 */
const KNOWN_SHAPES: string[][] = [];
const MAX_SHAPES = 4;

/** Whether two of the names differ only in case. */
export function hasCaseVariants(properties: ReadonlyMap<string, unknown>): boolean {
  const size = properties.size;
  if (size < 2) return false;
  for (const shape of KNOWN_SHAPES) if (shape.length === size && sameNames(shape, properties)) return false;
  const names = [...properties.keys()];
  if (firstCaseVariant(names) !== null) return true;
  if (size <= PAIRWISE) {
    if (KNOWN_SHAPES.length === MAX_SHAPES) KNOWN_SHAPES.pop();
    KNOWN_SHAPES.unshift(names);
  }
  return false;
}

function sameNames(names: readonly string[], properties: ReadonlyMap<string, unknown>): boolean {
  let index = 0;
  for (const name of properties.keys()) if (name !== names[index++]) return false;
  return true;
}

/** The first name that differs only in case from an earlier one, with that earlier one; null when none does. */
export function firstCaseVariant(names: readonly string[]): [earlier: string, later: string] | null {
  if (names.length > PAIRWISE) {
    const byLower = new Map<string, string>();
    for (const name of names) {
      const lower = lowerOf(name);
      const earlier = byLower.get(lower);
      if (earlier !== undefined) return [earlier, name];
      byLower.set(lower, name);
    }
    return null;
  }
  for (let index = 1; index < names.length; index++) {
    const lower = lowerOf(names[index]!);
    for (let earlier = 0; earlier < index; earlier++)
      if (lowerOf(names[earlier]!) === lower) return [names[earlier]!, names[index]!];
  }
  return null;
}

/**
 * Sets a member as Import-Clixml does when it is written again: its value replaces the earlier one, and it counts
 * as written last (settleCaseVariants keeps the last of the names that differ only in case).
 */
export function setWrittenLast(properties: Map<string, PsValue>, name: string, value: PsValue): void {
  properties.delete(name);
  properties.set(name, value);
}

/**
 * Keeps, of each group of names that differ only in case, the one written last, where they stand; one named in
 * `overriding` (an object's extended members, which override its adapted properties) wins over the others.
 */
export function settleCaseVariants(
  properties: Map<string, PsValue>,
  overriding: ReadonlyMap<string, unknown> | null = null,
): void {
  if (!hasCaseVariants(properties)) return;
  const kept = new Map<string, string>();
  for (const name of properties.keys()) {
    const lower = lowerOf(name);
    const earlier = kept.get(lower);
    if (earlier === undefined || !overriding?.has(earlier) || overriding.has(name)) kept.set(lower, name);
  }
  for (const name of [...properties.keys()]) if (kept.get(lowerOf(name)) !== name) properties.delete(name);
}
