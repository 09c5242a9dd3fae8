/**
 * Command-line faults that yargs lets through silently, found on the raw arguments before anything is read: an
 * option without its value (`--format` at the end, `--output --format json`), an empty value (`--output ''`), a
 * single-value option given twice (`--output a --output b`), arguments after `--` (exrelay takes none), and `-`.
 * An option that may be given more than once (`--principal NAME=SID`) must be declared with `array: true`.
 */

import { UsageError } from '../errors.js';

/** The part of yargs' getOptions() this needs: every declared option and how it takes values. */
export interface DeclaredOptions {
  key: Record<string, unknown>;
  boolean: string[];
  array: string[];
  count: string[];
  alias: Record<string, string[]>;
}

interface ValueOption {
  name: string;
  repeatable: boolean;
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Every spelling on the command line (--format, -f, --failOn) → the option, for options that take a value. */
function valueOptions(options: DeclaredOptions): Map<string, ValueOption> {
  const flags = new Set([...options.boolean, ...options.count, 'help', 'version']);
  const byToken = new Map<string, ValueOption>();
  for (const name of Object.keys(options.key)) {
    if (flags.has(name) || name.length === 1) continue;
    const option = { name, repeatable: options.array.includes(name) };
    for (const spelling of [name, camelCase(name), ...(options.alias[name] ?? [])])
      byToken.set(spelling.length === 1 ? `-${spelling}` : `--${spelling}`, option);
  }
  return byToken;
}

/** Every spelling of each switch (--show-info, --showInfo): yargs reads any value but `true` after `=` as false. */
function switchSpellings(options: DeclaredOptions): Set<string> {
  const spellings = new Set<string>();
  for (const name of options.boolean)
    for (const spelling of [name, camelCase(name), ...(options.alias[name] ?? [])])
      spellings.add(spelling.length === 1 ? `-${spelling}` : `--${spelling}`);
  return spellings;
}

/** A token that yargs reads as an option rather than as a value (negative numbers are values). */
function looksLikeOption(token: string): boolean {
  return token.startsWith('-') && token !== '-' && !/^-\d/.test(token);
}

function quoted(value: string): string {
  return `'${value}'`;
}

/**
 * Dashes a word processor or mail client puts where `-` or `--` was typed (en dash, em dash, minus sign…): a
 * command pasted from a ticket arrives as `–format json`, which would otherwise be read as a file named '–format'.
 */
const TYPOGRAPHIC_DASHES = /^[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]+/;

/** A token pasted with a typographic dash: it may be an option in disguise, or a file so named. */
export function startsWithTypographicDash(token: string): boolean {
  return TYPOGRAPHIC_DASHES.test(token);
}

/** `–format` → `--format` when that is a declared option; null otherwise (a file may have such a name). */
function typedWithTypographicDash(token: string, options: DeclaredOptions): string | null {
  const dashes = TYPOGRAPHIC_DASHES.exec(token)?.[0];
  if (dashes === undefined) return null;
  const name = token.slice(dashes.length).replace(/^-+/, '').split('=')[0] ?? '';
  const declared = [...Object.keys(options.key), ...Object.values(options.alias).flat(), 'help', 'version'];
  if (name === '' || !declared.includes(name)) return null;
  return `${name.length === 1 ? '-' : '--'}${name}`;
}

const STANDARD_INPUT =
  "'-' (standard input) is not read: exrelay reads the files it is given by name; save the input to a file and name that";

/** The first fault in `args`, as a one-line message; null when there is none. */
export function findOptionFault(args: readonly string[], options: DeclaredOptions): string | null {
  const byToken = valueOptions(options);
  const switches = switchSpellings(options);
  const seen = new Map<ValueOption, string[]>();
  for (let index = 0; index < args.length; index++) {
    const token = args[index] as string;
    const meant = typedWithTypographicDash(token, options);
    if (meant !== null)
      return `'${token}' starts with a typographic dash (U+${(token.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}), not '-': type it as ${meant}`;
    if (token === '--') {
      const rest = args.slice(index + 1);
      if (rest.length === 0) continue;
      return `arguments after '--' are not read (got ${rest.slice(0, 3).map(quoted).join(', ')}${rest.length > 3 ? ', …' : ''}): name files before it, a file whose name starts with '-' as ./-name.xml`;
    }
    // yargs drops a lone '-' without a word, as a file and as an option's value: `analyze - org/` analysed org/
    // alone, `--exceptions -` applied none.
    if (token === '-') return STANDARD_INPUT;
    // An empty argument (an unset variable in a script) was read as a file with no name: "exrelay: no such file".
    if (token === '') return "an empty argument (''): name a file or folder";
    const equals = token.indexOf('=');
    const spelling = token.startsWith('-') && equals > 0 ? token.slice(0, equals) : token;
    if (spelling !== token && switches.has(spelling)) {
      const value = token.slice(equals + 1);
      // `--show-info=TRUE` or `=1` would silently mean false.
      if (value !== 'true' && value !== 'false')
        return `${spelling} is a switch: give it alone, or as ${spelling}=true or ${spelling}=false (not ${quoted(value)})`;
      continue;
    }
    const option = byToken.get(spelling);
    if (!option) continue;
    let value: string;
    if (equals > 0 && spelling !== token) value = token.slice(equals + 1);
    else {
      const next = args[index + 1];
      if (next === undefined || looksLikeOption(next) || next === '--')
        return `${spelling} needs a value${next === undefined ? '' : ` (it is followed by ${quoted(next)})`}`;
      value = next;
      index++;
    }
    if (value === '') return `${spelling} needs a value, not an empty string`;
    // (--output - already says it needs a file name.)
    if (value === '-' && option.name !== 'output' && option.name !== 'out')
      return `${spelling} ${STANDARD_INPUT}`;
    const values = [...(seen.get(option) ?? []), value];
    seen.set(option, values);
    if (values.length > 1 && !option.repeatable)
      return `--${option.name} is given ${values.length} times (${values.map(quoted).join(', ')}); give it once`;
  }
  return null;
}

/** Throws the first fault as a usage error (exit 2). */
export function rejectOptionFaults(args: readonly string[], options: DeclaredOptions): void {
  const fault = findOptionFault(args, options);
  if (fault !== null) throw new UsageError(fault);
}
