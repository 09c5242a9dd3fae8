/**
 * A large CLIXML export is read in windows of its text (src/ingest/clixml-windows.ts). Windows may only make
 * reading faster: every file must give exactly what reading it whole gives, the same records or the same error,
 * however small the windows and however the file is damaged.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseClixml, readClixmlWindows } from '../../src/ingest/clixml.js';
import type { PsObject, PsValue } from '../../src/ingest/ps-value.js';
import { pieceEncoding } from '../../src/ingest/encoding.js';
import { fileWindows, lastWindowEnd, NotWindowable } from '../../src/ingest/clixml-windows.js';
import { loadInput } from '../../src/ingest/load-files.js';
import { readClixmlInWindows, readInput, type ParsedInput } from '../../src/ingest/read-input.js';
import { seededRandom } from '../net/seeded-random.js';
import { clixmlExports } from '../support/shared-data.js';
import { damaged } from '../support/damage.js';
import { outcome } from '../support/input-outcome.js';

const temp = mkdtempSync(join(tmpdir(), 'exrelay-windows-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const EXPORTS = clixmlExports();

const whole = (file: string) => outcome(() => readInput(file, readFileSync(file)));

/** The file as windows read it: in its encoding, after its BOM. */
function windowsOf(file: string, windowBytes: number) {
  const found = pieceEncoding(readFileSync(file));
  if (found === null) throw new Error(`${file} is not in an encoding windows read`);
  return fileWindows({ file, ...found, version: null }, windowBytes);
}

/** What the windows alone make of the file: records, null (declined), or not windowable. */
function windowedOnly(file: string, windowBytes: number): ParsedInput | null | 'not windowable' {
  try {
    return readClixmlInWindows(file, windowsOf(file, windowBytes));
  } catch (error) {
    if (error instanceof NotWindowable) return 'not windowable';
    throw error;
  }
}

const windowCount = (file: string, windowBytes: number) => [...windowsOf(file, windowBytes).windows()].length;

describe('windows of a CLIXML export', () => {
  it.each(EXPORTS)('read %s to the same records as reading it whole, at any window size', async (file) => {
    const expected = await whole(file);
    for (const windowBytes of [256, 1000, 8192]) {
      expect(windowedOnly(file, windowBytes)).toEqual('input' in expected ? expected.input : null);
      expect(await outcome(() => loadInput(file, windowBytes))).toEqual(expected);
    }
    // Many windows (one object may fill several), or this proves nothing.
    const objects = readFileSync(file, 'latin1').split('\n  <Obj ').length - 1;
    if (objects > 1) expect(windowCount(file, 1000)).toBeGreaterThan(1);
    if (file.endsWith('ADPermission.xml') && readFileSync(file).length > 100_000)
      expect(windowCount(file, 1000)).toBeGreaterThan(10);
  });

  it('keep an object that a <Ref> in a later window names', async () => {
    const objects = Array.from(
      { length: 200 },
      (_, index) =>
        `  <Obj RefId="${index + 1}">\n    <Props>\n      <S N="Name">c${index}</S>\n      <Ref N="Org" RefId="0" />\n    </Props>\n  </Obj>`,
    );
    const text = [
      '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">',
      '  <Obj RefId="0">\n    <Props>\n      <S N="Name">org</S>\n    </Props>\n  </Obj>',
      ...objects,
      '</Objs>',
    ].join('\r\n');
    const file = join(temp, 'refs.xml');
    writeFileSync(file, `\ufeff${text}`);
    expect(windowCount(file, 256)).toBeGreaterThan(50);
    const values: PsValue[] = [];
    expect(readClixmlWindows(windowsOf(file, 256), (value) => values.push(value))).toBe(true);
    expect(values).toEqual(parseClixml(text));
    // The last object holds the organisation itself, not a reference left unresolved.
    const last = values[200] as PsObject;
    expect((last.properties.get('Org') as PsObject).properties.get('Name')).toBe('org');
  });

  it('grow to hold a long object, and give up on one a thousand times their size (the file is read whole)', async () => {
    const file = join(temp, 'long.xml');
    const long = (length: number) =>
      `<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">\n` +
      `  <Obj RefId="0">\n    <MS>\n      <S N="Name">${'x'.repeat(length)}</S>\n    </MS>\n  </Obj>\n` +
      `  <Obj RefId="1">\n    <MS>\n      <S N="Name">y</S>\n    </MS>\n  </Obj>\n</Objs>\n`;
    writeFileSync(file, long(30_000));
    const values: PsValue[] = [];
    expect(readClixmlWindows(windowsOf(file, 64), (value) => values.push(value))).toBe(true);
    expect(values).toEqual(parseClixml(long(30_000)));
    writeFileSync(file, long(70_000));
    expect(() => readClixmlWindows(windowsOf(file, 64), () => undefined)).toThrow(NotWindowable);
  });

  it('give up when the file changes between the <Ref> pass and the objects pass, or during either', () => {
    const file = join(temp, 'changing.xml');
    const objects = Array.from(
      { length: 100 },
      (_, index) =>
        `  <Obj RefId="${index}">\n    <MS>\n      <S N="Name">c${index}</S>\n    </MS>\n  </Obj>`,
    );
    const text = (count: number) =>
      [
        '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">',
        ...objects.slice(0, count),
        '</Objs>',
        '',
      ].join('\n');
    const versioned = () => {
      const found = pieceEncoding(readFileSync(file));
      const { size, mtimeMs } = statSync(file);
      return fileWindows({ file, ...found!, version: { size, mtimeMs } }, 256);
    };
    const values: PsValue[] = [];

    // Unchanged: read in windows, to what the text holds.
    writeFileSync(file, text(100));
    expect(readClixmlWindows(versioned(), (value) => values.push(value))).toBe(true);
    expect(values).toEqual(parseClixml(text(100)));

    // Rewritten after the <Ref> pass: the objects pass would read another version.
    writeFileSync(file, text(100));
    const first = versioned();
    const rewrittenBetween = {
      *windowsWithRefTags() {
        yield* first.windowsWithRefTags();
        writeFileSync(file, text(99));
      },
      windows: () => first.windows(),
    };
    expect(() => readClixmlWindows(rewrittenBetween, () => undefined)).toThrow(NotWindowable);

    // Appended to while the objects pass reads it: found at its end, before the last window is handed on.
    writeFileSync(file, text(100));
    const second = versioned();
    expect(() => {
      let windows = 0;
      for (const {} of second.windows()) if (++windows === 2) appendFileSync(file, '<!-- more -->');
    }).toThrow(NotWindowable);

    // Cut short while the objects pass reads it.
    writeFileSync(file, text(100));
    const truncated = versioned();
    expect(() => {
      let windows = 0;
      for (const {} of truncated.windows()) if (++windows === 2) writeFileSync(file, text(3));
    }).toThrow(NotWindowable);

    // Changed since its head was read: the first pass already declines.
    writeFileSync(file, text(100));
    const third = versioned();
    writeFileSync(file, text(98));
    expect(() => [...third.windowsWithRefTags()]).toThrow(NotWindowable);
  });

  it('give the same records or the same error as reading whole for thousands of damaged exports', async () => {
    const snippets = [
      '\n  <Obj RefId="9">',
      '\r\n  <Obj ',
      '\n  <Obj>',
      '\n  </Obj>',
      '\n  ',
      '>',
      '<',
      '&amp;',
      '<Ref RefId="1" />',
      '<Ref RefId="0" />',
      '<TNRef RefId="0" />',
      '</Objs>',
      '<!-- c -->',
      '\u0000',
      '\ufeff',
      'é',
    ];
    const seeds = EXPORTS.filter((file) => readFileSync(file).length < 120_000).map((file) =>
      readFileSync(file).toString('latin1'),
    );
    const random = seededRandom(20261130);
    const counts = { windowed: 0, declined: 0, errors: 0 };
    const file = join(temp, 'damaged.xml');
    for (let round = 0; round < 600; round++) {
      const text = seeds[round % seeds.length] as string;
      const damage = damaged(text, snippets, random);
      // Latin-1 keeps the seeds' bytes; "é" written so is a byte that is not UTF-8 (the file is then not windowable).
      writeFileSync(file, Buffer.from(damage, 'latin1'));
      const windowBytes = [64, 512, 4096][round % 3] as number;
      const expected = await whole(file);
      expect({ round, result: await outcome(() => loadInput(file, windowBytes)) }).toEqual({
        round,
        result: expected,
      });
      const alone = windowedOnly(file, windowBytes);
      if (alone !== null && alone !== 'not windowable') counts.windowed++;
      else counts.declined++;
      if ('error' in expected) counts.errors++;
    }
    // The damage must exercise both paths and both outcomes, or this test proves nothing.
    expect(counts.windowed).toBeGreaterThan(100);
    expect(counts.declined).toBeGreaterThan(100);
    expect(counts.errors).toBeGreaterThan(100);
  }, 120_000);
});

describe('lastWindowEnd', () => {
  const end = (text: string) => lastWindowEnd(Buffer.from(text, 'latin1'), text.length);

  it('ends a window after the ">" before the last top-level object, with LF or CR LF', () => {
    expect(end('<Objs>\n  <Obj RefId="0"></Obj>\n  <Obj RefId="1">')).toBe(
      '<Objs>\n  <Obj RefId="0"></Obj>'.length,
    );
    expect(end('<Objs>\r\n  <Obj RefId="0">')).toBe('<Objs>'.length);
  });

  it('passes over a start that follows text, names another element, or has nothing after it yet', () => {
    expect(end('<Objs>\n  <Obj RefId="0"><S>a\n  <Obj x')).toBe('<Objs>'.length);
    expect(end('<Objs>\n  <Objs>')).toBe(0);
    expect(end('<Objs>\n  <Obj')).toBe(0);
    expect(end('\n  <Obj RefId="0">')).toBe(0);
  });
});
