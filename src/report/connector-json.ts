/**
 * One connector of the JSON report: exactly jsonEscapeHidden(JSON.stringify(connector)), at less cost. Its range
 * records, the bulk of a large connector, are written straight from the connector's range table, without a report
 * object per entry, and in slices; their fields are known, and every value but the entry's text and error is
 * text exrelay made itself (addresses, counts, enumerations), which needs no escaping and no scan for hidden
 * characters. The fields around them go through JSON.stringify.
 *
 * tests/report/connector-json.test.ts compares this writer with JSON.stringify on every connector of its
 * organisations, hostile names and range entries included.
 */

import type { RangeAnalysis } from '../analysis/range-table.js';
import { formatIpv4, formatIpv6 } from '../net/ip-address.js';
import { countText, RangeRecords, type RangeList, type StreamedConnector } from './report.js';
import { jsonEscapeHidden, jsonString } from './untrusted-text.js';

/** Range records are written this many at a time: a connector with 100,000 of them is never one 35 MB string. */
export const RANGE_SLICE = 512;

/** The connector in pieces: one for most connectors, more when it lists more than RANGE_SLICE ranges. */
export function* connectorJson(connector: StreamedConnector): Generator<string> {
  // The fields around the range records are few and of every kind: JSON.stringify writes them faster than code
  // could, and the scan for hidden characters reads them once.
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  let side = before;
  for (const key of Object.keys(connector)) {
    if (key === 'remoteIPRanges') side = after;
    else side[key] = connector[key as keyof StreamedConnector];
  }
  const head = jsonEscapeHidden(JSON.stringify(before));
  const tail = jsonEscapeHidden(JSON.stringify(after));
  let text = `${head.slice(0, -1)}${head === '{}' ? '' : ','}"remoteIPRanges":`;
  const ranges = connector.remoteIPRanges;
  if (ranges.length <= RANGE_SLICE) text += `[${rangeItems(ranges, 0, ranges.length)}]`;
  else {
    yield text;
    for (let start = 0; start < ranges.length; start += RANGE_SLICE)
      yield `${start === 0 ? '[' : ','}${rangeItems(ranges, start, Math.min(start + RANGE_SLICE, ranges.length))}`;
    text = ']';
  }
  yield `${text}${tail === '{}' ? '}' : `,${tail.slice(1)}`}`;
}

/** Records `start` (inclusive) to `end` (exclusive) as JSON, separated by commas (no brackets). */
function rangeItems(ranges: RangeList, start: number, end: number): string {
  // Records made by the report (a materialised report) are plain objects: JSON.stringify writes them as ever.
  if (!(ranges instanceof RangeRecords))
    return start === end ? '' : jsonEscapeHidden(JSON.stringify(ranges.slice(start, end))).slice(1, -1);
  let text = '';
  for (let index = start; index < end; index++)
    text += `${index === start ? '' : ','}${rangeJson(ranges.entry(index))}`;
  return text;
}

/** The record reportRange makes of the entry, as JSON. */
function rangeJson(range: RangeAnalysis): string {
  const { family, first, last } = range;
  const format = family === 4 ? formatIpv4 : formatIpv6;
  const firstText = family !== null && first !== null ? `"${format(first)}"` : 'null';
  const lastText =
    family === null || last === null ? 'null' : last === first ? firstText : `"${format(last)}"`;
  const bounds = `"family":${family === null ? 'null' : `"IPv${family}"`},"first":${firstText},"last":${lastText}`;
  return (
    `{"text":${jsonString(range.text)},${bounds},"addresses":"${countText(range.addresses)}"` +
    `,"scope":${nullableString(range.scope)},"public":${range.publicAddresses > 0n}` +
    `,"publicAddresses":"${countText(range.publicAddresses)}","score":${numberJson(range.score)}` +
    `,"format":${nullableString(range.format)},"unused":${range.unused},"error":${nullableString(range.error)}}`
  );
}

function nullableString(text: string | null): string {
  return text === null ? 'null' : jsonString(text);
}

/** As JSON.stringify writes a number: NaN and the infinities as null. */
function numberJson(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}
