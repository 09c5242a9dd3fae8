import { describe, expect, it } from '@jest/globals';
import {
  firstCaseVariant,
  hasCaseVariants,
  setWrittenLast,
  settleCaseVariants,
} from '../../src/ingest/property-names.js';
import type { PsValue } from '../../src/ingest/ps-value.js';

const properties = (...entries: Array<[string, PsValue]>) => new Map<string, PsValue>(entries);

describe('property names that differ only in case', () => {
  it('are found among few names and among many, and told from names that differ otherwise', () => {
    expect(firstCaseVariant(['Identity', 'Range', 'range'])).toEqual(['Range', 'range']);
    expect(firstCaseVariant(['Identity', 'Ranges', 'range'])).toBeNull();
    const many = Array.from({ length: 40 }, (_, index) => `Name${index}`);
    expect(firstCaseVariant(many)).toBeNull();
    expect(firstCaseVariant([...many, 'NAME7'])).toEqual(['Name7', 'NAME7']);
    expect(hasCaseVariants(properties(['A', 1], ['b', 2]))).toBe(false);
    // The same shape again, now remembered: still told apart from one with a variant.
    expect(hasCaseVariants(properties(['A', 3], ['b', 4]))).toBe(false);
    expect(hasCaseVariants(properties(['A', 3], ['a', 4]))).toBe(true);
    expect(hasCaseVariants(new Map(many.map((name) => [name, null])))).toBe(false);
    expect(hasCaseVariants(new Map([...many, 'name0'].map((name) => [name, null])))).toBe(true);
  });

  it('settle on the one written last, as Import-Clixml reads them', () => {
    const read = properties(['Identity', 'x'], ['Range', '10.0.0.5'], ['RANGE', '0.0.0.0/0']);
    settleCaseVariants(read);
    expect([...read]).toEqual([
      ['Identity', 'x'],
      ['RANGE', '0.0.0.0/0'],
    ]);
    // Range, RANGE, then Range again: the last write is Range's.
    const rewritten = properties(['Range', '0.0.0.0/0'], ['RANGE', '10.0.0.6']);
    setWrittenLast(rewritten, 'Range', '10.0.0.5');
    settleCaseVariants(rewritten);
    expect([...rewritten]).toEqual([['Range', '10.0.0.5']]);
  });

  it('leave a map without them as it is', () => {
    const read = properties(['Identity', 'x'], ['Range', '10.0.0.5']);
    settleCaseVariants(read);
    expect([...read]).toEqual([
      ['Identity', 'x'],
      ['Range', '10.0.0.5'],
    ]);
  });
});
