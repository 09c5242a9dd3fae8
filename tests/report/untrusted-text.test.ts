import { describe, expect, it } from '@jest/globals';
import {
  csvCell,
  markdownCell,
  jsonEscapeHidden,
  markdownCode,
  markdownText,
  shorten,
  terminalCell,
  terminalMessage,
  visible,
} from '../../src/report/untrusted-text.js';
import { seededRandom } from '../net/seeded-random.js';
import { decodeVisible } from '../support/decode-visible.js';
import { firstRawHidden, HOSTILE_NAMES } from '../support/hostile-names.js';

describe('visible', () => {
  it.each([
    ['Relay\tPrinters', 'Relay\\x09Printers'],
    ['\u001b[2J', '\\x1b[2J'],
    ['a\u0000b\u0007c\u007f', 'a\\x00b\\x07c\\x7f'],
    ['C1 \u009b31m', 'C1 \\x9b31m'],
    ['right \u202eto left', 'right \\u{202e}to left'],
    ['zero\u200bwidth\ufeff', 'zero\\u{200b}width\\u{feff}'],
    ['line\nfeed\rreturn', 'line\\x0afeed\\x0dreturn'],
    ['nbsp\u00a0here', 'nbsp\\xa0here'],
    ['box │ border', 'box \\u{2502} border'],
    ['Re\u0301\u0301\u0301\u0301lay', 'Re\u0301\u0301\\u{301}\\u{301}lay'],
    ['\u0301Relay', '\\u{301}Relay'],
  ])('writes %j as %j', (text, shown) => {
    expect(visible(text)).toBe(shown);
  });

  it('leaves ordinary identities alone, backslashes included', () => {
    for (const text of [
      'EX01\\Relay Printers',
      'EX01\\texas',
      'EX01\\user',
      'Relais Drucker Zürich',
      'Relay 📠',
      // Decomposed (NFD) letters: one or two combining marks on a base character are ordinary text.
      'Rela\u0308 Zu\u0308rich',
      'Tie\u0323\u0302ng Vie\u0323\u0302t',
    ])
      expect(visible(text)).toBe(text);
  });

  it('escapes a stack of combining marks beyond two, and a mark with no character before it', () => {
    const zalgo = `R${'\u0336\u0301\u0317'.repeat(20)}elay`;
    const shown = visible(zalgo);
    expect(shown.match(/\p{M}+/gu)).toEqual(['\u0336\u0301']);
    expect(decodeVisible(shown)).toBe(zalgo);
  });

  it('doubles a backslash only where it would read as an escape', () => {
    expect(visible('EX01\\x1b')).toBe('EX01\\\\x1b');
    expect(visible('EX01\\u{202e}')).toBe('EX01\\\\u{202e}');
    expect(visible('EX01\\\u001b')).toBe('EX01\\\\\\x1b');
    expect(visible('EX01\\\\x1b')).toBe('EX01\\\\\\\\x1b');
  });

  it('maps every name of the corpus back to itself (no two names look alike)', () => {
    for (const { label, name } of HOSTILE_NAMES) {
      const shown = visible(name);
      expect([label, firstRawHidden(shown, /\n/)]).toEqual([label, null]);
      expect([label, decodeVisible(shown)]).toEqual([label, name]);
    }
  });

  it('maps random strings of backslashes, escape look-alikes and hidden characters back to themselves', () => {
    const random = seededRandom(1212);
    const alphabet = [
      '\\',
      'x',
      'u',
      '{',
      '}',
      '1',
      'b',
      'f',
      'z',
      '\u001b',
      '\t',
      '\n',
      '\u202e',
      '\ud800',
      '📠',
      ' ',
      '\u0301',
    ];
    let escaped = 0;
    for (let round = 0; round < 5000; round++) {
      const text = Array.from(
        { length: 1 + Math.floor(random() * 12) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
      const shown = visible(text);
      if (shown !== text) escaped++;
      expect(firstRawHidden(shown)).toBeNull();
      expect(decodeVisible(shown)).toBe(text);
    }
    expect(escaped).toBeGreaterThan(2500);
  });
});

describe('shorten', () => {
  it('keeps head and tail and says how long the text was', () => {
    const long = `Relay ${'x'.repeat(100_000)} end`;
    const short = shorten(long, 160);
    expect(short.length).toBeLessThanOrEqual(160);
    expect(short).toMatch(/^Relay x+…x+ end \(100,010 characters\)$/);
    expect(shorten('short', 160)).toBe('short');
  });

  it('never splits a surrogate pair', () => {
    const emoji = '📠'.repeat(1000);
    for (let limit = 20; limit < 60; limit++) expect(firstRawHidden(shorten(emoji, limit))).toBeNull();
  });

  it('shortens a 10 MB name in a table cell at once', () => {
    const huge = 'y'.repeat(10_000_000);
    expect(terminalCell(huge).length).toBeLessThanOrEqual(160);
  });
});

describe('messages on standard error', () => {
  it('indents every line after the first, so that no name can forge a message of its own', () => {
    expect(terminalMessage("connector 'EX01\\A\nexrelay: all clear' appears again")).toBe(
      "connector 'EX01\\A\n  exrelay: all clear' appears again",
    );
    expect(terminalMessage('one\r\ntwo\rthree')).toBe('one\n  two\\x0dthree');
  });
});

describe('Markdown', () => {
  it('escapes what Markdown or HTML would read, and list or heading markers at the start', () => {
    expect(markdownText('a | b `c` *d* <b> & [e](f) #g ~h~ \\')).toBe(
      'a \\| b \\`c\\` \\*d\\* \\<b\\> \\& \\[e\\](f) \\#g \\~h\\~ \\\\',
    );
    expect(markdownText('- item')).toBe('\\- item');
    expect(markdownText('1. item')).toBe('1\\. item');
    expect(markdownText('+ item')).toBe('\\+ item');
  });

  it('leaves a backslash alone where CommonMark reads it as a character, and cells without line-start escapes', () => {
    expect(markdownCell('PWEX01\\Default PWEX01')).toBe('PWEX01\\Default PWEX01');
    expect(markdownCell('0.0.0.0/0, ::/0')).toBe('0.0.0.0/0, ::/0');
    expect(markdownCell('EX01\\|forged')).toBe('EX01\\\\\\|forged');
    expect(markdownCell('EX01\\.dot and last\\')).toBe('EX01\\\\.dot and last\\\\');
    expect(markdownCell('ESC \u001b and EX01\\x1b')).toBe('ESC \\x1b and EX01\\\\\\x1b');
  });

  it('fences code spans longer than any backtick run, padded at a backtick or space', () => {
    expect(markdownCode('EX01\\Relay')).toBe('`EX01\\Relay`');
    expect(markdownCode('a `b` ``c``')).toBe('``` a `b` ``c`` ```');
    expect(markdownCode('a ``b`` c')).toBe('```a ``b`` c```');
    expect(markdownCode('`x`')).toBe('`` `x` ``');
  });
});

describe('CSV cells', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\uff1d1', "'\uff1d1"],
    ['\t=1', '\\x09=1'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', 'line\\x0abreak'],
  ])('writes %j as %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('keeps the line breaks of a multi-line fix command', () => {
    expect(csvCell('# comment\nSet-X', { multiline: true })).toBe('"# comment\nSet-X"');
  });
});

describe('JSON', () => {
  it('escapes what a terminal would act on, and parses back to the exact string', () => {
    const value = { name: 'a\u009bb\u202ec\u2028d\u007fe\u{e0041}' };
    const json = jsonEscapeHidden(JSON.stringify(value));
    expect(json).toBe('{"name":"a\\u009bb\\u202ec\\u2028d\\u007fe\\udb40\\udc41"}');
    expect(JSON.parse(json)).toEqual(value);
  });

  it('escapes mark stacks exactly as a scan of the whole text would, wherever the stacks sit', () => {
    // The reference: the whole-text pattern, applied without the run-by-run shortcut.
    const reference = (json: string) =>
      json.replace(/[\u007F-\u009F\p{Cf}\u2028\u2029]|\p{M}(?<=\p{M}{3})/gu, (character) =>
        character
          .split('')
          .map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)
          .join(''),
      );
    const pieces = [
      'a',
      '\u0301',
      '\u0308',
      'é',
      'ü',
      '\u{1f600}',
      '\u200b',
      '→',
      ' ',
      '\u0336',
      'Ж',
      '\u{e0041}',
    ];
    let seed = 7;
    for (let sample = 0; sample < 300; sample++) {
      let text = '';
      for (let index = 0; index < 24; index++) {
        // The high bits of a 32-bit LCG: its low bits repeat with a short period.
        seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
        text += pieces[(seed >>> 20) % pieces.length];
      }
      const json = JSON.stringify({ name: text });
      expect(jsonEscapeHidden(json)).toBe(reference(json));
      expect(JSON.parse(jsonEscapeHidden(json))).toEqual({ name: text });
    }
  });
});
