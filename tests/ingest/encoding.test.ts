import { describe, expect, it } from '@jest/globals';
import { itWithLabData, labBytes } from '../support/shared-data.js';
import { DecodeError, decodeText, utf8Body } from '../../src/ingest/encoding.js';

const GERMAN = 'NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG';
const SNIPPET = `<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><S>${GERMAN}</S></Objs>`;

function bytes(...parts: Array<number[] | Buffer>): Uint8Array {
  return Buffer.concat(parts.map((part) => (Buffer.isBuffer(part) ? part : Buffer.from(part))));
}

function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

function decodeProblem(input: Uint8Array): string {
  try {
    decodeText(input);
  } catch (error) {
    expect(error).toBeInstanceOf(DecodeError);
    const message = (error as DecodeError).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('decodeText accepted the input');
}

describe('decodeText with a byte order mark', () => {
  itWithLabData('reads the real Export-Clixml file as UTF-8 with BOM and strips the BOM', () => {
    const decoded = decodeText(labBytes('GetReceiveConnector.xml'));
    expect(decoded.encoding).toBe('utf-8-bom');
    expect(decoded.text.startsWith('<Objs Version="1.1.0.1"')).toBe(true);
    expect(decoded.text).toContain('WIN-CTD3L0RGEN4\\Default WIN-CTD3L0RGEN4');
  });

  it('reads UTF-16LE as Windows PowerShell 5.1 `>` and Out-File write it', () => {
    const decoded = decodeText(bytes([0xff, 0xfe], Buffer.from(SNIPPET, 'utf16le')));
    expect(decoded).toEqual({ text: SNIPPET, encoding: 'utf-16le' });
  });

  it('reads UTF-16BE (Out-File -Encoding BigEndianUnicode)', () => {
    expect(decodeText(bytes([0xfe, 0xff], utf16be(SNIPPET)))).toEqual({
      text: SNIPPET,
      encoding: 'utf-16be',
    });
  });

  it('keeps a second U+FEFF after the BOM as content', () => {
    expect(decodeText(bytes([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x41])).text).toBe('\uFEFFA');
  });
});

describe('decodeText without a byte order mark', () => {
  it('reads UTF-8 (PowerShell 7 Export-Clixml)', () => {
    expect(decodeText(Buffer.from(SNIPPET, 'utf8'))).toEqual({ text: SNIPPET, encoding: 'utf-8' });
  });

  it('recognises BOM-less UTF-16 in either byte order', () => {
    expect(decodeText(Buffer.from(SNIPPET, 'utf16le'))).toEqual({ text: SNIPPET, encoding: 'utf-16le' });
    expect(decodeText(utf16be(SNIPPET))).toEqual({ text: SNIPPET, encoding: 'utf-16be' });
  });

  it('falls back to windows-1252 for ANSI files (Set-Content in Windows PowerShell 5.1)', () => {
    // In code page 1252 "Ä" is the single byte 0xC4 and "€" is 0x80; neither is valid UTF-8 here.
    const ansi = bytes(Buffer.from(`<S>${GERMAN} 5 `, 'latin1'), [0x80], Buffer.from('</S>'));
    expect(ansi.includes(0xc4)).toBe(true);
    expect(decodeText(ansi)).toEqual({ text: `<S>${GERMAN} 5 €</S>`, encoding: 'windows-1252' });
  });

  it('maps every byte from 0x80 to 0x9F as code page 1252 does, not as Latin-1', () => {
    // Typographic quotes, a dash and the five bytes 1252 leaves unassigned (they keep their C1 code point).
    const decoded = decodeText(bytes([0x93, 0x41, 0x94, 0x20, 0x96, 0x81, 0x8d, 0x8f, 0x90, 0x9d, 0x9f]));
    expect(decoded).toEqual({
      text: '\u201CA\u201D \u2013\u0081\u008D\u008F\u0090\u009D\u0178',
      encoding: 'windows-1252',
    });
  });
});

describe('decodeText rejects what is not text', () => {
  it('rejects an empty file, also one holding only a BOM', () => {
    expect(decodeProblem(new Uint8Array())).toBe('empty file');
    expect(decodeProblem(bytes([0xef, 0xbb, 0xbf]))).toBe('empty file');
    expect(decodeProblem(bytes([0xff, 0xfe]))).toBe('empty file');
  });

  it('rejects NUL characters as binary data', () => {
    expect(decodeProblem(bytes(Buffer.from('<Objs>'), [0, 0x41], Buffer.from('</Objs>')))).toMatch(
      /^binary data, not text/,
    );
    // A gzip header: invalid UTF-8, and windows-1252 keeps its NUL bytes.
    expect(decodeProblem(bytes([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]))).toMatch(
      /^binary data, not text/,
    );
  });

  it('rejects odd-length UTF-16, with or without a BOM', () => {
    const truncated = Buffer.from(SNIPPET, 'utf16le').subarray(0, 41);
    expect(decodeProblem(bytes([0xff, 0xfe], truncated))).toMatch(/odd number of bytes/);
    expect(decodeProblem(truncated)).toMatch(/odd number of bytes/);
  });

  it('rejects invalid byte sequences behind a BOM instead of guessing', () => {
    expect(decodeProblem(bytes([0xef, 0xbb, 0xbf, 0x41, 0xc4, 0x42]))).toBe('invalid UTF-8 byte sequence');
    expect(decodeProblem(bytes([0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00]))).toBe('invalid UTF-16LE byte sequence');
  });

  it('names UTF-32 instead of mis-decoding it', () => {
    const utf32le = bytes([0xff, 0xfe, 0, 0, 0x3c, 0, 0, 0]);
    expect(decodeProblem(utf32le)).toMatch(/^UTF-32 text is not supported/);
    expect(decodeProblem(bytes([0, 0, 0xfe, 0xff, 0, 0, 0, 0x3c]))).toMatch(/^UTF-32 text is not supported/);
  });
});

describe('utf8Body', () => {
  it('gives the bytes to read as UTF-8 without decoding them: after a UTF-8 BOM, or all of them', () => {
    const json = Buffer.from('{"a":1}');
    expect(utf8Body(json)).toBe(json);
    expect(Buffer.from(utf8Body(bytes([0xef, 0xbb, 0xbf], json)) ?? [])).toEqual(json);
    expect(utf8Body(bytes([0xff, 0xfe], Buffer.from('{"a":1}', 'utf16le')))).toBeNull();
    expect(utf8Body(Buffer.from('{"a":1}', 'utf16le'))).toBeNull();
    expect(utf8Body(utf16be('{"a":1}'))).toBeNull();
    expect(utf8Body(bytes([0xff, 0xfe, 0, 0]))).toBeNull();
  });
});
