import { describe, expect, it } from '@jest/globals';
import { RegexBudgetExceeded, testWithinBudget } from '../../src/change/regex-budget.js';

describe('regular expressions under a time budget', () => {
  it('answers as RegExp.test does', () => {
    expect(testWithinBudget(/^ex\d+\\/iu, 'EX02\\Relay')).toBe(true);
    expect(testWithinBudget(/^ex\d+\\/u, 'EX02\\Relay')).toBe(false);
    expect(testWithinBudget(/relay$/iu, 'EX02\\Relay')).toBe(true);
  });

  it('stops a match that backtracks past the budget, and the next test still works', () => {
    const started = Date.now();
    expect(() => testWithinBudget(/^(a+)+$/u, `${'a'.repeat(60)}!`, 300)).toThrow(RegexBudgetExceeded);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(testWithinBudget(/^(a+)+$/u, 'aaaa')).toBe(true);
  });
});
