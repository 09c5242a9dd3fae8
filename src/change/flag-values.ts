/**
 * Enum arguments (-AuthMechanism, -PermissionGroups, -AccessRights, -InheritanceType) read as PowerShell binds
 * them: names, one string of comma-separated names (flags), or numbers. A number stands for the value of that
 * number (`-InheritanceType 1` is All) or, for flags, the flags of its bits (`-AuthMechanism 32` is
 * ExternalAuthoritative, `33` Tls and ExternalAuthoritative, `-AccessRights 983551` GenericAll), written as a
 * number or as a string of decimal digits alone ('32', ' +033 '). PowerShell refuses a number no value or flags
 * make up, and a number inside a string of names ('Tls,32'): those are kept as written, so the refusal stays the
 * caller's to report.
 */

import { decodeFlags } from '../ingest/ps-read.js';
import { enumerate, toText, type Value } from './values.js';

const DECIMAL = /^\s*\+?\d{1,10}\s*$/;

export function flagNames(value: Value, flags: Readonly<Record<string, number>>): string[] {
  return enumerate(value).flatMap((item) => {
    const text = toText(item).trim();
    if (typeof item === 'number' || DECIMAL.test(text)) return namesOfNumber(text, flags) ?? [text];
    return text
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
  });
}

/** A single enum value: the name of a number, else the value as written. */
export function enumName(value: Value, names: Readonly<Record<string, number>>): string {
  const text = toText(value).trim();
  if (!DECIMAL.test(text)) return text;
  const number = Number(text);
  return Object.entries(names).find(([, code]) => code === number)?.[0] ?? text;
}

/** The flags of a number's bits, or null when it is no whole number or has a bit no flag defines. */
function namesOfNumber(text: string, flags: Readonly<Record<string, number>>): string[] | null {
  if (!DECIMAL.test(text)) return null;
  const number = Number(text);
  if (number > 0x7fffffff) return null;
  const names = decodeFlags(number, flags);
  return names.every((name) => Object.hasOwn(flags, name)) ? names : null;
}
