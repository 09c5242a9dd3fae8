/**
 * PowerShell's `-like` wildcards: * any run, ? one character, [a-z] a set, ` escapes the next character.
 *
 * Matched without a regular expression: `*a*a*a*…b` as /.*a.*a.*…b/ backtracks through every way to split the
 * text (a 250-character name against 12 stars ran for minutes). The greedy walk below returns to the last star
 * only, which is enough for wildcards: at most text length × pattern length steps.
 */

import { OperatorError } from './operators.js';

const STAR = null;
/** A star, or a test for one UTF-16 code unit (what `.` and a set match in a regular expression without /u). */
type Token = typeof STAR | RegExp;

function escape(character: string): string {
  return character.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function parse(pattern: string, caseSensitive: boolean): Token[] {
  const flags = caseSensitive ? 's' : 'is';
  const tokens: Token[] = [];
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index] as string;
    let source: string;
    if (character === '`' && index + 1 < pattern.length) source = escape(pattern[++index] as string);
    else if (character === '*') {
      if (tokens[tokens.length - 1] !== STAR) tokens.push(STAR);
      continue;
    } else if (character === '?') source = '.';
    else if (character === '[') {
      const end = pattern.indexOf(']', index + 1);
      if (end < 0) throw new OperatorError(`the wildcard pattern '${pattern}' is not valid`);
      source = `[${pattern.slice(index + 1, end).replace(/[\\^]/g, '\\$&')}]`;
      index = end;
    } else source = escape(character);
    tokens.push(new RegExp(`^${source}$`, flags));
  }
  return tokens;
}

/** A test of whole texts against the pattern, as `-like` does (case-insensitive unless -clike). */
export function wildcardMatcher(pattern: string, caseSensitive: boolean): (text: string) => boolean {
  const tokens = parse(pattern, caseSensitive);
  return (text) => {
    let at = 0;
    let next = 0;
    // The last star seen, and where in the text its run ends so far; -1 before any star.
    let star = -1;
    let starEnd = 0;
    while (at < text.length) {
      const token = tokens[next];
      if (token === STAR) {
        star = next++;
        starEnd = at;
      } else if (token !== undefined && token.test(text[at] as string)) {
        next++;
        at++;
      } else if (star >= 0) {
        // Let the last star take one more character, and match the rest again from there.
        next = star + 1;
        at = ++starEnd;
      } else return false;
    }
    while (tokens[next] === STAR) next++;
    return next === tokens.length;
  };
}
