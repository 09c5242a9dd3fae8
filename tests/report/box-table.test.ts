import { describe, expect, it } from '@jest/globals';
import { getBorderCharacters, table } from 'table';
import { boxTable } from '../../src/report/box-table.js';

/** What `table` writes with the settings exrelay used before box-table.ts. */
function reference(rows: string[][], widths: number[]): string {
  return table(rows, {
    border: getBorderCharacters('norc'),
    columns: widths.map((width) => ({ width, wrapWord: true })),
    drawHorizontalLine: (index, size) => index === 0 || index === 1 || index === size,
  });
}

/** Pieces of text that exercise every wrapping rule: break characters, runs of spaces, long words, line breaks. */
const PLAIN = [
  'a',
  'word',
  'EX01\\Relay',
  '10.0.0.0/24',
  ' ',
  '  ',
  '-',
  '.',
  ',',
  ';',
  '_',
  '/',
  '\n',
  '…',
  'é',
  'Ž',
  'x'.repeat(30),
];
/** Text `table` has to measure itself: wide characters, combining marks, emoji, a flag, tabs written visibly. */
const OTHER = ['日本', 'e\u0301', '\u{1f600}', '\u{1f1f8}\u{1f1ea}', '\u00a0', '→', '\\x09', '©'];

function randomText(next: () => number, pieces: readonly string[], length: number): string {
  let text = '';
  for (let index = 0; index < length; index++) text += pieces[next() % pieces.length];
  return text;
}

describe('boxTable', () => {
  it('writes exactly what the table package writes, on random rows of plain and other text', () => {
    let seed = 99;
    // The high bits of a 32-bit LCG: its low bits repeat with a short period.
    const next = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed >>> 16;
    };
    let otherCells = 0;
    for (let sample = 0; sample < 400; sample++) {
      const columns = 1 + (next() % 5);
      const widths = Array.from({ length: columns }, () => 2 + (next() % 30));
      const rows = Array.from({ length: 1 + (next() % 4) }, () =>
        widths.map(() => {
          const other = next() % 6 === 0;
          if (other) otherCells++;
          return randomText(next, other ? [...PLAIN, ...OTHER] : PLAIN, next() % 14);
        }),
      );
      expect(boxTable(rows, widths)).toBe(reference(rows, widths));
    }
    // Both paths were compared: plain cells (wrapped here) and others (wrapped by table).
    expect(otherCells).toBeGreaterThan(100);
  });

  it('draws a header-only table and empty cells as table does', () => {
    expect(boxTable([['#', 'Check']], [3, 8])).toBe(reference([['#', 'Check']], [3, 8]));
    expect(
      boxTable(
        [
          ['a', ''],
          ['', ''],
        ],
        [1, 1],
      ),
    ).toBe(
      reference(
        [
          ['a', ''],
          ['', ''],
        ],
        [1, 1],
      ),
    );
  });
});
