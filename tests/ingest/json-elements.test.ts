import { describe, expect, it } from '@jest/globals';
import {
  JsonElementsError,
  lineAndColumnAt,
  NOT_READ,
  readJsonObjectByElements,
  type ElementSink,
} from '../../src/ingest/json-elements.js';

const utf8 = (text: string) => Buffer.from(text, 'utf8') as Uint8Array;

/** The first member every object read here must have. */
const LEAD = { key: 'kind', value: 'x' };

/** Reads `text`, streaming the members named in `streamed`; returns the object and each element as it came. */
function read(text: string, streamed: readonly string[] = ['items']) {
  const seen: Array<[string, unknown]> = [];
  const sink = (key: string): ElementSink => {
    const items: unknown[] = [];
    return {
      add: (element) => {
        seen.push([key, element]);
        items.push(element);
      },
      finish: () => items,
    };
  };
  const value = readJsonObjectByElements(utf8(text), LEAD, (key) =>
    streamed.includes(key) ? sink(key) : undefined,
  );
  return { value, seen };
}

function errorOf(text: string): JsonElementsError {
  try {
    read(text);
  } catch (error) {
    expect(error).toBeInstanceOf(JsonElementsError);
    return error as JsonElementsError;
  }
  throw new Error('read accepted the input');
}

describe('readJsonObjectByElements', () => {
  it('gives what JSON.parse gives, handing each streamed element over in order', () => {
    const text =
      ' {"kind":"x", "items" : [ {"a":[1,{"b":"]}\\"["}]} ,2,"three",null,[] ],\n"other":[{"c":true}],"empty":[]} ';
    const { value, seen } = read(text, ['items', 'empty']);
    expect(value).toEqual(JSON.parse(text));
    expect(seen).toEqual([
      ['items', { a: [1, { b: ']}"[' }] }],
      ['items', 2],
      ['items', 'three'],
      ['items', null],
      ['items', []],
    ]);
  });

  it('refuses a member written twice in one object, at the byte offset of its second name', () => {
    const cases: Array<[string, string]> = [
      ['{"kind":"x","a":1,"items":[1],"b":2,"a":3}', '"a":3'],
      ['{"kind":"x","items":[1],"b":2,"items":[4,5]}', '"items":[4'],
      ['{"kind":"x","items":[{"a":1,"b":{"a":2},"\\u0061":3}]}', '"\\u0061":3'],
      ['{"kind":"x","other":{"é":[{}],"é":1}}', '"é":1'],
    ];
    for (const [text, second] of cases) {
      const error = errorOf(text);
      expect(error.problem).toMatch(/^the member "(a|items|é)" is written twice in one object$/);
      expect(error.offset).toBe(Buffer.byteLength(text.slice(0, text.indexOf(second))));
    }
  });

  it('keeps __proto__ as a member, as JSON.parse does', () => {
    const text = '{"kind":"x","a":1,"items":[1],"b":2,"__proto__":{"polluted":true}}';
    const { value } = read(text);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(value).toEqual(parsed);
    expect(Object.keys(value as object)).toEqual(Object.keys(parsed));
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('leaves anything but an object led by its first member, and bytes that are not UTF-8, to the whole-text reader', () => {
    expect(read('[1, 2]').value).toBe(NOT_READ);
    expect(read('"text"').value).toBe(NOT_READ);
    expect(read('').value).toBe(NOT_READ);
    expect(read('{}').value).toBe(NOT_READ);
    expect(read('{"items":[1],"kind":"x"}')).toEqual({ value: NOT_READ, seen: [] });
    expect(read('{"kind":"y","items":[1]}')).toEqual({ value: NOT_READ, seen: [] });
    // Left before the large member is parsed: a malformed one is not even seen.
    expect(read('{"value":[1,,],"kind":"x"}').value).toBe(NOT_READ);
    const latin1 = Buffer.from('{"kind":"x","items":["Gr\u00fc\u00dfe"]}', 'latin1') as Uint8Array;
    expect(readJsonObjectByElements(latin1, LEAD, () => undefined)).toBe(NOT_READ);
  });

  it('finds the first problem in order whether bytes that are not UTF-8 come before or after it', () => {
    const readBytes = (bytes: Uint8Array) => {
      try {
        return readJsonObjectByElements(bytes, LEAD, () => undefined);
      } catch (error) {
        return error;
      }
    };
    const bytes = (text: string) => Buffer.from(text, 'latin1') as Uint8Array;
    // Malformed first: the error, as when all the bytes are UTF-8.
    const malformedFirst = '{"kind":"x","a":[1,,2],"b":"Gr\u00fc\u00dfe"}';
    const error = readBytes(utf8(malformedFirst));
    expect(error).toMatchObject({ offset: malformedFirst.indexOf(',,') + 1 });
    expect(readBytes(bytes(malformedFirst))).toEqual(error);
    // Not UTF-8 first: left to the whole-text reader.
    expect(readBytes(bytes('{"kind":"x","b":"Gr\u00fc\u00dfe","a":[1,,2]}'))).toBe(NOT_READ);
    // UTF-8 throughout, characters of two, three and four bytes: read as the decoder reads them.
    expect(readBytes(utf8('{"kind":"x","b":"Gr\u00fc\u00df\u20ac\u{1f600}\ufeff","c":["\u00e9"]}'))).toEqual({
      kind: 'x',
      b: 'Gr\u00fc\u00df\u20ac\u{1f600}\ufeff',
      c: ['\u00e9'],
    });
  });

  it('finds where malformed JSON goes wrong, as a byte offset', () => {
    const at = (text: string, mark: string) => text.indexOf(mark);
    const spaced = '{"kind":"x","items":[1,2 3]}';
    expect(errorOf(spaced)).toMatchObject({
      offset: at(spaced, '3]'),
      problem: "Expected ',' or ']' after array element",
    });
    const trailing = '{"kind":"x","items":[{"a":1,}]}';
    expect(errorOf(trailing)).toMatchObject({
      offset: at(trailing, '}]'),
      problem: 'Expected double-quoted property name',
    });
    // Inside an element: the offset counts bytes, and "é" is two.
    expect(errorOf('{"kind":"x","items":["é", tru]}').offset).toBe(
      at('{"kind":"x","items":["é", tru]}', 'tru') + 1,
    );
    expect(errorOf('{"kind":"x","items":[1]} x').offset).toBe(25);
    expect(errorOf('{"kind":"x","items":[1,')).toMatchObject({
      offset: 23,
      problem: 'Unexpected end of JSON input',
    });
    expect(errorOf('{"kind":"x","items":["open]}').problem).toBe('Unterminated string in JSON');
    expect(errorOf('{"kind":"x","a" 1}').problem).toBe("Expected ':' after property name");
    expect(errorOf('{"kind":"x","a":1 "b":2}').problem).toBe("Expected ',' or '}' after property value");
  });

  it('refuses nesting deeper than 200 levels before parsing it, and takes 200', () => {
    const nested = (levels: number) =>
      `{"kind":"x","items":[${'['.repeat(levels - 2)}${']'.repeat(levels - 2)}]}`;
    expect(read(nested(200)).seen).toHaveLength(1);
    expect(errorOf(nested(201))).toMatchObject({
      offset: null,
      problem: 'JSON nested more than 200 levels deep',
    });
    expect(errorOf(`{"kind":"x","other":${'{"a":'.repeat(100_000)}`).problem).toBe(
      'JSON nested more than 200 levels deep',
    );
  });
});

describe('lineAndColumnAt', () => {
  it('counts lines, and columns in UTF-16 code units as a text editor does', () => {
    const bytes = utf8('{\n  "é😀": x');
    expect(lineAndColumnAt(bytes, 0)).toEqual([1, 1]);
    expect(lineAndColumnAt(bytes, bytes.indexOf(0x78))).toEqual([2, 10]);
  });
});
