/**
 * Reads an exceptions file (YAML 1.2; JSON is YAML too) into entries, refusing anything it cannot take exactly:
 * every problem is an ExceptionsFileError at a line and column. Text in, entries out: no file access here.
 */

import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { isSeverity, SEVERITIES, type Severity } from '../analysis/severity.js';
import { parseRemoteIpRange } from '../net/ip-range.js';
import {
  ExceptionsFileError,
  referenceKey,
  type ApprovedScope,
  type ExceptionEntry,
  type ExceptionsFile,
  type FilePosition,
  type FindingReference,
} from './exception-entry.js';

export const EXCEPTIONS_FORMAT_VERSION = 1;

const TOP_KEYS = ['version', 'exceptions'];
const ENTRY_KEYS = [
  'fingerprint',
  'check',
  'connector',
  'subject',
  'reason',
  'owner',
  'ticket',
  'expires',
  'scope',
  'severity',
];
const SCOPE_KEYS = ['ranges', 'principals'];
const FINGERPRINT = /^[0-9a-f]{32}$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

class Reader {
  readonly #lines: LineCounter;
  readonly #text: string;
  constructor(lines: LineCounter, text: string) {
    this.#lines = lines;
    this.#text = text;
  }

  /** A node as written in the file (YAML reads 00123 or 1e5 as numbers: the message shows what was typed). */
  written(node: Node | null): string {
    return node?.range ? this.#text.slice(node.range[0], node.range[1]).trim() : '';
  }

  at(offset: number): FilePosition {
    const { line, col } = this.#lines.linePos(offset);
    return { line, column: col };
  }

  of(node: Node | Pair | null | undefined, fallback: FilePosition): FilePosition {
    const target = node && 'range' in node ? node : node && 'key' in node ? (node.key as Node) : null;
    return target?.range ? this.at(target.range[0]) : fallback;
  }

  fail(node: Node | Pair | null | undefined, fallback: FilePosition, message: string): never {
    throw new ExceptionsFileError(this.of(node, fallback), message);
  }

  /** The pairs of a mapping, each key a plain string from `allowed`. */
  pairs(node: Node, where: string, allowed: readonly string[]): Map<string, Pair<Node, Node | null>> {
    if (isAlias(node))
      this.fail(node, this.at(0), `${where}: aliases (*name) are not accepted; write the entry out`);
    if (!isMap(node)) this.fail(node, this.at(0), `${where} must be a mapping of keys to values`);
    const found = new Map<string, Pair<Node, Node | null>>();
    for (const pair of node.items as Array<Pair<Node, Node | null>>) {
      const key = isScalar(pair.key) ? pair.key.value : null;
      if (typeof key !== 'string')
        this.fail(pair.key, this.of(node, this.at(0)), `${where}: keys must be names`);
      if (!allowed.includes(key))
        this.fail(
          pair.key,
          this.at(0),
          `${where}: unknown key '${key}' (known: ${allowed.join(', ')}); exrelay ignores nothing`,
        );
      found.set(key, pair);
    }
    return found;
  }

  /** A scalar's value: strings, numbers, booleans or null; never an alias or a collection. */
  scalar(node: Node | null, fallback: FilePosition, what: string): unknown {
    if (node === null) return null;
    if (isAlias(node))
      this.fail(node, fallback, `${what}: aliases (*name) are not accepted; write the value`);
    if (!isScalar(node)) this.fail(node, fallback, `${what} must be a single value, not a list or mapping`);
    return node.value;
  }

  text(pair: Pair<Node, Node | null> | undefined, fallback: FilePosition, what: string): string | null {
    if (!pair) return null;
    const value = this.scalar(pair.value, this.of(pair, fallback), what);
    if (value === null) return null;
    if (typeof value !== 'string')
      this.fail(
        pair.value,
        this.of(pair, fallback),
        `${what} must be text: quote it ('${this.written(pair.value)}')`,
      );
    return value;
  }

  required(
    pair: Pair<Node, Node | null> | undefined,
    fallback: FilePosition,
    what: string,
    hint: string,
  ): string {
    const value = this.text(pair, fallback, what);
    if (value === null || value.trim() === '')
      this.fail(pair?.value ?? pair, fallback, `${what} is ${pair ? 'empty' : 'missing'}: ${hint}`);
    return value;
  }

  list(
    pair: Pair<Node, Node | null> | undefined,
    fallback: FilePosition,
    what: string,
  ): Array<[string, Node]> {
    if (!pair) return [];
    const node = pair.value;
    if (!isSeq(node)) this.fail(node ?? pair, fallback, `${what} must be a list`);
    return (node.items as Node[]).map((item) => {
      const value = this.scalar(item, this.of(node, fallback), `each of ${what}`);
      if (typeof value !== 'string' || value.trim() === '')
        this.fail(item, this.of(node, fallback), `each of ${what} must be non-empty text`);
      return [value, item];
    });
  }
}

/**
 * A ticket as the file writes it: YAML reads `ticket: 00123` as the number 123, but the change system's ticket is
 * 00123 (and `0x1F` is not 31 there either).
 */
function ticketText(reader: Reader, node: Node | null, value: unknown): string | null {
  if (value === null) return null;
  const text = typeof value === 'number' ? reader.written(node) : String(value);
  return text.trim() === '' ? null : text;
}

/** The entries of an exceptions file; throws ExceptionsFileError at the first problem. */
export function parseExceptions(text: string): ExceptionsFile {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const reader: Reader = new Reader(lines, text);
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) {
    const message =
      problem.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? problem.code;
    throw new ExceptionsFileError(reader.at(problem.pos[0]), describeYamlError(problem.code, message));
  }
  const start = reader.at(0);
  const root = document.contents;
  if (root === null)
    throw new ExceptionsFileError(
      start,
      `the file is empty: write 'version: ${EXCEPTIONS_FORMAT_VERSION}' and 'exceptions:' (exrelay exceptions init writes a starter file)`,
    );
  const top = reader.pairs(root, 'the file', TOP_KEYS);
  const version = top.get('version');
  const versionValue = version
    ? reader.scalar(version.value, reader.of(version, start), 'version')
    : undefined;
  if (versionValue !== EXCEPTIONS_FORMAT_VERSION)
    reader.fail(
      version?.value ?? version ?? root,
      start,
      version
        ? `version must be ${EXCEPTIONS_FORMAT_VERSION}, not ${String(versionValue)}`
        : `version is missing: write 'version: ${EXCEPTIONS_FORMAT_VERSION}'`,
    );
  const list = top.get('exceptions');
  if (!list)
    reader.fail(
      root,
      start,
      "exceptions is missing: write 'exceptions:' and a list of entries ([] for none)",
    );
  if (!isSeq(list.value)) reader.fail(list.value ?? list, start, 'exceptions must be a list of entries');
  const entries: ExceptionEntry[] = [];
  const seen = new Map<string, ExceptionEntry>();
  for (const item of list.value.items as Node[]) {
    const entry = parseEntry(reader, item);
    const key = referenceKey(entry.finding);
    const earlier = seen.get(key);
    if (earlier)
      throw new ExceptionsFileError(
        entry.position,
        `this entry names the same finding as the entry at line ${earlier.position.line}: keep one`,
      );
    seen.set(key, entry);
    entries.push(entry);
  }
  return { entries };
}

function describeYamlError(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'a key is given twice in one mapping (keys must be unique)';
  if (code === 'MULTIPLE_DOCS') return "the file holds several YAML documents ('---'); keep one";
  return `not valid YAML: ${message}`;
}

function parseEntry(reader: Reader, node: Node): ExceptionEntry {
  const position = reader.of(node, reader.at(0));
  const where = `the entry at line ${position.line}`;
  const pairs = reader.pairs(node, where, ENTRY_KEYS);
  const finding = parseReference(reader, pairs, position, where);
  const ticket = pairs.get('ticket');
  const ticketValue = ticket ? reader.scalar(ticket.value, reader.of(ticket, position), 'ticket') : null;
  if (ticketValue !== null && typeof ticketValue !== 'string' && !Number.isInteger(ticketValue))
    reader.fail(ticket?.value, position, 'ticket must be text or a number');
  return {
    finding,
    reason: reader.required(pairs.get('reason'), position, 'reason', 'say why this finding is accepted'),
    owner: reader.required(pairs.get('owner'), position, 'owner', 'name who answers for the exception'),
    ticket: ticketText(reader, ticket?.value ?? null, ticketValue),
    expires: parseDate(reader, pairs.get('expires'), position),
    scope: parseScope(reader, pairs.get('scope'), position),
    severity: parseSeverity(reader, pairs.get('severity'), position),
    position,
  };
}

function parseReference(
  reader: Reader,
  pairs: Map<string, Pair<Node, Node | null>>,
  position: FilePosition,
  where: string,
): FindingReference {
  const fingerprint = pairs.get('fingerprint');
  const byFinding = ['check', 'connector', 'subject'].filter((key) => pairs.has(key));
  if (fingerprint) {
    if (byFinding.length > 0)
      reader.fail(
        pairs.get(byFinding[0] as string),
        position,
        `${where} names its finding twice: give either fingerprint or check, connector and subject`,
      );
    const value = reader.required(fingerprint, position, 'fingerprint', 'copy it from the JSON report');
    if (!FINGERPRINT.test(value.trim()))
      reader.fail(fingerprint.value, position, `fingerprint must be 32 hexadecimal digits, not '${value}'`);
    return { kind: 'fingerprint', fingerprint: value.trim().toLowerCase() };
  }
  if (byFinding.length < 3)
    reader.fail(
      null,
      position,
      byFinding.length === 0
        ? `${where} names no finding: give fingerprint, or check, connector and subject (null where the finding has none)`
        : `${where} lacks ${['check', 'connector', 'subject'].filter((key) => !pairs.has(key)).join(' and ')}: give check, connector and subject (null where the finding has none), or a fingerprint`,
    );
  return {
    kind: 'finding',
    checkId: reader.required(
      pairs.get('check'),
      position,
      'check',
      'give the check id, e.g. anonymous-relay',
    ),
    connector: reader.text(pairs.get('connector'), position, 'connector'),
    subject: reader.text(pairs.get('subject'), position, 'subject'),
  };
}

function parseDate(
  reader: Reader,
  pair: Pair<Node, Node | null> | undefined,
  position: FilePosition,
): string {
  const value = reader.required(
    pair,
    position,
    'expires',
    'give the last day the exception covers, as YYYY-MM-DD',
  );
  const match = DATE.exec(value.trim());
  const [year, month, day] = match ? match.slice(1).map(Number) : [];
  const date = match ? new Date(Date.UTC(year as number, (month as number) - 1, day as number)) : null;
  if (
    !date ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== (month as number) - 1 ||
    date.getUTCDate() !== day
  )
    reader.fail(pair?.value, position, `expires must be a calendar date as YYYY-MM-DD, not '${value}'`);
  return value.trim();
}

/** The severity approved, as the report writes severities; null when the entry gives none. */
function parseSeverity(
  reader: Reader,
  pair: Pair<Node, Node | null> | undefined,
  position: FilePosition,
): Severity | null {
  const value = reader.text(pair, position, 'severity');
  if (value === null) return null;
  const severity = value.trim().toLowerCase();
  if (!isSeverity(severity))
    reader.fail(
      pair?.value,
      position,
      `severity must be one of ${SEVERITIES.join(', ')} (the most severe the finding is approved at), not '${value}'`,
    );
  return severity;
}

function parseScope(
  reader: Reader,
  pair: Pair<Node, Node | null> | undefined,
  position: FilePosition,
): ApprovedScope {
  if (!pair) return { ranges: null, principals: null };
  if (pair.value === null)
    reader.fail(pair, position, 'scope is empty: give ranges, principals or both, or leave scope out');
  const pairs = reader.pairs(pair.value, 'scope', SCOPE_KEYS);
  if (pairs.size === 0)
    reader.fail(pair.value, position, 'scope is empty: give ranges, principals or both, or leave scope out');
  const rangesPair = pairs.get('ranges');
  const ranges = rangesPair ? reader.list(rangesPair, position, 'scope.ranges') : null;
  for (const [text, node] of ranges ?? []) {
    const parsed = parseRemoteIpRange(text);
    if (!parsed.ok)
      reader.fail(node, position, `scope.ranges: '${text}' is not an address range (${parsed.reason})`);
  }
  const principalsPair = pairs.get('principals');
  return {
    ranges: ranges ? ranges.map(([text]) => text.trim()) : null,
    principals: principalsPair
      ? reader.list(principalsPair, position, 'scope.principals').map(([text]) => text.trim())
      : null,
  };
}
