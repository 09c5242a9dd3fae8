/**
 * Double-quoted strings as PowerShell expands them: the embedded expressions (given with their offsets by the
 * parser) are replaced by their values; backtick escapes and doubled quotes are resolved. Curly double quotes
 * delimit strings too.
 */

const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

const DOUBLE_QUOTES = new Set(['"', '\u201C', '\u201D', '\u201E']);

export interface Embedded {
  start: number;
  end: number;
  value: string;
}

/** `raw` is the string as written, quotes included; `embedded` holds the value of each nested expression. */
export function expandString(raw: string, hereString: boolean, embedded: readonly Embedded[]): string {
  let start = 1;
  let end = raw.length - 1;
  if (hereString) {
    start = raw.indexOf('\n') + 1;
    end = raw.lastIndexOf('\n');
    if (end > 0 && raw[end - 1] === '\r') end--;
  }
  const sorted = [...embedded].sort((a, b) => a.start - b.start);
  let result = '';
  let position = start;
  for (const part of sorted) {
    result += literal(raw.slice(position, part.start), hereString);
    result += part.value;
    position = part.end;
  }
  return result + literal(raw.slice(position, Math.max(position, end)), hereString);
}

function literal(text: string, hereString: boolean): string {
  let result = '';
  for (let index = 0; index < text.length; index++) {
    const character = text[index] as string;
    if (character === '`' && index + 1 < text.length) {
      const next = text[++index] as string;
      if (next === 'u' && text[index + 1] === '{') {
        const close = text.indexOf('}', index);
        result += String.fromCodePoint(parseInt(text.slice(index + 2, close), 16));
        index = close;
      } else result += ESCAPES[next] ?? next;
    } else if (!hereString && DOUBLE_QUOTES.has(character) && DOUBLE_QUOTES.has(text[index + 1] ?? '')) {
      result += character;
      index++;
    } else result += character;
  }
  return result;
}
