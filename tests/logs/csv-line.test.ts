import { describe, expect, it } from '@jest/globals';
import { splitCsvLine } from '../../src/logs/csv-line.js';

function split(line: string): string[] | string {
  const out: string[] = [];
  return splitCsvLine(line, out) ?? out;
}

describe('splitCsvLine', () => {
  it('splits plain fields, empty ones included', () => {
    expect(split('a,b,,d,')).toEqual(['a', 'b', '', 'd', '']);
  });

  it('reads quoted fields with commas and doubled quotes, as Exchange writes them', () => {
    expect(
      split(
        't,"EX16\\Relay, Scanners ""Lager""",>,"250 2.6.0 <x> 2048 bytes in 0.109, 18,348 KB/sec Queued mail for delivery",',
      ),
    ).toEqual([
      't',
      'EX16\\Relay, Scanners "Lager"',
      '>',
      '250 2.6.0 <x> 2048 bytes in 0.109, 18,348 KB/sec Queued mail for delivery',
      '',
    ]);
  });

  it('keeps a quote inside an unquoted field as text', () => {
    expect(split('a,say "hi",c')).toEqual(['a', 'say "hi"', 'c']);
  });

  it('reports a quoted field that is never closed, and text after a closing quote', () => {
    expect(split('a,"250 Hello [10.0.0.1],')).toBe('a quoted field (column 2) is never closed');
    expect(split('a,"x"y,c')).toBe(
      'text follows the closing quote of column 2 (a quote inside a quoted field must be doubled)',
    );
  });
});
