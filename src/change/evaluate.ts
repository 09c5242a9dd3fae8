/**
 * Evaluate a change script's syntax tree against the organisation, statement by statement, as PowerShell would
 * run it against Exchange: variables, pipelines, member changes on objects read with Get-ReceiveConnector, loops
 * over values it can know. Whatever it cannot evaluate is listed with its line and column, never taken as "no
 * change". Nothing here runs PowerShell: the tree is data.
 */

import type { Snapshot } from '../model/snapshot.js';
import type { ChangeEffect, CommandStatus } from './commands.js';
import { expandString } from './expand-string.js';
import { add, binary, OperatorError, subtract } from './operators.js';
import { appendAll, guardSize, ValueTooLarge, withinLimits } from './value-limits.js';
import { errorActionOf } from './error-action.js';
import { runCmdlet } from './cmdlet-dispatch.js';
import type {
  AssignNode,
  BlockNode,
  CommandNode,
  ExpandableNode,
  InvokeNode,
  PipelineNode,
  ScriptNode,
  UnsupportedNode,
} from './script-ast.js';
import {
  collapse,
  enumerate,
  findUnknown,
  isArray,
  isHashtable,
  isObject,
  isTrue,
  isUnknown,
  psArray,
  psObject,
  toText,
  type PsObject,
  type PsUnknown,
  type SourceLocation,
  type Value,
} from './values.js';
import { WorkingState } from './working-state.js';

export interface CommandOutcome extends SourceLocation {
  cmdlet: string;
  /** The command as written (shortened). */
  text: string;
  /** The connector or accepted domain it acted on. */
  target: string | null;
  /** `skipped`: -WhatIf, or the script stopped before it. */
  status: CommandStatus | 'skipped';
  reason: string | null;
  effects: ChangeEffect[];
}

export interface NotEvaluated extends SourceLocation {
  text: string;
  reason: string;
}

export interface ScriptEvaluation {
  after: Snapshot;
  outcomes: CommandOutcome[];
  notEvaluated: NotEvaluated[];
  /** What exrelay had to assume (the connected server, a server's version). */
  assumptions: string[];
  /** Where the script stops: a refused command with -ErrorAction Stop or $ErrorActionPreference = 'Stop'. */
  stoppedAt: (SourceLocation & { reason: string }) | null;
}

export interface EvaluationOptions {
  /** The server the Exchange Management Shell is connected to, when known. */
  connectedServer?: string | null;
}

/** Something in the script exrelay cannot evaluate; caught where the statement is, and listed. */
export class NotEvaluable extends Error {
  constructor(
    message: string,
    readonly at: SourceLocation | null = null,
  ) {
    super(message);
  }
}

/** A refused command under ErrorAction Stop: the rest of the script (up to a try) does not run. */
class ScriptStopped extends Error {
  constructor(readonly at: SourceLocation & { reason: string }) {
    super(at.reason);
  }
}

/** `exit`, or `return` outside a script block: PowerShell runs nothing after it but the enclosing `finally` blocks. */
class ScriptEnded extends Error {
  constructor(readonly at: SourceLocation & { reason: string }) {
    super(at.reason);
  }
}

// `exit` / `return` with nothing after them, or a number or variable: ending the script is all they do.
const PLAIN_EXIT = /^(exit|return)(\s+(-?\d+|\$[\w:]+))?\s*$/i;

const MAX_ITERATIONS = 100_000;

export function evaluateChangeScript(
  snapshot: Snapshot,
  script: BlockNode,
  options: EvaluationOptions = {},
): ScriptEvaluation {
  const interpreter = new Interpreter(new WorkingState(snapshot, options.connectedServer ?? null));
  return interpreter.run(script);
}

export function locationOf(node: ScriptNode): SourceLocation {
  return { line: node.line ?? 0, column: node.column ?? 0 };
}

export class Interpreter {
  private readonly variables = new Map<string, Value>();
  private readonly functions = new Set<string>();
  readonly outcomes: CommandOutcome[] = [];
  readonly notEvaluated: NotEvaluated[] = [];
  private readonly assumptions = new Set<string>();
  private stoppedAt: ScriptEvaluation['stoppedAt'] = null;
  private iterations = 0;
  /** Script blocks being run (Where-Object, ForEach-Object): a `return` there ends the block, not the script. */
  private blockDepth = 0;
  /** A trap statement was met: it may carry the script on after an error (listed as not evaluated itself). */
  private trapped = false;
  /** The line that first changed $PSDefaultParameterValues; no command after it is evaluated. */
  private parameterDefaultsLine: number | null = null;

  constructor(readonly state: WorkingState) {}

  run(script: BlockNode): ScriptEvaluation {
    try {
      this.runStatements(script.statements, null);
    } catch (error) {
      if (!(error instanceof ScriptStopped || error instanceof ScriptEnded)) throw error;
      this.stoppedAt = error.at;
    }
    return {
      after: this.state.result(),
      outcomes: this.outcomes,
      notEvaluated: this.notEvaluated,
      assumptions: [...this.assumptions],
      stoppedAt: this.stoppedAt,
    };
  }

  assume(text: string): void {
    this.assumptions.add(text);
  }

  /** Runs statements; their output goes to `output` when the caller collects it (script blocks). */
  runStatements(statements: readonly ScriptNode[], output: Value[] | null): void {
    for (const statement of statements) {
      try {
        const produced = this.runStatement(statement);
        if (output) appendAll(output, produced);
      } catch (error) {
        if (error instanceof NotEvaluable) this.skip(statement, error);
        else if (error instanceof OperatorError || error instanceof ValueTooLarge)
          this.skip(statement, new NotEvaluable(error.message));
        else throw error;
      }
    }
  }

  private skip(statement: ScriptNode, error: NotEvaluable): void {
    const at = error.at ?? locationOf(statement);
    // A statement in a loop fails once per iteration for the same reason: list it once.
    if (
      this.notEvaluated.some(
        (item) => item.line === at.line && item.column === at.column && item.reason === error.message,
      )
    )
      return;
    this.notEvaluated.push({ ...at, text: statementText(statement), reason: error.message });
  }

  private runStatement(node: ScriptNode): Value[] {
    switch (node.type) {
      case 'pipeline':
        return this.evaluatePipeline(node);
      case 'assign':
        this.assign(node);
        return [];
      case 'expression':
        return enumerate(this.evaluate(node.expression));
      case 'block':
        return this.collect(node.statements);
      case 'param': {
        const value: Value = node.default
          ? this.evaluate(node.default)
          : {
              kind: 'unknown',
              reason: `the script parameter $${node.name} (given when the script runs)`,
              at: locationOf(node),
            };
        // Whoever runs the script may pass another value: the review holds for the default only, and says so.
        if (node.default && findUnknown(value) === null)
          this.assume(
            `the script parameter $${node.name} keeps its default (${shortText(value)}); a value given when the script runs is not reviewed (review the script again with that value as the default)`,
          );
        this.variables.set(node.name.toLowerCase(), value);
        return [];
      }
      case 'function':
        this.functions.add(node.name.toLowerCase());
        return [];
      case 'if': {
        for (const clause of node.clauses) {
          const condition = this.statementValue(clause.condition);
          const unknown = findUnknown(condition);
          if (unknown)
            throw new NotEvaluable(`its condition depends on ${unknown.reason} (line ${unknown.at.line})`);
          if (isTrue(condition)) return this.runBody(clause.body);
        }
        return node.else ? this.runBody(node.else) : [];
      }
      case 'foreach': {
        const collection = this.statementValue(node.collection);
        const unknown = findUnknown(collection);
        if (unknown) throw new NotEvaluable(`it loops over ${unknown.reason} (line ${unknown.at.line})`);
        const output: Value[] = [];
        for (const item of enumerate(collection)) {
          this.count();
          this.variables.set(node.variable.toLowerCase(), item);
          appendAll(output, this.runBody(node.body));
        }
        return output;
      }
      case 'try': {
        try {
          return this.runBody(node.body);
        } catch (error) {
          if (!(error instanceof ScriptStopped)) throw error;
          if (node.catches.length > 0)
            this.notEvaluated.push({
              ...locationOf(node.catches[0] as ScriptNode),
              text: 'catch { … }',
              reason: `the try block stops at line ${error.at.line} (${error.at.reason}); what its catch block does is not evaluated`,
            });
          return [];
        } finally {
          if (node.finally) this.runBody(node.finally);
        }
      }
      case 'unsupported':
        if (node.kind === 'TrapStatementAst') this.trapped = true;
        if (node.kind === 'ExitStatementAst' || (node.kind === 'ReturnStatementAst' && this.blockDepth === 0))
          this.endScript(node);
        throw new NotEvaluable(
          `a ${node.kind} is not something exrelay evaluates${node.reason ? ` (${node.reason})` : ''}`,
        );
      default:
        throw new NotEvaluable(`a ${node.type} statement is not something exrelay evaluates`);
    }
  }

  /** Later statements do not run: evaluating them would report changes that never happen. */
  private endScript(node: UnsupportedNode): never {
    const at = locationOf(node);
    const word = node.kind === 'ExitStatementAst' ? 'exit' : 'return';
    if (!PLAIN_EXIT.test(node.text.trim()))
      this.notEvaluated.push({
        ...at,
        text: node.text,
        reason: `what this ${word} runs before the script ends is not evaluated`,
      });
    throw new ScriptEnded({ ...at, reason: `${word} ends the script` });
  }

  private runBody(node: ScriptNode): Value[] {
    return node.type === 'block' ? this.collect(node.statements) : this.runStatement(node);
  }

  private collect(statements: readonly ScriptNode[]): Value[] {
    const output: Value[] = [];
    this.runStatements(statements, output);
    return output;
  }

  count(): void {
    if (++this.iterations > MAX_ITERATIONS)
      throw new NotEvaluable(`more than ${MAX_ITERATIONS} loop iterations`);
  }

  /** The value of a statement used as a value: an expression as it is, a pipeline's output collapsed. */
  statementValue(node: ScriptNode): Value {
    if (node.type === 'pipeline' && node.elements.length === 1 && node.elements[0]?.type === 'expression')
      return this.evaluate(node.elements[0].expression);
    if (node.type === 'expression') return this.evaluate(node.expression);
    if (node.type === 'pipeline') return collapse(this.evaluatePipeline(node));
    if (node.type === 'command') return collapse(this.command(node, null));
    return this.evaluate(node);
  }

  evaluatePipeline(node: PipelineNode): Value[] {
    let stream: Value[] | null = null;
    node.elements.forEach((element, position) => {
      if (element.type === 'command') stream = this.command(element, position === 0 ? null : (stream ?? []));
      else if (element.type === 'expression' && position === 0)
        stream = enumerate(this.evaluate(element.expression));
      else throw new NotEvaluable('an expression in the middle of a pipeline', locationOf(element));
    });
    return stream ?? [];
  }

  /**
   * $PSDefaultParameterValues gives every later command the parameters it names (`'*:ErrorAction'`,
   * `'Add-ADPermission:User'`, `'Set-ReceiveConnector:RemoteIPRanges'`), which exrelay does not apply: the change
   * and every command after it are listed as not evaluated, never reviewed without them.
   */
  private changeParameterDefaults(node: ScriptNode): never {
    this.parameterDefaultsLine ??= locationOf(node).line;
    throw new NotEvaluable(
      'it changes $PSDefaultParameterValues, which gives later commands parameters exrelay does not apply',
    );
  }

  private command(node: CommandNode, input: Value[] | null): Value[] {
    if (this.parameterDefaultsLine !== null)
      throw new NotEvaluable(
        `$PSDefaultParameterValues, changed on line ${this.parameterDefaultsLine}, may give it parameters exrelay does not see`,
        locationOf(node),
      );
    if (node.name === null)
      throw new NotEvaluable('the command to run is computed at run time', locationOf(node));
    if (node.invocation === 'Dot')
      throw new NotEvaluable(
        `it dot-sources '${node.name}', whose content exrelay does not see`,
        locationOf(node),
      );
    if (this.functions.has(node.name.toLowerCase()))
      throw new NotEvaluable(
        `it calls the script's own function ${node.name}, whose body exrelay does not evaluate`,
        locationOf(node),
      );
    return runCmdlet(this, node, input);
  }

  /**
   * Records what a change command did, and stops the script as PowerShell would on a refusal under Stop.
   * `commandAction` is the command's own -ErrorAction (undefined: not given, or an error it does not govern, such as
   * a parameter that cannot be bound), which wins over $ErrorActionPreference.
   */
  record(outcome: CommandOutcome, commandAction: Value | undefined): void {
    this.outcomes.push(outcome);
    if (outcome.status !== 'refused') return;
    const action =
      commandAction === undefined
        ? errorActionOf(this.variables.get('erroractionpreference') ?? 'Continue', '$ErrorActionPreference')
        : errorActionOf(commandAction, 'its -ErrorAction');
    if (action === 'continue') return;
    const at = { line: outcome.line, column: outcome.column };
    if (action !== 'stop')
      throw new NotEvaluable(
        `whether the script goes on after this refusal is not known: ${action.unknown}`,
        at,
      );
    // A trap catches the error and may carry on: the later commands are evaluated, and this one is listed.
    if (this.trapped)
      throw new NotEvaluable('a trap in the script decides whether it goes on after this refusal', at);
    throw new ScriptStopped({ ...at, reason: outcome.reason ?? 'refused' });
  }

  /** Runs a script block (Where-Object, ForEach-Object) with $_ bound to `item`. */
  invokeBlock(body: ScriptNode, item: Value): Value[] {
    const previous = this.variables.get('_');
    this.variables.set('_', item);
    this.variables.set('psitem', item);
    this.blockDepth++;
    try {
      if (body.type !== 'block') return enumerate(this.evaluate(body));
      const output: Value[] = [];
      for (const statement of body.statements) appendAll(output, this.runStatement(statement));
      return output;
    } finally {
      this.blockDepth--;
      if (previous === undefined) this.variables.delete('_');
      else this.variables.set('_', previous);
      this.variables.set('psitem', previous ?? null);
    }
  }

  variable(name: string, at: SourceLocation): Value {
    const key = name.toLowerCase();
    if (key === 'true') return true;
    if (key === 'false') return false;
    if (key === 'null') return null;
    if (key === 'env:computername') {
      if (this.state.connectedServer) return this.state.connectedServer;
      return {
        kind: 'unknown',
        reason: '$env:COMPUTERNAME (the machine the script runs on; pass --connected-server)',
        at,
      };
    }
    const value = this.variables.get(key);
    if (value !== undefined) return value;
    if (key.includes(':')) return { kind: 'unknown', reason: `$${name} (set outside the script)`, at };
    // An unset variable is $null in PowerShell; a script relying on one was probably cut from a longer session.
    return { kind: 'unknown', reason: `$${name}, which the script never sets`, at };
  }

  /** A node's value; one that outgrows value-limits.ts stops the statement (listed as not evaluated). */
  evaluate(node: ScriptNode): Value {
    return withinLimits(guardSize(() => this.evaluateNode(node)));
  }

  private evaluateNode(node: ScriptNode): Value {
    const at = locationOf(node);
    switch (node.type) {
      case 'string':
        return node.value;
      case 'expandable':
        return this.expand(node);
      case 'constant':
        return typeof node.value === 'boolean'
          ? node.value
          : /^(Int|Double|Decimal|Long|Single|Byte)/.test(node.valueType)
            ? Number(node.value)
            : node.value;
      case 'array':
        return psArray(node.elements.map((element) => this.evaluate(element)));
      case 'arrayExpression':
        return psArray(this.collectStrict(node.statements));
      case 'subexpression':
        return collapse(this.collectStrict(node.statements));
      case 'paren':
        return this.statementValue(node.pipeline);
      case 'hashtable': {
        const entries = new Map<string, { key: string; value: Value }>();
        for (const pair of node.pairs) {
          const key = toText(this.evaluate(pair.key));
          entries.set(key.toLowerCase(), { key, value: this.statementValue(pair.value) });
        }
        return { kind: 'hashtable', entries };
      }
      case 'variable':
        if (node.splatted) throw new NotEvaluable('splatting is only followed in command arguments', at);
        return this.variable(node.name, at);
      case 'member':
        return this.member(this.evaluate(node.target), this.memberName(node.member), at);
      case 'invoke':
        return this.invoke(node);
      case 'binary': {
        const left = this.evaluate(node.left);
        const right = this.evaluate(node.right);
        const unknown = findUnknown(left) ?? findUnknown(right);
        if (unknown) return unknown;
        return binary(node.operator, left, right);
      }
      case 'unary': {
        const child = this.evaluate(node.child);
        if (isUnknown(child)) return child;
        if (node.operator === 'Not' || node.operator === 'Exclaim') return !isTrue(child);
        if (node.operator === 'Comma') return psArray([child]);
        if (node.operator === 'Minus' && typeof child === 'number') return -child;
        throw new NotEvaluable(`the operator ${node.operator} is not one exrelay evaluates`, at);
      }
      case 'convert':
        return this.convert(node.typeName, this.evaluate(node.child), at);
      case 'scriptblock':
        return { kind: 'scriptblock', body: node.body };
      case 'index': {
        const target = this.evaluate(node.target);
        const index = this.evaluate(node.index);
        if (isUnknown(target)) return target;
        if (isHashtable(target)) return target.entries.get(toText(index).toLowerCase())?.value ?? null;
        if (typeof index === 'number') {
          const items = enumerate(target);
          return items[index < 0 ? items.length + index : index] ?? null;
        }
        throw new NotEvaluable('indexing with a non-number is not followed', at);
      }
      case 'typeName':
        return { kind: 'unknown', reason: `the type [${node.typeName}]`, at };
      default:
        throw new NotEvaluable(
          `a ${node.type === 'unsupported' ? node.kind : node.type} is not something exrelay evaluates`,
          at,
        );
    }
  }

  /** Statements inside $( ) and @( ): their output, with anything not evaluable failing the enclosing statement. */
  private collectStrict(statements: readonly ScriptNode[]): Value[] {
    const output: Value[] = [];
    for (const statement of statements) appendAll(output, this.runStatement(statement));
    return output;
  }

  private expand(node: ExpandableNode): Value {
    const embedded = [];
    for (const part of node.nested) {
      const value = this.evaluate(part.expression);
      const unknown = findUnknown(value);
      if (unknown) return unknown;
      embedded.push({ start: part.start, end: part.end, value: toText(value) });
    }
    return expandString(node.raw, node.quoting.includes('HereString'), embedded);
  }

  private memberName(node: ScriptNode): string {
    if (node.type === 'string') return node.value;
    throw new NotEvaluable('a member name computed at run time', locationOf(node));
  }

  member(target: Value, name: string, at: SourceLocation): Value {
    if (isUnknown(target)) return target;
    if (isArray(target) && name.toLowerCase() !== 'count') {
      // Member enumeration: the property of every item.
      const values: Value[] = [];
      for (const item of target.items) appendAll(values, enumerate(this.member(item, name, at)));
      return psArray(values);
    }
    const key = name.toLowerCase();
    if (key === 'count' || key === 'length')
      return isArray(target)
        ? target.items.length
        : typeof target === 'string'
          ? target.length
          : target === null
            ? 0
            : 1;
    if (isObject(target)) {
      const property = target.props.get(key);
      if (property) return property.value;
      return {
        kind: 'unknown',
        reason: `the ${target.type} property ${name}, which is not in the input`,
        at,
      };
    }
    if (isHashtable(target)) return target.entries.get(key)?.value ?? null;
    if (target === null) return null;
    throw new NotEvaluable(`the property ${name} of a ${typeof target} is not followed`, at);
  }

  /**
   * A method call. One exrelay cannot follow may change the collection or object it is called on (`$p.Add(…)` on a
   * splatting table, `.Add($fromFile)` on a range list): that value, and the variable holding it, become unknown,
   * so that no later command is applied with what they held before.
   */
  private invoke(node: InvokeNode): Value {
    if (
      !node.static &&
      isParameterDefaults(assignedVariable(node.target)) &&
      !PURE_METHODS.has(this.memberName(node.member).toLowerCase())
    )
      this.changeParameterDefaults(node);
    // The target as evaluated once: evaluating it again could run a command in it twice.
    const seen: { target?: Value } = {};
    try {
      const result = this.invokeMethod(node, seen);
      if (isUnknown(result) && !node.static && !PURE_METHODS.has(this.memberName(node.member).toLowerCase()))
        this.taint(node, seen.target ?? null, result.at);
      return result;
    } catch (error) {
      if (error instanceof NotEvaluable && !node.static)
        this.taint(node, seen.target ?? null, error.at ?? locationOf(node));
      throw error;
    }
  }

  private taint(node: InvokeNode, target: Value, at: SourceLocation): void {
    const marker: PsUnknown = {
      kind: 'unknown',
      reason: `what ${node.text} may have changed`,
      at,
    };
    if (isArray(target)) {
      target.items.push(marker);
      if (target.owner) markModified(target.owner.object, target.owner.property);
    }
    const name = assignedVariable(node.target);
    if (name !== null && !isUnknown(this.variables.get(name.toLowerCase()) ?? null))
      this.variables.set(name.toLowerCase(), marker);
  }

  private invokeMethod(node: InvokeNode, seen: { target?: Value }): Value {
    const at = locationOf(node);
    const name = this.memberName(node.member).toLowerCase();
    if (name === 'translate' && !node.static) {
      // SID.Translate([NTAccount]): the server's name for the SID; -User resolves the SID itself just as well.
      const target = this.evaluate(node.target);
      seen.target = target;
      if (isObject(target) && target.type === 'SecurityIdentifier') return target;
    }
    // PowerShell evaluates the target before the arguments.
    if (!node.static && seen.target === undefined) seen.target = this.evaluate(node.target);
    const args = node.arguments.map((argument) => this.evaluate(argument));
    const unknown = args.map(findUnknown).find((found) => found !== null);
    if (unknown) return unknown;
    if (node.static) {
      const type = node.target.type === 'typeName' ? node.target.typeName : '';
      if (name === 'new' && isSecurityIdentifierType(type)) return sidObject(toText(args[0] ?? null), at);
      throw new NotEvaluable(`the static method [${type}]::${name}() is not one exrelay evaluates`, at);
    }
    const target = seen.target !== undefined ? seen.target : this.evaluate(node.target);
    seen.target = target;
    if (isUnknown(target)) return target;
    if (isArray(target) && (name === 'add' || name === 'remove')) {
      const value = args[0] ?? null;
      if (name === 'add') target.items.push(value);
      else {
        const position = target.items.findIndex(
          (item) => toText(item).toLowerCase() === toText(value).toLowerCase(),
        );
        if (position >= 0) target.items.splice(position, 1);
      }
      if (target.owner) markModified(target.owner.object, target.owner.property);
      return null;
    }
    if (isObject(target) && target.type === 'SecurityIdentifier' && name === 'translate') return target;
    // A splatting table built up: $p.Add('RemoteIPRanges', '10.0.0.5'), $p.Remove('WhatIf').
    if (isHashtable(target) && name === 'add' && args.length === 2) {
      const key = toText(args[0] ?? null);
      if (target.entries.has(key.toLowerCase()))
        throw new NotEvaluable(`the table already has the key '${key}': .NET refuses to add it again`, at);
      target.entries.set(key.toLowerCase(), { key, value: args[1] ?? null });
      return null;
    }
    if (isHashtable(target) && name === 'remove' && args.length === 1) {
      target.entries.delete(toText(args[0] ?? null).toLowerCase());
      return null;
    }
    if (typeof target === 'string') {
      switch (name) {
        case 'tostring':
          return target;
        case 'trim':
          return target.trim();
        case 'tolower':
        case 'tolowerinvariant':
          return target.toLowerCase();
        case 'toupper':
        case 'toupperinvariant':
          return target.toUpperCase();
        case 'replace':
          return target.split(toText(args[0] ?? null)).join(toText(args[1] ?? null));
        case 'split':
          return psArray(target.split(toText(args[0] ?? null)));
      }
    }
    if (name === 'tostring') return toText(target);
    throw new NotEvaluable(`the method ${name}() is not one exrelay evaluates`, at);
  }

  private convert(typeName: string, value: Value, at: SourceLocation): Value {
    if (isUnknown(value)) return value;
    const type = typeName.toLowerCase();
    if (isSecurityIdentifierType(typeName)) return sidObject(toText(value), at);
    if (type === 'string') return toText(value);
    if (type === 'bool' || type === 'boolean') return isTrue(value);
    if (type === 'int' || type === 'int32' || type === 'long') return Number(toText(value));
    if (type.endsWith('[]') || type === 'array' || type === 'system.collections.arraylist')
      return psArray(enumerate(value).map((item) => (type === 'string[]' ? toText(item) : item)));
    if (/ipaddress|iprange|ipbinding/.test(type)) return toText(value);
    throw new NotEvaluable(`the conversion to [${typeName}] is not one exrelay evaluates`, at);
  }

  /**
   * An assignment; when it cannot be evaluated, the variable it changes becomes unknown, so that no later command
   * is applied with the value it had before (a range list the script widened would read as unchanged).
   */
  private assign(node: AssignNode): void {
    if (isParameterDefaults(assignedVariable(node.left))) this.changeParameterDefaults(node);
    try {
      this.assignValue(node);
    } catch (error) {
      const name = assignedVariable(node.left);
      // One that is unknown already keeps its own, more precise reason.
      if (name !== null && !isUnknown(this.variables.get(name.toLowerCase()) ?? null))
        this.setVariable(name.toLowerCase(), {
          kind: 'unknown',
          reason: `$${name} as a statement exrelay does not evaluate left it`,
          at: locationOf(node),
        });
      throw error;
    }
  }

  /**
   * Sets a variable by the name the script wrote. $ErrorActionPreference decides whether a refusal ends the
   * script in whatever scope the script sets it (`$global:`, `$script:`), so it is also kept under its plain name,
   * where record() reads it: read as Continue, a refusal would let the review run on past where PowerShell stops.
   */
  private setVariable(key: string, value: Value): void {
    this.variables.set(key, value);
    const plain = unscoped(key);
    if (plain !== key && plain === 'erroractionpreference') this.variables.set(plain, value);
  }

  private assignValue(node: AssignNode): void {
    const value = this.statementValue(node.right);
    const target = node.left.type === 'convert' ? node.left.child : node.left;
    if (target.type === 'variable') {
      const key = target.name.toLowerCase();
      const current = this.variables.get(key) ?? null;
      this.setVariable(key, this.combine(node.operator, current, value, locationOf(node)));
      return;
    }
    if (target.type === 'member') {
      const object = this.evaluate(target.target);
      const name = this.memberName(target.member);
      if (isUnknown(object)) throw new NotEvaluable(`it changes ${object.reason} (line ${object.at.line})`);
      if (!isObject(object))
        throw new NotEvaluable(
          `it sets the property ${name} of something that is not an object exrelay follows`,
        );
      const key = name.toLowerCase();
      const current = object.props.get(key)?.value ?? null;
      const next = this.combine(node.operator, current, value, locationOf(node));
      if (isArray(next) && isArray(current)) {
        next.multiValued = current.multiValued;
        next.owner = current.owner;
      }
      object.props.set(key, { name: object.props.get(key)?.name ?? name, value: next });
      markModified(object, key);
      return;
    }
    throw new NotEvaluable('an assignment to something other than a variable or a property');
  }

  private combine(operator: string, current: Value, value: Value, at: SourceLocation): Value {
    switch (operator) {
      case 'Equals':
        return value;
      case 'PlusEquals':
        return isUnknown(current)
          ? current
          : (findUnknown(value) ?? withinLimits(guardSize(() => add(current, value))));
      case 'MinusEquals':
        return isUnknown(current) ? current : (findUnknown(value) ?? subtract(current, value));
      default:
        throw new NotEvaluable(`the assignment operator ${operator} is not one exrelay evaluates`, at);
    }
  }
}

/** A value as the assumptions print it: the first items, cut short. */
function shortText(value: Value): string {
  const items = enumerate(value).map((item) => `'${toText(item)}'`);
  const text = items.length === 0 ? '$null' : items.slice(0, 5).join(', ') + (items.length > 5 ? ', …' : '');
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Methods that change nothing: an unknown argument makes only their result unknown. */
const PURE_METHODS = new Set([
  'tostring',
  'trim',
  'trimstart',
  'trimend',
  'tolower',
  'tolowerinvariant',
  'toupper',
  'toupperinvariant',
  'replace',
  'split',
  'translate',
  'contains',
  'startswith',
  'endswith',
  'equals',
  'substring',
  'indexof',
  'gettype',
]);

/** The variable an assignment's left side changes: `$r`, `$r[0]`, `$p.Name`, `[string[]]$r`; null for others. */
/** A variable's name without the scope it was written with (`$global:x`, `$script:x`). */
function unscoped(name: string): string {
  return name.replace(/^(?:global|script|local|private):/i, '');
}

/** $PSDefaultParameterValues, in any scope. */
function isParameterDefaults(name: string | null): boolean {
  return name !== null && unscoped(name).toLowerCase() === 'psdefaultparametervalues';
}

function assignedVariable(node: ScriptNode): string | null {
  if (node.type === 'variable') return node.name;
  if (node.type === 'convert') return assignedVariable(node.child);
  if (node.type === 'index' || node.type === 'member') return assignedVariable(node.target);
  return null;
}

function markModified(object: PsObject, property: string): void {
  object.modified ??= new Set();
  object.modified.add(property.toLowerCase());
}

function isSecurityIdentifierType(typeName: string): boolean {
  return /^(System\.)?Security\.Principal\.SecurityIdentifier$/i.test(typeName);
}

function sidObject(text: string, at: SourceLocation): Value {
  if (!/^S-1(-\d+)+$/i.test(text.trim())) throw new NotEvaluable(`'${text}' is not a SID`, at);
  return psObject('SecurityIdentifier', { Value: text.trim().toUpperCase() });
}

/** The statement as written, for listing it: commands carry their text, pipelines are joined from them. */
export function statementText(node: ScriptNode): string {
  if ('text' in node && typeof node.text === 'string') return node.text;
  if (node.type === 'pipeline') return node.elements.map(statementText).join(' | ');
  if (node.type === 'expression') return statementText(node.expression);
  if (node.type === 'string') return node.value;
  if (node.type === 'expandable') return node.raw;
  if (node.type === 'variable') return `$${node.name}`;
  return node.type;
}
