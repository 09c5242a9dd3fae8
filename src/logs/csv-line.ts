/**
 * One line of an Exchange log as CSV (RFC 4180, as Exchange writes it): a field holding a comma or a quote is
 * double-quoted and its quotes doubled, e.g. the 220 banner with its date, "250 2.6.0 <…> 3454 bytes in 0.777,
 * 4.338 KB/sec Queued mail for delivery" (a locale decimal comma), or a connector name with a comma.
 */

/**
 * Splits `line` into `out` (cleared first) and returns null, or returns why the line is not CSV. A quote inside an
 * unquoted field is kept as text, as spreadsheet programs do.
 */
export function splitCsvLine(line: string, out: string[]): string | null {
  out.length = 0;
  const end = line.length;
  let position = 0;
  for (;;) {
    if (line.charCodeAt(position) === QUOTE) {
      const field = readQuoted(line, position + 1);
      if (field === null) return `a quoted field (column ${out.length + 1}) is never closed`;
      out.push(field.text);
      position = field.next;
      if (position === end) return null;
      if (line.charCodeAt(position) !== COMMA)
        return `text follows the closing quote of column ${out.length} (a quote inside a quoted field must be doubled)`;
      position++;
      continue;
    }
    const comma = line.indexOf(',', position);
    if (comma < 0) {
      out.push(line.slice(position));
      return null;
    }
    out.push(line.slice(position, comma));
    position = comma + 1;
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;

/** The text of a quoted field whose content starts at `start`, and the position after its closing quote. */
function readQuoted(line: string, start: number): { text: string; next: number } | null {
  let text = '';
  let from = start;
  for (;;) {
    const quote = line.indexOf('"', from);
    if (quote < 0) return null;
    if (line.charCodeAt(quote + 1) === QUOTE) {
      // A doubled quote is one quote character of the text.
      text += line.slice(from, quote + 1);
      from = quote + 2;
      continue;
    }
    return { text: text + line.slice(from, quote), next: quote + 1 };
  }
}
