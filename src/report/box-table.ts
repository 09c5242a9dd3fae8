/**
 * Tables as the `table` package writes them with exrelay's settings (`norc` borders, every column a fixed width,
 * word wrap, padding of one, a line under the header only), byte for byte, but fast. `table` slices every cell one
 * character at a time and builds a regular expression per character: a 10,000-connector organisation took 14 s
 * in table format against 2.8 s as JSON. Plain text (printable ASCII and the single-width letters below, the
 * bulk of every report) is wrapped here by `table`'s own rules; any other cell (wide characters, combining marks,
 * emoji, colour codes) is wrapped by `table` itself, one cell at a time. tests/report/box-table.test.ts holds
 * both to the same output on random cells.
 */

import { getBorderCharacters, table } from 'table';

/**
 * One terminal column and one character each, never joined to the next one, and read the same by every width
 * measure `table` uses: printable ASCII, Latin letters, and the ellipsis exrelay shortens values with.
 */
const PLAIN_TEXT = /^[\u0020-\u007e\u00c0-\u017f\u2026\n]*$/;

const BORDER = getBorderCharacters('norc');

/** The rows drawn as one table; `widths` are the columns' text widths (padding and borders come on top). */
export function boxTable(rows: readonly (readonly string[])[], widths: readonly number[]): string {
  const b = BORDER;
  const line = (body: string) => widths.map((width) => body.repeat(width + 2));
  const out: string[] = [`${b.topLeft}${line(b.topBody).join(b.topJoin)}${b.topRight}\n`];
  rows.forEach((row, rowIndex) => {
    const cells = row.map((cell, column) => alignedLines(cell, widths[column] as number));
    const height = Math.max(...cells.map((lines) => lines.length));
    for (let line = 0; line < height; line++) {
      const parts = cells.map((lines, column) => lines[line] ?? ' '.repeat(widths[column] as number));
      out.push(`${b.bodyLeft} ${parts.join(` ${b.bodyJoin} `)} ${b.bodyRight}\n`);
    }
    if (rowIndex === 0 && rows.length > 1)
      out.push(`${b.joinLeft}${line(b.joinBody).join(b.joinJoin)}${b.joinRight}\n`);
  });
  out.push(`${b.bottomLeft}${line(b.bottomBody).join(b.bottomJoin)}${b.bottomRight}\n`);
  return out.join('');
}

/** A cell's lines as a table column of `width` shows them, each padded with spaces to the width. */
export function alignedLines(cell: string, width: number): string[] {
  const text = cell.replace(/\r\n/g, '\n');
  if (!PLAIN_TEXT.test(text)) return lineByTable(text, width);
  return wrapPlain(text, width).map((line) => line + ' '.repeat(width - line.length));
}

/** The cell as `table` writes it in a one-cell table without borders or padding. */
function lineByTable(text: string, width: number): string[] {
  const drawn = table([[text]], {
    border: getBorderCharacters('void'),
    columns: [{ width, wrapWord: true, paddingLeft: 0, paddingRight: 0 }],
    drawHorizontalLine: () => false,
  });
  return drawn.slice(0, -1).split('\n');
}

/**
 * `table`'s word wrap for plain text: each line is split at the longest run of at most `width` characters that
 * ends before white space or the end, else at most `width - 1` that end with one of \ / _ . , ; -, else cut at
 * `width`; the white space at a break is dropped.
 */
export function wrapPlain(text: string, width: number): string[] {
  const size = Math.max(width, 1);
  const pattern = breakPattern(size, Math.max(width - 1, 1));
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    let rest = line;
    do {
      const match = pattern.exec(rest);
      const chunk = match ? match[0].length : Math.min(rest.length, size);
      const kept = match ? match[0].trimEnd().length : chunk;
      lines.push(rest.slice(0, kept));
      rest = rest.slice(chunk);
    } while (rest.length > 0);
  }
  return lines;
}

const PATTERNS = new Map<string, RegExp>();

function breakPattern(size: number, shorter: number): RegExp {
  const key = `${size}:${shorter}`;
  let pattern = PATTERNS.get(key);
  if (!pattern) {
    pattern = new RegExp(`(^.{1,${size}}(\\s+|$))|(^.{1,${shorter}}(\\\\|/|_|\\.|,|;|-))`);
    PATTERNS.set(key, pattern);
  }
  return pattern;
}
