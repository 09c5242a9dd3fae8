/**
 * The JSON report, produced in pieces: a large organisation's report is larger than the longest string V8 can
 * hold, so it is written connector by connector. The layout is indented like JSON.stringify(report, null, 2),
 * except that each connector and each finding sits on one line: easy to grep and to diff between audits, and
 * cheap to write.
 */

import { RangeRecords, type Report, type ReportStream } from './report.js';
import { JsonTexts } from './json-texts.js';
import { jsonEscapeHidden } from './untrusted-text.js';

const STREAMED_ARRAYS = new Set(['connectors', 'findings']);

function indent(text: string, prefix: string): string {
  return text.replace(/\n/g, `\n${prefix}`);
}

/** The JSON report in pieces; printing it on a terminal is safe (see jsonEscapeHidden). */
export function* renderJsonChunks(report: ReportStream): Generator<string> {
  for (const chunk of jsonChunks(report)) yield jsonEscapeHidden(chunk);
}

function* jsonChunks(report: ReportStream): Generator<string> {
  const texts = new JsonTexts();
  const entries = Object.entries(report).filter(([, value]) => value !== undefined);
  yield '{';
  for (const [position, [key, value]] of entries.entries()) {
    yield `${position === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `;
    if (STREAMED_ARRAYS.has(key)) {
      let count = 0;
      // The separator and the item are separate chunks: joined, they would be copied once more before the scan
      // for hidden characters and once more into a batch (a connector with 100,000 ranges is 35 MB of JSON).
      for (const item of value as Iterable<unknown>) {
        yield count++ === 0 ? '[\n    ' : ',\n    ';
        // Findings repeat nothing worth a look-up (messages, subjects and fingerprints name their connector).
        yield* compactJson(item, key === 'connectors' ? texts : null);
      }
      yield count === 0 ? '[]' : '\n  ]';
    } else {
      yield indent(JSON.stringify(value, null, 2), '  ');
    }
  }
  yield '\n}\n';
}

/** Arrays longer than this are written a slice at a time. */
const SLICE = 512;

/**
 * Exactly JSON.stringify(value), in pieces when the value is or holds a long array: a connector with 100,000
 * ranges would otherwise be one 35 MB string, which V8 keeps in its large-object space until a full collection
 * (the heap grew by ~100 MB per such connector); slices of it die young. Fields whose text can be reused (see
 * reusable) are taken from `texts` when given; the others are written by JSON.stringify, a run of them at a time.
 */
function* compactJson(value: unknown, texts: JsonTexts | null): Generator<string> {
  if (isLongList(value)) {
    yield* listInSlices(value, texts);
    return;
  }
  if (!isPlainObject(value) || !holdsReusable(value, texts !== null)) {
    yield JSON.stringify(value);
    return;
  }
  yield* objectJson(value, texts);
}

/** The fields of an object in their order, as JSON.stringify writes them; long lists in slices. */
function* objectJson(value: Record<string, unknown>, texts: JsonTexts | null): Generator<string> {
  let text = '{';
  let first = true;
  // Fields with nothing to reuse, gathered and written by one JSON.stringify: one call per field cost more.
  let run: Record<string, unknown> | null = null;
  for (const key of Object.keys(value)) {
    const field = value[key];
    const kind = texts === null ? (isLongList(field) ? Reusable.LongList : Reusable.No) : reusable(field);
    if (kind === Reusable.No) {
      run ??= {};
      // An object of fields added in the same order for every connector shares one shape (V8 writes those fast; an
      // object without prototype would be a slow dictionary). A field named __proto__ must not set the prototype.
      if (key === '__proto__')
        Object.defineProperty(run, key, {
          value: field,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else run[key] = field;
      continue;
    }
    if (run !== null) {
      const written = JSON.stringify(run);
      // A run of fields JSON.stringify leaves out (undefined, functions) writes nothing.
      if (written.length > 2) {
        text += `${first ? '' : ','}${written.slice(1, -1)}`;
        first = false;
      }
      run = null;
    }
    text += `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    if (kind === Reusable.LongList) {
      yield text;
      yield* listInSlices(field as SliceableList, texts);
      text = '';
    } else {
      text += reusedJson(field, kind, texts as JsonTexts);
    }
  }
  if (run !== null) {
    const written = JSON.stringify(run);
    if (written.length > 2) text += `${first ? '' : ','}${written.slice(1, -1)}`;
  }
  yield `${text}}`;
}

/** What of a field's JSON text can be reused. */
const enum Reusable {
  No,
  /** Longer than a slice: written in slices. */
  LongList,
  /** A connector's range records: each record's text by its entry (JsonTexts.range). */
  Ranges,
  /** An array or object that may be deeply frozen: its text by identity (JsonTexts.of). */
  Frozen,
  /** A list of frozen objects (a connector's principals, shared between connectors of one ACL). */
  FrozenItems,
  /** An object holding one of the above (a connector's relay). */
  Holder,
}

function reusable(field: unknown): Reusable {
  if (typeof field !== 'object' || field === null) return Reusable.No;
  if (isLongList(field)) return Reusable.LongList;
  if (field instanceof RangeRecords) return Reusable.Ranges;
  if (!Array.isArray(field) && !isPlainObject(field)) return Reusable.No;
  if (Object.isFrozen(field)) return Reusable.Frozen;
  if (Array.isArray(field)) {
    const head = field[0] as unknown;
    return typeof head === 'object' && head !== null && Object.isFrozen(head)
      ? Reusable.FrozenItems
      : Reusable.No;
  }
  return holdsReusable(field, true) ? Reusable.Holder : Reusable.No;
}

/** One level deep only: asked of every connector and finding. Without `reuse`, only long lists count. */
function holdsReusable(value: Record<string, unknown>, reuse: boolean): boolean {
  for (const key in value) {
    const field = value[key];
    if (typeof field !== 'object' || field === null) continue;
    if (isLongList(field)) return true;
    if (!reuse) continue;
    if (field instanceof RangeRecords || Object.isFrozen(field)) return true;
    if (Array.isArray(field)) {
      const head = field[0] as unknown;
      if (typeof head === 'object' && head !== null && Object.isFrozen(head)) return true;
    }
  }
  return false;
}

function reusedJson(field: unknown, kind: Reusable, texts: JsonTexts): string {
  switch (kind) {
    case Reusable.Ranges:
      return `[${rangesJson(field as RangeRecords, 0, (field as RangeRecords).length, texts)}]`;
    case Reusable.Frozen:
      return texts.of(field) as string;
    case Reusable.FrozenItems: {
      const items = field as readonly unknown[];
      let text = '[';
      for (let index = 0; index < items.length; index++)
        // JSON.stringify writes null for an item it cannot write (and for a hole).
        text += `${index === 0 ? '' : ','}${texts.of(items[index]) ?? 'null'}`;
      return `${text}]`;
    }
    default:
      return [...objectJson(field as Record<string, unknown>, texts)].join('');
  }
}

/** Records `start` to `end` (exclusive), without brackets: each record's text reused for a repeated entry. */
function rangesJson(records: RangeRecords, start: number, end: number, texts: JsonTexts | null): string {
  if (texts === null || !texts.rangesLookedUp) return JSON.stringify(records.slice(start, end)).slice(1, -1);
  let text = '';
  for (let index = start; index < end; index++)
    text += `${index === start ? '' : ','}${texts.range(records, index)}`;
  return text;
}

/** An array, or a connector's range records (written as an array). */
interface SliceableList {
  readonly length: number;
  slice(start: number, end: number): unknown[];
}

function* listInSlices(items: SliceableList, texts: JsonTexts | null): Generator<string> {
  for (let start = 0; start < items.length; start += SLICE) {
    const end = Math.min(start + SLICE, items.length);
    const slice =
      items instanceof RangeRecords
        ? rangesJson(items, start, end, texts)
        : JSON.stringify(items.slice(start, end)).slice(1, -1);
    yield `${start === 0 ? '[' : ','}${slice}`;
  }
  yield ']';
}

function isLongList(value: unknown): value is SliceableList {
  return (Array.isArray(value) || value instanceof RangeRecords) && value.length > SLICE;
}

/** An object JSON.stringify writes field by field (not an array, no toJSON of its own). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}

export function renderJson(report: Report): string {
  return [...renderJsonChunks(report)].join('');
}
