/**
 * A command run without yargs when its arguments are plain (loading yargs is about 50 ms of a 250 ms analyze
 * here). The command's own builder is replayed against a recorder, so the options are declared once, in the
 * command; then the arguments are read only when each token means one thing: a declared option spelled as
 * declared (`--name value`, `--name=value`, `-x value`, `--flag`), or a file. Anything else (a fault, --help,
 * a number, an option yargs reads in a way of its own) returns null and yargs reads the arguments, so every
 * message and fault stays yargs' own. tests/cli/plain-arguments.test.ts holds each result to yargs' argv.
 */

import type { CommandModule } from 'yargs';
import { startsWithTypographicDash } from './option-faults.js';

/** The option settings this reader understands; a builder that uses any other leaves the command to yargs. */
export interface OptionSpec {
  type?: 'string' | 'boolean';
  choices?: readonly string[];
  default?: unknown;
  alias?: string | readonly string[];
  array?: boolean;
  demandOption?: boolean;
  describe?: string;
}

const UNDERSTOOD = new Set(['type', 'choices', 'default', 'alias', 'array', 'demandOption', 'describe']);

interface Declared {
  options: Map<string, OptionSpec>;
  positional: { name: string; spec: OptionSpec } | null;
}

/** yargs-parser reads these as numbers when an option has no type (a choice can never be one). */
const NUMBER_LIKE = /^(?:0x[0-9a-f]+|-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)$/i;

/** "analyze <files..>": the name, and a variadic positional (exrelay's commands take one or none). */
const COMMAND = /^([a-z][a-z-]*)(?: <([a-z][a-z-]*)\.\.>)?$/;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = CommandModule<object, any>;

export interface PlainRun {
  command: AnyCommand;
  /** The argv yargs would pass the handler for these arguments. */
  argv: { _: string[]; $0: string; [name: string]: unknown };
}

/**
 * The command and its argv when `args` are plain for it; null leaves them to yargs. `globals` are the options
 * every command takes (--debug).
 */
export function readPlainArguments(
  args: readonly string[],
  commands: readonly AnyCommand[],
  globals: ReadonlyMap<string, OptionSpec>,
): PlainRun | null {
  const [name, ...rest] = args;
  const command = commands.find((candidate) => COMMAND.exec(String(candidate.command))?.[1] === name);
  if (!command || name === undefined) return null;
  const declared = replayBuilder(command, globals);
  if (!declared) return null;
  const given = readTokens(rest, declared);
  if (!given) return null;
  return { command, argv: { _: [name], ...withDefaults(given, declared), $0: 'exrelay' } };
}

/** The builder's declarations, or null when it does anything but declare understood options. */
function replayBuilder(command: AnyCommand, globals: ReadonlyMap<string, OptionSpec>): Declared | null {
  const positionalName = COMMAND.exec(String(command.command))?.[2];
  const declared: Declared = { options: new Map(globals), positional: null };
  let understood = typeof command.builder === 'function';
  const declare = (kind: 'option' | 'positional', name: string, spec: OptionSpec) => {
    if (!Object.keys(spec).every((key) => UNDERSTOOD.has(key))) understood = false;
    if (spec.type !== undefined && spec.type !== 'string' && spec.type !== 'boolean') understood = false;
    if (spec.type === undefined && spec.choices === undefined) understood = false;
    if (spec.choices?.some((choice) => NUMBER_LIKE.test(choice))) understood = false;
    if (kind === 'positional') {
      if (name !== positionalName || declared.positional || spec.type !== 'string') understood = false;
      declared.positional = { name, spec };
    } else {
      if (declared.options.has(name) || spec.demandOption) understood = false;
      declared.options.set(name, spec);
    }
  };
  const recorder: object = new Proxy(
    {},
    {
      get: (_, method) => (name: string, spec: OptionSpec) => {
        if (method === 'option' || method === 'positional') declare(method, name, spec);
        else understood = false;
        return recorder;
      },
    },
  );
  if (understood) (command.builder as (yargs: object) => unknown)(recorder);
  if (positionalName !== undefined && !declared.positional) understood = false;
  return understood ? declared : null;
}

/** Each given option's value (true for a flag, a list for an array option), and the positional values. */
type Given = Map<string, unknown>;

function readTokens(tokens: readonly string[], declared: Declared): Given | null {
  const bySpelling = new Map<string, string>();
  for (const [name, spec] of declared.options)
    for (const spelling of [name, ...aliasesOf(spec)])
      bySpelling.set(spelling.length === 1 ? `-${spelling}` : `--${spelling}`, name);
  const given: Given = new Map();
  const positional: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as string;
    if (token === '' || startsWithTypographicDash(token)) return null;
    if (!token.startsWith('-')) {
      if (!declared.positional) return null;
      positional.push(token);
      continue;
    }
    const equals = token.startsWith('--') ? token.indexOf('=') : -1;
    const name = bySpelling.get(equals > 0 ? token.slice(0, equals) : token);
    if (name === undefined) return null;
    const spec = declared.options.get(name) as OptionSpec;
    const next = tokens[index + 1];
    if (spec.type === 'boolean') {
      // `--flag true` and `--flag=false` are yargs' own reading.
      if (equals > 0 || given.has(name) || next === 'true' || next === 'false') return null;
      given.set(name, true);
      continue;
    }
    const value = equals > 0 ? token.slice(equals + 1) : next;
    if (equals <= 0) index++;
    if (value === undefined || value === '' || value.startsWith('-')) return null;
    if (spec.type === undefined && NUMBER_LIKE.test(value)) return null;
    if (spec.choices && !spec.choices.includes(value)) return null;
    if (spec.array) {
      // yargs gives an array option every value up to the next option: a file after it would be taken.
      const after = tokens[index + 1];
      if (after !== undefined && !after.startsWith('-')) return null;
      given.set(name, [...((given.get(name) as string[] | undefined) ?? []), value]);
    } else {
      if (given.has(name)) return null;
      given.set(name, value);
    }
  }
  if (declared.positional) {
    if (positional.length === 0) return null;
    given.set(declared.positional.name, declared.positional.spec.array ? positional : positional[0]);
    if (positional.length > 1 && !declared.positional.spec.array) return null;
  }
  return given;
}

/** Every value under each name yargs gives it: as declared, in camelCase, and by each alias. */
function withDefaults(given: Given, declared: Declared): Record<string, unknown> {
  const argv: Record<string, unknown> = {};
  const entries: Array<[string, OptionSpec]> = [...declared.options];
  if (declared.positional) entries.push([declared.positional.name, declared.positional.spec]);
  for (const [name, spec] of entries) {
    const value = given.has(name) ? given.get(name) : spec.default;
    if (value === undefined) continue;
    for (const key of new Set([name, camelCase(name), ...aliasesOf(spec)])) argv[key] = value;
  }
  return argv;
}

function aliasesOf(spec: OptionSpec): readonly string[] {
  if (spec.alias === undefined) return [];
  return typeof spec.alias === 'string' ? [spec.alias] : spec.alias;
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
