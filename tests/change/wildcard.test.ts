/**
 * -like wildcards, matched without a regular expression: the same answers as the /^…$/ a pattern used to become,
 * and no backtracking through every split of the text.
 */

import { describe, expect, it } from '@jest/globals';
import { binary } from '../../src/change/operators.js';
import { wildcardMatcher } from '../../src/change/wildcard.js';

const CASES: Array<[pattern: string, text: string, like: boolean]> = [
  ['*Default*', 'EX02\\Default Frontend EX02', true],
  ['*default*', 'EX02\\Default Frontend EX02', true],
  ['Relay*', 'Relay Printers', true],
  ['Relay*', 'My Relay', false],
  ['*Relay', 'My Relay', true],
  ['R?lay', 'Relay', true],
  ['R?lay', 'Rlay', false],
  ['EX0[12]\\*', 'EX02\\Relay', true],
  ['EX0[12]\\*', 'EX03\\Relay', false],
  ['EX0[1-3]*', 'EX03 x', true],
  ['[^a]*', '^bc', true],
  ['a`*b', 'a*b', true],
  ['a`*b', 'axb', false],
  ['a`?', 'a?', true],
  ['*', '', true],
  ['', '', true],
  ['', 'a', false],
  ['?', '', false],
  ['**a**', 'bab', true],
  ['*a*b*c', 'xaxbxcxc', true],
  ['*a*b*c', 'xaxbxcx', false],
  ['a*a*a', 'aa', false],
  ['a*a*a', 'aaa', true],
  ['line*end', 'line\nend', true],
  ['.+', '.+', true],
  ['(x)', '(x)', true],
  ['(x)', 'x', false],
];

describe('-like wildcards', () => {
  it.each(CASES)('%j -like %j is %s', (pattern, text, like) => {
    expect(wildcardMatcher(pattern, false)(text)).toBe(like);
    expect(binary('Ilike', text, pattern)).toBe(like);
    expect(binary('Inotlike', text, pattern)).toBe(!like);
  });

  it('-clike compares case; -like does not', () => {
    expect(binary('Clike', 'Relay', 'relay*')).toBe(false);
    expect(binary('Ilike', 'Relay', 'relay*')).toBe(true);
  });

  it('an unclosed set is not a pattern exrelay evaluates', () => {
    expect(() => binary('Ilike', 'x', 'EX0[12')).toThrow("the wildcard pattern 'EX0[12' is not valid");
  });

  it('twelve stars against a long name that does not match answer at once (as a regular expression: minutes)', () => {
    const name = 'a'.repeat(250);
    const pattern = `${'*a'.repeat(12)}*b`;
    expect(wildcardMatcher(pattern, false)(name)).toBe(false);
    expect(wildcardMatcher(pattern, false)(`${name}b`)).toBe(true);
  });
});
