/**
 * Read one value out of a PsValue whatever the serializer did to it: Export-Clixml keeps objects with ToString,
 * remoting flattens some to strings, ConvertTo-Json turns enums into numbers and, in Windows PowerShell 5.1,
 * wraps deserialized collections as {"value": [...], "Count": n}.
 */

import { getProperty, isPsObject, type PsObject, type PsValue } from './ps-value.js';

export function text(value: PsValue | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return null;
  if (value.toStringText !== null) return value.toStringText;
  if (typeof value.value === 'string') return value.value;
  return null;
}

export function bool(value: PsValue | undefined): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    const folded = value.trim().toLowerCase();
    if (folded === 'true') return true;
    if (folded === 'false') return false;
    return null;
  }
  if (isPsObject(value)) {
    // SwitchParameter serialises as an object with IsPresent.
    const present = getProperty(value, 'IsPresent');
    if (present !== undefined) return bool(present);
    if (typeof value.value === 'boolean') return value.value;
    return value.toStringText !== null ? bool(value.toStringText) : null;
  }
  return null;
}

export function number(value: PsValue | undefined): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  if (isPsObject(value) && typeof value.value === 'number') return value.value;
  return null;
}

/** The elements of a collection, however it was written; a single non-collection value is a list of one. */
export function list(value: PsValue | undefined): PsValue[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  if (isPsObject(value)) {
    if (value.items) return value.items;
    const wrapped = getProperty(value, 'value');
    if (Array.isArray(wrapped) && getProperty(value, 'Count') !== undefined) return wrapped;
  }
  return [value];
}

/**
 * items.flatMap(read), without its cost: V8 runs Array.prototype.flatMap far slower than a loop, and this runs
 * for each of hundreds of thousands of permission entries.
 */
export function flatten<T>(items: readonly T[], read: (item: T) => readonly string[]): string[] {
  // Most lists have one item. A copy has exactly its length, where an array grown by push() keeps room for 17:
  // 130 bytes more in each of the records, which live until the end.
  if (items.length === 1) return read(items[0] as T).slice();
  const result: string[] = [];
  for (const item of items) {
    const texts = read(item);
    for (const text of texts) result.push(text);
  }
  return result.slice();
}

/**
 * A .NET type name standing where values should be: what Export-Csv, or anything else that prints a collection
 * with ToString(), writes for a multi-valued property ("System.Object[]",
 * "Microsoft.Exchange.Data.MultiValuedProperty`1[Microsoft.Exchange.Data.IPRange]",
 * "System.Collections.ArrayList" after a remoting round trip). The values themselves are lost. No range,
 * binding or extended right name starts with "System." or "Microsoft.".
 */
const TYPE_NAME_PLACEHOLDER = /^(?:Deserialized\.)?(?:System|Microsoft)\.[\w.`+]+(?:\[.*\])?$/;

export function isTypeNamePlaceholder(value: PsValue | undefined): boolean {
  return typeof value === 'string' && TYPE_NAME_PLACEHOLDER.test(value.trim());
}

/** List items as text. A collection flattened to one string ("{a, b}" or "a b") is split. */
export function textList(value: PsValue | undefined): string[] {
  const items = list(value);
  if (items.length === 1 && typeof items[0] === 'string') return splitFlattened(items[0]);
  return items.map(text).filter((item): item is string => item !== null && item.trim() !== '');
}

/** What splitFlattened looks for; most values (one right, one name) have none of it. */
const FLATTENED = /[\s,{}]/;

/** A collection flattened to one string ("{a, b}" or "a b"), split into its items. */
export function splitFlattened(value: string): string[] {
  if (!FLATTENED.test(value)) return value === '' ? [] : [value];
  return value
    .replace(/^\s*\{|\}\s*$/g, '')
    .split(/[\s,]+/)
    .filter((item) => item !== '');
}

/**
 * TlsDomainCapabilities flattened to one string: "a:X, Y b:Z" → ["a:X, Y", "b:Z"]; a piece without a colon is
 * another capability of the entry before it.
 */
export function joinCapabilities(flattened: string): string[] {
  const entries: string[] = [];
  for (const piece of splitFlattened(flattened)) {
    const last = entries.length - 1;
    if (piece.includes(':') || last < 0) entries.push(piece);
    else entries[last] = `${entries[last]}, ${piece}`;
  }
  return entries;
}

/**
 * Flag names of an enum: from ToString ("Tls, Integrated"), from a number decoded with `table`, or from a
 * list of names.
 */
export function flags(value: PsValue | undefined, table: Readonly<Record<string, number>>): string[] {
  const numeric =
    typeof value === 'number'
      ? value
      : isPsObject(value) && value.toStringText === null
        ? number(value)
        : null;
  if (numeric !== null) return decodeFlags(numeric, table);
  // One name, as Export-Clixml writes each item of AccessRights: no list to split.
  if (typeof value === 'string' && !value.includes(',')) {
    const name = value.trim();
    return name === '' ? [] : numberName(name, table);
  }
  const names =
    Array.isArray(value) || (isPsObject(value) && value.items) ? textList(value) : [text(value) ?? ''];
  return names
    .flatMap((name) => name.split(','))
    .map((name) => name.trim())
    .filter((name) => name !== '')
    .flatMap((name) => numberName(name, table));
}

/**
 * A name that is a number ("33": an enum written as text by a hand-made or re-serialised export) is decoded like
 * a number: read as a name, it would hide ExternalAuthoritative (32) among values nobody recognises.
 */
function numberName(name: string, table: Readonly<Record<string, number>>): string[] {
  if (!/^[0-9]{1,10}$/.test(name)) return [name];
  const value = Number(name);
  return value <= 0x7fffffff ? decodeFlags(value, table) : [name];
}

export function decodeFlags(value: number, table: Readonly<Record<string, number>>): string[] {
  const { entries, byBitCount } = lookup(table);
  if (value === 0) return entries.filter(([, bit]) => bit === 0).map(([name]) => name);
  // Composite values (GenericAll) first, so their member bits are not listed again.
  const names: string[] = [];
  let remaining = value;
  for (const [name, bit] of byBitCount) {
    if (bit !== 0 && (remaining & bit) === bit) {
      names.push(name);
      remaining &= ~bit;
    }
  }
  if (remaining !== 0) names.push(String(remaining));
  return names;
}

interface TableLookup {
  entries: ReadonlyArray<[string, number]>;
  /** The entries, those with the most bits set first (a stable sort: table order among equals). */
  byBitCount: ReadonlyArray<[string, number]>;
  /** Each value's first name in table order. */
  names: ReadonlyMap<number, string>;
}

/** Every enum table is read for each of hundreds of thousands of ACEs: its look-ups are built once. */
const LOOKUPS = new WeakMap<Readonly<Record<string, number>>, TableLookup>();

function lookup(table: Readonly<Record<string, number>>): TableLookup {
  let found = LOOKUPS.get(table);
  if (found === undefined) {
    const entries = Object.entries(table);
    const names = new Map<number, string>();
    for (const [name, code] of entries) if (!names.has(code)) names.set(code, name);
    found = {
      entries,
      byBitCount: [...entries].sort((a, b) => popcount(b[1]) - popcount(a[1])),
      names,
    };
    LOOKUPS.set(table, found);
  }
  return found;
}

function popcount(value: number): number {
  let count = 0;
  for (let rest = value; rest !== 0; rest &= rest - 1) count++;
  return count;
}

/** An enum that is not a flag set: its name from ToString, a string, or a number looked up in `table`. */
export function enumName(value: PsValue | undefined, table: Readonly<Record<string, number>>): string | null {
  if (isPsObject(value) && value.toStringText !== null) return value.toStringText;
  const numeric = number(value);
  if (numeric !== null) {
    return lookup(table).names.get(numeric) ?? String(numeric);
  }
  return text(value);
}

export function prop(object: PsObject, name: string): PsValue | undefined {
  return getProperty(object, name);
}
