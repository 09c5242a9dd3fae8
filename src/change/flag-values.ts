/**
 * A flags-enum argument (-AuthMechanism, -PermissionGroups) read as PowerShell binds it: names, one string of
 * comma-separated names, or numbers. A number stands for the flags of its bits (`-AuthMechanism 32` is
 * ExternalAuthoritative, `33` Tls and ExternalAuthoritative), written as a number or as a string of decimal
 * digits alone ('32', ' +033 '). PowerShell refuses a number with a bit no flag has, and a number inside a string
 * of names ('Tls,32'): those are kept as written, so Exchange's refusal stays the caller's to report.
 */

import { enumerate, toText, type Value } from './values.js';

const DECIMAL = /^\s*\+?\d+\s*$/;

export function flagNames(value: Value, flags: Readonly<Record<string, number>>): string[] {
  return enumerate(value).flatMap((item) => {
    const text = toText(item);
    if (typeof item === 'number' || DECIMAL.test(text))
      return namesOfNumber(text.trim(), flags) ?? [text.trim()];
    return text
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
  });
}

/** The flags of a number's bits, or null when it is no whole number or has a bit no flag defines. */
function namesOfNumber(text: string, flags: Readonly<Record<string, number>>): string[] | null {
  if (!DECIMAL.test(text)) return null;
  let rest = BigInt(text.replace('+', ''));
  const entries = Object.entries(flags);
  if (rest === 0n) return entries.filter(([, bit]) => bit === 0).map(([name]) => name);
  const names: string[] = [];
  for (const [name, bit] of entries) {
    if (bit === 0 || (rest & BigInt(bit)) === 0n) continue;
    names.push(name);
    rest &= ~BigInt(bit);
  }
  return rest === 0n ? names : null;
}
