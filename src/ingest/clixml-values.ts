/**
 * What CLIXML elements mean (MS-PSRP section 2.2.5): a stack of frames, one per open element, each knowing what
 * its children mean and handing its finished value to its parent, so the work is linear and never recursive.
 * Whichever tokenizer reads the XML (clixml-scanner.ts, or saxes in clixml-strict.ts) drives the same frames, so
 * both give the same values.
 */

import { setWrittenLast, settleCaseVariants } from './property-names.js';
import { quotedExcerpt } from './quoted-excerpt.js';
import type { PsObject, PsPrimitive, PsValue } from './ps-value.js';

// ---------------------------------------------------------------------------------------------------------
// Strings and primitive values

/**
 * PowerShell writes characters XML cannot hold (control characters, lone surrogates) as `_xHHHH_`, and a literal
 * "_x" as `_x005F_x` so that it is not mistaken for an escape. A surrogate pair arrives as two escapes.
 */
const ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

/** The shortest escape, "_x0041_". */
const ESCAPE_LENGTH = 7;

export function decodeEscapes(text: string): string {
  if (text.length < ESCAPE_LENGTH || !text.includes('_x')) return text;
  return text.replace(ESCAPE, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** XML whitespace only; String.prototype.trim would also strip characters such as NBSP. */
function trimXmlSpace(text: string): string {
  const isSpace = (code: number): boolean => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

export interface PrimitiveReader {
  /** What the element must hold, for the error message. */
  readonly expected: string;
  /** The value, or undefined when the text is not valid for the element. */
  read(text: string): PsPrimitive | undefined;
}

const INTEGER = /^[+-]?[0-9]+$/;
/** More digits than any 64-bit value has; longer strings are out of range without parsing them. */
const MAX_INTEGER_DIGITS = 20;

function readInteger(text: string, min: bigint, max: bigint): bigint | undefined {
  const trimmed = trimXmlSpace(text);
  if (!INTEGER.test(trimmed)) return undefined;
  const digits = trimmed.replace(/^[+-]?0*/, '');
  if (digits.length > MAX_INTEGER_DIGITS) return undefined;
  const value = BigInt(trimmed);
  return value < min || value > max ? undefined : value;
}

/** 64-bit values beyond 2^53 stay exact as decimal strings rather than silently rounding. */
function integer(expected: string, min: bigint, max: bigint): PrimitiveReader {
  return {
    expected,
    read(text) {
      const value = readInteger(text, min, max);
      if (value === undefined) return undefined;
      const number = Number(value);
      return Number.isSafeInteger(number) ? number : value.toString();
    },
  };
}

const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;
const FLOATING = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
/** The xs:double spellings of the special values, as .NET's XmlConvert writes them. */
const SPECIAL_FLOATS = new Map([
  ['INF', Infinity],
  ['-INF', -Infinity],
  ['NaN', NaN],
]);

function floating(expected: string): PrimitiveReader {
  return {
    expected,
    read(text) {
      const trimmed = trimXmlSpace(text);
      const special = SPECIAL_FLOATS.get(trimmed);
      if (special !== undefined) return special;
      return FLOATING.test(trimmed) ? Number(trimmed) : undefined;
    },
  };
}

const STRING: PrimitiveReader = { expected: 'text', read: decodeEscapes };
const INT32 = integer('a 32-bit integer', -0x8000_0000n, 0x7fff_ffffn);

/** Every primitive element of MS-PSRP 2.2.5.1 except the progress record, which has children. */
const PRIMITIVES = new Map<string, PrimitiveReader>([
  ['S', STRING],
  ['URI', STRING],
  ['XD', STRING],
  ['SBK', STRING],
  // Date, duration, GUID and version stay as written; nothing downstream needs them as objects.
  ['DT', STRING],
  ['TS', STRING],
  ['G', STRING],
  ['Version', STRING],
  ['BA', STRING],
  [
    'C',
    {
      expected: 'a character code from 0 to 65535',
      read: (text) => {
        const code = readInteger(text, 0n, 0xffffn);
        return code === undefined ? undefined : String.fromCharCode(Number(code));
      },
    },
  ],
  ['SB', integer('an integer from -128 to 127', -0x80n, 0x7fn)],
  ['By', integer('an integer from 0 to 255', 0n, 0xffn)],
  ['I16', integer('a 16-bit integer', -0x8000n, 0x7fffn)],
  ['U16', integer('an unsigned 16-bit integer', 0n, 0xffffn)],
  ['I32', INT32],
  ['U32', integer('an unsigned 32-bit integer', 0n, 0xffff_ffffn)],
  ['I64', integer('a 64-bit integer', -0x8000_0000_0000_0000n, 0x7fff_ffff_ffff_ffffn)],
  ['U64', integer('an unsigned 64-bit integer', 0n, 0xffff_ffff_ffff_ffffn)],
  ['Db', floating('a double')],
  ['Sg', floating('a single')],
  [
    'D',
    {
      expected: 'a decimal number',
      read: (text) => {
        const trimmed = trimXmlSpace(text);
        return DECIMAL.test(trimmed) ? Number(trimmed) : undefined;
      },
    },
  ],
  [
    'B',
    {
      expected: 'true or false',
      read: (text) => {
        const word = trimXmlSpace(text).toLowerCase();
        if (word === 'true' || word === '1') return true;
        if (word === 'false' || word === '0') return false;
        return undefined;
      },
    },
  ],
  ['Nil', { expected: 'nothing', read: () => null }],
  // The ciphertext is bound to the exporting user and machine; it is never decrypted here.
  ['SS', { expected: 'an encrypted string', read: () => '<SecureString>' }],
]);

/**
 * How a reader that matches the text itself (clixml-plain-objects.ts) may read primitive element <name>: 'text' when
 * its value is its text with the _xHHHH_ escapes decoded, its reader when the value is parsed from the text, and
 * undefined when it is no primitive or is left to the frames (Nil, and SS, whose text is never read).
 */
export function primitiveKind(name: string): 'text' | PrimitiveReader | undefined {
  const reader = PRIMITIVES.get(name);
  if (reader === undefined || name === 'Nil' || name === 'SS') return undefined;
  return reader === STRING ? 'text' : reader;
}

/** ProgressRecord children (MS-PSRP 2.2.5.1.25) and the property each one becomes. */
const PROGRESS_FIELDS = new Map<string, { property: string; reader: PrimitiveReader }>([
  ['AV', { property: 'Activity', reader: STRING }],
  ['AI', { property: 'ActivityId', reader: INT32 }],
  ['PI', { property: 'ParentActivityId', reader: INT32 }],
  ['PC', { property: 'PercentComplete', reader: INT32 }],
  ['SR', { property: 'SecondsRemaining', reader: INT32 }],
  ['T', { property: 'RecordType', reader: STRING }],
  ['SD', { property: 'StatusDescription', reader: STRING }],
]);

/** Every element name the builder gives a meaning to, so that a reader can hand on these very strings. */
export const ELEMENT_NAMES: readonly string[] = [
  ...PRIMITIVES.keys(),
  ...PROGRESS_FIELDS.keys(),
  ...[
    'Obj',
    'Ref',
    'PR',
    'TN',
    'TNRef',
    'T',
    'ToString',
    'Props',
    'MS',
    'DCT',
    'En',
    'LST',
    'IE',
    'STK',
    'QUE',
  ],
];

/** A value or RefId quoted in an error. */
function quote(text: string): string {
  return quotedExcerpt(text, 40);
}

// ---------------------------------------------------------------------------------------------------------
// Frames: one per open element

export interface Position {
  line: number;
  column: number;
}

type Deliver = (value: PsValue) => void;

/** A PsObject whose parts are still being read. */
export interface ObjectUnderConstruction {
  kind: 'object';
  typeNames: readonly string[];
  toStringText: string | null;
  value?: PsPrimitive;
  items?: PsValue[];
  entries?: Array<[PsValue, PsValue]>;
  properties: Map<string, PsValue>;
}

/** A Map that cannot be written to: written to by mistake, it would change every object that shares it. */
class ReadOnlyMap<K, V> extends Map<K, V> {
  override set(): never {
    throw new Error('a shared empty property map is never written to');
  }
  override delete(): never {
    throw new Error('a shared empty property map is never written to');
  }
  override clear(): never {
    throw new Error('a shared empty property map is never written to');
  }
}

/**
 * The properties and type names of every object that has none: most objects in an export are a collection
 * (AccessRights, Bindings) without properties, and one Map and array each for those was a fifth of what reading
 * allocated. An object gets its own Map when a Props or MS opens.
 */
export const NO_PROPERTIES: Map<string, PsValue> = new ReadOnlyMap();
export const NO_TYPE_NAMES: readonly string[] = Object.freeze([]);

/**
 * What an open element is, which decides what its children mean and where its value goes. A number rather than
 * a class per kind: every element passes through the same few monomorphic functions, and frames are reused.
 */
const IGNORED = 0;
/** <Objs>: each value is delivered. */
const ROOT = 1;
/** LST, IE, STK, QUE: a sequence of values. */
const ITEMS = 2;
/** Props or MS: named values; a name written again keeps its last value. */
const PROPERTIES = 3;
const DICTIONARY = 4;
/** <En>: one value named Key and one named Value. */
const ENTRY = 5;
/** <TN>: type names, most derived first. */
const TYPE_NAMES = 6;
/** <Obj>: registered on open, so a <Ref> inside it (a cycle) already finds the same instance. */
const OBJECT = 7;
/** <PR>: a ProgressRecord, written with its own child elements instead of <Obj>. */
const PROGRESS = 8;
/** A primitive value (<S>, <I32>, ...) and the ProgressRecord fields. */
const PRIMITIVE = 9;
/** A <T> inside <TN>. */
const TYPE_NAME = 10;
/** An object's <ToString>. */
const TO_STRING = 11;

/** One open element. Frames are kept per depth and reused, so reading allocates only the values themselves. */
class Frame {
  kind = IGNORED;
  /** The element's name and where its start tag begins, for error messages. */
  name = '';
  start: Position = { line: 0, column: 0 };
  refId: string | undefined = undefined;
  /** Where the parent puts this frame's value: a property name, "Key"/"Value", a ProgressRecord property. */
  slot = '';
  /** The text content of PRIMITIVE, TYPE_NAME and TO_STRING frames. */
  text = '';
  reader: PrimitiveReader | null = null;
  /** OBJECT: the object being read. */
  object: ObjectUnderConstruction | null = null;
  /** OBJECT: MS members read after a Props, merged in at the end so that adapted properties come first. */
  extended: Map<string, PsValue> | null = null;
  /** OBJECT: whether a Props has opened. */
  sawAdapted = false;
  /** PROPERTIES and PROGRESS: where named values go. */
  properties: Map<string, PsValue> | null = null;
  /** ITEMS: the sequence; TYPE_NAMES: the names. */
  items: PsValue[] | null = null;
  names: string[] | null = null;
  /** DICTIONARY: its entries; ENTRY: the parts read so far. */
  entries: Array<[PsValue, PsValue]> | null = null;
  key: PsValue | undefined = undefined;
  value: PsValue | undefined = undefined;

  /** Makes the frame a new element's; close() has already let go of what it held before. */
  reset(kind: number, name: string, start: Position, slot: string): void {
    this.kind = kind;
    this.name = name;
    this.start = start;
    this.slot = slot;
    this.refId = undefined;
    this.text = '';
    this.reader = null;
    this.sawAdapted = false;
  }

  /** Lets go of the values the frame refers to: it stays in the pool until an element at its depth opens. */
  release(): void {
    this.object = null;
    this.extended = null;
    this.properties = null;
    this.items = null;
    this.names = null;
    this.entries = null;
    this.key = undefined;
    this.value = undefined;
    this.text = '';
  }
}

/** The object's properties, to be written to: its own Map in place of NO_PROPERTIES. */
function ownProperties(object: ObjectUnderConstruction): Map<string, PsValue> {
  if (object.properties === NO_PROPERTIES) object.properties = new Map();
  return object.properties;
}

// ---------------------------------------------------------------------------------------------------------
// The builder: element events in, PsValues out

export interface BuilderOptions {
  /** Receives each top-level item of <Objs> as soon as it is complete. */
  deliver: Deliver;
  /** The error to throw for invalid CLIXML found at a place. */
  malformed: (problem: string, at: Position, cause?: unknown) => Error;
  /** Whether an object with this RefId must be kept for a later <Ref>; by default every one is. */
  isReferenced?: (refId: string) => boolean;
}

/** Open elements are counted; deeper nesting than this is refused (no export comes near it). */
export const MAX_XML_DEPTH = 1000;

export class ClixmlBuilder {
  private readonly objects = new Map<string, PsObject>();
  private readonly typeNameLists = new Map<string, readonly string[]>();
  /** Frames of the open elements are frames[0 .. depth - 1], innermost last; the root is frames[0]. */
  private readonly frames: Frame[] = [];
  private openCount = 0;
  private readonly isReferenced: (refId: string) => boolean;

  constructor(private readonly options: BuilderOptions) {
    this.isReferenced = options.isReferenced ?? (() => true);
  }

  /** The root element: the caller has checked that it is <Objs> in the PowerShell namespace. */
  openRoot(): void {
    this.push(ROOT, 'Objs', { line: 0, column: 0 }, '');
  }

  /** An element in the PowerShell namespace, with its N and RefId attributes as written. */
  open(name: string, n: string | undefined, refId: string | undefined, start: Position): void {
    if (this.openCount >= MAX_XML_DEPTH)
      throw this.malformed(`elements are nested more than ${MAX_XML_DEPTH} levels deep`, start);
    const parent = this.frames[this.openCount - 1];
    if (parent === undefined) {
      this.push(IGNORED, name, start, '');
      return;
    }
    switch (parent.kind) {
      case ROOT:
      case ITEMS:
        this.openValue(parent, name, refId, start, '');
        return;
      case PROPERTIES: {
        // Nearly every property is a primitive: one look-up finds its reader.
        const primitive = PRIMITIVES.get(name);
        if (primitive !== undefined) {
          this.push(PRIMITIVE, name, start, this.propertyName(name, n, start)).reader = primitive;
          return;
        }
        if (name !== 'Obj' && name !== 'Ref' && name !== 'PR') break;
        this.openValue(parent, name, refId, start, this.propertyName(name, n, start));
        return;
      }
      case DICTIONARY:
        if (name === 'En') {
          this.push(ENTRY, name, start, '');
          return;
        }
        break;
      case ENTRY:
        if (n === 'Key' || n === 'Value') {
          this.openValue(parent, name, refId, start, n);
          return;
        }
        break;
      case TYPE_NAMES:
        if (name === 'T') {
          this.push(TYPE_NAME, name, start, '');
          return;
        }
        break;
      case OBJECT:
        this.openObjectPart(parent, name, refId, start);
        return;
      case PROGRESS: {
        const field = PROGRESS_FIELDS.get(name);
        if (field) {
          this.push(PRIMITIVE, name, start, field.property).reader = field.reader;
          return;
        }
        // CurrentOperation is the one field written as a plain value (<S> or <Nil/>).
        this.openValue(parent, name, refId, start, 'CurrentOperation');
        return;
      }
    }
    this.push(IGNORED, name, start, '');
  }

  /**
   * An element that holds only `text` (or nothing): open(), text() and close() in one call. A primitive value in
   * properties or a list, as nearly every element of an export is, then needs no frame.
   */
  leaf(name: string, n: string | undefined, refId: string | undefined, text: string, start: Position): void {
    const parent = this.frames[this.openCount - 1];
    const kind = parent === undefined ? IGNORED : parent.kind;
    if ((kind === PROPERTIES || kind === ITEMS || kind === ROOT) && this.openCount < MAX_XML_DEPTH) {
      const reader = PRIMITIVES.get(name);
      if (reader !== undefined) {
        const slot = kind === PROPERTIES ? this.propertyName(name, n, start) : '';
        this.deliver(parent, slot, this.primitive(name, reader, text, start));
        return;
      }
    }
    this.open(name, n, refId, start);
    this.text(text);
    this.close();
  }

  /** An element in another namespace: it and everything inside it mean nothing here. */
  openIgnored(start: Position): void {
    if (this.openCount >= MAX_XML_DEPTH)
      throw this.malformed(`elements are nested more than ${MAX_XML_DEPTH} levels deep`, start);
    this.push(IGNORED, '', start, '');
  }

  close(): void {
    if (this.openCount === 0) return;
    const frame = this.frames[--this.openCount] as Frame;
    const parent = this.frames[this.openCount - 1];
    switch (frame.kind) {
      case PRIMITIVE:
        this.deliver(
          parent,
          frame.slot,
          this.primitive(frame.name, frame.reader as PrimitiveReader, frame.text, frame.start),
        );
        break;
      case OBJECT: {
        const object = frame.object as ObjectUnderConstruction;
        if (frame.extended !== null) {
          // Import-Clixml lets an extended member (<MS>) override the adapted property (<Props>) of its name.
          settleCaseVariants(frame.extended);
          for (const [name, value] of frame.extended) object.properties.set(name, value);
        }
        if (object.properties !== NO_PROPERTIES) settleCaseVariants(object.properties, frame.extended);
        this.deliver(parent, frame.slot, object);
        break;
      }
      case TYPE_NAME:
        (parent?.names as string[]).push(decodeEscapes(frame.text));
        break;
      case TO_STRING:
        (parent?.object as ObjectUnderConstruction).toStringText = decodeEscapes(frame.text);
        break;
      case TYPE_NAMES: {
        const names = frame.names as string[];
        if (frame.refId !== undefined) this.typeNameLists.set(frame.refId, names);
        (parent?.object as ObjectUnderConstruction).typeNames = names;
        break;
      }
      case ENTRY: {
        const key = this.part(frame, 'Key', frame.key);
        const value = this.part(frame, 'Value', frame.value);
        (parent?.entries as Array<[PsValue, PsValue]>).push([key, value]);
        break;
      }
      case PROGRESS: {
        const record: PsObject = {
          kind: 'object',
          typeNames: ['System.Management.Automation.ProgressRecord', 'System.Object'],
          toStringText: null,
          properties: frame.properties as Map<string, PsValue>,
        };
        this.deliver(parent, frame.slot, record);
        break;
      }
    }
    frame.release();
  }

  text(chunk: string): void {
    const frame = this.frames[this.openCount - 1];
    if (frame !== undefined && frame.kind >= PRIMITIVE) frame.text += chunk;
  }

  /** Whether text here is part of a value; whitespace between elements can then be skipped unread. */
  get wantsText(): boolean {
    const frame = this.frames[this.openCount - 1];
    return frame !== undefined && frame.kind >= PRIMITIVE;
  }

  get depth(): number {
    return this.openCount;
  }

  // For a reader that reads a whole top-level object itself (clixml-plain-objects.ts) and then hands it on
  // exactly as the frames would have: the same tables of RefIds, the same delivery.

  /** The type names a <TN RefId> defined, as <TNRef> finds them. */
  typeNameList(refId: string): readonly string[] | undefined {
    return this.typeNameLists.get(refId);
  }

  defineTypeNames(refId: string, names: readonly string[]): void {
    this.typeNameLists.set(refId, names);
  }

  /** The object a <Ref RefId> names: one kept because some <Ref> names it; undefined when there is none. */
  referencedObject(refId: string): PsObject | undefined {
    return this.objects.get(refId);
  }

  /** Keeps an object for a later <Ref>, when one may name it. */
  defineObject(refId: string, object: PsObject): void {
    if (this.isReferenced(refId)) this.objects.set(refId, object);
  }

  /** Hands on a complete item of <Objs>, read while <Objs> is the only open element. */
  deliverTopLevel(value: PsValue): void {
    this.options.deliver(value);
  }

  malformed(problem: string, at: Position, cause?: unknown): Error {
    return this.options.malformed(problem, at, cause);
  }

  private push(kind: number, name: string, start: Position, slot: string): Frame {
    let frame = this.frames[this.openCount];
    if (frame === undefined) {
      frame = new Frame();
      this.frames.push(frame);
    }
    frame.reset(kind, name, start, slot);
    this.openCount++;
    return frame;
  }

  /** Hands a finished value to the element that holds it. */
  private deliver(parent: Frame | undefined, slot: string, value: PsValue): void {
    if (parent === undefined) return;
    switch (parent.kind) {
      case ROOT:
        this.options.deliver(value);
        return;
      case ITEMS:
        (parent.items as PsValue[]).push(value);
        return;
      case PROPERTIES: {
        // A name written twice in one set keeps its last value, as Import-Clixml does: exrelay judges what an
        // administrator's own Import-Clixml of the file shows (in any case: see property-names.ts).
        setWrittenLast(parent.properties as Map<string, PsValue>, slot, value);
        return;
      }
      case ENTRY:
        if (slot === 'Key') parent.key = value;
        else parent.value = value;
        return;
      case OBJECT: {
        // An enum's number beside its ToString, or a string that carries extra members: the first one counts.
        const object = parent.object as ObjectUnderConstruction;
        if (!('value' in object)) object.value = value as PsPrimitive;
        return;
      }
      case PROGRESS:
        (parent.properties as Map<string, PsValue>).set(slot, value);
        return;
    }
  }

  /** Opens a value element (a primitive, <Obj>, <Ref>, <PR>) whose value goes to `slot` of `parent`. */
  private openValue(
    parent: Frame,
    name: string,
    refId: string | undefined,
    start: Position,
    slot: string,
  ): void {
    const primitive = PRIMITIVES.get(name);
    if (primitive) {
      this.push(PRIMITIVE, name, start, slot).reader = primitive;
      return;
    }
    switch (name) {
      case 'Obj': {
        const object: ObjectUnderConstruction = {
          kind: 'object',
          typeNames: NO_TYPE_NAMES,
          toStringText: null,
          properties: NO_PROPERTIES,
        };
        // Objects no <Ref> names are not kept, so that each top-level object can be freed once handed on.
        if (refId !== undefined && this.isReferenced(refId)) this.objects.set(refId, object);
        this.push(OBJECT, name, start, slot).object = object;
        return;
      }
      case 'Ref':
        this.deliver(parent, slot, this.resolve(name, refId, start, this.objects, '<Obj>'));
        break;
      case 'PR':
        this.push(PROGRESS, name, start, slot).properties = new Map();
        return;
    }
    this.push(IGNORED, name, start, '');
  }

  /** A child of <Obj>: its type names, ToString, properties, or the collection, dictionary or value it is. */
  private openObjectPart(parent: Frame, name: string, refId: string | undefined, start: Position): void {
    const object = parent.object as ObjectUnderConstruction;
    switch (name) {
      case 'TN': {
        const frame = this.push(TYPE_NAMES, name, start, '');
        frame.refId = refId;
        frame.names = [];
        return;
      }
      case 'TNRef':
        object.typeNames = this.resolve(name, refId, start, this.typeNameLists, '<TN>');
        break;
      case 'ToString':
        this.push(TO_STRING, name, start, '');
        return;
      case 'Props':
        // MS members read before the first Props move aside, so that adapted properties come first.
        if (!parent.sawAdapted) {
          parent.sawAdapted = true;
          if (object.properties.size > 0) {
            parent.extended = object.properties;
            object.properties = new Map();
          }
        }
        this.push(PROPERTIES, name, start, '').properties = ownProperties(object);
        return;
      case 'MS':
        this.push(PROPERTIES, name, start, '').properties = parent.sawAdapted
          ? (parent.extended ??= new Map())
          : ownProperties(object);
        return;
      case 'DCT':
        this.push(DICTIONARY, name, start, '').entries = object.entries ??= [];
        return;
      case 'LST':
      case 'IE':
      case 'STK':
      case 'QUE':
        this.push(ITEMS, name, start, '').items = object.items ??= [];
        return;
      default: {
        const primitive = PRIMITIVES.get(name);
        if (primitive) {
          this.push(PRIMITIVE, name, start, '').reader = primitive;
          return;
        }
      }
    }
    this.push(IGNORED, name, start, '');
  }

  /** The value of primitive element <name> that holds `text`. */
  private primitive(name: string, reader: PrimitiveReader, text: string, start: Position): PsPrimitive {
    const value = reader.read(text);
    if (value === undefined)
      throw this.malformed(`<${name}> must hold ${reader.expected}, not ${quote(text)}`, start);
    return value;
  }

  /** The decoded N attribute of a property. */
  private propertyName(name: string, n: string | undefined, start: Position): string {
    if (n === undefined) throw this.malformed(`property <${name}> has no N attribute`, start);
    return decodeEscapes(n);
  }

  private part(frame: Frame, role: 'Key' | 'Value', value: PsValue | undefined): PsValue {
    if (value === undefined) throw this.malformed(`<En> has no element with N="${role}"`, frame.start);
    return value;
  }

  /** A later definition of a RefId replaces an earlier one, as a lookup table would. */
  private resolve<T>(
    name: string,
    refId: string | undefined,
    start: Position,
    table: Map<string, T>,
    target: string,
  ): T {
    if (refId === undefined) throw this.malformed(`<${name}> has no RefId attribute`, start);
    const found = table.get(refId);
    if (found === undefined) {
      throw this.malformed(`<${name} RefId=${quote(refId)}> refers to no earlier ${target}`, start);
    }
    return found;
  }
}
