/**
 * Text from the audited organisation (connector names, ranges, principals, file names) rendered for each place
 * it is shown, so that it is visible, unambiguous and cannot change the structure around it: a terminal (tables,
 * warnings, errors), a Markdown document, a CSV cell. JSON needs none of this: it keeps the exact string.
 *
 * Hidden characters are written as escapes: `\x1b` for ESC, `\x09` for TAB, `\u{202e}` for a right-to-left
 * override. A backslash that would otherwise read as the start of such an escape is doubled, so every rendering
 * maps back to exactly one string; the backslash of an identity such as `EX01\Relay` is left alone.
 */

/**
 * C0 and C1 controls and DEL (Cc), format characters (Cf: bidirectional overrides and isolates, zero-width
 * characters, the BOM, soft hyphen, tags), line and paragraph separators, lone surrogates, every space but
 * U+0020, the few letters and marks that are drawn as nothing (Hangul fillers, grapheme joiner, variation
 * selectors), and box-drawing characters, which would draw false borders into a table.
 */
const HIDDEN_CLASS = String.raw`[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u2500-\u257F\u3164\uFE00-\uFE0F\uFFA0]`;
/** A hidden character, or a run of backslashes that an escape (hidden character or look-alike) follows. */
const ESCAPING = new RegExp(String.raw`(\\+)(?=x[0-9A-Fa-f]|u\{|${HIDDEN_CLASS})|${HIDDEN_CLASS}`, 'gu');

function escapeCharacter(character: string): string {
  const code = character.codePointAt(0) as number;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/**
 * Combining marks draw on the character before them. Two in a row are ordinary (Vietnamese stacks two
 * diacritics); a longer stack draws over the lines above and below ("Zalgo" text), and a mark with nothing
 * before it draws on whatever precedes the text, a table border for instance. Those are escaped.
 */
const STACKED_MARKS = /\p{M}+/gu;
const MARKS_KEPT = 2;

function escapeStackedMarks(run: string, offset: number): string {
  const marks = [...run];
  const kept = offset === 0 ? 0 : MARKS_KEPT;
  if (marks.length <= kept) return run;
  return marks.slice(0, kept).join('') + marks.slice(kept).map(escapeCharacter).join('');
}

/** The text with every hidden character written as an escape (one line whatever it held). */
export function visible(text: string): string {
  const shown = text.replace(ESCAPING, (match: string, backslashes: string | undefined) =>
    backslashes === undefined ? escapeCharacter(match) : backslashes + backslashes,
  );
  // A second pass is unambiguous: an escape it writes follows a mark or starts the text, never a backslash.
  return shown.replace(STACKED_MARKS, escapeStackedMarks);
}

/**
 * At most about `limit` characters: the head and the tail around an ellipsis, and the full length. Pairs of
 * UTF-16 surrogates are never split.
 */
export function shorten(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const note = ` (${text.length.toLocaleString('en-US')} characters)`;
  const room = Math.max(8, limit - note.length - 1);
  const tailLength = Math.floor(room / 4);
  let headEnd = room - tailLength;
  if (isHighSurrogate(text.charCodeAt(headEnd - 1))) headEnd--;
  let tailStart = text.length - tailLength;
  if (isLowSurrogate(text.charCodeAt(tailStart))) tailStart++;
  return `${text.slice(0, headEnd)}…${text.slice(tailStart)}${note}`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

// ---------------------------------------------------------------------------------------------------------
// JSON: the exact string, written so that printing the document on a terminal is safe

/**
 * What JSON.stringify leaves raw and a terminal would act on: DEL, C1 controls (U+009B is CSI), format characters
 * (bidirectional overrides), line and paragraph separators; and combining marks beyond the second of a stack,
 * which draw over the lines around them. JSON.stringify escapes C0 controls and lone surrogates itself.
 */
const JSON_RAW_HIDDEN = /[\u007F-\u009F\p{Cf}\u2028\u2029]|\p{M}(?<=\p{M}{3})/gu;
const HAS_JSON_RAW_HIDDEN = new RegExp(JSON_RAW_HIDDEN.source, 'u');
// Every character JSON_RAW_HIDDEN matches, and every mark its look-behind reads, is beyond ASCII: each maximal run
// of such characters can be scanned on its own, with the same result as scanning the whole text.
const BEYOND_ASCII_RUNS = /[\u007F-\uFFFF]+/g;

/**
 * Serialised JSON with those characters written as `\uXXXX` escapes: they occur only inside strings, so the
 * document parses to exactly the same values.
 */
export function jsonEscapeHidden(json: string): string {
  // Nearly every chunk is plain ASCII: two native scans skip the Unicode-aware one. A text whose UTF-8 length is its
  // length holds nothing beyond U+007F, and then DEL is the one character left to look for (4x faster than a
  // regular expression over a 345 MB report).
  if (Buffer.byteLength(json, 'utf8') === json.length && !json.includes('\u007f')) return json;
  // The Unicode-aware scan reads only the runs beyond ASCII: on a report of ranges and fix commands with a few
  // arrows or accented names it is ~15x faster than over the whole chunk (a 1,000,000-range report: 1.4 s).
  // And the chunk is copied only when some run holds a character to escape (a connector can be 35 MB of JSON).
  return hasHiddenRun(json) ? json.replace(BEYOND_ASCII_RUNS, escapeHiddenInRun) : json;
}

function hasHiddenRun(json: string): boolean {
  BEYOND_ASCII_RUNS.lastIndex = 0;
  for (let run = BEYOND_ASCII_RUNS.exec(json); run !== null; run = BEYOND_ASCII_RUNS.exec(json))
    if (HAS_JSON_RAW_HIDDEN.test(run[0])) return true;
  return false;
}

function escapeHiddenInRun(run: string): string {
  // Characters beyond U+FFFF (tags) become their two surrogate escapes, as JSON requires.
  return run.replace(JSON_RAW_HIDDEN, jsonUnitEscapes);
}

function jsonUnitEscapes(character: string): string {
  return character
    .split('')
    .map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .join('');
}

// ---------------------------------------------------------------------------------------------------------
// Terminal: tables and messages on standard error

/** Longest name or message a table cell shows; longer ones are shortened (the JSON report has them whole). */
export const CELL_LIMIT = 160;
/** Longest line of a fix command or message printed as text. */
export const LINE_LIMIT = 4000;

/** One table cell: visible and at most CELL_LIMIT characters of the original. */
export function terminalCell(text: string, limit = CELL_LIMIT): string {
  return visible(shorten(text, limit));
}

/** The first line of a fix command that could not be shown as it is. */
export const ALTERED_COMMAND_NOTE =
  '# Shown with hidden characters escaped or long lines shortened: take this command from --format json.';

/**
 * A fix command for a terminal or a document: its own line breaks kept, each line visible and at most LINE_LIMIT
 * characters. When that changed the command, a PowerShell comment first says so: the command as shown is then
 * not the one to paste.
 */
export function shownCommand(command: string): string {
  const lines = command.split('\n');
  const altered = lines.some((line) => line.length > LINE_LIMIT || visible(line) !== line);
  const shown = lines.map((line) => visible(shorten(line, LINE_LIMIT))).join('\n');
  return altered ? `${ALTERED_COMMAND_NOTE}\n${shown}` : shown;
}

/**
 * A message for standard error: visible, and a line break in it starts an indented line, so that nothing in a
 * name can produce a line that reads as another message of exrelay's.
 */
export function terminalMessage(text: string, limit = LINE_LIMIT): string {
  return text
    .split(/\r?\n/)
    .map((line) => visible(shorten(line, limit)))
    .join('\n  ');
}

// ---------------------------------------------------------------------------------------------------------
// Markdown (CommonMark / GitHub Flavored Markdown)

/** Characters that start Markdown or HTML syntax inside a paragraph or a table cell (the backslash: below). */
const MARKDOWN_SPECIAL = /[`*_[\]<>|#~&!$]|\\(?=[!-/:-@[-`{-~]|$)/g;

/**
 * Where GitHub would make a link of plain text (GFM's autolink literals: www., a scheme and its colon, an e-mail
 * address's @): the character after the word is escaped, so a connector named `https://evil.example/login`
 * is shown, not offered as a link in a change ticket.
 */
const AUTOLINK_START = /\b(?:www(?=\.)|(?:https?|ftp|mailto|xmpp)(?=:))|@/gi;

/**
 * A name or prose inside a table cell: one line, nothing in it read as Markdown, HTML or a cell border. A
 * backslash is escaped only where CommonMark would read it as one (before ASCII punctuation, or last), so
 * `EX01\Relay` stays as it is in the raw document too.
 */
export function markdownCell(text: string, limit = LINE_LIMIT): string {
  return visible(shorten(text, limit))
    .replace(MARKDOWN_SPECIAL, (character) => `\\${character}`)
    .replace(AUTOLINK_START, (start) => (start === '@' ? '\\@' : `${start}\\`));
}

/**
 * The same in a paragraph, where a leading list or heading marker would also count: those are escaped too.
 */
export function markdownText(text: string, limit = LINE_LIMIT): string {
  return markdownCell(text, limit)
    .replace(/^([-+=])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/**
 * A code span outside tables (in a table a `|` inside a code span would still end the cell; use markdownText
 * there). The fence is longer than any run of backticks inside, padded when the text starts or ends with a
 * backtick or a space, which CommonMark would otherwise strip.
 */
export function markdownCode(text: string, limit = CELL_LIMIT): string {
  const shown = visible(shorten(text, limit));
  const longestRun = (shown.match(/`+/g) ?? []).reduce((longest, run) => Math.max(longest, run.length), 0);
  const fence = '`'.repeat(longestRun + 1);
  const pad = /^[` ]|[` ]$/.test(shown) ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/** A fenced code block around text already made visible; the fence is longer than any backtick run inside. */
export function markdownFence(shown: string, info: string): string {
  const longestRun = (shown.match(/`+/g) ?? []).reduce((longest, run) => Math.max(longest, run.length), 0);
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${info}\n${shown}\n${fence}`;
}

// ---------------------------------------------------------------------------------------------------------
// CSV (RFC 4180), opened in spreadsheets

/**
 * A leading character that makes a spreadsheet read the cell as a formula (full-width forms included); a
 * leading TAB or CR cannot occur, `visible` has escaped it.
 */
const FORMULA_START = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * One CSV cell: visible (line breaks kept only when `multiline`, for fix commands), a leading apostrophe where a
 * spreadsheet would run a formula, quoted when it holds a comma, quote or line break.
 */
export function csvCell(value: string, options: { multiline?: boolean } = {}): string {
  const shown = options.multiline ? value.split('\n').map(visible).join('\n') : visible(value);
  const safe = FORMULA_START.test(shown) ? `'${shown}` : shown;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
