/**
 * The fast CLIXML scanner must give exactly what the strict (saxes) reader gives, and must decline — so that
 * the strict reader reports the problem with its position — every document the strict reader refuses.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ClixmlError, isScannedFast, MAX_XML_DEPTH, parseClixml } from '../../src/ingest/clixml.js';
import { parseClixmlStrictly } from '../../src/ingest/clixml-strict.js';
import { decodeText } from '../../src/ingest/encoding.js';
import type { PsObject, PsValue } from '../../src/ingest/ps-value.js';
import { seededRandom } from '../net/seeded-random.js';
import { clixmlExports } from '../support/shared-data.js';
import { damaged } from '../support/damage.js';

const OBJS_START = '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">';
const doc = (body: string) => `${OBJS_START}\n${body}\n</Objs>`;

const EXPORTS = clixmlExports();
const textOf = (file: string) => decodeText(readFileSync(file)).text;

type Outcome = { values: PsValue[] } | { error: string };

function outcome(read: (text: string) => PsValue[], text: string): Outcome {
  try {
    return { values: read(text) };
  } catch (error) {
    if (!(error instanceof ClixmlError)) throw error;
    return { error: error.message };
  }
}

describe('the fast CLIXML scanner', () => {
  it.each(EXPORTS)('reads %s itself, with the same values as the strict reader', (file) => {
    const text = textOf(file);
    expect(isScannedFast(text)).toBe(true);
    expect(parseClixml(text)).toEqual(parseClixmlStrictly(text));
  });

  it.each([
    ['a comment', doc('<!-- note --><S>a</S>')],
    ['CDATA', doc('<S><![CDATA[a<b]]></S>')],
    ['a processing instruction', doc('<?pi x?><S>a</S>')],
    ['a namespace prefix', doc('<ps:S xmlns:ps="http://schemas.microsoft.com/powershell/2004/04">a</ps:S>')],
    ['a redeclared default namespace', doc('<Obj RefId="0" xmlns="urn:other"><S N="a">x</S></Obj>')],
    ['a non-ASCII element name', doc('<Ä>x</Ä>')],
    ['a tab inside an attribute value', doc('<S N="a\tb">x</S>')],
    ['a lone surrogate', doc('<S>a\ud800b</S>')],
    ['an XML 1.1 declaration', `<?xml version="1.1"?>${doc('<S>a</S>')}`],
  ])('declines %s, which the strict reader reads to the same values', (_what, text) => {
    expect(isScannedFast(text)).toBe(false);
    expect(outcome(parseClixml, text)).toEqual(outcome(parseClixmlStrictly, text));
    expect('values' in outcome(parseClixml, text)).toBe(true);
  });

  it.each([
    ['an undefined entity', doc('<S>&nbsp;</S>')],
    ['a reference to a control character', doc('<S>&#1;</S>')],
    ['a raw control character', doc('<S>a\u0001b</S>')],
    ['"]]>" in text', doc('<S>a]]>b</S>')],
    ['a duplicate attribute', doc('<S N="a" N="b">x</S>')],
    ['attributes without a space between them', doc('<Obj RefId="0"N="a"></Obj>')],
    ['a mismatched end tag', doc('<S>a</B>')],
    ['"<" in an attribute value', doc('<S N="a<b">x</S>')],
    ['text after the root element', `${doc('<S>a</S>')}x`],
    ['a second root element', `${doc('<S>a</S>')}${doc('<S>b</S>')}`],
    ['a DOCTYPE', `<!DOCTYPE Objs [<!ENTITY a "b">]>${doc('<S>&a;</S>')}`],
    ['an unclosed root element', `${OBJS_START}<S>a</S>`],
    ['a bad integer', doc('<I32>x</I32>')],
    ['a <Ref> to no object', doc('<Ref RefId="7" />')],
    // With no <Ref> in the document an <Obj>'s RefId is not kept, but it must still be checked.
    [
      'an undefined entity in an unreferenced RefId',
      doc('<Obj RefId="&bogus;"><MS><S N="a">x</S></MS></Obj>'),
    ],
    ['"<" in an unreferenced RefId', doc('<Obj RefId="a<b"><MS><S N="a">x</S></MS></Obj>')],
    ['a raw control character in an unreferenced RefId', doc('<Obj RefId="a\u0001"><MS /></Obj>')],
    ['a duplicate unreferenced RefId attribute', doc('<Obj RefId="0" RefId="1"><MS /></Obj>')],
  ])('declines %s, and the strict reader reports it', (_what, text) => {
    expect(isScannedFast(text)).toBe(false);
    const strict = outcome(parseClixmlStrictly, text);
    expect(strict).toHaveProperty('error');
    expect(outcome(parseClixml, text)).toEqual(strict);
  });

  it('reads references, line ends and character references as XML defines them', () => {
    const text = doc('<S N="a&amp;b&#65;">x&lt;&#x263A;&#13;\r\ny\rz</S><S>\r\n</S>');
    expect(isScannedFast(text)).toBe(true);
    expect(parseClixml(text)).toEqual(parseClixmlStrictly(text));
    expect(parseClixml(text)).toEqual(['x<\u263a\r\ny\nz', '\n']);
  });

  it('hands on each value as written when thousands of values and property names share lengths and repeat', () => {
    const values = Array.from({ length: 20_000 }, (_, index) => {
      const digits = String(index % 7919).padStart(5, '0');
      return `<Obj RefId="${index}"><MS><S N="P${digits.slice(2)}">V${digits}</S><S N="Q">${'x'.repeat(index % 70)}</S></MS></Obj>`;
    });
    const text = doc(values.join('\n'));
    expect(isScannedFast(text)).toBe(true);
    expect(parseClixml(text)).toEqual(parseClixmlStrictly(text));
  });

  it('reads RefIds written with references, and type name lists named again by <TNRef>', () => {
    const text = doc(
      [
        '<Obj RefId="&#48;"><TN RefId="t&amp;0"><T>A</T><T>System.Object</T></TN><MS><S N="a">x</S></MS></Obj>',
        '<Obj RefId="1"><TNRef RefId="t&amp;0" /><LST><Obj RefId="2"><TNRef RefId="t&amp;0" /></Obj></LST></Obj>',
        '<Obj RefId="3"><TNRef RefId="t&amp;0" /><MS><Ref N="first" RefId="0" /><Ref N="second" RefId="2" /></MS></Obj>',
      ].join('\n'),
    );
    expect(isScannedFast(text)).toBe(true);
    expect(parseClixml(text)).toEqual(parseClixmlStrictly(text));
    const [first, second, third] = parseClixml(text) as PsObject[];
    expect(second?.typeNames).toEqual(['A', 'System.Object']);
    expect(third?.properties.get('first')).toBe(first);
    expect(third?.properties.get('second')).toBe(second?.items?.[0]);
  });

  it('normalises line ends that come before other text in a value', () => {
    const text = doc('<S>\r\nx</S><S>a\rb</S><S N="a">\r\n  y\r\n</S>');
    expect(isScannedFast(text)).toBe(true);
    expect(parseClixml(text)).toEqual(parseClixmlStrictly(text));
    expect(parseClixml(text)).toEqual(['\nx', 'a\nb', '\n  y\n']);
  });

  it('gives the same result or the same error as the strict reader for thousands of damaged exports', () => {
    const snippets = [
      '<',
      '>',
      '&',
      '&amp;',
      '&#x1;',
      '&#65;',
      '&bogus;',
      '"',
      "'",
      '=',
      ':',
      '\t',
      '\r\n',
      '\u0001',
      ']]>',
      '<!-- c -->',
      '<![CDATA[x]]>',
      ' xmlns="urn:x"',
      ' N="a"',
      ' RefId="0"',
      '</S>',
      '<S>',
      '<Obj RefId="0">',
      '</Obj>',
      '<Ref RefId="1" />',
      '<TNRef RefId="0" />',
      '\ud83d\ude00',
      '\ud800',
      '/>',
    ];
    const seeds = EXPORTS.filter((file) => readFileSync(file).length < 200_000).map(textOf);
    const random = seededRandom(20261129);
    const counts = { fast: 0, declined: 0, errors: 0 };
    for (let round = 0; round < 3000; round++) {
      const text = seeds[round % seeds.length] as string;
      const damage = damaged(text, snippets, random);
      const strict = outcome(parseClixmlStrictly, damage);
      const result = outcome(parseClixml, damage);
      if (!('error' in strict) || !('error' in result) || strict.error !== result.error)
        expect({ round, result }).toEqual({ round, result: strict });
      if (isScannedFast(damage)) counts.fast++;
      else counts.declined++;
      if ('error' in strict) counts.errors++;
    }
    // The damage must exercise both paths and both outcomes, or this test proves nothing.
    expect(counts.fast).toBeGreaterThan(300);
    expect(counts.declined).toBeGreaterThan(300);
    expect(counts.errors).toBeGreaterThan(300);
  });
});

describe('elements that hold only text, which the builder reads in one call', () => {
  it.each([
    [
      'properties',
      '<Obj RefId="0"><MS><S N="a">x</S><I32 N="b"> 7 </I32><Nil N="c" /><B N="d">true</B></MS></Obj>',
    ],
    ['the first of two properties of one name', '<Obj RefId="0"><MS><S N="a">x</S><S N="a">y</S></MS></Obj>'],
    ['escaped property names and text', '<Obj RefId="0"><MS><S N="a_x0020_b">x_x000A_</S></MS></Obj>'],
    ['items of a list', '<Obj RefId="0"><LST><S>a</S><S></S><S /><Nil /><I32>1</I32></LST></Obj>'],
    ['top-level values', '<S>a</S><S></S><S/><I64>-5</I64><B>0</B>'],
    ['text with references and line ends', '<Obj RefId="0"><MS><S N="a">a&amp;b&#13;\r\nc\rd</S></MS></Obj>'],
    ['an end tag with a space', '<Obj RefId="0"><MS><S N="a">x</S ></MS></Obj>'],
    [
      'elements that are not values',
      '<Obj RefId="0"><TN RefId="0"><T>A</T></TN><ToString>t</ToString><MS></MS><LST></LST></Obj><Obj></Obj>',
    ],
    [
      'text where it means nothing',
      '<Obj RefId="0"><DCT><S>x</S></DCT><Other>y</Other><MS><Other N="o">z</Other></MS></Obj>',
    ],
    [
      'a progress record',
      '<PR N="x"><AV>a</AV><AI>1</AI><Nil /><PI>-1</PI><PC>5</PC><T>Completed</T><SR>-1</SR></PR>',
    ],
  ])('reads %s as the strict reader does', (_what, body) => {
    const text = doc(body);
    expect(isScannedFast(text)).toBe(true);
    expect(parseClixml(text)).toEqual(parseClixmlStrictly(text));
  });

  it.each([
    ['a bad integer', '<Obj RefId="0"><MS><I32 N="a">x</I32></MS></Obj>'],
    ['a property without a name', '<Obj RefId="0"><MS><S>x</S></MS></Obj>'],
    ['a bad boolean in a list', '<Obj RefId="0"><LST><B>maybe</B></LST></Obj>'],
    ['an empty integer', '<I32 />'],
  ])('declines %s, and the strict reader reports it', (_what, body) => {
    const text = doc(body);
    expect(isScannedFast(text)).toBe(false);
    const strict = outcome(parseClixmlStrictly, text);
    expect(strict).toHaveProperty('error');
    expect(outcome(parseClixml, text)).toEqual(strict);
  });

  it(`refuses a value in a list ${MAX_XML_DEPTH} levels deep, and reads one a level higher`, () => {
    // <En> puts the list at an even depth: <Objs> 1, then <Obj><DCT><En><Obj N="Value"><LST> 2 to 6.
    const nested = (pairs: number) =>
      `${OBJS_START}<Obj><DCT><En><S N="Key">k</S><Obj N="Value"><LST>${'<Obj><LST>'.repeat(pairs)}<S>x</S>` +
      `${'</LST></Obj>'.repeat(pairs)}</LST></Obj></En></DCT></Obj></Objs>`;
    const deepest = (MAX_XML_DEPTH - 6) / 2;
    for (const pairs of [deepest, deepest - 1]) {
      const text = nested(pairs);
      expect(outcome(parseClixml, text)).toEqual(outcome(parseClixmlStrictly, text));
    }
    expect(outcome(parseClixml, nested(deepest))).toHaveProperty('error');
    expect(outcome(parseClixml, nested(deepest - 1))).toHaveProperty('values');
  });
});

describe('nesting depth', () => {
  it(`refuses XML nested deeper than ${MAX_XML_DEPTH} levels, with the position (100,000 levels)`, () => {
    const depth = 100_000;
    const text = `${OBJS_START}${'<Obj RefId="0"><LST>'.repeat(depth / 2)}${'</LST></Obj>'.repeat(depth / 2)}</Objs>`;
    expect(outcome(parseClixml, text)).toEqual({
      error: `malformed CLIXML at line 1, column ${OBJS_START.length + 1 + 20 * 499 + 15}: elements are nested more than ${MAX_XML_DEPTH} levels deep`,
    });
  });

  it(`reads ${MAX_XML_DEPTH - 1} levels`, () => {
    const levels = (MAX_XML_DEPTH - 2) / 2;
    const text = `${OBJS_START}${'<Obj><LST>'.repeat(levels)}${'</LST></Obj>'.repeat(levels)}</Objs>`;
    expect(parseClixml(text)).toHaveLength(1);
  });
});

describe('values kept from a large document', () => {
  it('do not keep its text alive', () => {
    // The gc() of a fresh context, once the flag is set: jest gives no other way to collect garbage.
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    // 18 MB of text, mostly in elements that mean nothing; every value kept is long enough for V8 to cut it as a
    // view into the text: a pooled one, one too long to pool, and one decoded from references.
    const document = (): string =>
      doc(
        Array.from(
          { length: 20_000 },
          (_, index) =>
            `<Obj RefId="${index}"><MS><S N="Identity">EX${index % 50}\\Default connector ${index % 50}</S>` +
            `<S N="DistinguishedName">CN=${'x'.repeat(70)}${index},CN=Servers</S>` +
            `<S N="Note">a&amp;b ${'y'.repeat(20)}${index}</S></MS><Other>${'z'.repeat(700)}</Other></Obj>`,
        ).join('\n'),
      );
    collect();
    const before = getHeapStatistics().used_heap_size;
    // Only the values are kept: the text is made and read in one expression.
    const values = parseClixml(document());
    // V8 keeps the last string a regular expression read (RegExp.input), a value here; this one reads another.
    /$/.test('');
    collect();
    const kept = getHeapStatistics().used_heap_size - before;
    expect(values).toHaveLength(20_000);
    // The values and their objects take ~7 MB; a view into the text would keep its 18 MB too.
    expect(kept).toBeLessThan(12_000_000);
  });
});

describe('an export with CR LF line ends', () => {
  // Windows PowerShell 5.1 writes CR LF, so every run of white space between elements holds a CR, and is read by
  // the path for text with references. That path once searched for "&" from each run to the end of the document:
  // 34 MB without one took ~65 s here (quadratic), where it now takes ~2 s. A guard against a reader that never
  // ends, not a speed goal: the limit is far above the time taken (jest's own time limit cannot stop this test).
  it('is read in time proportional to its size, with no "&" anywhere', () => {
    const objects = Array.from(
      { length: 180_000 },
      (_, index) =>
        `  <Obj RefId="${index}">\r\n    <MS>\r\n      <S N="Identity">EX01\\Default connector ${index}</S>\r\n` +
        `      <B N="Deny">false</B>\r\n      <S N="User">NT AUTHORITY\\ANONYMOUS LOGON</S>\r\n    </MS>\r\n  </Obj>`,
    );
    const text = `${OBJS_START}\r\n${objects.join('\r\n')}\r\n</Objs>`;
    expect(text.length).toBeGreaterThan(30_000_000);
    const started = performance.now();
    const values = parseClixml(text);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(values).toHaveLength(180_000);
    expect((values[179_999] as PsObject).properties.get('Identity')).toBe('EX01\\Default connector 179999');
  }, 30_000);
});
