/** PowerShell's comparison and arithmetic operators, for the values exrelay follows (case-insensitive unless C-prefixed). */

import { RegexBudgetExceeded, testWithinBudget } from './regex-budget.js';
import { enumerate, isArray, isTrue, psArray, toText, type Value } from './values.js';
import { wildcardMatcher } from './wildcard.js';

export class OperatorError extends Error {}

function regExp(pattern: string, caseSensitive: boolean): RegExp {
  try {
    return new RegExp(pattern, caseSensitive ? 'u' : 'iu');
  } catch {
    throw new OperatorError(`the regular expression '${pattern}' is not one exrelay can evaluate`);
  }
}

/** A test under the time budget of regex-budget.ts: a pattern that backtracks for ever stops its statement. */
function matches(pattern: RegExp, text: string): boolean {
  try {
    return testWithinBudget(pattern, text);
  } catch (error) {
    if (!(error instanceof RegexBudgetExceeded)) throw error;
    throw new OperatorError(
      `the regular expression '${pattern.source}' is not one exrelay can evaluate: ${error.message} on one value`,
    );
  }
}

function equal(left: Value, right: Value, caseSensitive: boolean): boolean {
  if (typeof left === 'boolean') return left === isTrue(right);
  if (typeof left === 'number') return left === Number(toText(right));
  if (left === null) return right === null;
  const a = toText(left);
  const b = toText(right);
  return caseSensitive ? a === b : a.toLowerCase() === b.toLowerCase();
}

type Scalar = (item: Value) => boolean;

function scalarTest(operator: string, right: Value): Scalar | null {
  const caseSensitive = operator.startsWith('C');
  const name = operator.replace(/^[CI]/, '').toLowerCase();
  switch (name) {
    case 'eq':
      return (item) => equal(item, right, caseSensitive);
    case 'ne':
      return (item) => !equal(item, right, caseSensitive);
    case 'like': {
      const matches = wildcardMatcher(toText(right), caseSensitive);
      return (item) => matches(toText(item));
    }
    case 'notlike': {
      const matches = wildcardMatcher(toText(right), caseSensitive);
      return (item) => !matches(toText(item));
    }
    case 'match': {
      const pattern = regExp(toText(right), caseSensitive);
      return (item) => matches(pattern, toText(item));
    }
    case 'notmatch': {
      const pattern = regExp(toText(right), caseSensitive);
      return (item) => !matches(pattern, toText(item));
    }
    default:
      return null;
  }
}

/** A binary operator's result; OperatorError for operators exrelay does not follow. */
export function binary(operator: string, left: Value, right: Value): Value {
  switch (operator) {
    case 'And':
      return isTrue(left) && isTrue(right);
    case 'Or':
      return isTrue(left) || isTrue(right);
    case 'Xor':
      return isTrue(left) !== isTrue(right);
    case 'Plus':
      return add(left, right);
    case 'Minus':
      if (typeof left === 'number') return left - Number(toText(right));
      throw new OperatorError('subtraction is only followed for numbers');
    case 'Format':
      return toText(left).replace(/\{(\d+)\}/g, (_, index: string) =>
        toText(enumerate(right)[Number(index)] ?? null),
      );
  }
  const caseSensitive = operator.startsWith('C');
  const name = operator.replace(/^[CI]/, '').toLowerCase();
  if (name === 'contains' || name === 'notcontains') {
    const found = enumerate(left).some((item) => equal(item, right, caseSensitive));
    return name === 'contains' ? found : !found;
  }
  if (name === 'in' || name === 'notin') {
    const found = enumerate(right).some((item) => equal(item, left, caseSensitive));
    return name === 'in' ? found : !found;
  }
  const test = scalarTest(operator, right);
  if (!test)
    throw new OperatorError(
      `the operator -${operator.replace(/^I/, '').toLowerCase()} is not one exrelay evaluates`,
    );
  // With a collection on the left, PowerShell returns the items that pass.
  if (isArray(left)) return psArray(left.items.filter(test));
  return test(left);
}

/** `+`: arrays concatenate, strings join, numbers add; $null + x is x. */
export function add(left: Value, right: Value): Value {
  if (left === null) return right;
  if (isArray(left)) return psArray([...left.items, ...enumerate(right)], left.multiValued);
  if (typeof left === 'string') return left + toText(right);
  if (typeof left === 'number') return left + Number(toText(right));
  throw new OperatorError('addition is only followed for strings, numbers and collections');
}

/** `-=` on a collection, as admins use it on RemoteIPRanges: the value's items are taken out. */
export function subtract(left: Value, right: Value): Value {
  if (typeof left === 'number') return left - Number(toText(right));
  if (isArray(left)) {
    const removed = enumerate(right).map((item) => toText(item).toLowerCase());
    return psArray(
      left.items.filter((item) => !removed.includes(toText(item).toLowerCase())),
      left.multiValued,
    );
  }
  throw new OperatorError('-= is only followed for numbers and collections');
}
