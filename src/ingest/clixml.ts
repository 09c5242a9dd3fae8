/**
 * Reads PowerShell CLIXML (Export-Clixml, PSSerializer) into PsValue trees, following the serialization format
 * of MS-PSRP section 2.2.5. A SAX parser feeds a stack of frames, one per open element; each frame knows what
 * its children mean and hands its finished value to its parent, so the work is linear and never recursive.
 */

import { SaxesParser, type SaxesAttributeNS, type SaxesStartTagNS, type SaxesTagNS } from 'saxes';
import type { PsObject, PsPrimitive, PsValue } from './ps-value.js';

const PS_NAMESPACE = 'http://schemas.microsoft.com/powershell/2004/04';

/** The input is not well-formed XML or not valid CLIXML. The message is one line. */
export class ClixmlError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(problem: string, line: number, column: number, options?: { cause?: unknown }) {
    super(`malformed CLIXML at line ${line}, column ${column}: ${problem}`, options);
    this.name = 'ClixmlError';
    this.line = line;
    this.column = column;
  }
}

/** Optional BOM and XML declaration, then an <Objs> start tag that declares the PowerShell namespace. */
const CLIXML_START =
  /^\uFEFF?[ \t\r\n]*(?:<\?xml[^>]*\?>[ \t\r\n]*)?<Objs[ \t\r\n][^>]*\bxmlns[ \t\r\n]*=[ \t\r\n]*(["'])http:\/\/schemas\.microsoft\.com\/powershell\/2004\/04\1/;

/** Only the start of the text is examined, so sniffing a large file costs nothing. */
const SNIFF_CHARS = 4096;

/** A cheap sniff: is the first element <Objs> in the PowerShell 2004/04 namespace? */
export function isClixml(text: string): boolean {
  return CLIXML_START.test(text.slice(0, SNIFF_CHARS));
}

/** Parses a CLIXML document and returns the top-level items of <Objs>. Throws only ClixmlError. */
export function parseClixml(text: string): PsValue[] {
  return new ClixmlReader().read(text);
}

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

interface Position {
  line: number;
  column: number;
}

/** An element in the PowerShell namespace, with where its start tag begins. */
interface Tag {
  readonly name: string;
  readonly attributes: Record<string, SaxesAttributeNS>;
  readonly start: Position;
}

interface Frame {
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
  openChild: () => IGNORED,
  text: () => undefined,
  close: () => undefined,
};

class TextFrame implements Frame {
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
  constructor(
    private readonly reader: ClixmlReader,
    private readonly items: PsValue[],
  ) {}
  openChild(tag: Tag): Frame {
    return this.reader.valueFrame(tag, (value) => this.items.push(value)) ?? IGNORED;
  }
  text(): void {}
  close(): void {}
}

/** Props or MS: named values; the first writer of a name wins. */
class PropertiesFrame implements Frame {
  constructor(
    private readonly reader: ClixmlReader,
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
  constructor(
    private readonly reader: ClixmlReader,
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
  private readonly parts = new Map<string, PsValue>();
  constructor(
    private readonly reader: ClixmlReader,
    private readonly tag: Tag,
    private readonly entries: Array<[PsValue, PsValue]>,
  ) {}
  openChild(tag: Tag): Frame {
    const role = tag.attributes['N']?.value;
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
  private readonly names: string[] = [];
  constructor(
    private readonly reader: ClixmlReader,
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
  private readonly object: ObjectUnderConstruction = {
    kind: 'object',
    typeNames: [],
    toStringText: null,
    properties: new Map(),
  };
  /** MS members wait until the end so that adapted properties come first whatever the element order. */
  private readonly extended = new Map<string, PsValue>();

  constructor(
    private readonly reader: ClixmlReader,
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
    if (COLLECTIONS.has(tag.name)) return new ItemsFrame(this.reader, (object.items ??= []));
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
  private readonly properties = new Map<string, PsValue>();
  constructor(
    private readonly reader: ClixmlReader,
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
// The reader: SAX events in, frames and reference tables in between, PsValues out

interface SaxHandlers {
  openTagStart(tag: SaxesStartTagNS): void;
  openTag(tag: SaxesTagNS): void;
  closeTag(): void;
  text(chunk: string): void;
  doctype(): void;
  parserError(error: Error): void;
}

/**
 * Registers every handler inside the constructor: a parser given its handlers after construction gains so
 * many properties that V8 turns it into a dictionary object, and then parses about five times slower.
 */
class ClixmlSaxParser extends SaxesParser<{ xmlns: true }> {
  constructor(handlers: SaxHandlers) {
    super({ xmlns: true });
    this.on('opentagstart', (tag) => handlers.openTagStart(tag));
    this.on('opentag', (tag) => handlers.openTag(tag));
    this.on('closetag', () => handlers.closeTag());
    this.on('text', (chunk) => handlers.text(chunk));
    this.on('cdata', (chunk) => handlers.text(chunk));
    this.on('doctype', () => handlers.doctype());
    this.on('error', (error) => handlers.parserError(error));
  }
}

class ClixmlReader implements SaxHandlers {
  private readonly objects = new Map<string, PsObject>();
  private readonly typeNameLists = new Map<string, readonly string[]>();
  private readonly results: PsValue[] = [];
  /** Open elements, innermost last; empty before the root opens and after it closes. */
  private readonly frames: Frame[] = [];
  private tagStart: Position = { line: 1, column: 1 };
  private readonly parser = new ClixmlSaxParser(this);

  read(text: string): PsValue[] {
    try {
      this.parser.write(text).close();
    } catch (error) {
      if (error instanceof ClixmlError) throw error;
      // saxes also throws plain Errors from internal consistency checks; callers are promised ClixmlError only.
      const detail = error instanceof Error ? error.message : String(error);
      throw this.malformed(`XML parser failed: ${detail}`, this.position(), error);
    }
    return this.results;
  }

  openTagStart(tag: SaxesStartTagNS): void {
    // The parser has read "<", the name and one more character; point at the "<".
    this.tagStart = { line: this.parser.line, column: Math.max(1, this.parser.column - tag.name.length - 1) };
  }

  openTag(tag: SaxesTagNS): void {
    const frames = this.frames;
    if (frames.length === 0) {
      this.checkRoot(tag, this.tagStart);
      frames.push(new ItemsFrame(this, this.results));
    } else if (tag.uri !== PS_NAMESPACE) {
      frames.push(IGNORED);
    } else {
      frames.push(
        this.top().openChild({ name: tag.local, attributes: tag.attributes, start: this.tagStart }),
      );
    }
  }

  closeTag(): void {
    this.frames.pop()?.close();
  }

  text(chunk: string): void {
    this.top().text(chunk);
  }

  doctype(): void {
    // Refusing any DTD means no entity is ever declared, expanded or fetched (billion laughs, XXE).
    throw this.malformed('a DOCTYPE is not allowed (PowerShell never writes one)', this.position());
  }

  parserError(error: Error): never {
    throw this.malformed(error.message.replace(/^\d+:\d+: /, '').replace(/\.$/, ''), this.position());
  }

  private top(): Frame {
    return this.frames[this.frames.length - 1] ?? IGNORED;
  }

  malformed(problem: string, at: Position, cause?: unknown): ClixmlError {
    return new ClixmlError(problem, at.line, at.column, cause === undefined ? undefined : { cause });
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
    const name = tag.attributes['N']?.value;
    if (name === undefined) throw this.malformed(`property <${tag.name}> has no N attribute`, tag.start);
    return decodeEscapes(name);
  }

  /** A later definition of a RefId replaces an earlier one, as a lookup table would. */
  registerObject(tag: Tag, object: PsObject): void {
    const refId = tag.attributes['RefId']?.value;
    if (refId !== undefined) this.objects.set(refId, object);
  }

  registerTypeNames(tag: Tag, names: readonly string[]): void {
    const refId = tag.attributes['RefId']?.value;
    if (refId !== undefined) this.typeNameLists.set(refId, names);
  }

  resolveObject(tag: Tag): PsObject {
    return this.resolve(tag, this.objects, '<Obj>');
  }

  resolveTypeNames(tag: Tag): readonly string[] {
    return this.resolve(tag, this.typeNameLists, '<TN>');
  }

  private resolve<T>(tag: Tag, table: Map<string, T>, target: string): T {
    const refId = tag.attributes['RefId']?.value;
    if (refId === undefined) throw this.malformed(`<${tag.name}> has no RefId attribute`, tag.start);
    const found = table.get(refId);
    if (found === undefined) {
      throw this.malformed(`<${tag.name} RefId=${quote(refId)}> refers to no earlier ${target}`, tag.start);
    }
    return found;
  }

  private checkRoot(tag: SaxesTagNS, at: Position): void {
    if (tag.local !== 'Objs') throw this.malformed(`the root element is <${tag.name}>, not <Objs>`, at);
    if (tag.uri !== PS_NAMESPACE) {
      throw this.malformed(`<Objs> is not in the PowerShell namespace ${PS_NAMESPACE}`, at);
    }
  }

  /** Where the parser is; its column is zero-based for the next character, i.e. one-based for the last. */
  private position(): Position {
    return { line: this.parser.line, column: Math.max(1, this.parser.column) };
  }
}
