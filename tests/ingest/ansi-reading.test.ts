import { describe, expect, it } from '@jest/globals';
import { ansiMismatchHint, ansiReading } from '../../src/ingest/ansi-reading.js';
import { decodeText } from '../../src/ingest/encoding.js';

/** How exrelay reads the bytes of a file written in another code page: as Windows-1252. */
function readAs1252(bytes: number[], before = '<S N="Name">', after = '</S>'): string {
  const decoded = decodeText(Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]));
  expect(decoded.encoding).toBe('windows-1252');
  return decoded.text;
}

describe('ansiReading', () => {
  it.each([
    // "Przekaźnik": ź is 0x9F in code page 1250, Ÿ in 1252.
    ['cp1250', [0x50, 0x72, 0x7a, 0x65, 0x6b, 0x61, 0x9f, 0x6e, 0x69, 0x6b], 'PrzekaŸnik'],
    // "Ретранслятор": Cyrillic letters become accented Latin ones, none of them ASCII.
    ['cp1251', [0xd0, 0xe5, 0xf2, 0xf0, 0xe0, 0xed, 0xf1, 0xeb, 0xff, 0xf2, 0xee, 0xf0], 'Ðåòðàíñëÿòîð'],
    // "中継": the first bytes of most Shift-JIS characters are 0x81-0x9F.
    ['cp932', [0x92, 0x86, 0x8c, 0x70], '’†Œp'],
    // "Wysyłka": ł is 0xB3 in code page 1250, ³ in 1252.
    ['cp1250 (0xA0-0xBF)', [0x57, 0x79, 0x73, 0x79, 0xb3, 0x6b, 0x61], 'Wysy³ka'],
  ])('points at a name that %s wrote', (_codePage, bytes, shown) => {
    expect(ansiReading(readAs1252(bytes))).toEqual({ unlikely: shown });
  });

  it('finds nothing unlikely in Western European names', () => {
    // "Empfang für Geräte, Réception": letters of code page 1252 itself.
    const text = readAs1252([...Buffer.from('Empfang f\xfcr Ger\xe4te, R\xe9ception', 'latin1')]);
    expect(ansiReading(text)).toEqual({ unlikely: null });
  });

  it('shows the name only, not the markup around it', () => {
    const text = readAs1252([0x41, 0x9f, 0x42], '{"Identity": "EX01\\\\', '", "Enabled": true}');
    expect(ansiReading(text).unlikely).toBe('EX01\\\\AŸB');
  });
});

describe('ansiMismatchHint', () => {
  it('speaks only of names beyond ASCII, and only when a file was read as Windows-1252', () => {
    expect(ansiMismatchHint('Relay', ['a.json'])).toBeNull();
    expect(ansiMismatchHint('PrzekaŸnik', [])).toBeNull();
    expect(ansiMismatchHint('PrzekaŸnik', ['a.json'])).toMatch(/^a\.json was read as Windows-1252 \(ANSI\)/);
    expect(ansiMismatchHint('PrzekaŸnik', ['a.json', 'b.json', 'c.json'])).toMatch(
      /^a\.json and 2 more files were read as Windows-1252/,
    );
  });
});
