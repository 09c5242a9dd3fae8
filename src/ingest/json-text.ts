/**
 * JSON text → value, with the two guarantees the rest of exrelay relies on: a malformed file is reported in one
 * line with its line and column (V8's own message can quote the whole file), and no value is nested deeper
 * than MAX_JSON_DEPTH, so nothing downstream (validation, merging, JSON.stringify) can run out of stack.
 */

/** Deeper than any Exchange export (ConvertTo-Json stops at 100) or exrelay snapshot (about 5). */
export const MAX_JSON_DEPTH = 200;

export class JsonTextError extends Error {}

export function parseJsonText(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new JsonTextError(describeSyntaxError(text, (error as Error).message));
  }
  if (depthExceeds(value, MAX_JSON_DEPTH))
    throw new JsonTextError(`JSON nested more than ${MAX_JSON_DEPTH} levels deep`);
  return value;
}

/** Walks the value without recursion: true as soon as some array or object lies deeper than `limit`. */
function depthExceeds(root: unknown, limit: number): boolean {
  const values: unknown[] = [root];
  const depths: number[] = [1];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop() as number;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > limit) return true;
    // Children are visited in place (no array of each object's values): a snapshot has millions of them.
    if (Array.isArray(value)) {
      for (const child of value) {
        if (typeof child === 'object' && child !== null) {
          values.push(child);
          depths.push(depth + 1);
        }
      }
      continue;
    }
    const object = value as Record<string, unknown>;
    for (const key in object) {
      const child = object[key];
      if (typeof child === 'object' && child !== null) {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/** "malformed JSON at line 3, column 7: Expected ',' or ']' after array element" */
function describeSyntaxError(text: string, message: string): string {
  const { offset, problem } = syntaxErrorAt(text, message);
  const { line, column } = lineAndColumn(text, offset);
  return malformedJson(line, column, problem);
}

export function malformedJson(line: number, column: number, problem: string): string {
  return `malformed JSON at line ${line}, column ${column}: ${problem}`;
}

/** Where in `text` JSON.parse's error `message` lies (a character offset), and the problem in one short line. */
export function syntaxErrorAt(text: string, message: string): { offset: number; problem: string } {
  const stated = / at position (\d+)/.exec(message);
  const offset = stated ? Number(stated[1]) : firstErrorOffset(text);
  // V8 words some errors as `Unexpected token 'x', "<the text>" is not valid JSON`: keep the first part only.
  const problem = message
    .replace(/(?: in JSON)? at position \d+.*$/s, '')
    .replace(/, ".*$/s, '')
    .replace(/\s+/g, ' ')
    .trim();
  return { offset, problem };
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LITERALS = ['true', 'false', 'null'];

/**
 * Where a JSON text first goes wrong, for the errors V8 reports without a position. Only runs on text that
 * JSON.parse has already refused. Returns the text's length when it simply ends too early.
 */
function firstErrorOffset(text: string): number {
  type State = 'value' | 'firstItem' | 'key' | 'firstKey' | 'colon' | 'after';
  const closers: string[] = [];
  let state: State = 'value';
  let at = 0;
  for (;;) {
    while (at < text.length && ' \t\n\r'.includes(text.charAt(at))) at++;
    if (at >= text.length) return text.length;
    const character = text.charAt(at);
    if (state === 'after') {
      const closer = closers[closers.length - 1];
      if (closer === undefined) return at;
      if (character === closer) {
        closers.pop();
        at++;
      } else if (character === ',') {
        state = closer === '}' ? 'key' : 'value';
        at++;
      } else return at;
      continue;
    }
    if (state === 'colon') {
      if (character !== ':') return at;
      state = 'value';
      at++;
      continue;
    }
    if ((state === 'firstItem' && character === ']') || (state === 'firstKey' && character === '}')) {
      closers.pop();
      state = 'after';
      at++;
      continue;
    }
    if (state === 'key' || state === 'firstKey') {
      if (character !== '"') return at;
      const end = stringEnd(text, at);
      if (end < 0) return -end;
      state = 'colon';
      at = end;
      continue;
    }
    if (character === '{' || character === '[') {
      closers.push(character === '{' ? '}' : ']');
      state = character === '{' ? 'firstKey' : 'firstItem';
      at++;
      continue;
    }
    if (character === '"') {
      const end = stringEnd(text, at);
      if (end < 0) return -end;
      at = end;
    } else if (character === '-' || (character >= '0' && character <= '9')) {
      NUMBER.lastIndex = at;
      if (!NUMBER.test(text)) return at;
      at = NUMBER.lastIndex;
    } else {
      const literal = LITERALS.find((word) => text.startsWith(word, at));
      if (literal === undefined) return at;
      at += literal.length;
    }
    state = 'after';
  }
}

/** The offset after a string's closing quote, or minus the offset of its first fault. */
function stringEnd(text: string, start: number): number {
  for (let at = start + 1; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x22) return at + 1;
    if (code < 0x20) return -at;
    if (code === 0x5c) {
      const escape = text.charAt(at + 1);
      if (escape === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) return -(at + 1);
        at += 5;
      } else if ('"\\/bfnrt'.includes(escape) && escape !== '') at++;
      else return -(at + 1);
    }
  }
  return -text.length;
}
