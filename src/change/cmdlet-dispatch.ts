/** Which command a script invokes, and what exrelay does with it: evaluate it, apply it, or list it as not evaluated. */

import { applyCommand } from './apply.js';
import { bindArguments, argument } from './bind-arguments.js';
import { MODELLED, planChange } from './change-cmdlets.js';
import { CMDLETS, COMMAND_ALIASES } from './cmdlets.js';
import type { Interpreter } from './evaluate.js';
import { locationOf, NotEvaluable } from './evaluate.js';
import { binary } from './operators.js';
import {
  connectorObject,
  forEachObject,
  getAcceptedDomain,
  getAdPermission,
  getExchangeServer,
  getReceiveConnector,
  selectObject,
  whereObject,
} from './read-cmdlets.js';
import type { CommandNode } from './script-ast.js';
import { appendAll } from './value-limits.js';
import { enumerate, findUnknown, isUnknown, toText, type SourceLocation, type Value } from './values.js';

/** Commands that change nothing in Exchange's receive configuration (output, transcripts, shell set-up). */
const NO_EFFECT = new Set(
  [
    'Write-Host',
    'Write-Verbose',
    'Write-Warning',
    'Write-Information',
    'Write-Debug',
    'Write-Progress',
    'Write-Error',
    'Out-Null',
    'Out-Host',
    'Out-Default',
    'Out-File',
    'Out-String',
    'Format-Table',
    'Format-List',
    'Format-Wide',
    'Export-Clixml',
    'Export-Csv',
    'ConvertTo-Json',
    'ConvertTo-Csv',
    'Start-Transcript',
    'Stop-Transcript',
    'Start-Sleep',
    'Import-Module',
    'Add-PSSnapin',
    'Set-ADServerSettings',
    'Set-StrictMode',
    'Clear-Host',
    'Pause',
    'Restart-Service',
    'Start-Service',
    'Set-Location',
    'Push-Location',
    'Pop-Location',
  ].map((name) => name.toLowerCase()),
);

/** Commands whose positional arguments are their output objects, after their pipeline input. */
const PASS_THROUGH = new Set(['write-output', 'echo']);

export function runCmdlet(interpreter: Interpreter, node: CommandNode, input: Value[] | null): Value[] {
  const at = locationOf(node);
  const written = node.name as string;
  const name = COMMAND_ALIASES[written.toLowerCase()] ?? written;
  const folded = name.toLowerCase();
  if (NO_EFFECT.has(folded)) return [];
  // Tee-Object passes its input on (its argument is a file); Sort-Object too (its argument is the sort key), in an
  // order exrelay does not compute: for more than one item, what a later -First, -Last or [0] picks is unknown.
  if (folded === 'tee-object') {
    if (node.elements.some((element) => element.type === 'parameter' && /^v/i.test(element.name)))
      throw new NotEvaluable('Tee-Object -Variable sets a variable exrelay does not follow', at);
    return [...(input ?? [])];
  }
  if (folded === 'sort-object') {
    const items = input ?? [];
    if (items.length <= 1 || items.some(isUnknown)) return [...items];
    return [{ kind: 'unknown', reason: `the order Sort-Object puts ${items.length} items in`, at }];
  }
  if (PASS_THROUGH.has(folded)) {
    const values = node.elements
      .filter((element) => element.type !== 'parameter')
      .map((element) => interpreter.evaluate(element));
    const output = [...(input ?? [])];
    for (const value of values) appendAll(output, enumerate(value));
    return output;
  }
  // Output, exports and the like do not care what they are given; everything else needs to know its input.
  const unknownInput = input?.find(isUnknown);
  if (unknownInput)
    throw new NotEvaluable(`its pipeline input is ${unknownInput.reason} (line ${unknownInput.at.line})`, at);
  const spec = CMDLETS.get(folded);
  if (!spec) {
    if (/^(Get|Test|Read|Import|Resolve|Find|Select|Measure|Compare)-/i.test(name))
      return [{ kind: 'unknown', reason: `the output of ${name}`, at }];
    if (/\.ps1$/i.test(name) || name.includes('\\') || name.includes('/'))
      throw new NotEvaluable(`it runs another script ('${name}'), whose content exrelay does not see`, at);
    throw new NotEvaluable(`${name} is not a command exrelay evaluates`, at);
  }
  const binding = bindArguments(interpreter, spec, node);
  // A parameter that cannot be bound is an error -ErrorAction does not govern; a refusal by the cmdlet is one it does.
  const refuse = (reason: string, commandAction: Value | undefined): Value[] => {
    interpreter.record(
      { ...at, cmdlet: spec.name, text: node.text, target: null, status: 'refused', reason, effects: [] },
      commandAction,
    );
    return [];
  };
  if (!binding.ok) return refuse(`PowerShell: ${binding.reason}`, undefined);
  const { bound } = binding;
  const errorAction = argument(bound, 'ErrorAction');
  const fail = (reason: string): Value[] => refuse(reason, errorAction);
  switch (spec.name) {
    case 'Get-ReceiveConnector':
      return getReceiveConnector(interpreter, bound, input, at, fail);
    case 'Get-ExchangeServer':
      return getExchangeServer(interpreter, bound, fail);
    case 'Get-ADPermission':
      return getAdPermission(interpreter, bound, input, at, fail);
    case 'Get-AcceptedDomain':
      return getAcceptedDomain(interpreter, bound, at, fail);
    case 'Where-Object':
      return whereObject(interpreter, bound, input ?? [], at, binary);
    case 'ForEach-Object':
      return forEachObject(interpreter, bound, input ?? [], at);
    case 'Select-Object':
      return selectObject(interpreter, bound, input ?? [], at);
    case 'New-Object':
      return newObject(interpreter, bound, at);
  }
  for (const parameter of MODELLED[spec.name] ?? []) {
    const unknown = findUnknown(argument(bound, parameter) ?? null);
    if (unknown)
      throw new NotEvaluable(`its -${parameter} is ${unknown.reason} (line ${unknown.at.line})`, at);
  }
  const whatIf = argument(bound, 'WhatIf') === true;
  const output: Value[] = [];
  for (const planned of planChange(interpreter, spec.name, bound, input, at)) {
    const base = { ...at, cmdlet: spec.name, text: node.text, target: planned.target };
    if ('refused' in planned) {
      interpreter.record({ ...base, status: 'refused', reason: planned.refused, effects: [] }, errorAction);
      continue;
    }
    if (whatIf) {
      interpreter.record(
        {
          ...base,
          status: 'skipped',
          reason: 'runs with -WhatIf: Exchange only describes the change',
          effects: [],
        },
        errorAction,
      );
      continue;
    }
    const result = applyCommand(interpreter.state, planned.command);
    interpreter.record(
      { ...base, status: result.status, reason: result.reason, effects: result.effects },
      errorAction,
    );
    if (result.status !== 'refused')
      appendAll(output, commandOutput(interpreter, spec.name, planned.target, at));
  }
  return output;
}

/**
 * What a change cmdlet writes to the pipeline once it has run: New-ReceiveConnector the new connector (piped to
 * Add-ADPermission or Set-ReceiveConnector, or kept in a variable, as admins do), Add-ADPermission and
 * New-AcceptedDomain objects exrelay does not model (a command that reads them is listed, never given nothing),
 * the Set- and Remove- cmdlets nothing.
 */
function commandOutput(
  interpreter: Interpreter,
  cmdlet: string,
  target: string,
  at: SourceLocation,
): Value[] {
  if (cmdlet === 'New-ReceiveConnector') {
    const created = interpreter.state.findConnector(target);
    if (created.ok) return [connectorObject(interpreter, created.value)];
  }
  if (cmdlet === 'New-ReceiveConnector' || cmdlet === 'Add-ADPermission' || cmdlet === 'New-AcceptedDomain')
    return [{ kind: 'unknown', reason: `the output of ${cmdlet}`, at }];
  return [];
}

function newObject(
  interpreter: Interpreter,
  bound: import('./bind-arguments.js').BoundArguments,
  at: import('./values.js').SourceLocation,
): Value[] {
  const type = toText(argument(bound, 'TypeName') ?? null);
  const args = enumerate(argument(bound, 'ArgumentList') ?? null);
  if (/^(System\.)?Security\.Principal\.SecurityIdentifier$/i.test(type)) {
    const sid = toText(args[0] ?? null).trim();
    if (!/^S-1(-\d+)+$/i.test(sid)) throw new NotEvaluable(`'${sid}' is not a SID`, at);
    return [
      {
        kind: 'object',
        type: 'SecurityIdentifier',
        props: new Map([['value', { name: 'Value', value: sid.toUpperCase() }]]),
      },
    ];
  }
  if (/^(System\.)?Security\.Principal\.NTAccount$/i.test(type))
    return [
      args.length > 1 ? `${toText(args[0] ?? null)}\\${toText(args[1] ?? null)}` : toText(args[0] ?? null),
    ];
  void interpreter;
  throw new NotEvaluable(`New-Object ${type} is not something exrelay evaluates`, at);
}
