import { describe, expect, it } from '@jest/globals';
import { psArgument, quotePsString } from '../../src/powershell/quote.js';

describe('quotePsString', () => {
  it('quotes a connector identity for a remediation command', () => {
    const command = `Remove-ADPermission -Identity ${quotePsString('EX01\\Default Frontend EX01')} -User ${quotePsString('S-1-5-7')}`;
    expect(command).toBe("Remove-ADPermission -Identity 'EX01\\Default Frontend EX01' -User 'S-1-5-7'");
  });

  it('doubles the apostrophe', () => {
    expect(quotePsString("Relay'; Remove-Item x; '")).toBe("'Relay''; Remove-Item x; '''");
    expect(quotePsString("'")).toBe("''''");
  });

  it('doubles each typographic single quote with itself', () => {
    expect(quotePsString('\u2018smart\u2019 quotes')).toBe("'\u2018\u2018smart\u2019\u2019 quotes'");
    expect(quotePsString('low\u201A reversed\u201B')).toBe("'low\u201A\u201A reversed\u201B\u201B'");
  });

  it('leaves characters that only matter in double quotes or bare code alone', () => {
    for (const value of ['$(Get-Date)', 'tick`n', '@{}', ';', '|', '"double"', '\u201Cdouble smart\u201D']) {
      expect(quotePsString(value)).toBe(`'${value}'`);
    }
  });

  it('keeps non-ASCII text and tabs as they are', () => {
    expect(quotePsString('NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG')).toBe("'NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG'");
    expect(quotePsString('Relay 📬')).toBe("'Relay 📬'");
    expect(quotePsString('a\tb')).toBe("'a\tb'");
    expect(quotePsString('')).toBe("''");
  });

  it('rejects line breaks, NUL and other C0 controls, naming the character and where it is', () => {
    expect(() => quotePsString('EX01\nRelay')).toThrow(
      new RangeError('cannot quote a value for PowerShell: it contains a line feed (U+000A) at index 4'),
    );
    expect(() => quotePsString('Relay\r')).toThrow(/carriage return \(U\+000D\) at index 5/);
    expect(() => quotePsString('\0')).toThrow(/NUL \(U\+0000\) at index 0/);
    expect(() => quotePsString('bell\u0007')).toThrow(/control character \(U\+0007\) at index 4/);
    expect(() => quotePsString('esc\u001B[31m')).toThrow(RangeError);
  });
});

describe('psArgument', () => {
  it('is the plain quoted literal when it can be', () => {
    expect(psArgument("EX01\\Relay 'A'")).toBe("'EX01\\Relay ''A'''");
  });

  it('agrees with quotePsString on every value it can quote plainly (random values of awkward characters)', () => {
    const alphabet = [
      'a',
      '1',
      '.',
      ':',
      '/',
      '-',
      ' ',
      '\t',
      "'",
      '\u2018',
      '\u2019',
      '\u201A',
      '\u201B',
      '"',
      '$',
      '`',
      'ü',
      '\u200B',
      '\u007F',
      '\u0085',
    ];
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let quoted = 0;
    for (let round = 0; round < 3000; round++) {
      let value = '';
      for (let length = Math.floor(next() * 12); length > 0; length--)
        value += alphabet[Math.floor(next() * alphabet.length)] as string;
      expect(psArgument(value)).toBe(quotePsString(value));
      if (/['\u2018-\u201B]/.test(value)) quoted++;
    }
    // Guard: both paths ran, the plain wrap and the doubling of quote characters.
    expect(quoted).toBeGreaterThan(500);
    expect(quoted).toBeLessThan(2900);
  });

  it('spells control characters as [char] codes instead of failing', () => {
    expect(psArgument('EX01\\Relay\nEvil')).toBe("('EX01\\Relay' + [char]10 + 'Evil')");
    expect(psArgument('\u0000')).toBe('([char]0)');
  });
});
