/**
 * Whether a kept snapshot is partial, from the first bytes of its file: exrelay writes `"partial"` right after
 * `kind`, `schemaVersion`, `collectedAt` and `source`. An audit passes over partial snapshots to find the latest
 * complete one (audit-history.ts); told apart by their heads, a folder of thousands of partial nights costs a few
 * kilobytes each, not a whole read. Text in, answer out: no file access.
 */

/** How many bytes of a snapshot the head may take; exrelay's own are a few hundred. */
export const HEAD_BYTES = 8 * 1024;

/**
 * The top-level `partial` of the JSON object that `head` begins, when `head` holds it as `true` or `false`;
 * null when it does not say (cut off before it, not an object, any other value): then only the whole file does.
 * Keys are read as JSON reads them (escapes included), values before it skipped whole, strings and nesting
 * included, so that no `"partial"` inside a value is taken for the snapshot's own.
 */
export function partialInHead(head: string): boolean | null {
  const scan = new Scan(head);
  scan.skipSpace();
  if (!scan.take('{')) return null;
  for (;;) {
    scan.skipSpace();
    const key = scan.string();
    if (key === null) return null;
    scan.skipSpace();
    if (!scan.take(':')) return null;
    scan.skipSpace();
    if (key === 'partial') return scan.boolean();
    if (!scan.skipValue()) return null;
    scan.skipSpace();
    if (!scan.take(',')) return null;
  }
}

class Scan {
  private at = 0;

  constructor(private readonly text: string) {
    // A byte order mark, which analyze accepts too.
    if (text.startsWith('\uFEFF')) this.at = 1;
  }

  skipSpace(): void {
    while (this.at < this.text.length && ' \t\r\n'.includes(this.text[this.at]!)) this.at++;
  }

  take(char: string): boolean {
    if (this.text[this.at] !== char) return false;
    this.at++;
    return true;
  }

  /** A JSON string's value; null when there is none here, or it is cut off. */
  string(): string | null {
    const start = this.at;
    if (!this.skipString()) return null;
    try {
      return JSON.parse(this.text.slice(start, this.at)) as string;
    } catch {
      return null;
    }
  }

  boolean(): boolean | null {
    for (const [word, value] of [
      ['true', true],
      ['false', false],
    ] as const) {
      if (!this.text.startsWith(word, this.at)) continue;
      // `falsey` is no boolean; the value must end where the word does.
      const next = this.text[this.at + word.length];
      return next !== undefined && ' \t\r\n,}'.includes(next) ? value : null;
    }
    return null;
  }

  private skipString(): boolean {
    if (!this.take('"')) return false;
    while (this.at < this.text.length) {
      const char = this.text[this.at++];
      if (char === '\\') this.at++;
      else if (char === '"') return true;
    }
    return false;
  }

  /** Past one value, whatever it holds; false when it is cut off. */
  skipValue(): boolean {
    let depth = 0;
    while (this.at < this.text.length) {
      const char = this.text[this.at]!;
      if (char === '"') {
        if (!this.skipString()) return false;
      } else if (char === '{' || char === '[') {
        depth++;
        this.at++;
      } else if (char === '}' || char === ']') {
        if (depth === 0) return true;
        depth--;
        this.at++;
      } else if (char === ',' && depth === 0) {
        return true;
      } else {
        this.at++;
      }
      if (depth === 0 && (char === '"' || char === '}' || char === ']')) {
        // A string or a closed object or array is the whole value.
        return this.at < this.text.length;
      }
    }
    return false;
  }
}
