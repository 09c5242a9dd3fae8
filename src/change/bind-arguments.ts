/** Command arguments bound to a cmdlet's parameters as PowerShell binds them: names, prefixes, switches, positions, splatting. */

import { isSwitch, matchParameter, type CmdletSpec } from './cmdlets.js';
import type { Interpreter } from './evaluate.js';
import { locationOf } from './evaluate.js';
import type { CommandNode } from './script-ast.js';
import { enumerate, isHashtable, psArray, toText, type SourceLocation, type Value } from './values.js';

export interface BoundArguments {
  /** By full parameter name. */
  named: Map<string, { value: Value; at: SourceLocation }>;
}

export type Binding = { ok: true; bound: BoundArguments } | { ok: false; reason: string };

export function bindArguments(interpreter: Interpreter, spec: CmdletSpec, node: CommandNode): Binding {
  const named = new Map<string, { value: Value; at: SourceLocation }>();
  const positional: Array<{ value: Value; at: SourceLocation }> = [];
  const elements = node.elements;
  const set = (written: string, value: Value, at: SourceLocation): string | null => {
    const match = matchParameter(spec, written);
    if (!match.ok) return match.reason;
    if (named.has(match.name)) return `the parameter -${match.name} is given twice`;
    named.set(match.name, { value, at });
    return null;
  };
  for (let index = 0; index < elements.length; index++) {
    const element = elements[index]!;
    const at = locationOf(element);
    if (element.type === 'parameter') {
      const match = matchParameter(spec, element.name);
      if (!match.ok) return { ok: false, reason: match.reason };
      let value: Value;
      if (element.argument) value = interpreter.evaluate(element.argument);
      else if (isSwitch(spec, match.name)) value = true;
      else {
        const next = elements[index + 1];
        if (!next || next.type === 'parameter')
          return { ok: false, reason: `missing an argument for parameter -${match.name}` };
        value = interpreter.evaluate(next);
        index++;
      }
      const problem = set(match.name, value, at);
      if (problem) return { ok: false, reason: problem };
    } else if (element.type === 'variable' && element.splatted) {
      const splat = interpreter.variable(element.name, at);
      if (isHashtable(splat)) {
        for (const { key, value } of splat.entries.values()) {
          const problem = set(key, value, at);
          if (problem) return { ok: false, reason: problem };
        }
      } else for (const value of enumerate(splat)) positional.push({ value, at });
    } else positional.push({ value: interpreter.evaluate(element), at });
  }
  const free = spec.positional.filter((name) => !named.has(name));
  for (const argument of positional) {
    const name = free.shift();
    if (!name)
      return {
        ok: false,
        reason: `a positional parameter cannot be found that accepts argument '${toText(argument.value)}'`,
      };
    named.set(name, argument);
  }
  return { ok: true, bound: { named } };
}

/** The parameter's value, or undefined when it was not given. */
export function argument(bound: BoundArguments, name: string): Value | undefined {
  return bound.named.get(name)?.value;
}

/** A list parameter (a,b or 'a, b' for flags) as strings. */
export function stringList(value: Value, splitCommas = false): string[] {
  const items = enumerate(value).map(toText);
  return splitCommas
    ? items
        .flatMap((item) => item.split(','))
        .map((item) => item.trim())
        .filter((item) => item !== '')
    : items.map((item) => item.trim());
}

export { psArray };
