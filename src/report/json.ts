/**
 * The JSON report, produced in pieces: a large organisation's report is larger than the longest string V8 can
 * hold, so it is written connector by connector. The layout is indented like JSON.stringify(report, null, 2),
 * except that each connector and each finding sits on one line: easy to grep and to diff between audits, and
 * cheap to write.
 */

import { RangeRecords, type Report, type ReportStream } from './report.js';
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
  const entries = Object.entries(report).filter(([, value]) => value !== undefined);
  yield '{';
  for (const [position, [key, value]] of entries.entries()) {
    yield `${position === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `;
    if (STREAMED_ARRAYS.has(key)) {
      yield* streamedArray(value as Iterable<unknown>);
    } else {
      yield indent(JSON.stringify(value, null, 2), '  ');
    }
  }
  yield '\n}\n';
}

/**
 * Short items are joined into batches of about this many characters: one string per batch instead of two per
 * item (the 10,000-connector report has 88,000 items and separators, each escaped, resumed through three
 * generators and copied into the file's buffer on its own). Joining copies each item once, as the scan for hidden
 * characters would have when it flattened it; under V8's large-object size (128 KB) even as two-byte text, so a
 * batch dies young.
 */
const BATCH = 60_000;

/** The items of a connectors or findings array, each on its own line. */
function* streamedArray(items: Iterable<unknown>): Generator<string> {
  let batch: string[] = [];
  let size = 0;
  let count = 0;
  for (const item of items) {
    const separator = count++ === 0 ? '[\n    ' : ',\n    ';
    // An item JSON.stringify cannot write (undefined, a function) is null in an array.
    const json = inSlices(item) ? null : ((JSON.stringify(item) as string | undefined) ?? 'null');
    if (json !== null && json.length < BATCH) {
      // The batch is written before the item would take it past BATCH.
      if (batch.length > 0 && size + separator.length + json.length > BATCH) {
        yield batch.join('');
        batch = [];
        size = 0;
      }
      batch.push(separator, json);
      size += separator.length + json.length;
      continue;
    }
    if (batch.length > 0) yield batch.join('');
    batch = [];
    size = 0;
    // The separator and a long item are separate chunks: joined, the item would be copied once more before the
    // scan for hidden characters and once more into the file's buffer (a connector with 100,000 ranges is 35 MB).
    yield separator;
    if (json === null) yield* slicedJson(item);
    else yield json;
  }
  if (batch.length > 0) yield batch.join('');
  yield count === 0 ? '[]' : '\n  ]';
}

/** Arrays longer than this are written a slice at a time. */
const SLICE = 512;

/**
 * Exactly JSON.stringify(value), in pieces, for a value that is or holds a long array (see inSlices): a connector
 * with 100,000 ranges would otherwise be one 35 MB string, which V8 keeps in its large-object space until a full
 * collection (the heap grew by ~100 MB per such connector); slices of it die young.
 */
function* slicedJson(value: unknown): Generator<string> {
  if (isLongList(value)) {
    yield* arrayInSlices(value);
    return;
  }
  let text = '{';
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    // JSON.stringify leaves out fields it cannot write (undefined, functions, symbols).
    const written = isLongList(field) ? null : (JSON.stringify(field) as string | undefined);
    if (written === undefined) continue;
    text += `${text === '{' ? '' : ','}${JSON.stringify(key)}:`;
    if (written !== null) {
      text += written;
      continue;
    }
    yield text;
    yield* arrayInSlices(field as SliceableList);
    text = '';
  }
  yield `${text}}`;
}

/** An array, or a connector's range records (written as an array). */
interface SliceableList {
  readonly length: number;
  slice(start: number, end: number): unknown[];
}

function* arrayInSlices(items: SliceableList): Generator<string> {
  for (let start = 0; start < items.length; start += SLICE) {
    const slice = JSON.stringify(items.slice(start, start + SLICE));
    yield `${start === 0 ? '[' : ','}${slice.slice(1, -1)}`;
  }
  yield ']';
}

/** Whether slicedJson writes the value in more than one piece: it is or holds a long list. */
function inSlices(value: unknown): boolean {
  return isLongList(value) || (isPlainObject(value) && holdsLongList(value));
}

/** Asked of every connector and finding: a loop, not a list of the values. */
function holdsLongList(value: Record<string, unknown>): boolean {
  for (const key in value) if (isLongList(value[key])) return true;
  return false;
}

function isLongList(value: unknown): value is SliceableList {
  return (Array.isArray(value) || value instanceof RangeRecords) && value.length > SLICE;
}

/** An object JSON.stringify writes field by field (no toJSON of its own). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}

export function renderJson(report: Report): string {
  return [...renderJsonChunks(report)].join('');
}
