/**
 * Reading the marked exrelay output out of a Markdown page: the marker comment, the fenced block or table right
 * below it, and the findings quoted in an `exrelay-output` block. The conventions are described in docs.test.ts.
 */

export interface Marker {
  kind: 'example' | 'snapshot';
  /** The example's file name in tests/docs/examples, without `.json`. */
  name: string;
  /** `key: value` options after the name; a bare key (e.g. `complete`) maps to ''. */
  options: Map<string, string>;
}

export type MarkedContent =
  { type: 'fence'; info: string; lines: string[] } | { type: 'table'; header: string[]; rows: string[][] };

export interface MarkedBlock {
  /** 1-based line of the marker comment, for test names and failure messages. */
  line: number;
  marker: Marker;
  content: MarkedContent;
}

export interface PageBlocks {
  marked: MarkedBlock[];
  /** Lines of `exrelay-output` fences that no marker names: quotes nothing would check. */
  unmarkedOutput: number[];
}

const MARKER = /^<!--\s*(example|snapshot):\s*(.*?)\s*-->$/;
/** A fence may be indented (inside a list item); its lines lose that indentation. */
const FENCE_OPEN = /^(\s*)(`{3,})\s*(\S*)/;
export const OUTPUT_INFO = 'exrelay-output';

function parseMarker(kind: Marker['kind'], text: string): Marker {
  const [name = '', ...rest] = text.split(';').map((part) => part.trim());
  const options = new Map<string, string>();
  for (const option of rest) {
    const colon = option.indexOf(':');
    if (colon < 0) options.set(option, '');
    else options.set(option.slice(0, colon).trim(), option.slice(colon + 1).trim());
  }
  return { kind, name, options };
}

export function findBlocks(text: string): PageBlocks {
  const lines = text.split('\n');
  const marked: MarkedBlock[] = [];
  const unmarkedOutput: number[] = [];
  let pending: { line: number; marker: Marker } | null = null;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    const markerMatch = MARKER.exec(line.trim());
    if (markerMatch) {
      if (pending) throw new Error(`line ${pending.line}: marker without a block below it`);
      pending = {
        line: index + 1,
        marker: parseMarker(markerMatch[1] as Marker['kind'], markerMatch[2] ?? ''),
      };
      continue;
    }
    if (line.trim() === '') continue;
    const fence = FENCE_OPEN.exec(line);
    if (fence) {
      const [, indent = '', ticks = ''] = fence;
      const close = lines.findIndex((candidate, at) => at > index && candidate.trim() === ticks);
      if (close < 0) throw new Error(`line ${index + 1}: fenced block is never closed`);
      const content: MarkedContent = {
        type: 'fence',
        info: fence[3] ?? '',
        lines: lines
          .slice(index + 1, close)
          .map((text) => (text.startsWith(indent) ? text.slice(indent.length) : text)),
      };
      if (pending) marked.push({ ...pending, content });
      else if (content.info === OUTPUT_INFO) unmarkedOutput.push(index + 1);
      pending = null;
      index = close;
      continue;
    }
    if (pending && line.startsWith('|')) {
      let end = index;
      while (end < lines.length && (lines[end] as string).startsWith('|')) end++;
      marked.push({ ...pending, content: parseTable(lines.slice(index, end)) });
      pending = null;
      index = end - 1;
      continue;
    }
    if (pending)
      throw new Error(`line ${pending.line}: a marker must be followed by a fenced block or a table`);
  }
  if (pending) throw new Error(`line ${pending.line}: marker at the end of the page`);
  return { marked, unmarkedOutput };
}

/** A Markdown table: header cells and body rows (the `|---|` separator dropped); `\|` stays inside a cell. */
function parseTable(lines: readonly string[]): Extract<MarkedContent, { type: 'table' }> {
  const cells = (line: string) =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim().replace(/\\\|/g, '|'));
  const [header = '', , ...rows] = lines;
  return { type: 'table', header: cells(header), rows: rows.map(cells) };
}

/** Text in `code spans`, e.g. the connector name or the RemoteIPRanges entries of a table cell. */
export function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string);
}

export interface QuotedFinding {
  severity: string;
  checkId: string;
  /** The connector's identity; null for an organisation-wide finding. */
  connector: string | null;
  /** The score of the finding's connector, when the quote states it. */
  score: number | null;
  /** The message, then each line of the remediation. */
  lines: string[];
}

/** `medium · anonymous-relay · EX01\Relay Scanners · score 59`; `(organisation)` stands for no connector. */
const FINDING_HEADER = /^(info|low|medium|high|critical) · ([a-z0-9-]+) · (.+?)(?: · score (\d+))?$/;
const ORGANISATION = '(organisation)';

export function parseQuotedFindings(lines: readonly string[]): QuotedFinding[] {
  const findings: QuotedFinding[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const header = FINDING_HEADER.exec(line);
    if (header) {
      const connector = header[3] as string;
      findings.push({
        severity: header[1] as string,
        checkId: header[2] as string,
        connector: connector === ORGANISATION ? null : connector,
        score: header[4] === undefined ? null : Number(header[4]),
        lines: [],
      });
      continue;
    }
    const current = findings[findings.length - 1];
    if (!current) throw new Error(`quoted output starts without a finding header: ${line}`);
    current.lines.push(line);
  }
  return findings;
}

export function renderQuotedFinding(finding: QuotedFinding): string {
  const score = finding.score === null ? '' : ` · score ${finding.score}`;
  const header = `${finding.severity} · ${finding.checkId} · ${finding.connector ?? ORGANISATION}${score}`;
  return [header, ...finding.lines].join('\n');
}
