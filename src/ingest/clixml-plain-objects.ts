/**
 * A reader for the shapes Export-Clixml gives nearly every top-level object of an export: type names, an optional
 * ToString, and then <MS> members (Select-Object's objects), <Props> and then <MS> (deserialized objects, as
 * Get-ADPermission over remote PowerShell gives them), a list, or one value; members and items are primitives,
 * objects of the same shapes, or <Ref>s to objects read before, written with the exact tags and attributes
 * PowerShell writes. It matches that text directly and makes the object in one pass, where the general path
 * (clixml-scanner.ts and the frames of clixml-values.ts) spends several calls on each element; a 100 MB export of
 * permission entries is some 2.6 million elements.
 *
 * It reads each top-level <Obj> on its own: on the first thing outside the shape (an entity, a CR, a <Ref> to
 * nothing, a number it would read differently, an element or attribute written otherwise) it gives up that object,
 * having changed nothing (what it defines reaches the builder only once the object is read whole), and the general
 * path reads the object from its start. So an object read here is exactly the object the general path, and the strict reader,
 * would have made; an error is always found and worded by the general path.
 */

import {
  decodeEscapes,
  NO_PROPERTIES,
  NO_TYPE_NAMES,
  primitiveKind,
  type ClixmlBuilder,
  type ObjectUnderConstruction,
} from './clixml-values.js';
import type { StringPool } from './clixml-scanner.js';
import { hasCaseVariants } from './property-names.js';
import type { PsObject, PsPrimitive, PsValue } from './ps-value.js';
import {
  TAB,
  LF,
  CR,
  SPACE,
  QUOTE,
  AMPERSAND,
  MINUS,
  PLUS,
  DOT,
  SLASH,
  ZERO,
  NINE,
  LESS_THAN,
  GREATER_THAN,
  CAPITAL_B,
  CAPITAL_G,
  CAPITAL_I,
  CAPITAL_L,
  CAPITAL_M,
  CAPITAL_N,
  CAPITAL_O,
  CAPITAL_P,
  CAPITAL_R,
  CAPITAL_S,
  CAPITAL_T,
  BRACKET_CLOSE,
  UNDERSCORE,
} from './char-codes.js';

/** Thrown to give up an object; caught in readTopLevel(). */
const OUTSIDE_SHAPE = new Error('the object is not in the plain shape');

/** Values longer than this are rarely repeated, and are not pooled (as in the scanner). */
const POOLED_TEXT_LENGTH = 64;

/** Digits an I32 read here may have; longer numbers, signs and spaces are left to the general path. */
const MAX_I32_DIGITS = 9;

/**
 * Once the objects given up outnumber those read by this many, the document is not written in the shape, and
 * the rest of it is left to the general path: trying every object would read each one twice.
 */
const GIVE_UP_MARGIN = 32;

/** Objects within objects read here; PowerShell's depth (-Depth) is 2 by default. */
const MAX_NESTING = 8;

/** Members remembered by their place in a top-level object: objects of an export have a few dozen. */
const REMEMBERED_MEMBERS = 64;
const NOT_REMEMBERED = -1;

/**
 * The last text read at each place, and where it was: most permission entries repeat the previous entry's names,
 * and its Identity and User, and comparing with that text is cheaper than hashing it and comparing it in the pool.
 */
class RecentTexts {
  readonly starts = new Int32Array(REMEMBERED_MEMBERS);
  readonly lengths = new Int32Array(REMEMBERED_MEMBERS);
  readonly values: Array<string | undefined> = new Array<string | undefined>(REMEMBERED_MEMBERS).fill(
    undefined,
  );
}

export class PlainObjectReader {
  /** Where reading has got to. */
  private at = 0;
  private read = 0;
  private givenUp = 0;
  /** How many objects enclose the one being read. */
  private nesting = 0;
  /** Names and string values of the members of the last top-level objects, by their place. */
  private readonly recentNames = new RecentTexts();
  private readonly recentValues = new RecentTexts();
  /**
   * The <TN> and <Obj> RefIds the top-level object being read defines, handed to the builder once it is read whole.
   * An object given up must leave the builder's tables as they were: the general path reads it again from its
   * start, and there a <TNRef> or <Ref> before a RefId defined a second time must still find the first definition.
   */
  private readonly pendingTypeNames = new Map<string, readonly string[]>();
  private readonly pendingObjects = new Map<string, PsObject>();

  /** `objectIdsWanted`: whether some <Ref> may name an <Obj>, whose RefId must then be kept. */
  constructor(
    private text: string,
    private readonly pool: StringPool,
    private readonly builder: ClixmlBuilder,
    private readonly objectIdsWanted: boolean,
  ) {}

  /** Reading goes on in another window of the document: the texts remembered were read in the last one. */
  useText(text: string): void {
    this.text = text;
    this.recentNames.values.fill(undefined);
    this.recentValues.values.fill(undefined);
  }

  /**
   * Reads the top-level object whose start tag begins at `start` (`<Obj RefId="`) and hands it to the builder.
   * Returns the position after its end tag, or -1 when the object is outside the shape and nothing was read.
   */
  readTopLevel(start: number): number {
    if (this.givenUp > this.read + GIVE_UP_MARGIN) return -1;
    let object: PsObject;
    this.pendingTypeNames.clear();
    this.pendingObjects.clear();
    try {
      this.at = start;
      this.nesting = 0;
      this.expect('<Obj RefId="');
      object = this.objectAfterRefId();
    } catch (error) {
      if (error !== OUTSIDE_SHAPE) throw error;
      this.givenUp++;
      return -1;
    }
    for (const [refId, names] of this.pendingTypeNames) this.builder.defineTypeNames(refId, names);
    for (const [refId, defined] of this.pendingObjects) this.builder.defineObject(refId, defined);
    this.read++;
    this.builder.deliverTopLevel(object);
    return this.at;
  }

  /** An <Obj> from its RefId's value through its end tag. */
  private objectAfterRefId(): PsObject {
    // Deeper objects are left to the general path, which counts every level against MAX_XML_DEPTH; reading
    // them here would recurse once per level.
    if (++this.nesting > MAX_NESTING) throw OUTSIDE_SHAPE;
    const refId = this.objectIdsWanted ? this.refId() : (this.skipRefId(), undefined);
    this.expectChar(GREATER_THAN);
    this.space();
    const typeNames = this.typeNames();
    this.space();
    let toStringText: string | null = null;
    // One character tells most tags apart before a whole word is compared.
    if (this.next(1) === CAPITAL_T) {
      if (this.skip('<ToString>')) {
        toStringText = this.textUntilLessThan(NOT_REMEMBERED);
        this.expect('</ToString>');
      } else if (this.skip('<ToString />')) toStringText = '';
      this.space();
    }
    const object: ObjectUnderConstruction = {
      kind: 'object',
      typeNames,
      toStringText,
      properties: NO_PROPERTIES,
    };
    // Kept before its parts are read, as the frames do, so that a <Ref> inside it finds this very object.
    if (refId !== undefined) this.pendingObjects.set(refId, object);
    this.objectBody(object);
    this.expect('</Obj>');
    this.nesting--;
    return object;
  }

  /**
   * What an object holds after its type names and ToString: members (<Props>, then perhaps <MS>, as a
   * deserialized object is written), a list, or the one value an enum or a string with members has.
   */
  private objectBody(object: ObjectUnderConstruction): void {
    if (this.next(0) !== LESS_THAN) throw OUTSIDE_SHAPE;
    const body = this.next(1);
    if (body === SLASH) return;
    // Members are remembered by their place in a top-level object, where the next object has the same ones.
    const firstSlot = this.nesting === 1 ? 0 : NOT_REMEMBERED;
    if (body === CAPITAL_P && this.skip('<Props>')) {
      const properties = new Map<string, PsValue>();
      object.properties = properties;
      const slot = this.properties('</Props>', properties, firstSlot);
      this.space();
      if (this.next(1) === CAPITAL_M && this.skip('<MS>')) {
        // Import-Clixml lets an extended member override the adapted property of its name, as the frames do.
        const extended = new Map<string, PsValue>();
        this.properties('</MS>', extended, slot);
        for (const [name, value] of extended) properties.set(name, value);
        this.space();
      }
      // Names that differ only in case (PowerShell never writes them): the general path settles them.
      if (hasCaseVariants(properties)) throw OUTSIDE_SHAPE;
    } else if (body === CAPITAL_M && this.skip('<MS>')) {
      object.properties = new Map();
      this.properties('</MS>', object.properties, firstSlot);
      if (hasCaseVariants(object.properties)) throw OUTSIDE_SHAPE;
      this.space();
    } else if (body === CAPITAL_L && this.skip('<LST')) {
      object.items = this.skip(' />') ? [] : (this.expectChar(GREATER_THAN), this.items());
      this.space();
    } else {
      const name = this.elementName();
      // An object within an object means nothing to the frames: it is theirs to pass over.
      if (name === 'Obj' || name === 'Ref') throw OUTSIDE_SHAPE;
      object.value = this.value(name, NOT_REMEMBERED) as PsPrimitive;
      this.space();
    }
  }

  /** <TN RefId="..."> with its <T> names, <TNRef RefId="..." /> naming an earlier one, or none. */
  private typeNames(): readonly string[] {
    if (this.next(1) !== CAPITAL_T || this.next(2) !== CAPITAL_N) return NO_TYPE_NAMES;
    if (this.next(3) === CAPITAL_R && this.skip('<TNRef RefId="')) {
      const refId = this.refId();
      const names = this.pendingTypeNames.get(refId) ?? this.builder.typeNameList(refId);
      if (names === undefined) throw OUTSIDE_SHAPE;
      this.expect(' />');
      return names;
    }
    this.expect('<TN RefId="');
    const refId = this.refId();
    this.expectChar(GREATER_THAN);
    this.space();
    const names: string[] = [];
    while (this.skip('<T>')) {
      names.push(this.textUntilLessThan(NOT_REMEMBERED));
      this.expect('</T>');
      this.space();
    }
    this.expect('</TN>');
    this.pendingTypeNames.set(refId, names);
    return names;
  }

  /**
   * The members of an <MS> or <Props> into `properties`, through `endTag`; the first is remembered at `slot`, the
   * next ones at the places after it. Returns the place after the last one's.
   */
  private properties(endTag: string, properties: Map<string, PsValue>, slot: number): number {
    for (;;) {
      this.space();
      if (this.next(1) === SLASH && this.skip(endTag)) return slot;
      const kind = this.elementName();
      this.expect(' N="');
      const name = this.propertyName(slot);
      const value = this.value(kind, slot);
      if (slot !== NOT_REMEMBERED && ++slot === REMEMBERED_MEMBERS) slot = NOT_REMEMBERED;
      const count = properties.size;
      properties.set(name, value);
      // A second member of one name (PowerShell never writes two): the general path reads this object, and
      // settles the name as Import-Clixml does.
      if (properties.size === count) throw OUTSIDE_SHAPE;
    }
  }

  /**
   * The name of the element whose start tag begins here, read up to its first attribute or the tag's end. The
   * names PowerShell writes most are told apart by their first character and return the same strings every time.
   */
  private elementName(): string {
    if (this.next(0) !== LESS_THAN) throw OUTSIDE_SHAPE;
    let name: string;
    switch (this.next(1)) {
      case CAPITAL_S:
        name = 'S';
        break;
      case CAPITAL_O:
        name = 'Obj';
        break;
      case CAPITAL_B:
        name = 'B';
        break;
      case CAPITAL_N:
        name = 'Nil';
        break;
      case CAPITAL_I:
        name = 'I32';
        break;
      case CAPITAL_G:
        name = 'G';
        break;
      case CAPITAL_R:
        name = 'Ref';
        break;
      default:
        name = '';
    }
    const text = this.text;
    const start = this.at + 1;
    if (name !== '' && this.isAt(start, name) && !isNameCharacter(text.charCodeAt(start + name.length))) {
      this.at = start + name.length;
      return name;
    }
    let end = start;
    while (isNameCharacter(text.charCodeAt(end))) end++;
    if (end === start) throw OUTSIDE_SHAPE;
    this.at = end;
    return text.slice(start, end);
  }

  /**
   * The rest of value element <kind>, after its name and its N attribute if it has one: a primitive, an object, or
   * a <Ref> to an object read before.
   */
  private value(kind: string, slot: number): PsValue {
    switch (kind) {
      case 'S':
        return this.primitiveText('</S>', slot);
      case 'B':
        if (this.skip('>true</B>')) return true;
        if (this.skip('>false</B>')) return false;
        // "True", "1": as the frames read it.
        return this.otherPrimitive(kind, slot);
      case 'Nil':
        this.expect(' />');
        return null;
      case 'I32': {
        const value = this.shortInt32();
        // Ten digits, a plus sign: as the frames read it.
        return value === undefined ? this.otherPrimitive(kind, slot) : value;
      }
      case 'Obj':
        this.expect(' RefId="');
        return this.objectAfterRefId();
      case 'Ref': {
        this.expect(' RefId="');
        // One no earlier <Obj> defined is an error, which the general path words.
        const refId = this.refId();
        const object = this.pendingObjects.get(refId) ?? this.builder.referencedObject(refId);
        if (object === undefined) throw OUTSIDE_SHAPE;
        this.expect(' />');
        return object;
      }
      default:
        return this.otherPrimitive(kind, slot);
    }
  }

  /** Any other primitive: GUIDs, dates and the like as their text, numbers as the frames read them. */
  private otherPrimitive(name: string, slot: number): PsPrimitive {
    const kind = primitiveKind(name);
    if (kind === undefined) throw OUTSIDE_SHAPE;
    const endTag = endTagOf(name);
    if (kind === 'text') return this.primitiveText(endTag, slot);
    this.expectChar(GREATER_THAN);
    const text = this.text;
    const start = this.at;
    let at = start;
    while (isNumberCharacter(text.charCodeAt(at))) at++;
    // White space, references or anything odd in a number: the general path reads it, or says what is wrong.
    const value = kind.read(text.slice(start, at));
    if (value === undefined) throw OUTSIDE_SHAPE;
    this.at = at;
    this.expect(endTag);
    return value;
  }

  /** A string's text after its attributes: `>text</S>`, or ` />` for the empty string. */
  private primitiveText(endTag: string, slot: number): string {
    if (this.next(0) !== GREATER_THAN) {
      this.expect(' />');
      return '';
    }
    this.at++;
    const value = this.textUntilLessThan(slot);
    this.expect(endTag);
    return value;
  }

  /** The items of an <LST>, through </LST>. */
  private items(): PsValue[] {
    const items: PsValue[] = [];
    for (;;) {
      this.space();
      if (this.next(1) === SLASH && this.skip('</LST>')) return items;
      items.push(this.value(this.elementName(), NOT_REMEMBERED));
    }
  }

  /**
   * `>digits</I32>` with an optional minus and at most nine digits, which always fit: the value the general path
   * reads from them, read without a string. Undefined, having moved nowhere, for any other I32.
   */
  private shortInt32(): number | undefined {
    const text = this.text;
    let at = this.at;
    if (text.charCodeAt(at) !== GREATER_THAN) return undefined;
    at++;
    const negative = text.charCodeAt(at) === MINUS;
    if (negative) at++;
    const digits = at;
    let value = 0;
    for (; at - digits <= MAX_I32_DIGITS; at++) {
      const code = text.charCodeAt(at);
      if (!(code >= ZERO && code <= NINE)) break;
      value = value * 10 + (code - ZERO);
    }
    if (at === digits || at - digits > MAX_I32_DIGITS || !this.isAt(at, '</I32>')) return undefined;
    this.at = at + '</I32>'.length;
    // "-0" is the 0 the general path reads, not -0.
    return negative && value !== 0 ? -value : value;
  }

  /**
   * A property's N value through its closing quote: printable characters without references. The name `slot`
   * had in the last object is compared first; otherwise the name is read, checked, and remembered.
   */
  private propertyName(slot: number): string {
    const recalled = this.recall(this.recentNames, slot, QUOTE);
    if (recalled !== undefined) {
      this.at++;
      return recalled;
    }
    const text = this.text;
    const start = this.at;
    let hash = 0;
    /** Whether the name may hold a _xHHHH_ escape. */
    let escaped = false;
    let at = start;
    for (; ; at++) {
      const code = text.charCodeAt(at);
      if (code === QUOTE) break;
      // Written so that NaN, past the end of the text, also stops.
      if (!(code >= SPACE && code < 0xd800) || code === LESS_THAN || code === AMPERSAND) throw OUTSIDE_SHAPE;
      if (code === UNDERSCORE) escaped = true;
      hash = (Math.imul(hash, 31) + code) | 0;
    }
    this.at = at + 1;
    const pooled = this.pool.get(start, at, hash);
    const name = escaped ? decodeEscapes(pooled) : pooled;
    this.remember(this.recentNames, slot, start, at, name);
    return name;
  }

  /** A RefId's value through `">` or `" `: digits, as PowerShell numbers its objects and type name lists. */
  private refId(): string {
    const text = this.text;
    const start = this.at;
    let hash = 0;
    let at = start;
    for (; ; at++) {
      const code = text.charCodeAt(at);
      if (!(code >= ZERO && code <= NINE)) break;
      hash = (Math.imul(hash, 31) + code) | 0;
    }
    if (at === start || text.charCodeAt(at) !== QUOTE) throw OUTSIDE_SHAPE;
    this.at = at + 1;
    return this.pool.get(start, at, hash);
  }

  /** The same, only checked: no <Ref> names any object of the document. */
  private skipRefId(): void {
    const text = this.text;
    let at = this.at;
    const start = at;
    for (; ; at++) {
      const code = text.charCodeAt(at);
      if (!(code >= ZERO && code <= NINE)) break;
    }
    if (at === start || text.charCodeAt(at) !== QUOTE) throw OUTSIDE_SHAPE;
    this.at = at + 1;
  }

  /**
   * The value of the text up to the next "<", which must be the end tag: its _xHHHH_ escapes decoded, as for
   * every text the frames read. It may hold the characters XML allows below U+D800, but no references, no CR
   * (which XML turns into LF) and no "]]>"; anything else is left to the general path.
   */
  private textUntilLessThan(slot: number): string {
    const text = this.text;
    // Every caller then expects the end tag.
    const recalled = this.recall(this.recentValues, slot, LESS_THAN);
    if (recalled !== undefined) return recalled;
    const start = this.at;
    let hash = 0;
    let escaped = false;
    let at = start;
    for (; ; at++) {
      const code = text.charCodeAt(at);
      if (code === LESS_THAN) break;
      if (code >= SPACE) {
        if (code >= 0xd800 || code === AMPERSAND) throw OUTSIDE_SHAPE;
        if (code === UNDERSCORE) escaped = true;
        else if (code === BRACKET_CLOSE && this.isAt(at + 1, ']>')) throw OUTSIDE_SHAPE;
      } else if (code !== LF && code !== TAB) throw OUTSIDE_SHAPE;
      hash = (Math.imul(hash, 31) + code) | 0;
    }
    if (text.charCodeAt(at + 1) !== SLASH) throw OUTSIDE_SHAPE;
    this.at = at;
    const raw =
      at - start > POOLED_TEXT_LENGTH ? ` ${text.slice(start, at)}`.slice(1) : this.pool.get(start, at, hash);
    const value = escaped ? decodeEscapes(raw) : raw;
    this.remember(this.recentValues, slot, start, at, value);
    return value;
  }

  /**
   * The text `recent` remembers for `slot`, when the text here is the same up to `terminator`, which it moves
   * to; undefined otherwise. The remembered text was checked when it was read, so equal text needs no check.
   */
  private recall(recent: RecentTexts, slot: number, terminator: number): string | undefined {
    if (slot === NOT_REMEMBERED) return undefined;
    const value = recent.values[slot];
    if (value === undefined) return undefined;
    const text = this.text;
    const at = this.at;
    const end = at + (recent.lengths[slot] as number);
    if (text.charCodeAt(end) !== terminator) return undefined;
    const from = (recent.starts[slot] as number) - at;
    for (let index = at; index < end; index++) {
      if (text.charCodeAt(index) !== text.charCodeAt(index + from)) return undefined;
    }
    this.at = end;
    return value;
  }

  /** Remembers that text[start, end) of `slot` has `value`. */
  private remember(recent: RecentTexts, slot: number, start: number, end: number, value: string): void {
    if (slot === NOT_REMEMBERED) return;
    recent.starts[slot] = start;
    recent.lengths[slot] = end - start;
    recent.values[slot] = value;
  }

  /** White space between elements, which means nothing there. */
  private space(): void {
    const text = this.text;
    let at = this.at;
    for (;;) {
      const code = text.charCodeAt(at);
      if (code !== SPACE && code !== LF && code !== CR && code !== TAB) break;
      at++;
    }
    this.at = at;
  }

  /** The character `offset` after where reading is. */
  private next(offset: number): number {
    return this.text.charCodeAt(this.at + offset);
  }

  private expectChar(code: number): void {
    if (this.text.charCodeAt(this.at) !== code) throw OUTSIDE_SHAPE;
    this.at++;
  }

  private expect(word: string): void {
    if (!this.skip(word)) throw OUTSIDE_SHAPE;
  }

  /** Moves past `word` when it is written here. */
  private skip(word: string): boolean {
    if (!this.isAt(this.at, word)) return false;
    this.at += word.length;
    return true;
  }

  private isAt(at: number, word: string): boolean {
    const text = this.text;
    for (let index = 0; index < word.length; index++) {
      if (text.charCodeAt(at + index) !== word.charCodeAt(index)) return false;
    }
    return true;
  }
}

/** Characters of the element names PowerShell writes (S, I32, TNRef, Version...). */
function isNameCharacter(code: number): boolean {
  return (code >= ZERO && code <= NINE) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a);
}

/** Characters of a number as PowerShell writes one ("-12", "1.5E+30", "INF", "NaN", "True"). */
function isNumberCharacter(code: number): boolean {
  return isNameCharacter(code) || code === MINUS || code === PLUS || code === DOT;
}

const END_TAGS = new Map<string, string>();

/** "</name>", made once per name. */
function endTagOf(name: string): string {
  let tag = END_TAGS.get(name);
  if (tag === undefined) {
    tag = `</${name}>`;
    END_TAGS.set(name, tag);
  }
  return tag;
}
