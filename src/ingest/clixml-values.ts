/**
 * What CLIXML elements mean (MS-PSRP section 2.2.5): a stack of frames, one per open element, each knowing what
 * its children mean and handing its finished value to its parent, so the work is linear and never recursive.
 * Whichever tokenizer reads the XML (clixml-scanner.ts, or saxes in clixml-strict.ts) drives the same frames, so
 * both give the same values.
 */

import type { PsObject, PsPrimitive, PsValue } from './ps-value.js';

// ---------------------------------------------------------------------------------------------------------
// Strings and primitive values

/**
 * PowerShell writes characters XML cannot hold (control characters, lone surrogates) as `_xHHHH_`, and a literal
 * "_x" as `_x005F_x` so that it is not mistaken for an escape. A surrogate pair arrives as two escapes.
 */
const ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

function decodeEscapes(text: string): string {
  if (!text.includes('_x')) return text;
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

interface PrimitiveReader {
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

const COLLECTIONS = new Set(['LST', 'IE', 'STK', 'QUE']);

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

// ---------------------------------------------------------------------------------------------------------
// Frames: one per open element

export interface Position {
  line: number;
  column: number;
}

/** An element in the PowerShell namespace: its name, the two attributes CLIXML uses, where its start tag begins. */
export interface Tag {
  readonly name: string;
  /** The N attribute as written (property names), undefined when absent. */
  readonly n: string | undefined;
  readonly refId: string | undefined;
  readonly start: Position;
}

export interface Frame {
  /** Whether its text content matters (a primitive's value); other frames ignore text between elements. */
  readonly collectsText: boolean;
  /** The frame that will read a child element. */
  openChild(tag: Tag): Frame;
  text(chunk: string): void;
  close(): void;
}

type Deliver = (value: PsValue) => void;

/** A PsObject whose parts are still being read. */
interface ObjectUnderConstruction {
  kind: 'object';
  typeNames: readonly string[];
  toStringText: string | null;
  value?: PsPrimitive;
  items?: PsValue[];
  entries?: Array<[PsValue, PsValue]>;
  properties: Map<string, PsValue>;
}

/** Elements that mean nothing in their place (unknown names, other namespaces, stray markup) are skipped. */
const IGNORED: Frame = {
  collectsText: false,
  openChild: () => IGNORED,
  text: () => undefined,
  close: () => undefined,
};

class TextFrame implements Frame {
  readonly collectsText = true;
  private content = '';
  constructor(private readonly onClose: (text: string) => void) {}
  openChild(): Frame {
    return IGNORED;
  }
  text(chunk: string): void {
    this.content += chunk;
  }
  close(): void {
    this.onClose(this.content);
  }
}

/** LST, IE, STK, QUE and the root <Objs>: a sequence of values. */
class ItemsFrame implements Frame {
  readonly collectsText = false;
  constructor(
    private readonly reader: ClixmlBuilder,
    private readonly deliver: Deliver,
  ) {}
  openChild(tag: Tag): Frame {
    return this.reader.valueFrame(tag, this.deliver) ?? IGNORED;
  }
  text(): void {}
  close(): void {}
}

/** Props or MS: named values; the first writer of a name wins. */
class PropertiesFrame implements Frame {
  readonly collectsText = false;
  constructor(
    private readonly reader: ClixmlBuilder,
    private readonly properties: Map<string, PsValue>,
  ) {}
  openChild(tag: Tag): Frame {
    if (!this.reader.isValueElement(tag.name)) return IGNORED;
    const name = this.reader.nameOf(tag);
    return (
      this.reader.valueFrame(tag, (value) => {
        if (!this.properties.has(name)) this.properties.set(name, value);
      }) ?? IGNORED
    );
  }
  text(): void {}
  close(): void {}
}

class DictionaryFrame implements Frame {
  readonly collectsText = false;
  constructor(
    private readonly reader: ClixmlBuilder,
    private readonly entries: Array<[PsValue, PsValue]>,
  ) {}
  openChild(tag: Tag): Frame {
    return tag.name === 'En' ? new EntryFrame(this.reader, tag, this.entries) : IGNORED;
  }
  text(): void {}
  close(): void {}
}

/** <En>: one value named Key and one named Value. */
class EntryFrame implements Frame {
  readonly collectsText = false;
  private readonly parts = new Map<string, PsValue>();
  constructor(
    private readonly reader: ClixmlBuilder,
    private readonly tag: Tag,
    private readonly entries: Array<[PsValue, PsValue]>,
  ) {}
  openChild(tag: Tag): Frame {
    const role = tag.n;
    if (role !== 'Key' && role !== 'Value') return IGNORED;
    return this.reader.valueFrame(tag, (value) => this.parts.set(role, value)) ?? IGNORED;
  }
  text(): void {}
  close(): void {
    const key = this.part('Key');
    const value = this.part('Value');
    this.entries.push([key, value]);
  }
  private part(role: 'Key' | 'Value'): PsValue {
    const value = this.parts.get(role);
    if (value === undefined)
      throw this.reader.malformed(`<En> has no element with N="${role}"`, this.tag.start);
    return value;
  }
}

/** <TN>: the type names, most derived first, registered under the TN's RefId for later <TNRef>s. */
class TypeNamesFrame implements Frame {
  readonly collectsText = false;
  private readonly names: string[] = [];
  constructor(
    private readonly reader: ClixmlBuilder,
    private readonly tag: Tag,
    private readonly onClose: (names: readonly string[]) => void,
  ) {}
  openChild(tag: Tag): Frame {
    return tag.name === 'T' ? new TextFrame((text) => this.names.push(decodeEscapes(text))) : IGNORED;
  }
  text(): void {}
  close(): void {
    this.reader.registerTypeNames(this.tag, this.names);
    this.onClose(this.names);
  }
}

/** <Obj>: registered on open, so a <Ref> inside it (a cycle) already finds the same instance. */
class ObjectFrame implements Frame {
  readonly collectsText = false;
  private readonly object: ObjectUnderConstruction = {
    kind: 'object',
    typeNames: [],
    toStringText: null,
    properties: new Map(),
  };
  /** MS members wait until the end so that adapted properties come first whatever the element order. */
  private readonly extended = new Map<string, PsValue>();

  constructor(
    private readonly reader: ClixmlBuilder,
    tag: Tag,
    private readonly deliver: Deliver,
  ) {
    reader.registerObject(tag, this.object);
  }

  openChild(tag: Tag): Frame {
    const object = this.object;
    switch (tag.name) {
      case 'TN':
        return new TypeNamesFrame(this.reader, tag, (names) => (object.typeNames = names));
      case 'TNRef':
        object.typeNames = this.reader.resolveTypeNames(tag);
        return IGNORED;
      case 'ToString':
        return new TextFrame((text) => (object.toStringText = decodeEscapes(text)));
      case 'Props':
        return new PropertiesFrame(this.reader, object.properties);
      case 'MS':
        return new PropertiesFrame(this.reader, this.extended);
      case 'DCT':
        return new DictionaryFrame(this.reader, (object.entries ??= []));
    }
    if (COLLECTIONS.has(tag.name)) {
      const items = (object.items ??= []);
      return new ItemsFrame(this.reader, (value) => items.push(value));
    }
    // An enum's number beside its ToString, or a string that carries extra members.
    const primitive = PRIMITIVES.get(tag.name);
    if (primitive) {
      return this.reader.primitiveFrame(tag, primitive, (value) => {
        if (!('value' in object)) object.value = value;
      });
    }
    return IGNORED;
  }

  text(): void {}

  close(): void {
    for (const [name, value] of this.extended) {
      if (!this.object.properties.has(name)) this.object.properties.set(name, value);
    }
    this.deliver(this.object);
  }
}

/** <PR>: a ProgressRecord, written with its own child elements instead of <Obj>. */
class ProgressRecordFrame implements Frame {
  readonly collectsText = false;
  private readonly properties = new Map<string, PsValue>();
  constructor(
    private readonly reader: ClixmlBuilder,
    private readonly deliver: Deliver,
  ) {}
  openChild(tag: Tag): Frame {
    const field = PROGRESS_FIELDS.get(tag.name);
    if (field) {
      return this.reader.primitiveFrame(tag, field.reader, (value) =>
        this.properties.set(field.property, value),
      );
    }
    // CurrentOperation is the one field written as a plain value (<S> or <Nil/>).
    return this.reader.valueFrame(tag, (value) => this.properties.set('CurrentOperation', value)) ?? IGNORED;
  }
  text(): void {}
  close(): void {
    const record: PsObject = {
      kind: 'object',
      typeNames: ['System.Management.Automation.ProgressRecord', 'System.Object'],
      toStringText: null,
      properties: this.properties,
    };
    this.deliver(record);
  }
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
  /** Open elements, innermost last; empty before the root opens and after it closes. */
  private readonly frames: Frame[] = [];
  private readonly isReferenced: (refId: string) => boolean;

  constructor(private readonly options: BuilderOptions) {
    this.isReferenced = options.isReferenced ?? (() => true);
  }

  /** The root element: the caller has checked that it is <Objs> in the PowerShell namespace. */
  openRoot(): void {
    this.frames.push(new ItemsFrame(this, this.options.deliver));
  }

  /** An element in the PowerShell namespace. */
  open(tag: Tag): void {
    const frames = this.frames;
    if (frames.length >= MAX_XML_DEPTH)
      throw this.malformed(`elements are nested more than ${MAX_XML_DEPTH} levels deep`, tag.start);
    frames.push(this.top().openChild(tag));
  }

  /** An element in another namespace: it and everything inside it mean nothing here. */
  openIgnored(start: Position): void {
    if (this.frames.length >= MAX_XML_DEPTH)
      throw this.malformed(`elements are nested more than ${MAX_XML_DEPTH} levels deep`, start);
    this.frames.push(IGNORED);
  }

  close(): void {
    this.frames.pop()?.close();
  }

  text(chunk: string): void {
    this.top().text(chunk);
  }

  /** Whether text here is part of a value; whitespace between elements can then be skipped unread. */
  get wantsText(): boolean {
    return this.top().collectsText;
  }

  get depth(): number {
    return this.frames.length;
  }

  private top(): Frame {
    return this.frames[this.frames.length - 1] ?? IGNORED;
  }

  malformed(problem: string, at: Position, cause?: unknown): Error {
    return this.options.malformed(problem, at, cause);
  }

  isValueElement(name: string): boolean {
    return PRIMITIVES.has(name) || name === 'Obj' || name === 'Ref' || name === 'PR';
  }

  /** The frame that reads a value element, or null when the element is not a value. */
  valueFrame(tag: Tag, deliver: Deliver): Frame | null {
    const primitive = PRIMITIVES.get(tag.name);
    if (primitive) return this.primitiveFrame(tag, primitive, deliver);
    switch (tag.name) {
      case 'Obj':
        return new ObjectFrame(this, tag, deliver);
      case 'Ref':
        deliver(this.resolveObject(tag));
        return IGNORED;
      case 'PR':
        return new ProgressRecordFrame(this, deliver);
    }
    return null;
  }

  primitiveFrame(tag: Tag, primitive: PrimitiveReader, deliver: (value: PsPrimitive) => void): Frame {
    return new TextFrame((text) => {
      const value = primitive.read(text);
      if (value === undefined) {
        throw this.malformed(`<${tag.name}> must hold ${primitive.expected}, not ${quote(text)}`, tag.start);
      }
      deliver(value);
    });
  }

  /** The decoded N attribute of a property. */
  nameOf(tag: Tag): string {
    const name = tag.n;
    if (name === undefined) throw this.malformed(`property <${tag.name}> has no N attribute`, tag.start);
    return decodeEscapes(name);
  }

  /**
   * A later definition of a RefId replaces an earlier one, as a lookup table would. Objects no <Ref> names are
   * not kept, so that each top-level object can be freed once it has been handed on.
   */
  registerObject(tag: Tag, object: PsObject): void {
    const refId = tag.refId;
    if (refId !== undefined && this.isReferenced(refId)) this.objects.set(refId, object);
  }

  registerTypeNames(tag: Tag, names: readonly string[]): void {
    const refId = tag.refId;
    if (refId !== undefined) this.typeNameLists.set(refId, names);
  }

  resolveObject(tag: Tag): PsObject {
    return this.resolve(tag, this.objects, '<Obj>');
  }

  resolveTypeNames(tag: Tag): readonly string[] {
    return this.resolve(tag, this.typeNameLists, '<TN>');
  }

  private resolve<T>(tag: Tag, table: Map<string, T>, target: string): T {
    const refId = tag.refId;
    if (refId === undefined) throw this.malformed(`<${tag.name}> has no RefId attribute`, tag.start);
    const found = table.get(refId);
    if (found === undefined) {
      throw this.malformed(`<${tag.name} RefId=${quote(refId)}> refers to no earlier ${target}`, tag.start);
    }
    return found;
  }
}
