/**
 * Members written twice in one JSON object. JSON.parse keeps the last value without a word, so a snapshot could
 * show a reader one `permissions` list and give exrelay another; exrelay refuses such a snapshot instead.
 */

import {
  BACKSLASH,
  BRACE_CLOSE,
  BRACE_OPEN,
  BRACKET_CLOSE,
  BRACKET_OPEN,
  COMMA,
  QUOTE,
} from './char-codes.js';
import { quotedExcerpt } from './quoted-excerpt.js';

/** A member whose name an earlier member of the same object already has. */
export interface RepeatedMember {
  /** Where the repeated name's opening quote stands in the text. */
  offset: number;
  name: string;
}

/** An object with more members than this looks its names up in a set: a hostile object may have millions. */
const LINEAR_NAMES = 32;

/** For arrays on the stack of open values: they have no names. */
const ARRAY = -1;

/**
 * The first repeated member in `text`, in document order, or null. `text` must be JSON that JSON.parse accepts:
 * only strings and brackets are followed. Names are compared as JSON.parse reads them (escapes decoded).
 */
export function firstRepeatedMember(text: string): RepeatedMember | null {
  /** The names of the open objects, one after another; `starts` says where each object's names begin. */
  const names: string[] = [];
  const starts: number[] = [];
  /** The set of an open object's names, once it has more than LINEAR_NAMES of them (by its place in `starts`). */
  const sets = new Map<number, Set<string>>();
  let expectName = false;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === QUOTE) {
      const end = stringEnd(text, at);
      if (expectName) {
        const name = nameOf(text, at, end);
        if (isRepeated(name, names, starts, sets)) return { offset: at, name };
        expectName = false;
      }
      at = end - 1;
    } else if (code === BRACE_OPEN) {
      starts.push(names.length);
      expectName = true;
    } else if (code === BRACKET_OPEN) starts.push(ARRAY);
    else if (code === BRACE_CLOSE || code === BRACKET_CLOSE) {
      const start = starts.pop() as number;
      if (start !== ARRAY) names.length = start;
      if (sets.size > 0) sets.delete(starts.length);
    } else if (code === COMMA) expectName = starts[starts.length - 1] !== ARRAY;
  }
  return null;
}

/** Whether the innermost open object has `name` already; if not, it has it from now on. */
function isRepeated(
  name: string,
  names: string[],
  starts: number[],
  sets: Map<number, Set<string>>,
): boolean {
  const level = starts.length - 1;
  const start = starts[level] as number;
  const set = sets.get(level);
  if (set !== undefined) {
    const size = set.size;
    return set.add(name).size === size;
  }
  for (let index = start; index < names.length; index++) if (names[index] === name) return true;
  names.push(name);
  if (names.length - start > LINEAR_NAMES) sets.set(level, new Set(names.splice(start)));
  return false;
}

/** The offset after the closing quote of the string whose opening quote is at `start`. */
function stringEnd(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1);
  for (;;) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    quote = text.indexOf('"', quote + 1);
  }
}

/** The name the string between `start` and `end` (quotes included) stands for. */
function nameOf(text: string, start: number, end: number): string {
  const name = text.slice(start + 1, end - 1);
  return name.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : name;
}

/** "the member "permissions" is written twice in one object" */
export function repeatedMemberProblem(name: string): string {
  return `the member ${shownName(name)} is written twice in one object`;
}

/** A member's name as an error shows it: quoted, escaped, and cut short when long. */
export function shownName(name: string): string {
  return quotedExcerpt(name, 60);
}
