import { describe, expect, it } from '@jest/globals';
import { firstRepeatedMember } from '../../src/ingest/json-members.js';

/** The repeated name and the text from its opening quote on (10 characters of it). */
function found(text: string): [string, string] | null {
  const repeated = firstRepeatedMember(text);
  return repeated && [repeated.name, text.slice(repeated.offset, repeated.offset + 10)];
}

describe('firstRepeatedMember', () => {
  it('finds a name written twice in one object, at its second place', () => {
    expect(found('{"a":1,"b":2,"a":3}')).toEqual(['a', '"a":3}']);
    expect(found(' { "x" : { "a" : [] , "a" : null } } ')).toEqual(['a', '"a" : null']);
  });

  it('takes the same name in different objects, arrays and string values as no repeat', () => {
    expect(
      found('{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}],"c":"\\"a\\":1,\\"a\\":2","d":["a","a"]}'),
    ).toBeNull();
    expect(found('[{"k":"a"},{"k":"b"}]')).toBeNull();
    expect(found('{"a":[1,{"b":2},[3]],"b":{"a":{}}}')).toBeNull();
    expect(found('"{\\"a\\":1,\\"a\\":2}"')).toBeNull();
    expect(found('7')).toBeNull();
  });

  it('compares names as JSON.parse reads them: escapes decoded, case kept', () => {
    expect(found('{"permissions":[],"permi\\u0073sions":null}')).toEqual(['permissions', '"permi\\u00']);
    expect(found('{"a\\\\":1,"a\\\\":2}')).toEqual(['a\\', '"a\\\\":2}']);
    expect(found('{"a\\\\":1,"a":2,"A":3}')).toBeNull();
    expect(found('{"\\"":1,"\\u0022":2}')).toEqual(['"', '"\\u0022":2']);
  });

  it('goes on after a value that ends in an escaped quote or backslash', () => {
    expect(found('{"s":"x\\"},{\\"","a":1,"s":2}')).toEqual(['s', '"s":2}']);
    expect(found('{"s":"x\\\\","a":{"s":1},"s":2}')).toEqual(['s', '"s":2}']);
  });

  it('finds the repeat in an object of many members, and forgets a closed object’s names', () => {
    const members = (count: number, prefix: string) =>
      Array.from({ length: count }, (_, index) => `"${prefix}${index}":{"${prefix}${index}":1}`).join(',');
    const many = `{${members(5000, 'k')}}`;
    expect(found(many)).toBeNull();
    expect(found(`[${many},${many}]`)).toBeNull();
    expect(found(`{"a":${many},"b":${many}}`)).toBeNull();
    expect(found(`{${members(5000, 'k')},"k4999":2}`)).toEqual(['k4999', '"k4999":2}']);
    expect(found(`{"outer":1,"x":{${members(40, 'k')}},"outer":2}`)).toEqual(['outer', '"outer":2}']);
    expect(found(`{${members(40, 'k')},"x":{${members(40, 'k')}},"k3":2}`)).toEqual(['k3', '"k3":2}']);
  });

  it('reads a million members without quadratic time', () => {
    const text = `{${Array.from({ length: 1_000_000 }, (_, index) => `"m${index}":0`).join(',')},"m0":1}`;
    expect(firstRepeatedMember(text)?.name).toBe('m0');
  });
});
