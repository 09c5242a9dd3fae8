/**
 * The SMTP Receive protocol log format (exchange-domain.md §7, §9): `#` header lines, which may repeat anywhere in a
 * file (a service restart writes a new block), then one CSV line per event in the order the `#Fields` line names.
 * The same on Exchange 2007–2010 (`#Version: 14.0.0.0`) and 2013+ (`15.0.0.0`).
 */

import { splitCsvLine } from './csv-line.js';

export type LogEvent = '+' | '-' | '<' | '>' | '*';

export interface LogRecord {
  /** date-time as written: ISO 8601 UTC, e.g. "2026-03-02T08:15:02.431Z" (sortable as text). */
  time: string;
  /** `SERVER\Connector Name`, as written (a trailing space in a name survives). */
  connectorId: string;
  sessionId: string;
  sequence: number;
  localEndpoint: string;
  remoteEndpoint: string;
  /** `+` connect, `-` disconnect, `<` received from the client, `>` sent to it, `*` information. */
  event: LogEvent;
  data: string;
  context: string;
}

const NEEDED = [
  'date-time',
  'connector-id',
  'session-id',
  'sequence-number',
  'local-endpoint',
  'remote-endpoint',
  'event',
  'data',
  'context',
] as const;

export const RECEIVE_LOG_TYPE = 'SMTP Receive Protocol Log';

/** Where each field sits in a line: from the `#Fields` line, or Exchange's own order before one is seen. */
export interface FieldLayout {
  /** Column of each NEEDED field, in NEEDED's order. */
  columns: readonly number[];
  /** How many columns a line has. */
  width: number;
}

export const DEFAULT_LAYOUT: FieldLayout = { columns: NEEDED.map((_, index) => index), width: NEEDED.length };

/** The layout a `#Fields: a,b,c` line declares, or why it cannot be used. */
export function layoutFromFields(declared: string): FieldLayout | string {
  const names = declared.split(',').map((name) => name.trim().toLowerCase());
  const columns: number[] = [];
  for (const name of NEEDED) {
    const column = names.indexOf(name);
    if (column < 0) return `the #Fields line has no ${name} field`;
    columns.push(column);
  }
  // Exchange's own order is recognised, so its lines take the fast path.
  if (names.length === NEEDED.length && columns.every((column, index) => column === index))
    return DEFAULT_LAYOUT;
  return { columns, width: names.length };
}

const EVENTS = new Set<string>(['+', '-', '<', '>', '*']);
const fields: string[] = [];

/**
 * Lines no session state depends on: the continuation lines of a multi-line reply ("250-PIPELINING": only the last
 * line answers the command) and information lines other than the authenticated user and the session permissions
 * (TLS, certificates, tarpits). They are most of a log, so they are recognised before the line is split.
 */
export const UNUSED = null;

/** One data line as a record; UNUSED for a line no session needs; or why it is not a log line. */
export function parseRecord(line: string, layout: FieldLayout): LogRecord | typeof UNUSED | string {
  if (layout === DEFAULT_LAYOUT) {
    const fast = parseDefaultLayout(line);
    if (fast !== FALL_BACK) return fast;
  }
  const problem = splitCsvLine(line, fields);
  if (problem !== null) return problem;
  if (fields.length !== layout.width)
    return `${fields.length} fields where the #Fields line names ${layout.width}`;
  const column = layout.columns;
  const event = fields[column[6] as number] as string;
  const data = fields[column[7] as number] as string;
  const context = fields[column[8] as number] as string;
  if (isUnused(event, data, context)) return UNUSED;
  return checkedRecord(
    fields[column[0] as number] as string,
    fields[column[1] as number] as string,
    fields[column[2] as number] as string,
    fields[column[3] as number] as string,
    fields[column[4] as number] as string,
    fields[column[5] as number] as string,
    event,
    data,
    context,
  );
}

const AUTHENTICATED_SUFFIX = Buffer.from(',authenticated');
const PERMISSIONS_SUFFIX = Buffer.from(',Set Session Permissions');

/**
 * Whether a line in Exchange's own field order is UNUSED, decided on its bytes (most lines are, and are then never
 * decoded). False when unsure: the line is then decoded and parsed in full.
 */
export function isUnusedLine(bytes: Uint8Array, start: number, end: number): boolean {
  let commas = 0;
  let position = start;
  for (; position < end; position++) {
    const byte = bytes[position];
    if (byte === COMMA) {
      if (++commas === 6) break;
    } else if (byte === QUOTE) return false;
  }
  if (commas < 6 || position + 2 >= end || bytes[position + 2] !== COMMA) return false;
  const event = bytes[position + 1];
  if (event === 0x3e /* > */) return bytes[position + 3] !== QUOTE && bytes[position + 6] === DASH;
  if (event !== 0x2a /* * */) return false;
  return !endsWith(bytes, end, AUTHENTICATED_SUFFIX) && !endsWith(bytes, end, PERMISSIONS_SUFFIX);
}

function endsWith(bytes: Uint8Array, end: number, suffix: Uint8Array): boolean {
  const start = end - suffix.length;
  if (start < 0) return false;
  for (let index = 0; index < suffix.length; index++)
    if (bytes[start + index] !== suffix[index]) return false;
  return true;
}

function isUnused(event: string, data: string, context: string): boolean {
  if (event === '>') return data.charCodeAt(3) === DASH;
  return event === '*' && context !== 'authenticated' && context !== 'Set Session Permissions';
}

const FALL_BACK = Symbol('fall back');
const COMMA = 0x2c;
const QUOTE = 0x22;
const DASH = 0x2d;

/**
 * Exchange's own field order without splitting the whole line: six commas lead to the event, the data and context
 * are cut only when the line is used. Anything unusual (a quoted connector name or data) takes the general path.
 */
function parseDefaultLayout(line: string): LogRecord | typeof UNUSED | string | typeof FALL_BACK {
  const c1 = line.indexOf(',');
  if (c1 < 0 || line.charCodeAt(c1 + 1) === QUOTE) return FALL_BACK;
  const c2 = line.indexOf(',', c1 + 1);
  const c3 = c2 < 0 ? -1 : line.indexOf(',', c2 + 1);
  const c4 = c3 < 0 ? -1 : line.indexOf(',', c3 + 1);
  const c5 = c4 < 0 ? -1 : line.indexOf(',', c4 + 1);
  const c6 = c5 < 0 ? -1 : line.indexOf(',', c5 + 1);
  if (c6 < 0 || line.charCodeAt(c6 + 2) !== COMMA) return FALL_BACK;
  const dataStart = c6 + 3;
  const event = line.charCodeAt(c6 + 1);
  if (event === 0x3e /* > */ && line.charCodeAt(dataStart + 3) === DASH) return UNUSED;
  if (
    event === 0x2a /* * */ &&
    !(line.endsWith(',authenticated') || line.endsWith(',Set Session Permissions'))
  )
    return UNUSED;
  if (line.charCodeAt(dataStart) === QUOTE) return FALL_BACK;
  const c7 = line.indexOf(',', dataStart);
  if (c7 < 0 || line.charCodeAt(c7 + 1) === QUOTE || line.indexOf(',', c7 + 1) >= 0) return FALL_BACK;
  return checkedRecord(
    line.slice(0, c1),
    line.slice(c1 + 1, c2),
    line.slice(c2 + 1, c3),
    line.slice(c3 + 1, c4),
    line.slice(c4 + 1, c5),
    line.slice(c5 + 1, c6),
    line.slice(c6 + 1, c6 + 2),
    line.slice(dataStart, c7),
    line.slice(c7 + 1),
  );
}

function checkedRecord(
  time: string,
  connectorId: string,
  sessionId: string,
  sequence: string,
  localEndpoint: string,
  remoteEndpoint: string,
  event: string,
  data: string,
  context: string,
): LogRecord | string {
  if (!isUtcTimestamp(time)) return `date-time ${quoted(time)} is not an ISO 8601 UTC time`;
  // The shape alone lets 2026-02-30 through, and a window stretched to it would decide severities.
  if (!isCalendarTime(time)) return `date-time ${quoted(time)} is not a real date and time`;
  if (connectorId === '') return 'connector-id is empty';
  if (sessionId === '') return 'session-id is empty';
  const number = sequenceNumber(sequence);
  if (number === null) return `sequence-number ${quoted(sequence)} is not a whole number`;
  if (!EVENTS.has(event)) return `event ${quoted(event)} is none of + - < > *`;
  return {
    time,
    connectorId,
    sessionId,
    sequence: number,
    localEndpoint,
    remoteEndpoint,
    event: event as LogEvent,
    data,
    context,
  };
}

/** yyyy-mm-ddThh:mm:ss[.fff]Z, checked by character class (a regex per line costs more). */
function isUtcTimestamp(text: string): boolean {
  if (text.length < 20 || text.length > 34 || text.charCodeAt(text.length - 1) !== 0x5a) return false;
  for (let index = 0; index < 19; index++) {
    const code = text.charCodeAt(index);
    const expected = TIMESTAMP_SHAPE.charCodeAt(index);
    if (expected === DIGIT ? code < 0x30 || code > 0x39 : code !== expected) return false;
  }
  return true;
}

const TIMESTAMP_SHAPE = '0000-00-00T00:00:00';

/** A date the calendar has (2026-02-30 is none, 2028-02-29 is), hours below 24, minutes and seconds below 60. */
function isCalendarTime(text: string): boolean {
  const part = (start: number, length: number) => Number(text.slice(start, start + length));
  const year = part(0, 4);
  const month = part(5, 2);
  const day = part(8, 2);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  return part(11, 2) < 24 && part(14, 2) < 60 && part(17, 2) < 60;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Before this no Exchange log can have been written (Exchange 2007, the first with these logs, came out in 2006):
 * such a date is a wrong clock or a damaged line, and would stretch the logs' window by decades.
 */
export const EARLIEST_LOG_TIME = '2000-01-01T00:00:00';

/** Whether `time` lies in the years a log can be from: from 2000 to `latest` (the run's time plus some slack). */
export function isPlausibleLogTime(time: string, latest: string): boolean {
  const stamp = time.slice(0, 19);
  return stamp >= EARLIEST_LOG_TIME && stamp <= latest.slice(0, 19);
}
const DIGIT = 0x30;

function sequenceNumber(text: string): number | null {
  if (text.length === 0 || text.length > 9) return null;
  let value = 0;
  for (let index = 0; index < text.length; index++) {
    const digit = text.charCodeAt(index) - 0x30;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  return value;
}

/** A value from the file, shortened, for a one-line message. */
export function quoted(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
