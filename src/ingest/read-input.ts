/**
 * One input file's bytes → what it holds: Exchange records (CLIXML or ConvertTo-Json) or an exrelay snapshot.
 * The format is decided by the content, never by the file name. Every failure is an InputError naming the file.
 */

import { constants } from 'node:buffer';
import { InputError } from '../errors.js';
import { SharedValues } from '../model/shared-values.js';
import { SNAPSHOT_KIND, type Snapshot } from '../model/snapshot.js';
import {
  isSnapshotLike,
  SnapshotElements,
  SnapshotFormatError,
  validateSnapshot,
} from '../model/validate-snapshot.js';
import { ClixmlError, isClixml, readClixml, readClixmlWindows } from './clixml.js';
import type { ClixmlWindows } from './clixml-scanner.js';
import { ansiReading, type AnsiReading } from './ansi-reading.js';
import { DecodeError, decodeText, utf8Body } from './encoding.js';
import { MappingError, recognize, type ExchangeRecord } from './exchange-objects.js';
import {
  JsonElementsError,
  lineAndColumnAt,
  NOT_READ,
  readJsonObjectByElements,
  readJsonObjectInWindows,
  RepeatedMemberError,
  type ElementSinks,
  type Member,
  type ReadMore,
} from './json-elements.js';
import { firstRepeatedMember, repeatedMemberProblem } from './json-members.js';
import { JsonTextError, lineAndColumn, malformedJson, parseJsonText } from './json-text.js';
import { JsonCaseError, JsonDepthError, jsonToPsValue } from './json-values.js';
import type { PsValue } from './ps-value.js';

export type InputFormat = 'clixml' | 'json' | 'snapshot';

export type ParsedInput = (
  | { file: string; format: 'clixml' | 'json'; records: Exclude<ExchangeRecord, { kind: 'unknown' }>[] }
  | { file: string; format: 'snapshot'; snapshot: Snapshot }
) & {
  /** Set when the file was read as Windows-1252: its names may be wrong (ansi-reading.ts). */
  ansi?: AnsiReading;
  /** Warnings about how the file was found (load-files.ts), each a line that buildSnapshot passes on. */
  notes?: string[];
};

const EXPECTED =
  'expected Export-Clixml or ConvertTo-Json output of Get-ReceiveConnector, Get-ADPermission, Get-AcceptedDomain or Get-ExchangeServer, or an exrelay snapshot';

export function readInput(file: string, bytes: Uint8Array): ParsedInput {
  const snapshot = readSnapshotBytes(file, bytes);
  if (snapshot) return snapshot;
  const { text, ansi } = decodeInput(file, bytes);
  return readInputText(file, text, ansi);
}

/**
 * An exrelay snapshot read from its UTF-8 bytes element by element (json-elements.ts), each element checked as it
 * is parsed: neither the whole text nor the whole parsed tree is ever built. Null when the bytes hold anything
 * else, or anything that makes an error: readInputText then reads them and words the error as for any file. Only a
 * file too long to become one string (`longestText` characters) gets its JSON errors from here.
 */
export function readSnapshotBytes(
  file: string,
  bytes: Uint8Array,
  longestText = constants.MAX_STRING_LENGTH,
): ParsedInput | null {
  const body = utf8Body(bytes);
  if (body === null) return null;
  return readSnapshotDocument(file, (lead, sinks) => readJsonObjectByElements(body, lead, sinks), {
    size: bytes.length,
    longestText,
    locate: (offset) => lineAndColumnAt(body, offset),
  });
}

/** A UTF-8 file as read in windows (the I/O edge's side of readJsonObjectInWindows). */
export interface WindowedDocument {
  /** More of the file's bytes after its BOM. */
  readMore: ReadMore;
  windowBytes: number;
  /** The file's size in bytes, BOM included. */
  size: number;
  /**
   * The document's length as the file's size tells it (a hint: the file may change): a window that must grow may
   * then take the rest at once. Without it, windows grow step by step.
   */
  expectedLength?: number;
  /** Line and column of a byte offset after the BOM, for the errors of a file too long to become one string. */
  locate(offset: number): [line: number, column: number];
}

/** readSnapshotBytes for a file read in windows: the same result, without the whole file in memory at once. */
export function readSnapshotInWindows(
  file: string,
  { readMore, windowBytes, size, expectedLength = 0, locate }: WindowedDocument,
  longestText = constants.MAX_STRING_LENGTH,
): ParsedInput | null {
  return readSnapshotDocument(
    file,
    (lead, sinks) => readJsonObjectInWindows(readMore, windowBytes, expectedLength, lead, sinks),
    { size, longestText, locate },
  );
}

function readSnapshotDocument(
  file: string,
  read: (lead: Member, sinks: ElementSinks) => Record<string, unknown> | typeof NOT_READ,
  { size, longestText, locate }: { size: number; longestText: number; locate: WindowedDocument['locate'] },
): ParsedInput | null {
  const elements = new SnapshotElements();
  let root: Record<string, unknown> | typeof NOT_READ;
  try {
    root = read({ key: 'kind', value: SNAPSHOT_KIND }, (key) => elements.list(key));
  } catch (error) {
    if (!(error instanceof JsonElementsError)) throw error;
    if (size <= longestText) return null;
    let message =
      error.offset === null ? error.problem : malformedJson(...locate(error.offset), error.problem);
    if (error instanceof RepeatedMemberError && error.offset !== null)
      message = repeatedMemberMessage(error.problem, ...locate(error.offset));
    throw new InputError(file, message, { cause: error });
  }
  if (root === NOT_READ || !isSnapshotLike(root)) return null;
  const json = root;
  return { file, format: 'snapshot', snapshot: toSnapshot(file, () => elements.finish(json)) };
}

/**
 * The same, on text already decoded with decodeInput (the caller can then let go of the bytes first); `ansi` is
 * decodeInput's, kept with the result.
 */
export function readInputText(file: string, text: string, ansi: AnsiReading | null = null): ParsedInput {
  const input = parseText(file, text);
  if (ansi !== null) input.ansi = ansi;
  return input;
}

function parseText(file: string, text: string): ParsedInput {
  const start = text.trimStart();
  if (start.startsWith('<')) {
    if (!isClixml(start)) throw new InputError(file, `XML but not PowerShell CLIXML; ${EXPECTED}`);
    return { file, format: 'clixml', records: clixmlRecords(file, text) };
  }
  if (start.startsWith('{') || start.startsWith('[')) {
    const json = parseJson(file, text);
    if (isSnapshotLike(json)) {
      refuseRepeatedMembers(file, text);
      return { file, format: 'snapshot', snapshot: toSnapshot(file, () => validateSnapshot(json)) };
    }
    const records = new RecordList(file);
    for (const value of toPsValues(file, json)) records.add(value);
    return { file, format: 'json', records: records.finish() };
  }
  throw new InputError(file, `unknown kind of file; ${EXPECTED}`);
}

/**
 * A file's bytes as text, whatever encoding PowerShell wrote it in; an InputError when they are not text. `ansi`
 * is set when they were read as Windows-1252, which may not be the code page they were written in.
 */
export function decodeInput(file: string, bytes: Uint8Array): { text: string; ansi: AnsiReading | null } {
  try {
    const { text, encoding } = decodeText(bytes);
    return { text, ansi: encoding === 'windows-1252' ? ansiReading(text) : null };
  } catch (error) {
    if (error instanceof DecodeError) throw new InputError(file, error.message, { cause: error });
    throw error;
  }
}

/** Each top-level object becomes its record as soon as it is read; the object itself is not kept. */
function clixmlRecords(file: string, text: string): ExchangeRecords {
  let records = new RecordList(file);
  try {
    readClixml(text, () => {
      records = new RecordList(file);
      return (value) => records.add(value);
    });
  } catch (error) {
    if (error instanceof ClixmlError) throw new InputError(file, error.message, { cause: error });
    throw error;
  }
  return records.finish();
}

/**
 * A CLIXML export given in windows of its text (clixml-windows.ts); null when the fast scanner declines it, and
 * it is to be read whole (readInputText), which then also words any error.
 */
export function readClixmlInWindows(file: string, document: ClixmlWindows): ParsedInput | null {
  const records = new RecordList(file);
  if (!readClixmlWindows(document, (value) => records.add(value))) return null;
  return { file, format: 'clixml', records: records.finish() };
}

function parseJson(file: string, text: string): unknown {
  try {
    return parseJsonText(text);
  } catch (error) {
    if (error instanceof JsonTextError) throw new InputError(file, error.message, { cause: error });
    throw error;
  }
}

/**
 * A snapshot that writes a member twice in one object: JSON.parse keeps the last value, a reader of the file may
 * take the first (a `permissions` list with a relay grant, then an empty one). It is refused, never guessed.
 * ConvertTo-Json exports are read as PowerShell's ConvertFrom-Json reads them, which keeps the last value too.
 */
function refuseRepeatedMembers(file: string, text: string): void {
  const repeated = firstRepeatedMember(text);
  if (repeated === null) return;
  const { line, column } = lineAndColumn(text, repeated.offset);
  throw new InputError(file, repeatedMemberMessage(repeatedMemberProblem(repeated.name), line, column));
}

function repeatedMemberMessage(problem: string, line: number, column: number): string {
  return `invalid exrelay snapshot: ${problem} (line ${line}, column ${column})`;
}

function toPsValues(file: string, json: unknown): PsValue[] {
  try {
    const value = jsonToPsValue(json);
    return Array.isArray(value) ? value : [value];
  } catch (error) {
    if (error instanceof JsonDepthError)
      throw new InputError(file, `JSON ${error.message}`, { cause: error });
    if (error instanceof JsonCaseError) throw new InputError(file, `JSON ${error.message}`, { cause: error });
    throw error;
  }
}

function toSnapshot(file: string, validate: () => Snapshot): Snapshot {
  try {
    return validate();
  } catch (error) {
    if (error instanceof SnapshotFormatError)
      throw new InputError(file, `invalid exrelay snapshot: ${error.message}`, { cause: error });
    throw error;
  }
}

type ExchangeRecords = Exclude<ExchangeRecord, { kind: 'unknown' }>[];

/** The records of one file's objects, in order; objects of other kinds are skipped, but not all of them. */
class RecordList {
  private readonly records: ExchangeRecords = [];
  private count = 0;
  private firstUnknown: string | null = null;
  private readonly shared = new SharedValues();

  constructor(private readonly file: string) {}

  add(value: PsValue): void {
    this.count++;
    let record: ExchangeRecord;
    try {
      record = recognize(value, this.shared);
    } catch (error) {
      if (error instanceof MappingError)
        throw new InputError(this.file, `object ${this.count}: ${error.message}`, { cause: error });
      throw error;
    }
    if (record.kind === 'unknown') this.firstUnknown ??= record.description;
    else this.records.push(record);
  }

  finish(): ExchangeRecords {
    if (this.count === 0) throw new InputError(this.file, `contains no objects; ${EXPECTED}`);
    if (this.records.length === 0)
      throw new InputError(
        this.file,
        `no Exchange objects found (the first is ${this.firstUnknown ?? 'unrecognised'}); ${EXPECTED}`,
      );
    return this.records;
  }
}
