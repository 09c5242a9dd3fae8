/**
 * A fast reader for the XML that PowerShell writes. It accepts only a plain subset of XML 1.0 — ASCII names
 * without prefixes, the namespace declared once on <Objs>, the five predefined entities and character
 * references, no comments, CDATA, processing instructions or DOCTYPE — and checks that subset as strictly as a
 * full parser would. Anything else, including every error, makes it decline, and the strict reader
 * (clixml-strict.ts) reads the document instead and reports the exact line and column. So it needs no positions,
 * and a document it accepts gives exactly the values the strict reader would give.
 */

import { ClixmlBuilder, type Position, type Tag } from './clixml-values.js';
import { PS_NAMESPACE } from './clixml-error.js';
import type { PsValue } from './ps-value.js';

/** Thrown inside the scanner when it declines the document; never escapes this module. */
const DECLINED = new Error('the fast CLIXML scanner declines this document');
/** Errors found by the scanner carry no position: the strict reader finds them again with one. */
const NOWHERE: Position = { line: 0, column: 0 };

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const AMPERSAND = 0x26;
const APOSTROPHE = 0x27;
const SLASH = 0x2f;
const LESS_THAN = 0x3c;
const EQUALS = 0x3d;
const GREATER_THAN = 0x3e;
const QUESTION_MARK = 0x3f;
const BRACKET_CLOSE = 0x5d;
const EXCLAMATION = 0x21;

const XML_DECLARATION =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.0\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\3)?[ \t\r\n]*\?>/;

/**
 * The start tags PowerShell writes (`<S N="User">`, `<Obj N="x" RefId="7">`, `<TNRef RefId="0" />`): a name, then
 * at most an N and a RefId attribute, each value free of references, control characters and surrogates. One
 * regular expression reads them without a JavaScript call per character, which is what a short run costs most
 * before the JIT warms up; any other start tag is read character by character.
 */
const COMMON_START_TAG =
  /([A-Za-z_][A-Za-z0-9._-]*)(?: (N|RefId)="([^"<&\x00-\x1f\ud800-\udfff\ufffe\uffff]*)")?(?: (N|RefId)="([^"<&\x00-\x1f\ud800-\udfff\ufffe\uffff]*)")?( ?\/)?>/y;
/** The first character that ends a run of white space. */
const NOT_SPACE = /[^ \t\r\n]/g;
/** The first character of text that needs more than copying: markup, a reference, CR, "]" or an invalid one. */
const TEXT_SPECIAL = /[<&\]\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]/g;

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
 * Reads the document, handing each top-level item of <Objs> to `deliver` as soon as it is complete. Returns
 * false, having delivered possibly some items, when the document is outside the subset or not valid CLIXML.
 */
export function scanClixml(text: string, deliver: (value: PsValue) => void): boolean {
  const referenced = referencedObjects(text);
  const builder = new ClixmlBuilder({
    deliver,
    malformed: () => DECLINED,
    isReferenced: referenced === null ? undefined : (refId) => referenced.has(refId),
  });
  try {
    new Scanner(text, builder).document();
    return true;
  } catch (error) {
    if (error === DECLINED) return false;
    throw error;
  }
}

/**
 * The RefIds that some <Ref> names. Only those objects need keeping; the rest can be freed as soon as their
 * top-level item has been handed on. Null when a <Ref> tag cannot be read (the scanner will decline anyway).
 */
function referencedObjects(text: string): Set<string> | null {
  const ids = new Set<string>();
  const scanner = new Scanner(text, null);
  for (let at = text.indexOf('<Ref'); at >= 0; at = text.indexOf('<Ref', at + 4)) {
    const next = text.charCodeAt(at + 4);
    if (!isSpace(next) && next !== SLASH && next !== GREATER_THAN) continue;
    try {
      scanner.attributes(at + 4);
    } catch (error) {
      if (error === DECLINED) return null;
      throw error;
    }
    if (scanner.refId !== undefined) ids.add(scanner.refId);
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

  constructor(
    private readonly text: string,
    private readonly builder: ClixmlBuilder | null,
  ) {}

  document(): void {
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
    if (this.skipSpace(at) !== text.length) throw DECLINED;
  }

  private root(at: number): number {
    const text = this.text;
    if (text.charCodeAt(at) !== LESS_THAN) throw DECLINED;
    const nameEnd = this.name(at + 1);
    if (text.slice(at + 1, nameEnd) !== 'Objs') throw DECLINED;
    const after = this.attributes(nameEnd);
    if (this.xmlns !== PS_NAMESPACE || this.selfClosing) throw DECLINED;
    this.openNames.push('Objs');
    (this.builder as ClixmlBuilder).openRoot();
    return after;
  }

  /** Everything inside the root element, up to and including its end tag. */
  private content(start: number): number {
    const text = this.text;
    const builder = this.builder as ClixmlBuilder;
    const openNames = this.openNames;
    let at = start;
    while (openNames.length > 0) {
      const tag = text.indexOf('<', at);
      if (tag < 0) throw DECLINED;
      if (tag > at) this.textRun(at, tag);
      const next = text.charCodeAt(tag + 1);
      if (next === SLASH) {
        // `</Name>` exactly as opened: what the general path below would accept, without reading the name.
        const innermost = openNames[openNames.length - 1] as string;
        const end = tag + 2 + innermost.length;
        if (text.charCodeAt(end) === GREATER_THAN && text.startsWith(innermost, tag + 2)) {
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
      let name: string;
      COMMON_START_TAG.lastIndex = tag + 1;
      const common = COMMON_START_TAG.exec(text);
      if (common !== null && (common[4] === undefined || common[4] !== common[2])) {
        name = common[1] as string;
        this.n = common[2] === 'N' ? common[3] : common[4] === 'N' ? common[5] : undefined;
        this.refId = common[2] === 'RefId' ? common[3] : common[4] === 'RefId' ? common[5] : undefined;
        this.selfClosing = common[6] !== undefined;
        at = COMMON_START_TAG.lastIndex;
      } else {
        const nameEnd = this.name(tag + 1);
        name = text.slice(tag + 1, nameEnd);
        at = this.attributes(nameEnd);
        if (this.xmlns !== undefined) throw DECLINED;
      }
      const element: Tag = { name, n: this.n, refId: this.refId, start: NOWHERE };
      builder.open(element);
      if (this.selfClosing) builder.close();
      else openNames.push(name);
    }
    return at;
  }

  /** The end of the name starting at `at`; declines a name with a prefix or outside ASCII. */
  private name(at: number): number {
    const text = this.text;
    if (!isNameStart(text.charCodeAt(at))) throw DECLINED;
    let end = at + 1;
    while (isNameChar(text.charCodeAt(end))) end++;
    return end;
  }

  /** The attributes after a start tag's name, through its ">" or "/>"; returns the position after it. */
  attributes(start: number): number {
    const text = this.text;
    this.n = undefined;
    this.refId = undefined;
    this.xmlns = undefined;
    let seen: string[] | null = null;
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
      // Attributes are separated from the name and from each other by white space.
      if (!isSpace(code)) throw DECLINED;
      at = this.skipSpace(at);
      const first = text.charCodeAt(at);
      if (first === GREATER_THAN || first === SLASH) continue;
      const nameEnd = this.name(at);
      const name = text.slice(at, nameEnd);
      at = this.skipSpace(nameEnd);
      if (text.charCodeAt(at) !== EQUALS) throw DECLINED;
      at = this.skipSpace(at + 1);
      const quote = text.charCodeAt(at);
      if (quote !== QUOTE && quote !== APOSTROPHE) throw DECLINED;
      const end = text.indexOf(quote === QUOTE ? '"' : "'", at + 1);
      if (end < 0) throw DECLINED;
      const value = this.attributeValue(at + 1, end);
      at = end + 1;
      if (seen === null) seen = [name];
      else if (seen.includes(name)) throw DECLINED;
      else seen.push(name);
      if (name === 'N') this.n = value;
      else if (name === 'RefId') this.refId = value;
      else if (name === 'xmlns') this.xmlns = value;
    }
  }

  /** An attribute's value; white space other than a space would need normalising, and is declined. */
  private attributeValue(start: number, end: number): string {
    const text = this.text;
    let plain = true;
    for (let at = start; at < end; at++) {
      const code = text.charCodeAt(at);
      if (code >= SPACE && code < 0xd800 && code !== LESS_THAN && code !== AMPERSAND) continue;
      if (code === AMPERSAND) plain = false;
      else if (code === LESS_THAN || code < SPACE) throw DECLINED;
      else at = this.checkHighCharacter(at, code);
    }
    return plain ? text.slice(start, end) : this.decodeReferences(start, end);
  }

  /** Text between tags: checked, and handed on only where it is part of a value. */
  private textRun(start: number, end: number): void {
    const text = this.text;
    // Both searches stop at the latest at text[end], which is "<".
    NOT_SPACE.lastIndex = start;
    let at = NOT_SPACE.test(text) ? NOT_SPACE.lastIndex - 1 : end;
    if (at >= end) {
      if (this.builder?.wantsText) this.builder.text(normalizeLineEnds(text.slice(start, end)));
      return;
    }
    TEXT_SPECIAL.lastIndex = at;
    if (TEXT_SPECIAL.test(text) && TEXT_SPECIAL.lastIndex - 1 === end) {
      if (this.builder?.wantsText) this.builder.text(text.slice(start, end));
      return;
    }
    let plain = true;
    for (; at < end; at++) {
      const code = text.charCodeAt(at);
      if (code >= SPACE && code < 0xd800 && code !== AMPERSAND && code !== BRACKET_CLOSE) continue;
      if (code === AMPERSAND) plain = false;
      else if (code === BRACKET_CLOSE) {
        if (text.startsWith(']]>', at)) throw DECLINED;
      } else if (code === LF || code === TAB) continue;
      else if (code === CR) plain = false;
      else if (code < SPACE) throw DECLINED;
      else at = this.checkHighCharacter(at, code);
    }
    // References are checked even where the text means nothing: an undefined entity is an error anywhere.
    const decoded = plain ? null : this.decodeReferences(start, end);
    if (this.builder?.wantsText) this.builder.text(decoded ?? text.slice(start, end));
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
    for (let at = text.indexOf('&', start); at >= 0 && at < end; at = text.indexOf('&', from)) {
      const semicolon = text.indexOf(';', at + 1);
      if (semicolon < 0 || semicolon >= end || semicolon - at > 10) throw DECLINED;
      result += normalizeLineEnds(text.slice(from, at)) + reference(text.slice(at + 1, semicolon));
      from = semicolon + 1;
    }
    return result + normalizeLineEnds(text.slice(from, end));
  }

  private skipSpace(start: number): number {
    const text = this.text;
    let at = start;
    while (isSpace(text.charCodeAt(at))) at++;
    return at;
  }
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
