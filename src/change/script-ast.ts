/**
 * The syntax tree of a change script as scripts/Read-ExrelayChangeScript.ps1 prints it: PowerShell's own parse,
 * reduced to the node kinds exrelay evaluates. Every node carries its line and column; kinds the reader does not
 * know arrive as 'unsupported' with their text.
 */

export interface Located {
  line?: number;
  column?: number;
}

export type ScriptNode =
  | BlockNode
  | ParamNode
  | PipelineNode
  | CommandNode
  | ParameterNode
  | ExpressionStatementNode
  | AssignNode
  | IfNode
  | ForEachNode
  | TryNode
  | FunctionNode
  | StringNode
  | ExpandableNode
  | ConstantNode
  | ArrayNode
  | ArrayExpressionNode
  | SubexpressionNode
  | ParenNode
  | HashtableNode
  | VariableNode
  | MemberNode
  | InvokeNode
  | BinaryNode
  | UnaryNode
  | ConvertNode
  | TypeNameNode
  | ScriptBlockNode
  | IndexNode
  | UnsupportedNode;

export interface BlockNode extends Located {
  type: 'block';
  statements: ScriptNode[];
}
export interface ParamNode extends Located {
  type: 'param';
  name: string;
  default: ScriptNode | null;
}
export interface PipelineNode extends Located {
  type: 'pipeline';
  elements: ScriptNode[];
}
export interface CommandNode extends Located {
  type: 'command';
  /** null when the name is computed (`& $command`). */
  name: string | null;
  invocation: string;
  redirected: boolean;
  /** The arguments after the command name: parameters and values. */
  elements: ScriptNode[];
  text: string;
}
export interface ParameterNode extends Located {
  type: 'parameter';
  name: string;
  /** The value given with a colon (`-Enabled:$false`); null otherwise. */
  argument: ScriptNode | null;
}
export interface ExpressionStatementNode extends Located {
  type: 'expression';
  expression: ScriptNode;
}
export interface AssignNode extends Located {
  type: 'assign';
  /** PowerShell's TokenKind: Equals, PlusEquals, MinusEquals, … */
  operator: string;
  left: ScriptNode;
  right: ScriptNode;
  text: string;
}
export interface IfNode extends Located {
  type: 'if';
  clauses: Array<{ condition: ScriptNode; body: ScriptNode }>;
  else: ScriptNode | null;
  text: string;
}
export interface ForEachNode extends Located {
  type: 'foreach';
  variable: string;
  collection: ScriptNode;
  body: ScriptNode;
  text: string;
}
export interface TryNode extends Located {
  type: 'try';
  body: ScriptNode;
  catches: ScriptNode[];
  finally: ScriptNode | null;
}
export interface FunctionNode extends Located {
  type: 'function';
  name: string;
}
export interface StringNode extends Located {
  type: 'string';
  value: string;
  /** BareWord, SingleQuoted, DoubleQuoted, SingleQuotedHereString, DoubleQuotedHereString. */
  quoting: string;
}
export interface ExpandableNode extends Located {
  type: 'expandable';
  /** The string as written, quotes included. */
  raw: string;
  quoting: string;
  /** Each embedded expression with its offsets in `raw`. */
  nested: Array<{ start: number; end: number; expression: ScriptNode }>;
}
export interface ConstantNode extends Located {
  type: 'constant';
  value: string | boolean;
  valueType: string;
}
export interface ArrayNode extends Located {
  type: 'array';
  elements: ScriptNode[];
}
export interface ArrayExpressionNode extends Located {
  type: 'arrayExpression';
  statements: ScriptNode[];
}
export interface SubexpressionNode extends Located {
  type: 'subexpression';
  statements: ScriptNode[];
}
export interface ParenNode extends Located {
  type: 'paren';
  pipeline: ScriptNode;
}
export interface HashtableNode extends Located {
  type: 'hashtable';
  pairs: Array<{ key: ScriptNode; value: ScriptNode }>;
}
export interface VariableNode extends Located {
  type: 'variable';
  name: string;
  splatted: boolean;
}
export interface MemberNode extends Located {
  type: 'member';
  target: ScriptNode;
  member: ScriptNode;
  static: boolean;
}
export interface InvokeNode extends Located {
  type: 'invoke';
  target: ScriptNode;
  member: ScriptNode;
  static: boolean;
  arguments: ScriptNode[];
  text: string;
}
export interface BinaryNode extends Located {
  type: 'binary';
  operator: string;
  left: ScriptNode;
  right: ScriptNode;
  text: string;
}
export interface UnaryNode extends Located {
  type: 'unary';
  operator: string;
  child: ScriptNode;
  text: string;
}
export interface ConvertNode extends Located {
  type: 'convert';
  typeName: string;
  child: ScriptNode;
}
export interface TypeNameNode extends Located {
  type: 'typeName';
  typeName: string;
}
export interface ScriptBlockNode extends Located {
  type: 'scriptblock';
  body: ScriptNode;
  text: string;
}
export interface IndexNode extends Located {
  type: 'index';
  target: ScriptNode;
  index: ScriptNode;
}
export interface UnsupportedNode extends Located {
  type: 'unsupported';
  kind: string;
  text: string;
  reason?: string;
}

export interface ParseError {
  line: number;
  column: number;
  message: string;
}

/** One parsed script: its syntax errors (then no body), or its top-level block. */
export interface ParsedScript {
  parseErrors: ParseError[];
  body: BlockNode | null;
}

/** Thrown when the reader's output does not have the expected shape (a bug, or a wrong PowerShell script). */
export class ScriptTreeError extends Error {}

/**
 * ConvertTo-Json writes one-element arrays as arrays but an empty `[object[]]` can arrive as null; normalise the
 * lists the evaluator walks so that it never meets null where it expects a list.
 */
export function readParsedScripts(json: unknown): ParsedScript[] {
  const list = Array.isArray(json) ? json : [json];
  return list.map((item, index) => {
    if (typeof item !== 'object' || item === null)
      throw new ScriptTreeError(`parsed script ${index + 1} is not an object`);
    const record = item as { parseErrors?: unknown; body?: unknown };
    const parseErrors = Array.isArray(record.parseErrors) ? (record.parseErrors as ParseError[]) : [];
    const body = record.body ?? null;
    if (body !== null && (typeof body !== 'object' || (body as { type?: unknown }).type !== 'block'))
      throw new ScriptTreeError(`parsed script ${index + 1} has no top-level block`);
    return { parseErrors, body: body === null ? null : (normalise(body as ScriptNode) as BlockNode) };
  });
}

const LIST_FIELDS = ['statements', 'elements', 'clauses', 'catches', 'pairs', 'nested', 'arguments'];

function normalise(node: ScriptNode): ScriptNode {
  const record = node as unknown as Record<string, unknown>;
  for (const field of LIST_FIELDS) {
    if (field in record && !Array.isArray(record[field]))
      record[field] = record[field] == null ? [] : [record[field]];
  }
  for (const value of Object.values(record)) {
    if (Array.isArray(value)) for (const item of value) visit(item);
    else visit(value);
  }
  return node;
}

function visit(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  if (typeof (value as { type?: unknown }).type === 'string') normalise(value as ScriptNode);
  else for (const inner of Object.values(value)) visit(inner);
}
