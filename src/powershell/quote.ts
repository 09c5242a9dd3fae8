/**
 * Quoting for values that exrelay writes into PowerShell command text: the remediation commands it prints
 * (`Remove-ADPermission -Identity 'EX01\Default Frontend EX01' ...`). Values sent to a live shell never go
 * through here: the runner passes them as data.
 */

/**
 * PowerShell ends a single-quoted string at any of these, not only at the ASCII apostrophe, and reads a doubled
 * one as that character itself.
 */
const SINGLE_QUOTE_CHARACTERS = /['\u2018\u2019\u201A\u201B]/g;

/** C0 controls except TAB: they have no place in an identity and would break a one-line command. */
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000A-\u001F]/;

/** Neither a quote character nor a forbidden control: quoting is wrapping in apostrophes. */
const NOTHING_TO_ESCAPE = /^[^'\u2018\u2019\u201A\u201B\u0000-\u0008\u000A-\u001F]*$/;

const CONTROL_NAMES: Readonly<Record<string, string>> = {
  '\u0000': 'NUL',
  '\n': 'line feed',
  '\r': 'carriage return',
};

/** A single-quoted PowerShell literal that evaluates to exactly `value`, with nothing expanded or run. */
export function quotePsString(value: string): string {
  const control = FORBIDDEN_CONTROL.exec(value);
  if (control) {
    const character = control[0];
    const code = `U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    const name = CONTROL_NAMES[character] ?? 'control character';
    throw new RangeError(
      `cannot quote a value for PowerShell: it contains a ${name} (${code}) at index ${control.index}`,
    );
  }
  return `'${value.replace(SINGLE_QUOTE_CHARACTERS, (quote) => quote + quote)}'`;
}

/**
 * A PowerShell argument that evaluates to exactly `value`, control characters included: a single-quoted literal
 * when possible, else a parenthesised concatenation with [char] codes. Identities read from an audited
 * organisation may contain anything; the printed fix must still be correct and inert.
 */
export function psArgument(value: string): string {
  // Nearly every value (a range, a name) holds neither: one scan instead of three (a fix can list 100,000 ranges).
  if (NOTHING_TO_ESCAPE.test(value)) return `'${value}'`;
  if (!FORBIDDEN_CONTROL.test(value)) return quotePsString(value);
  const parts: string[] = [];
  let literal = '';
  for (const character of value) {
    if (FORBIDDEN_CONTROL.test(character)) {
      if (literal !== '') parts.push(quotePsString(literal));
      parts.push(`[char]${character.charCodeAt(0)}`);
      literal = '';
    } else {
      literal += character;
    }
  }
  if (literal !== '') parts.push(quotePsString(literal));
  return `(${parts.join(' + ')})`;
}
