/**
 * Turns the bytes of an exported file into text. Windows PowerShell 5.1 and PowerShell 7 write exports in
 * different encodings depending on the cmdlet (Export-Clixml, `>`, Out-File, Set-Content), so the encoding is
 * detected rather than assumed.
 */

import { constants, isUtf8 } from 'node:buffer';

export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
}

/** The bytes are not text in any encoding we accept. The message is one short line. */
export class DecodeError extends Error {
  constructor(problem: string) {
    super(problem);
    this.name = 'DecodeError';
  }
}

/** The encodings TextDecoder decodes correctly; windows-1252 has its own decoder below. */
type DecoderEncoding = Exclude<TextEncodingName, 'windows-1252'>;
type Utf16Order = 'utf-16le' | 'utf-16be';

/** How many leading bytes the BOM-less UTF-16 sniff looks at. */
const SNIFF_BYTES = 512;

export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length === 0) throw new DecodeError('empty file');

  const bom = detectBom(bytes);
  if (bom) return decodeChecked(bytes.subarray(bom.length), bom.encoding);

  const utf16 = sniffBomlessUtf16(bytes);
  if (utf16) return decodeChecked(bytes, utf16);

  // Strict UTF-8 first: any valid UTF-8 file is almost certainly meant as UTF-8. Invalid UTF-8 means the
  // file was written with the ANSI code page (Windows PowerShell 5.1's Set-Content, Out-File -Encoding Default).
  try {
    return decodeChecked(bytes, 'utf-8');
  } catch (error) {
    if (!(error instanceof InvalidBytesError)) throw error;
    return checkedText(decodeWindows1252(bytes), 'windows-1252');
  }
}

/**
 * The bytes as UTF-8 to read without decoding them first: after a UTF-8 BOM, or all of them when there is no BOM
 * and they do not look like UTF-16. Null for UTF-16 and UTF-32; whether they really are UTF-8 is not checked here.
 */
export function utf8Body(bytes: Uint8Array): Uint8Array | null {
  const found = pieceEncoding(bytes);
  if (found?.encoding !== 'utf-8') return null;
  return found.bomLength === 0 ? bytes : bytes.subarray(found.bomLength);
}

/** An encoding a file can be decoded in pieces in, split anywhere between two characters. */
export type PieceEncoding = 'utf-8' | 'utf-16le';

/**
 * How the file that starts with `head` can be decoded in pieces, and how long its BOM is: UTF-8 (with a BOM or
 * without), or UTF-16LE after its BOM, as Windows PowerShell 5.1's Export-Clixml writes it. Null for anything
 * else, which is decoded whole (decodeText).
 */
export function pieceEncoding(head: Uint8Array): { encoding: PieceEncoding; bomLength: number } | null {
  let bom: { encoding: DecoderEncoding; length: number } | null;
  try {
    bom = detectBom(head);
  } catch (error) {
    if (error instanceof DecodeError) return null;
    throw error;
  }
  if (bom === null) return sniffBomlessUtf16(head) ? null : { encoding: 'utf-8', bomLength: 0 };
  if (bom.encoding === 'utf-8-bom') return { encoding: 'utf-8', bomLength: bom.length };
  return bom.encoding === 'utf-16le' ? { encoding: 'utf-16le', bomLength: bom.length } : null;
}

/**
 * One piece of a file in `encoding` (the BOM already passed), decoded and checked as decodeText decodes and
 * checks the whole file; a DecodeError where it would fail.
 */
export function decodePiece(bytes: Uint8Array, encoding: PieceEncoding): string {
  return decodeChecked(bytes, encoding).text;
}

function detectBom(bytes: Uint8Array): { encoding: DecoderEncoding; length: number } | null {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'utf-8-bom', length: 3 };
  if (b0 === 0xff && b1 === 0xfe) {
    // FF FE 00 00 is the UTF-32LE mark that `Out-File -Encoding UTF32` writes; say so rather than mis-decode.
    if (b2 === 0 && b3 === 0) throw new DecodeError('UTF-32 text is not supported, re-export as UTF-8');
    return { encoding: 'utf-16le', length: 2 };
  }
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', length: 2 };
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) {
    throw new DecodeError('UTF-32 text is not supported, re-export as UTF-8');
  }
  return null;
}

/**
 * UTF-16 without a BOM: exports start with ASCII markup ("<Objs", "[", "{"), whose UTF-16 form has a NUL
 * in every high byte. Most of one byte parity NUL and little of the other is the signature.
 */
function sniffBomlessUtf16(bytes: Uint8Array): Utf16Order | null {
  const pairs = Math.floor(Math.min(bytes.length, SNIFF_BYTES) / 2);
  if (pairs === 0) return null;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (bytes[i] === 0) evenNuls++;
    if (bytes[i + 1] === 0) oddNuls++;
  }
  const mostly = (count: number): boolean => count * 2 >= pairs;
  const rarely = (count: number): boolean => count * 8 < pairs;
  if (mostly(oddNuls) && rarely(evenNuls)) return 'utf-16le';
  if (mostly(evenNuls) && rarely(oddNuls)) return 'utf-16be';
  return null;
}

/** Bytes that are not valid in the encoding tried; decodeText falls back from UTF-8 on this. */
class InvalidBytesError extends DecodeError {}

function decodeChecked(bytes: Uint8Array, encoding: DecoderEncoding): DecodedText {
  if (bytes.length === 0) throw new DecodeError('empty file');
  const isUtf16 = encoding === 'utf-16le' || encoding === 'utf-16be';
  if (isUtf16 && bytes.length % 2 !== 0) {
    throw new DecodeError(`${encoding.toUpperCase()} text with an odd number of bytes (truncated file?)`);
  }
  const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
  let text: string;
  try {
    text = label === 'utf-8' ? decodeUtf8(bytes) : new TextDecoder(label, TEXT_DECODER_OPTIONS).decode(bytes);
  } catch (error) {
    if (error instanceof InvalidBytesError) throw error;
    if (isTooLong(error)) throw new DecodeError(TOO_LONG);
    throw new InvalidBytesError(`invalid ${label.toUpperCase()} byte sequence`);
  }
  return checkedText(text, encoding);
}

/** ignoreBOM: the BOM is already stripped, so a further U+FEFF is content and must stay visible. */
const TEXT_DECODER_OPTIONS = { fatal: true, ignoreBOM: true };

/**
 * What the fatal TextDecoder gives, faster: isUtf8 refuses what it refuses (WHATWG: overlong forms, surrogates,
 * code points past U+10FFFF) and Buffer's decoder, which keeps a U+FEFF, then cannot meet a bad byte. On a 100 MB
 * export the pair took ~330 ms against TextDecoder's ~460 ms.
 */
function decodeUtf8(bytes: Uint8Array): string {
  if (!isUtf8(bytes)) throw new InvalidBytesError('invalid UTF-8 byte sequence');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** Text longer than V8's longest string (2^29 - 24 characters) cannot be made. */
const TOO_LONG = 'too large to read as text (more than 512 M characters)';

function isTooLong(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ERR_STRING_TOO_LONG';
}

function checkedText(text: string, encoding: TextEncodingName): DecodedText {
  const nul = text.indexOf('\0');
  if (nul !== -1) throw new DecodeError(`binary data, not text (NUL character at position ${nul})`);
  return { text, encoding };
}

/**
 * Code page 1252 at bytes 0x80-0x9F (the WHATWG table: five unassigned bytes keep their C1 code point).
 * Node's own TextDecoder('windows-1252') decodes these bytes as Latin-1 since v20.18.3 (nodejs/node#60888),
 * which would turn "€" or typographic quotes into control characters.
 */
export const CP1252_80_TO_9F =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  // Every byte is one character: this many bytes cannot be one string.
  if (bytes.length > constants.MAX_STRING_LENGTH) throw new DecodeError(TOO_LONG);
  // Every other byte of code page 1252 is the Unicode code point of the same number, as in Latin-1.
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\u0080-\u009F]/g, (c) => CP1252_80_TO_9F.charAt(c.charCodeAt(0) - 0x80));
}
