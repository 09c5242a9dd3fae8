/**
 * A file that is neither UTF-8 nor UTF-16 is read as Windows-1252 (encoding.ts), the ANSI code page of English and
 * Western European Windows. Windows PowerShell 5.1's Set-Content and Out-File -Encoding Default write the system's
 * own ANSI code page, which elsewhere is another one (1250 Central European, 1251 Cyrillic, 932 Japanese…), and
 * nothing in the bytes says which: every name beyond ASCII is then read wrong, and permission entries no longer
 * match their connector. exrelay never guesses another code page; it says how the file was read, and shows text
 * that a Windows-1252 name would rarely hold, as a sign that the guess was wrong.
 */

import { CP1252_80_TO_9F } from './encoding.js';

export interface AnsiReading {
  /** The first stretch of text (a name, mostly) holding such characters, or null when none does. */
  unlikely: string | null;
}

/**
 * What bytes 0x80-0xBF become in code page 1252: typographic quotes, dashes, Š, Œ, Ÿ, the five unassigned bytes,
 * then ¡ to ¿. Other code pages keep letters there (1250: ś ź ą ł ż; 932: the first byte of most characters), and
 * names written in 1252 rarely hold them. So are four letters in a row from À to ÿ with no ASCII letter among
 * them: how Cyrillic and Greek text reads in 1252 ("Ðåòðàíñëÿòîð").
 */
const UNLIKELY = new RegExp(`[${CP1252_80_TO_9F}\\u00A0-\\u00BF]|[\\u00C0-\\u00FF]{4}`);
/** Where a name ends in CLIXML (`<S>…</S>`, attributes) and in ConvertTo-Json output. */
const NAME_END = /[<>"\r\n]/;
/** How far the excerpt reaches on either side of the first unlikely character. */
const REACH = 40;

export function ansiReading(text: string): AnsiReading {
  const found = UNLIKELY.exec(text);
  return { unlikely: found ? excerptAround(text, found.index) : null };
}

function excerptAround(text: string, at: number): string {
  let start = at;
  while (start > 0 && at - start < REACH && !NAME_END.test(text.charAt(start - 1))) start--;
  let end = at + 1;
  while (end < text.length && end - at < REACH && !NAME_END.test(text.charAt(end))) end++;
  return text.slice(start, end).trim();
}

const ADVICE = 'export with Export-Clixml, or write the file with -Encoding UTF8';

/** The warning about one file, on one line. */
export function ansiWarning(file: string, reading: AnsiReading): string {
  const sign =
    reading.unlikely === null
      ? ''
      : ` ('${reading.unlikely}' holds characters a Windows-1252 name rarely holds, so it likely was)`;
  return `${file}: read as Windows-1252 (ANSI, the code page of English and Western European Windows), as it is neither UTF-8 nor UTF-16; if it was written in another code page (Set-Content or Out-File -Encoding Default on a Central European, Cyrillic, Japanese or other system), its names are read wrong${sign}: ${ADVICE}`;
}

/**
 * Why permission entries for a name beyond ASCII may have found no connector: one side was read as Windows-1252
 * and written in another code page. Null when no file was read so, or the name is plain ASCII.
 */
export function ansiMismatchHint(target: string, ansiFiles: readonly string[]): string | null {
  if (ansiFiles.length === 0 || !/[^\x00-\x7F]/.test(target)) return null;
  const files =
    ansiFiles.length === 1
      ? `${ansiFiles[0]} was`
      : `${ansiFiles[0]} and ${ansiFiles.length - 1} more file${ansiFiles.length === 2 ? '' : 's'} were`;
  return `${files} read as Windows-1252 (ANSI), likely why: a name beyond ASCII written in another code page is read wrong and matches no connector (${ADVICE})`;
}
