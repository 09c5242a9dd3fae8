/**
 * A JSON object read straight from its UTF-8 bytes, the elements of chosen array members one at a time: a byte
 * scan finds where each element ends, and only that element is decoded and parsed. Neither the file's whole text
 * nor its whole parsed tree is ever built, so a 500 MB snapshot costs a window of its bytes and what is kept of
 * each element, and a file longer than V8's longest string (~512 M characters) can still be read.
 *
 * Only the shape exrelay's snapshots have is read this way. Anything else is left to the whole-text reader
 * (json-text.ts), which gives the errors their wording: see NOT_READ and JsonElementsError.
 */

import { constants, isUtf8 } from 'node:buffer';
import { firstRepeatedMember, repeatedMemberProblem } from './json-members.js';
import { MAX_JSON_DEPTH, syntaxErrorAt } from './json-text.js';

/** Takes one array member's elements in order; `finish` gives the member's value once the array is closed. */
export interface ElementSink {
  add(element: unknown): void;
  finish(): unknown;
  /** An array inside each element whose items repeat, e.g. a connector's ACEs: see RepeatedItems. */
  repeated?: RepeatedItems;
}

/**
 * An array member `key` of each element (an object) whose items often have the same bytes. An item whose bytes
 * equal an earlier one's is not decoded or parsed again: the element gets the earlier item as `add` left it, when
 * `reusable` says that value stands for any item with those bytes (`add` checks the array in place, and can tell
 * such a value when it meets it again).
 */
export interface RepeatedItems {
  key: string;
  reusable(value: unknown): boolean;
}

/** The sink for the array member named `key`, or undefined when that member is parsed whole. */
export type ElementSinks = (key: string) => ElementSink | undefined;

/** Not read here, and no error of its own: not an object, or bytes that are not UTF-8 (e.g. code page 1252). */
export const NOT_READ = Symbol('not read element by element');

/**
 * Malformed JSON (at a byte offset) or nesting deeper than MAX_JSON_DEPTH (offset null). The whole-text reader
 * words these exactly as for any other file; this one serves a file too long to become one string.
 */
export class JsonElementsError extends Error {
  constructor(
    readonly offset: number | null,
    readonly problem: string,
  ) {
    super(problem);
  }
}

/** A member written twice in one object (at the byte offset of its second name): exrelay's snapshots never are. */
export class RepeatedMemberError extends JsonElementsError {}

/** A member, by its name and its value (a string, number, boolean or null). */
export interface Member {
  key: string;
  value: string | number | boolean | null;
}

/**
 * The object in `bytes` (UTF-8 without a BOM), with each listed array member read element by element. Only an
 * object whose first member is `lead` (a snapshot's kind) is read: anything else is left to the whole-text reader
 * before any large member is parsed twice.
 */
export function readJsonObjectByElements(
  bytes: Uint8Array,
  lead: Member,
  sinks: ElementSinks,
): Record<string, unknown> | typeof NOT_READ {
  return readObject(new ObjectReader(bytes, null, lead, sinks));
}

/** Appends up to `length` more bytes of the document to `target` at `offset`: how many, 0 at its end. */
export type ReadMore = (target: Uint8Array, offset: number, length: number) => number;

/**
 * The same, for a document read forward in windows of about `windowBytes` (the caller's file, after its BOM): the
 * whole file is never in memory at once, and the result and every error are those of readJsonObjectByElements on
 * all its bytes. A window grows to hold a value longer than itself; `expectedLength` (the file's size, a hint only)
 * lets it grow to the document's end at once when that is near. Error offsets count from the document's start.
 */
export function readJsonObjectInWindows(
  readMore: ReadMore,
  windowBytes: number,
  expectedLength: number,
  lead: Member,
  sinks: ElementSinks,
): Record<string, unknown> | typeof NOT_READ {
  const window = Buffer.allocUnsafeSlow(Math.max(windowBytes, 16));
  return readObject(new ObjectReader(window, readMore, lead, sinks, expectedLength));
}

function readObject(reader: ObjectReader): Record<string, unknown> | typeof NOT_READ {
  try {
    return reader.read();
  } catch (error) {
    if (error === NOT_UTF8 || error === NOT_READ) return NOT_READ;
    throw error;
  }
}

const NOT_UTF8 = Symbol('not UTF-8');
/**
 * Thrown where a read reaches the end of the window before the end of the document: the read starts again, in a
 * window that begins where it began and holds more. Never escapes the reader.
 */
const NEED_MORE = Symbol('the window ends inside what is being read');
const END = 'Unexpected end of JSON input';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** JSON's four whitespace bytes. */
const WHITESPACE = new Uint8Array(256);
for (const byte of [0x20, 0x09, 0x0a, 0x0d]) WHITESPACE[byte] = 1;

/** What the scan of a nested value looks for: everything else is left to JSON.parse of the value. */
const STRUCTURE = new Uint8Array(256);
STRUCTURE[QUOTE] = 1;
STRUCTURE[OPEN_OBJECT] = 2;
STRUCTURE[OPEN_ARRAY] = 2;
STRUCTURE[CLOSE_OBJECT] = 3;
STRUCTURE[CLOSE_ARRAY] = 3;

/** Where a scalar ends: a separator, a closer or whitespace. */
const SCALAR_END = new Uint8Array(256);
for (const byte of [COMMA, CLOSE_OBJECT, CLOSE_ARRAY, 0x20, 0x09, 0x0a, 0x0d]) SCALAR_END[byte] = 1;

class ObjectReader {
  /** Fatal: bytes that are not UTF-8 send the file to the whole-text reader, which falls back to code page 1252. */
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  /**
   * Whether the window's bytes are all UTF-8 (one native pass over them), found at the first value decoded from
   * it: a file that is not a snapshot (a 100 MB CLIXML export) is given up at its first byte, and needs no pass.
   * Each value can then be decoded without the decoder's checks, a third of its cost. Every value starts and ends
   * beside an ASCII byte, so none is cut inside a character. When not, each value is decoded as before and the
   * first bad one is found where it was.
   */
  private windowUtf8: boolean | undefined;
  /** The window: the document's bytes from `base` on, as many as have been read and not yet let go of. */
  bytes: Uint8Array;
  buffer: Buffer;
  /** Where the window starts in the document. */
  private base = 0;
  /** Whether the window reaches the document's end: always, for a document given whole. */
  private ended: boolean;
  /** The memory the window is read into (windowed documents). */
  private storage: Uint8Array;
  private at = 0;
  private repeatedItems: RepeatedItemReader | undefined;

  /** `readMore` null: `bytes` is the whole document; else the memory to read its windows into. */
  constructor(
    bytes: Uint8Array,
    private readonly readMore: ReadMore | null,
    private readonly lead: Member,
    private readonly sinks: ElementSinks,
    private readonly expectedLength = 0,
  ) {
    this.storage = bytes;
    this.ended = readMore === null;
    this.bytes = readMore === null ? bytes : bytes.subarray(0, 0);
    this.buffer = bufferOf(this.bytes);
    if (readMore !== null) this.refill(0);
  }

  read(): Record<string, unknown> | typeof NOT_READ {
    this.skipSpaceAcross();
    if (this.bytes[this.at] !== OPEN_OBJECT) return NOT_READ;
    this.at++;
    const object: Record<string, unknown> = {};
    this.skipSpaceAcross();
    if (this.bytes[this.at] === CLOSE_OBJECT) return NOT_READ;
    this.readMembers(object);
    this.skipSpaceAcross();
    if (this.at !== this.bytes.length) this.fail(this.at, 'Unexpected non-whitespace character after JSON');
    return object;
  }

  private readMembers(object: Record<string, unknown>): void {
    const keys = new Set<string>();
    for (let first = true; ; first = false) {
      const keyStart = this.base + this.at;
      const key = this.attempt(() => this.readKey());
      if (first && key !== this.lead.key) throw NOT_READ;
      if (keys.has(key)) throw new RepeatedMemberError(keyStart, repeatedMemberProblem(key));
      keys.add(key);
      this.skipSpaceAcross();
      const sink = this.bytes[this.at] === OPEN_ARRAY ? this.sinks(key) : undefined;
      // `__proto__` is a member, as with JSON.parse.
      const value = sink ? this.readElements(sink) : this.attempt(() => this.readValue(2));
      if (first && value !== this.lead.value) throw NOT_READ;
      Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
      this.skipSpaceAcross();
      const next = this.bytes[this.at];
      if (next !== COMMA && next !== CLOSE_OBJECT)
        this.unexpected("Expected ',' or '}' after property value");
      this.at++;
      if (next === CLOSE_OBJECT) return;
      this.skipSpaceAcross();
    }
  }

  /** A member's key and the colon after it. */
  private readKey(): string {
    if (this.bytes[this.at] !== QUOTE) this.unexpected('Expected double-quoted property name');
    const keyStart = this.at;
    this.at = this.stringEnd(keyStart);
    const key = this.parse(keyStart, this.at) as string;
    this.skipWhitespace();
    if (this.bytes[this.at] !== COLON) this.unexpected("Expected ':' after property name");
    this.at++;
    return key;
  }

  /** The array at `at`, a member of the root object: its elements lie at depth 3. */
  private readElements(sink: ElementSink): unknown {
    this.at++;
    this.skipSpaceAcross();
    if (this.bytes[this.at] === CLOSE_ARRAY) {
      this.at++;
      return sink.finish();
    }
    if (sink.repeated) this.repeatedItems = new RepeatedItemReader(this, sink.repeated);
    const repeated = this.repeatedItems;
    for (;;) {
      if (repeated) this.attempt(() => this.readElementWithRepeats(sink, repeated));
      else sink.add(this.attempt(() => this.readValue(3)));
      this.skipSpaceAcross();
      const next = this.bytes[this.at];
      if (next !== COMMA && next !== CLOSE_ARRAY) this.unexpected("Expected ',' or ']' after array element");
      this.at++;
      if (next === CLOSE_ARRAY) {
        this.repeatedItems = undefined;
        return sink.finish();
      }
      this.skipSpaceAcross();
    }
  }

  /**
   * The element at `at` read with its repeated items (see RepeatedItems), or, when anything about it is unusual
   * (malformed, keys with escapes, the array member missing or repeated), read whole: that path gives any error.
   */
  private readElementWithRepeats(sink: ElementSink, repeated: RepeatedItemReader): void {
    const read = repeated.read(this.at);
    if (read === null) {
      sink.add(this.readValue(3));
      return;
    }
    this.at = read.end;
    sink.add(read.element);
    repeated.remember(read);
  }

  /** The value at `at`, at nesting `depth` (the root object is 1), parsed on its own. */
  private readValue(depth: number): unknown {
    const start = this.at;
    this.at = this.valueEnd(start, depth);
    return this.parse(start, this.at);
  }

  /**
   * What `read` gives, in a window that holds all of it: where the window ends too early (NEED_MORE), the next
   * one starts where `read` started, with more of the document after it. `read` does nothing else before it
   * returns, so it can start again.
   */
  private attempt<T>(read: () => T): T {
    for (;;) {
      const start = this.at;
      try {
        return read();
      } catch (error) {
        if (error !== NEED_MORE) throw error;
        this.refill(start);
      }
    }
  }

  /**
   * The next window: the bytes from `keepFrom` on, then as many more as fit. The memory grows when what is kept
   * would leave less than half of it for new bytes: to the document's expected end when that is at most GROWTH
   * times as much or at most TO_END_BYTES (no more than the whole file, read whole before windows), else by
   * GROWTH. So a value longer than a window is read again once or twice, not once per doubling (a 10 MB connector
   * name took ~110 ms longer in five doublings than its file read whole).
   */
  private refill(keepFrom: number): void {
    const readMore = this.readMore as ReadMore;
    const kept = this.bytes.length - keepFrom;
    let storage = this.storage;
    if (kept > storage.length / 2) {
      const toEnd = kept + Math.max(0, this.expectedLength - (this.base + this.bytes.length));
      const nearEnd = toEnd <= storage.length * GROWTH || toEnd <= TO_END_BYTES;
      const grown = toEnd > storage.length && nearEnd ? toEnd : storage.length * GROWTH;
      storage = Buffer.allocUnsafeSlow(Math.min(grown, constants.MAX_LENGTH));
      if (storage.length <= kept) throw new JsonElementsError(null, 'a value too long to read');
    }
    storage.set(this.bytes.subarray(keepFrom), 0);
    let filled = kept;
    while (filled < storage.length) {
      const read = readMore(storage, filled, storage.length - filled);
      if (read === 0) {
        this.ended = true;
        break;
      }
      filled += read;
    }
    this.base += keepFrom;
    this.storage = storage;
    this.bytes = storage.subarray(0, filled);
    this.buffer = bufferOf(this.bytes);
    this.windowUtf8 = undefined;
    this.at = 0;
    this.repeatedItems?.window(this.bytes, this.buffer);
  }

  parse(start: number, end: number): unknown {
    const text = this.decode(start, end);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const { offset, problem } = syntaxErrorAt(text, (error as Error).message);
      this.fail(start + Buffer.byteLength(text.slice(0, offset)), problem);
    }
    const repeated = typeof value === 'object' && value !== null ? firstRepeatedMember(text) : null;
    if (repeated !== null) {
      const offset = this.base + start + Buffer.byteLength(text.slice(0, repeated.offset));
      throw new RepeatedMemberError(offset, repeatedMemberProblem(repeated.name));
    }
    return value;
  }

  decode(start: number, end: number): string {
    if ((this.windowUtf8 ??= isUtf8(this.bytes.subarray(0, this.wholeCharactersEnd()))))
      return this.buffer.toString('utf8', start, end);
    try {
      return this.decoder.decode(this.bytes.subarray(start, end));
    } catch {
      throw NOT_UTF8;
    }
  }

  /**
   * Where the window's last whole character ends, as far as a value can tell: after its last ASCII byte (every
   * value ends at one), or at its end when it is the document's.
   */
  private wholeCharactersEnd(): number {
    const bytes = this.bytes;
    let end = bytes.length;
    if (!this.ended) while (end > 0 && bytes[end - 1]! >= 0x80) end--;
    return end;
  }

  /**
   * Where the value starting at `start` ends. Only strings and brackets are followed: whether the value is valid
   * JSON is JSON.parse's to say. Nesting deeper than MAX_JSON_DEPTH is refused before anything parses it.
   */
  valueEnd(start: number, depth: number): number {
    const bytes = this.bytes;
    const first = bytes[start];
    if (first === QUOTE) return this.stringEnd(start);
    if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
      let at = start;
      while (at < bytes.length && SCALAR_END[bytes[at]!] === 0) at++;
      // A number the window cuts short would parse as another number.
      if (at === bytes.length && !this.ended) throw NEED_MORE;
      // Nothing at all where a value belongs: JSON.parse of the empty text would say so without a position.
      if (at === start) this.unexpected('Unexpected token');
      return at;
    }
    if (depth > MAX_JSON_DEPTH) this.tooDeep();
    let open = 1;
    let at = start + 1;
    while (at < bytes.length) {
      const kind = STRUCTURE[bytes[at++]!];
      if (kind === 0) continue;
      if (kind === 1) at = this.stringEnd(at - 1);
      else if (kind === 2) {
        if (depth + open > MAX_JSON_DEPTH) this.tooDeep();
        open++;
      } else if (--open === 0) return at;
    }
    return this.fail(bytes.length, END);
  }

  /** The offset after the closing quote of the string that starts at `start`. */
  stringEnd(start: number): number {
    const bytes = this.bytes;
    let at = start + 1;
    while (at < bytes.length) {
      const byte = bytes[at++];
      if (byte === QUOTE) return at;
      if (byte === BACKSLASH) at++;
    }
    return this.fail(bytes.length, 'Unterminated string in JSON');
  }

  private skipWhitespace(): void {
    while (this.at < this.bytes.length && WHITESPACE[this.bytes[this.at]!] === 1) this.at++;
  }

  /**
   * Whitespace between two reads, across windows: afterwards a byte is at `at`, or the document has ended. What
   * was skipped is let go of, so a file of whitespace needs no more memory than a window.
   */
  private skipSpaceAcross(): void {
    for (;;) {
      this.skipWhitespace();
      if (this.at < this.bytes.length || this.ended) return;
      this.refill(this.at);
    }
  }

  /** What was expected at `at`, or the end of the input when there is nothing more. */
  private unexpected(problem: string): never {
    return this.fail(this.at, this.at < this.bytes.length ? problem : END);
  }

  /** An error at `offset` of the window; past its end, the document may go on: a larger window is needed first. */
  fail(offset: number, problem: string): never {
    if (offset >= this.bytes.length && !this.ended) throw NEED_MORE;
    throw new JsonElementsError(this.base + offset, problem);
  }

  private tooDeep(): never {
    throw new JsonElementsError(null, `JSON nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
}

/** How many times larger a window grows at most when a value does not fit in it. */
const GROWTH = 8;
/** A window that must grow takes the rest of the document at once when that is at most this long. */
const TO_END_BYTES = 64 * 1024 * 1024;

function bufferOf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Items no longer than this many bytes are remembered, and at most MAX_REMEMBERED of them: memory stays small. */
const MAX_REMEMBERED_BYTES = 1024;
const MAX_REMEMBERED = 10_000;

/**
 * An item remembered: its value as `add` left it, its bytes (a copy: the window it was read from may be gone),
 * and the item that followed it last.
 */
interface Known {
  value: unknown;
  bytes: Buffer;
  next: Known | null;
}

/** An earlier array all of whose items were known: its bytes (a copy), and the item each stands for. */
interface KnownArray {
  bytes: Buffer;
  known: Known[];
}

/** Whole arrays remembered, most recent first: a large organisation's connectors share a few ACE lists. */
const MAX_REMEMBERED_ARRAYS = 8;
/** Arrays longer than this are not remembered: their copies would hold more memory than reading them saves. */
const MAX_REMEMBERED_ARRAY_BYTES = 256 * 1024;

/** The items of an element's repeated array, what each was known as (null: parsed afresh), and where it ends. */
interface Items {
  /** Where the array starts; `whole` when its bytes were those of a remembered array. */
  start: number;
  whole: boolean;
  values: unknown[];
  known: (Known | null)[];
  /** The items parsed afresh: their bytes (as Latin-1 text), index, start and length. */
  fresh: { bytes: string; index: number; start: number; length: number }[];
  end: number;
}

/** An element read with its repeated items. */
interface ReadElement {
  element: Record<string, unknown>;
  end: number;
  items: Items;
}

/**
 * Reads elements whose repeated items (RepeatedItems) are looked up by their bytes. Any surprise gives null, and
 * the caller reads the element whole: this path never words an error, so errors stay those of the whole path.
 */
class RepeatedItemReader {
  /** Earlier reusable items by their bytes as Latin-1 text: one character per byte, so equal keys are equal bytes. */
  private readonly known = new Map<string, Known>();
  /** The first item of the last element read: the likely first item of the next. */
  private first: Known | null = null;
  private readonly arrays: KnownArray[] = [];
  /** The array's key as it stands in the bytes, quotes included. */
  private readonly key: Uint8Array;
  /** The reader's window. */
  private bytes: Uint8Array;
  private buffer: Buffer;

  constructor(
    private readonly reader: ObjectReader,
    private readonly repeated: RepeatedItems,
  ) {
    this.key = Buffer.from(JSON.stringify(repeated.key), 'utf8');
    this.bytes = reader.bytes;
    this.buffer = reader.buffer;
  }

  /** The reader moved on to another window. */
  window(bytes: Uint8Array, buffer: Buffer): void {
    this.bytes = bytes;
    this.buffer = buffer;
  }

  /** The element at `start` (at depth 3) with its repeated items; null: read it whole. */
  read(start: number): ReadElement | null {
    try {
      return this.readOrNull(start);
    } catch (error) {
      if (error instanceof JsonElementsError || error === NOT_UTF8) return null;
      throw error;
    }
  }

  /**
   * After `add` checked the items in place: the fresh ones that can stand for their bytes from now on, and which
   * item followed which (the ACEs of a large organisation come in the same few sequences).
   */
  remember({ items }: ReadElement): void {
    const { values, known } = items;
    for (const { bytes, index, start, length } of items.fresh) {
      if (this.known.size >= MAX_REMEMBERED || length > MAX_REMEMBERED_BYTES) break;
      if (!this.repeated.reusable(values[index])) continue;
      const entry: Known = { value: values[index], bytes: this.copy(start, length), next: null };
      this.known.set(bytes, entry);
      known[index] = entry;
    }
    for (let index = 1; index < known.length; index++) {
      const before = known[index - 1];
      if (before) before.next = known[index]!;
    }
    if (known.length > 0) this.first = known[0]!;
    const length = items.end - items.start;
    if (
      !items.whole &&
      known.length > 1 &&
      length <= MAX_REMEMBERED_ARRAY_BYTES &&
      known.every((entry) => entry !== null)
    )
      this.rememberArray({ bytes: this.copy(items.start, length), known: known as Known[] });
  }

  private copy(start: number, length: number): Buffer {
    return Buffer.from(this.bytes.subarray(start, start + length));
  }

  private rememberArray(array: KnownArray): void {
    if (this.arrays.length >= MAX_REMEMBERED_ARRAYS) this.arrays.pop();
    this.arrays.unshift(array);
  }

  /**
   * The array at `start` when its bytes are those of a remembered array (brackets included, so its end is theirs):
   * its items are then those known items, without a look at each. Null when none matches.
   */
  private knownArray(start: number): Items | null {
    for (const array of this.arrays) {
      if (!this.sameBytes(array.bytes, start)) continue;
      const { known } = array;
      const values = new Array<unknown>(known.length);
      for (let index = 0; index < known.length; index++) values[index] = known[index]!.value;
      return { start, whole: true, values, known, fresh: [], end: start + array.bytes.length };
    }
    return null;
  }

  /** Whether the window holds `bytes` at `start`. */
  private sameBytes(bytes: Buffer, start: number): boolean {
    return (
      start + bytes.length <= this.bytes.length &&
      bytes.compare(this.buffer, start, start + bytes.length) === 0
    );
  }

  private readOrNull(start: number): ReadElement | null {
    const { bytes, reader } = this;
    if (bytes[start] !== OPEN_OBJECT) return null;
    let at = this.skip(start + 1);
    if (bytes[at] === CLOSE_OBJECT) return null;
    let arrayStart = -1;
    let items: Items | null = null;
    for (;;) {
      if (bytes[at] !== QUOTE) return null;
      const keyStart = at;
      at = reader.stringEnd(at);
      // A key with an escape could spell the array's key another way, and JSON.parse keeps a repeated key's last value.
      for (let index = keyStart + 1; index < at - 1; index++) if (bytes[index] === BACKSLASH) return null;
      const isArray = this.isArrayKey(keyStart, at);
      at = this.skip(at);
      if (bytes[at] !== COLON) return null;
      at = this.skip(at + 1);
      if (isArray) {
        if (items !== null || bytes[at] !== OPEN_ARRAY) return null;
        arrayStart = at;
        items = this.readItems(at);
        at = items.end;
      } else at = reader.valueEnd(at, 4);
      at = this.skip(at);
      if (bytes[at] === CLOSE_OBJECT) break;
      if (bytes[at] !== COMMA) return null;
      at = this.skip(at + 1);
    }
    const end = at + 1;
    if (items === null) return null;
    // The element without its array: the placeholder keeps the member's place among the others (null, not a
    // number: V8 then never has to widen the field's representation when the array takes its place).
    const text = reader.decode(start, arrayStart) + 'null' + reader.decode(items.end, end);
    let element: Record<string, unknown>;
    try {
      element = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return null;
    }
    // Read whole, the element's repeated member is found where it stands.
    if (firstRepeatedMember(text) !== null) return null;
    element[this.repeated.key] = items.values;
    return { element, end, items };
  }

  /**
   * The items of the array at `start` (at depth 5). An item whose bytes start as those of the item that followed
   * the one before it last time is that item: a value's extent depends only on its own bytes, and what follows it
   * is checked, so it is neither scanned nor parsed. Else it is looked up by its bytes, and parsed when new.
   */
  private readItems(start: number): Items {
    const whole = this.knownArray(start);
    if (whole !== null) return whole;
    const { bytes, reader } = this;
    const values: unknown[] = [];
    const known: (Known | null)[] = [];
    const fresh: Items['fresh'] = [];
    let at = this.skip(start + 1);
    if (bytes[at] !== CLOSE_ARRAY) {
      for (let likely = this.first; ;) {
        const itemStart = at;
        let entry: Known | null | undefined = likely;
        if (entry !== null && this.sameBytes(entry.bytes, itemStart)) at = itemStart + entry.bytes.length;
        else {
          at = reader.valueEnd(itemStart, 5);
          const key = this.buffer.toString('latin1', itemStart, at);
          entry = this.known.get(key);
          if (entry === undefined) {
            entry = null;
            fresh.push({ bytes: key, index: values.length, start: itemStart, length: at - itemStart });
          }
        }
        values.push(entry === null ? reader.parse(itemStart, at) : entry.value);
        known.push(entry);
        likely = entry === null ? null : entry.next;
        at = this.skip(at);
        if (bytes[at] === CLOSE_ARRAY) break;
        // Never shown: the element is then read whole, which words the error.
        if (bytes[at] !== COMMA) throw new JsonElementsError(at, "Expected ',' or ']'");
        at = this.skip(at + 1);
      }
    }
    // A copy of exactly their number, as JSON.parse makes: the pushed-to array has room to spare, kept with it.
    return { start, whole: false, values: values.slice(), known, fresh, end: at + 1 };
  }

  private isArrayKey(start: number, end: number): boolean {
    const key = this.key;
    if (end - start !== key.length) return false;
    for (let index = 0; index < key.length; index++)
      if (this.bytes[start + index] !== key[index]) return false;
    return true;
  }

  private skip(at: number): number {
    const bytes = this.bytes;
    while (at < bytes.length && WHITESPACE[bytes[at]!] === 1) at++;
    return at;
  }
}

/** Line and column (in UTF-16 code units, as in any text) of a byte offset, without decoding the bytes. */
export function lineAndColumnAt(bytes: Uint8Array, offset: number): [line: number, column: number] {
  return lineAndColumnAfter([bytes.subarray(0, offset)]);
}

/** The same, where the document's bytes before the offset come in pieces (each one is done with when the next comes). */
export function lineAndColumnAfter(pieces: Iterable<Uint8Array>): [line: number, column: number] {
  let line = 1;
  let column = 1;
  for (const piece of pieces) {
    let lineStart = 0;
    for (let at = piece.indexOf(0x0a); at >= 0; at = piece.indexOf(0x0a, at + 1)) {
      line++;
      lineStart = at + 1;
      column = 1;
    }
    for (let at = lineStart; at < piece.length; at++) {
      const byte = piece[at]!;
      // A lead byte starts a character; four-byte characters take two code units.
      if ((byte & 0xc0) !== 0x80) column += byte >= 0xf0 ? 2 : 1;
    }
  }
  return [line, column];
}
