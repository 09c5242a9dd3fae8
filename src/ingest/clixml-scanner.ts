/**
 * A fast reader for the XML that PowerShell writes. It accepts only a plain subset of XML 1.0 — ASCII names
 * without prefixes, the namespace declared once on <Objs>, the five predefined entities and character
 * references, no comments, CDATA, processing instructions or DOCTYPE — and checks that subset as strictly as a
 * full parser would. Anything else, including every error, makes it decline, and the strict reader
 * (clixml-strict.ts) reads the document instead and reports the exact line and column. So it needs no positions,
 * and a document it accepts gives exactly the values the strict reader would give.
 *
 * It runs once over every character of exports of 100 MB and more, so it reads char codes in loops the JIT
 * compiles well: no regular expression or substring per tag, and element and property names handed on as shared
 * strings rather than fresh copies.
 */

import { ClixmlBuilder, ELEMENT_NAMES, type Position } from './clixml-values.js';
import { PS_NAMESPACE } from './clixml-error.js';
import { PlainObjectReader } from './clixml-plain-objects.js';
import type { PsValue } from './ps-value.js';
import {
  TAB,
  LF,
  CR,
  SPACE,
  EXCLAMATION,
  QUOTE,
  AMPERSAND,
  APOSTROPHE,
  SLASH,
  LESS_THAN,
  EQUALS,
  GREATER_THAN,
  QUESTION_MARK,
  BRACKET_CLOSE,
  CAPITAL_O,
  SEMICOLON,
} from './char-codes.js';

/** Thrown inside the scanner when it declines the document; never escapes this module. */
const DECLINED = new Error('the fast CLIXML scanner declines this document');
/** Errors found by the scanner carry no position: the strict reader finds them again with one. */
const NOWHERE: Position = { line: 0, column: 0 };

const XML_DECLARATION =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.0\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\3)?[ \t\r\n]*\?>/;

const PREDEFINED_ENTITIES = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);

function isSpace(code: number): boolean {
  return code === SPACE || code === LF || code === TAB || code === CR;
}

/** [A-Za-z_]: the first character of a name this scanner accepts. */
function isNameStart(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f;
}

/** [A-Za-z0-9._-] */
function isNameChar(code: number): boolean {
  return isNameStart(code) || (code >= 0x30 && code <= 0x39) || code === 0x2e || code === 0x2d;
}

/** A character XML 1.0 allows in a character reference. */
function isXmlChar(code: number): boolean {
  return (
    code === TAB ||
    code === LF ||
    code === CR ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/**
 * Whether `word` is written at text[at]: for the short words compared on every tag, a loop the JIT compiles
 * inline is several times cheaper than a call to String.prototype.startsWith.
 */
function isAt(text: string, at: number, word: string): boolean {
  for (let index = 0; index < word.length; index++) {
    if (text.charCodeAt(at + index) !== word.charCodeAt(index)) return false;
  }
  return true;
}

/** V8 makes a slice this long or longer a view into the string it was cut from, rather than a copy. */
const SHORTEST_VIEW = 13;

/**
 * `value` as a string of its own. A value cut from the document with slice() is a view that keeps the whole text
 * alive, 100 MB and more, for as long as any record keeps the value. V8 turns the concatenation into one new flat
 * string before slice() cuts it again, so the result refers to that copy only.
 */
function detached(value: string): string {
  return value.length < SHORTEST_VIEW ? value : ` ${value}`.slice(1);
}

/** Names up to this long are looked up in ELEMENT_NAME_TABLE. */
const TABLED_NAME_LENGTH = 16;

/**
 * The builder's element names by length and first character: a start tag hands on the same string each time
 * rather than a new copy of its name, which the builder would only compare and drop.
 */
const ELEMENT_NAME_TABLE: Array<string[] | undefined> = [];
for (const name of ELEMENT_NAMES) {
  const key = name.length * 128 + name.charCodeAt(0);
  (ELEMENT_NAME_TABLE[key] ??= []).push(name);
}

/** The name text[start, end), which the caller has checked to be ASCII. */
function elementName(text: string, start: number, end: number): string {
  const length = end - start;
  if (length < TABLED_NAME_LENGTH) {
    const candidates = ELEMENT_NAME_TABLE[length * 128 + text.charCodeAt(start)];
    if (candidates !== undefined) {
      for (const candidate of candidates) if (isAt(text, start, candidate)) return candidate;
    }
  }
  return text.slice(start, end);
}

/** What a RefId attribute's value is read for: a string of its own, one from the pool, or only to be checked. */
const OWN_REF_ID = 0;
const POOLED_REF_ID = 1;
const CHECKED_REF_ID = 2;

/** Which of the attributes CLIXML uses text[start, end) names, as a bit; 0 for any other. */
const N_ATTRIBUTE = 1;
const REF_ID_ATTRIBUTE = 2;
const XMLNS_ATTRIBUTE = 4;

function attributeBit(text: string, start: number, end: number): number {
  switch (end - start) {
    case 1:
      return text.charCodeAt(start) === 0x4e ? N_ATTRIBUTE : 0;
    case 5:
      if (isAt(text, start, 'RefId')) return REF_ID_ATTRIBUTE;
      return isAt(text, start, 'xmlns') ? XMLNS_ATTRIBUTE : 0;
  }
  return 0;
}

/**
 * Property names (N attributes) repeat in every object. A small table keyed by a hash of the characters, which
 * the validating loop computes anyway, hands on one string per name instead of a new one per element.
 */
const POOL_SIZE = 4096;
/** Longer values (distinguished names) are rarely repeated. */
const POOLED_TEXT_LENGTH = 64;

/**
 * Strings of one document by content. Each slot remembers where in the text its string was first read, so that a
 * candidate is compared with the text itself: comparing with the string (a slice) is several times slower.
 */
export class StringPool {
  private readonly strings: Array<string | undefined> = new Array<string | undefined>(POOL_SIZE).fill(
    undefined,
  );
  private readonly starts = new Int32Array(POOL_SIZE);

  constructor(private text: string) {}

  /** Reading goes on in another window of the document: the strings remembered were read in the last one. */
  useText(text: string): void {
    this.text = text;
    this.strings.fill(undefined);
  }

  /** text[start, end), whose characters hash to `hash`. */
  get(start: number, end: number, hash: number): string {
    const text = this.text;
    const index = hash & (POOL_SIZE - 1);
    const found = this.strings[index];
    const length = end - start;
    if (found !== undefined && found.length === length) {
      const from = (this.starts[index] as number) - start;
      let at = start;
      while (at < end && text.charCodeAt(at) === text.charCodeAt(at + from)) at++;
      if (at === end) return found;
    }
    const made = detached(text.slice(start, end));
    this.strings[index] = made;
    this.starts[index] = start;
    return made;
  }
}

/**
 * Reads the document, handing each top-level item of <Objs> to `deliver` as soon as it is complete. Returns
 * false, having delivered possibly some items, when the document is outside the subset or not valid CLIXML.
 */
export function scanClixml(text: string, deliver: (value: PsValue) => void): boolean {
  return scanClixmlWindows(wholeText(text), deliver);
}

/**
 * A document as consecutive windows of its text, each ending between two items of <Objs> (after the end tag of
 * one), so that a large export is never one string. The document is their concatenation; a window cut anywhere
 * else makes the scanner decline.
 */
export interface ClixmlWindows {
  windows(): Iterable<string>;
  /** The windows that may hold a <Ref> tag (at least those), read before the others. */
  windowsWithRefTags(): Iterable<string>;
}

/** A document that is one string: one window. */
export function wholeText(text: string): ClixmlWindows {
  return { windows: () => [text], windowsWithRefTags: () => [text] };
}

/** scanClixml for a document given in windows. */
export function scanClixmlWindows(document: ClixmlWindows, deliver: (value: PsValue) => void): boolean {
  const referenced = referencedObjects(document.windowsWithRefTags());
  const builder = new ClixmlBuilder({
    deliver,
    malformed: () => DECLINED,
    isReferenced:
      referenced === null
        ? undefined
        : referenced.size === 0
          ? () => false
          : (refId) => referenced.has(refId),
  });
  const windows = document.windows()[Symbol.iterator]();
  try {
    const first = windows.next();
    if (first.done === true) return false;
    // An object no <Ref> names needs no RefId, and as most objects carry one, no string is made for it then.
    new Scanner(first.value, builder, referenced === null || referenced.size > 0).document(windows);
    return true;
  } catch (error) {
    if (error === DECLINED) return false;
    throw error;
  } finally {
    windows.return?.();
  }
}

/** The start of a <Ref> tag; what follows the name is read by Scanner.attributes. */
const REF_TAG = /<Ref[ \t\n\r/>]/g;

/**
 * The RefIds that some <Ref> names. Only those objects need keeping; the rest can be freed as soon as their
 * top-level item has been handed on. Null when a <Ref> tag cannot be read (the scanner will decline anyway).
 */
function referencedObjects(windows: Iterable<string>): Set<string> | null {
  const ids = new Set<string>();
  for (const text of windows) {
    const scanner = new Scanner(text, null, true);
    // A regular expression finds the tags in half the time of indexOf('<Ref'), which stops at every "<".
    REF_TAG.lastIndex = 0;
    for (let match = REF_TAG.exec(text); match !== null; match = REF_TAG.exec(text)) {
      try {
        scanner.attributes(match.index + 4, OWN_REF_ID);
      } catch (error) {
        if (error === DECLINED) return null;
        throw error;
      }
      if (scanner.refId !== undefined) ids.add(scanner.refId);
    }
  }
  return ids;
}

class Scanner {
  /** Attributes of the last start tag read. */
  n: string | undefined;
  refId: string | undefined;
  xmlns: string | undefined;
  selfClosing = false;
  private readonly openNames: string[] = [];
  private readonly pool: StringPool;
  /** Reads top-level objects in the shape PowerShell writes; null for the scanner of referencedObjects. */
  private readonly plainObjects: PlainObjectReader | null;
  /** Where the attribute value last read ends (its closing quote). */
  private valueEnd = 0;
  /** Whether the last text run read has no references and no CR, and a hash of its characters for the pool. */
  private runPlain = true;
  private runHash = 0;

  /** `objectIdsWanted`: whether <Obj> elements need their RefId (some <Ref> may name them). */
  constructor(
    private text: string,
    private readonly builder: ClixmlBuilder | null,
    private readonly objectIdsWanted: boolean,
  ) {
    this.pool = new StringPool(text);
    this.plainObjects =
      builder === null ? null : new PlainObjectReader(text, this.pool, builder, objectIdsWanted);
  }

  /** Reads the document from this window, the first, and the `rest`. */
  document(rest: Iterator<string>): void {
    const text = this.text;
    let at = 0;
    if (text.startsWith('<?xml')) {
      const declaration = XML_DECLARATION.exec(text);
      if (declaration === null) throw DECLINED;
      at = declaration[0].length;
    }
    at = this.skipSpace(at);
    at = this.root(at);
    at = this.content(at);
    while (this.openNames.length > 0) {
      // The window ended: between two items of <Objs> the next one goes on; anywhere else the text is cut short.
      const next = rest.next();
      if (next.done === true || this.openNames.length !== 1) throw DECLINED;
      this.useText(next.value);
      at = this.content(0);
    }
    if (this.skipSpace(at) !== this.text.length) throw DECLINED;
    for (let next = rest.next(); next.done !== true; next = rest.next()) {
      this.useText(next.value);
      if (this.skipSpace(0) !== next.value.length) throw DECLINED;
    }
  }

  private useText(text: string): void {
    this.text = text;
    this.pool.useText(text);
    this.plainObjects?.useText(text);
  }

  private root(at: number): number {
    const text = this.text;
    if (text.charCodeAt(at) !== LESS_THAN) throw DECLINED;
    const nameEnd = this.name(at + 1);
    if (nameEnd - at - 1 !== 4 || !text.startsWith('Objs', at + 1)) throw DECLINED;
    const after = this.attributes(nameEnd, OWN_REF_ID);
    if (this.xmlns !== PS_NAMESPACE || this.selfClosing) throw DECLINED;
    this.openNames.push('Objs');
    (this.builder as ClixmlBuilder).openRoot();
    return after;
  }

  /** Everything inside the root element, up to and including its end tag, or to the end of this window. */
  private content(start: number): number {
    const text = this.text;
    const builder = this.builder as ClixmlBuilder;
    const openNames = this.openNames;
    let at = start;
    while (openNames.length > 0) {
      if (at === text.length) return at;
      const tag = this.textRun(at);
      this.handOnRun(at, tag);
      const next = text.charCodeAt(tag + 1);
      if (next === SLASH) {
        // `</Name>` exactly as opened: what the general path below would accept, without reading the name.
        const innermost = openNames[openNames.length - 1] as string;
        const end = tag + 2 + innermost.length;
        if (text.charCodeAt(end) === GREATER_THAN && isAt(text, tag + 2, innermost)) {
          openNames.pop();
          builder.close();
          at = end + 1;
          continue;
        }
        const nameEnd = this.name(tag + 2);
        const close = this.skipSpace(nameEnd);
        if (text.charCodeAt(close) !== GREATER_THAN) throw DECLINED;
        const expected = openNames.pop() as string;
        if (nameEnd - tag - 2 !== expected.length || !text.startsWith(expected, tag + 2)) throw DECLINED;
        builder.close();
        at = close + 1;
        continue;
      }
      if (next === EXCLAMATION || next === QUESTION_MARK) throw DECLINED;
      if (openNames.length === 1 && next === CAPITAL_O) {
        const end = (this.plainObjects as PlainObjectReader).readTopLevel(tag);
        if (end >= 0) {
          at = end;
          continue;
        }
      }
      const nameEnd = this.name(tag + 1);
      const name = elementName(text, tag + 1, nameEnd);
      at = this.attributes(nameEnd, this.refIdUse(name));
      if (this.xmlns !== undefined) throw DECLINED;
      if (this.selfClosing) {
        builder.leaf(name, this.n, this.refId, '', NOWHERE);
        continue;
      }
      // An element that holds only text, as nearly every value does, goes to the builder in one call.
      const textEnd = this.textRun(at);
      const endTagEnd = textEnd + 2 + name.length;
      if (
        text.charCodeAt(textEnd + 1) === SLASH &&
        text.charCodeAt(endTagEnd) === GREATER_THAN &&
        isAt(text, textEnd + 2, name)
      ) {
        builder.leaf(name, this.n, this.refId, textEnd === at ? '' : this.runText(at, textEnd), NOWHERE);
        at = endTagEnd + 1;
        continue;
      }
      builder.open(name, this.n, this.refId, NOWHERE);
      openNames.push(name);
      this.handOnRun(at, textEnd);
      at = textEnd;
    }
    return at;
  }

  /**
   * How to read an element's RefId. Type name lists are named again by <TNRef> in every object, with few values:
   * those come from the pool. An <Obj>'s RefId is needed only when some <Ref> may name it.
   */
  private refIdUse(name: string): number {
    if (name === 'Obj') return this.objectIdsWanted ? OWN_REF_ID : CHECKED_REF_ID;
    return name === 'TNRef' || name === 'TN' ? POOLED_REF_ID : OWN_REF_ID;
  }

  /** The end of the name starting at `at`; declines a name with a prefix or outside ASCII. */
  private name(at: number): number {
    const text = this.text;
    if (!isNameStart(text.charCodeAt(at))) throw DECLINED;
    let end = at + 1;
    while (isNameChar(text.charCodeAt(end))) end++;
    return end;
  }

  /**
   * The attributes after a start tag's name, through its ">" or "/>"; returns the position after it. `refIdUse`
   * says how to read a RefId (OWN_REF_ID, POOLED_REF_ID, or CHECKED_REF_ID, which leaves refId undefined).
   */
  attributes(start: number, refIdUse: number): number {
    const text = this.text;
    this.n = undefined;
    this.refId = undefined;
    this.xmlns = undefined;
    /** The CLIXML attributes seen (bits), and the names of any others. */
    let seen = 0;
    let others: string[] | null = null;
    let at = start;
    for (;;) {
      const code = text.charCodeAt(at);
      if (code === GREATER_THAN) {
        this.selfClosing = false;
        return at + 1;
      }
      if (code === SLASH) {
        if (text.charCodeAt(at + 1) !== GREATER_THAN) throw DECLINED;
        this.selfClosing = true;
        return at + 2;
      }
      // Attributes are separated from the name and from each other by white space; PowerShell writes one space.
      if (!isSpace(code)) throw DECLINED;
      at = this.skipSpace(at + 1);
      const first = text.charCodeAt(at);
      if (first === GREATER_THAN || first === SLASH) continue;
      const nameStart = at;
      const nameEnd = this.name(at);
      at = nameEnd;
      if (text.charCodeAt(at) !== EQUALS) {
        at = this.skipSpace(at);
        if (text.charCodeAt(at) !== EQUALS) throw DECLINED;
      }
      at++;
      let quote = text.charCodeAt(at);
      if (quote !== QUOTE && quote !== APOSTROPHE) {
        at = this.skipSpace(at);
        quote = text.charCodeAt(at);
        if (quote !== QUOTE && quote !== APOSTROPHE) throw DECLINED;
      }
      const bit = attributeBit(text, nameStart, nameEnd);
      if (bit !== 0) {
        if ((seen & bit) !== 0) throw DECLINED;
        seen |= bit;
      } else {
        const name = text.slice(nameStart, nameEnd);
        if (others === null) others = [name];
        else if (others.includes(name)) throw DECLINED;
        else others.push(name);
      }
      const value = this.attributeValue(
        at + 1,
        quote,
        bit === N_ATTRIBUTE || (bit === REF_ID_ATTRIBUTE && refIdUse === POOLED_REF_ID),
        bit !== REF_ID_ATTRIBUTE || refIdUse !== CHECKED_REF_ID,
      );
      at = this.valueEnd + 1;
      if (bit === N_ATTRIBUTE) this.n = value;
      else if (bit === REF_ID_ATTRIBUTE) this.refId = value;
      else if (bit === XMLNS_ATTRIBUTE) this.xmlns = value;
    }
  }

  /**
   * An attribute's value from `start` to the closing `quote`, whose position goes to valueEnd. White space other
   * than a space would need normalising, and is declined. Pooled values (property names) come from the pool; a
   * value not `wanted` is only checked, and is undefined.
   */
  private attributeValue(start: number, quote: number, pooled: boolean, wanted: boolean): string | undefined {
    const text = this.text;
    const length = text.length;
    let plain = true;
    let hash = 0;
    let at = start;
    for (; ; at++) {
      const code = text.charCodeAt(at);
      if (code === quote) break;
      hash = (Math.imul(hash, 31) + code) | 0;
      if (code >= SPACE && code < 0xd800 && code !== LESS_THAN && code !== AMPERSAND) continue;
      if (code === AMPERSAND) plain = false;
      else if (code === LESS_THAN || code < SPACE || at >= length) throw DECLINED;
      else at = this.checkHighCharacter(at, code);
    }
    this.valueEnd = at;
    if (!plain) {
      // References are checked even in a value that is not wanted.
      const decoded = this.decodeReferences(start, at);
      return wanted ? decoded : undefined;
    }
    if (!wanted) return undefined;
    return pooled ? this.pool.get(start, at, hash) : text.slice(start, at);
  }

  /**
   * The end of the text from `start` to the next "<", checked; runPlain and runHash say how to make its value.
   * One loop finds the end and checks every character; references and CR (to be normalised) are rare.
   */
  private textRun(start: number): number {
    const text = this.text;
    let plain = true;
    let at = start;
    // Most runs are the indentation between elements: a line end, then spaces.
    if (text.charCodeAt(at) === CR) {
      plain = false;
      at++;
    }
    if (text.charCodeAt(at) === LF) {
      at++;
      while (text.charCodeAt(at) === SPACE) at++;
    }
    // For the pool: a hash of the characters after the indentation, computed in passing.
    let hash = 0;
    for (; ; at++) {
      const code = text.charCodeAt(at);
      hash = (Math.imul(hash, 31) + code) | 0;
      if (code >= SPACE) {
        if (code < 0xd800) {
          if (code === LESS_THAN) break;
          if (code === AMPERSAND) plain = false;
          else if (code === BRACKET_CLOSE && text.startsWith(']]>', at)) throw DECLINED;
        } else at = this.checkHighCharacter(at, code);
      } else if (code === CR) plain = false;
      // Anything else is a character XML forbids, or NaN: the text ended inside the root element.
      else if (code !== LF && code !== TAB) throw DECLINED;
    }
    this.runPlain = plain;
    this.runHash = hash;
    return at;
  }

  /** Hands the text run [start, end) just read on where it is part of a value. */
  private handOnRun(start: number, end: number): void {
    if (end === start) return;
    const builder = this.builder as ClixmlBuilder;
    if (builder.wantsText) builder.text(this.runText(start, end));
    // References are checked even where the text means nothing: an undefined entity is an error anywhere.
    else if (!this.runPlain) this.decodeReferences(start, end);
  }

  /** The value of the text run [start, end) just read. */
  private runText(start: number, end: number): string {
    return this.runPlain ? this.plainText(start, end, this.runHash) : this.decodeReferences(start, end);
  }

  /**
   * A value's text. Short values repeat across objects (user names, rights, "false"): they come from the pool,
   * so that the records made from them share one string each instead of keeping a copy per object.
   */
  private plainText(start: number, end: number, hash: number): string {
    if (end - start > POOLED_TEXT_LENGTH) return detached(this.text.slice(start, end));
    return this.pool.get(start, end, hash);
  }

  /** A character from U+D800 up: a whole surrogate pair, or one that XML allows. Returns the last index used. */
  private checkHighCharacter(at: number, code: number): number {
    if (code <= 0xdbff) {
      const low = this.text.charCodeAt(at + 1);
      if (low >= 0xdc00 && low <= 0xdfff) return at + 1;
      throw DECLINED;
    }
    if (code <= 0xdfff || code === 0xfffe || code === 0xffff) throw DECLINED;
    return at;
  }

  /** Text with entity and character references replaced, and line ends normalised (not those of references). */
  private decodeReferences(start: number, end: number): string {
    const text = this.text;
    let result = '';
    let from = start;
    // Searched within the run only: indexOf would go on to the end of the document wherever the run holds no "&"
    // (a run with a CR only, as on every line of an export with CR LF line ends), once for every such run.
    for (
      let at = indexWithin(text, AMPERSAND, start, end);
      at >= 0;
      at = indexWithin(text, AMPERSAND, from, end)
    ) {
      const semicolon = indexWithin(text, SEMICOLON, at + 1, Math.min(end, at + 11));
      if (semicolon < 0) throw DECLINED;
      result += normalizeLineEnds(text.slice(from, at)) + reference(text.slice(at + 1, semicolon));
      from = semicolon + 1;
    }
    return detached(result + normalizeLineEnds(text.slice(from, end)));
  }

  private skipSpace(start: number): number {
    const text = this.text;
    let at = start;
    while (isSpace(text.charCodeAt(at))) at++;
    return at;
  }
}

/** The first position of the character `code` in text[from, end), or -1. */
function indexWithin(text: string, code: number, from: number, end: number): number {
  for (let at = from; at < end; at++) if (text.charCodeAt(at) === code) return at;
  return -1;
}

/** An entity or character reference's text, between "&" and ";". */
function reference(name: string): string {
  const entity = PREDEFINED_ENTITIES.get(name);
  if (entity !== undefined) return entity;
  const match = /^#(?:([0-9]{1,7})|x([0-9A-Fa-f]{1,6}))$/.exec(name);
  if (match === null) throw DECLINED;
  const code = match[1] !== undefined ? Number(match[1]) : parseInt(match[2] as string, 16);
  if (!isXmlChar(code)) throw DECLINED;
  return String.fromCodePoint(code);
}

/** XML reads CR LF and a lone CR as LF. */
function normalizeLineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}
