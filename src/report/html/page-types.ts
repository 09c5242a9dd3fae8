/**
 * What an HTML report page's script receives, whatever the report (analyze, usage, diff, what-if): one table of
 * rows with details, and findings. Types only: the writers (Node) and the page's script (browser) share them.
 * Every string from the input is already made visible and shortened where a page shows it (page-text.ts), and
 * the page only ever puts these strings into text nodes.
 */

import type { Severity } from '../../analysis/severity.js';

/** A table cell: its text, or its text and the value it sorts by (a number, or a decimal string of any length). */
export type Cell = string | readonly [text: string, sort: number | string];

export interface PageColumn {
  label: string;
  /** How the column sorts: by text, by number, or by decimal strings of any length; null: it does not. */
  sort: 'text' | 'number' | 'decimal' | null;
  numeric?: boolean;
  /** Hidden on a narrow screen (the details show it). */
  wide?: boolean;
  /** How a cell is drawn: a severity badge, a change mark, or bold when it says `relay`. */
  style?: 'severity' | 'mark' | 'verdict';
  /** Sorting starts from the largest value (numbers, severities). */
  descending?: boolean;
}

export interface PageFilter {
  id: string;
  label: string;
  /** What must equal the chosen value: a column's text, or one of the rows' tags. */
  column?: number;
  tag?: string;
  /** The label of the empty choice ("Any severity"). */
  any: string;
  /** The choices, in this order; without them, every distinct value of the column, sorted. */
  options?: string[];
}

export interface PageTable {
  heading: string;
  /** For assistive technology. */
  caption: string;
  /** Singular and plural, for counts ("connector", "connectors"). */
  noun: readonly [string, string];
  columns: PageColumn[];
  filters: PageFilter[];
  searchHint: string;
}

export interface PageRow<Detail> {
  /** Cells in the order of the columns; the first is the row's name, which opens its details. */
  cells: Cell[];
  /** How other rows and findings name this one (a connector's identity as shown). */
  key: string;
  /** A change mark for the whole row (added, removed, changed), or null. */
  mark: string | null;
  /** Values that filters choose by, besides the cells (e.g. the verdict without why a grant is latent). */
  tags?: Record<string, string>;
  detail: Detail;
}

export interface PageFinding {
  checkId: string;
  messageId: string | null;
  severity: Severity;
  /** What changed about it, in a diff or what-if report (new, widened, narrowed, resolved); null otherwise. */
  mark: string | null;
  /** One more line of facts, e.g. how its severity changed. */
  note: string | null;
  /** The row it belongs to, or -1. */
  row: number;
  /** The connector as shown, or null for an organisation-wide finding. */
  connectorLabel: string | null;
  subject: string | null;
  message: string;
  remediation: string | null;
  rollback: string | null;
  fingerprint: string;
  /** With --exceptions, when an entry names it: how the entry stands and what it says, as one visible line. */
  exception?: PageException | null;
}

export interface PageException {
  /** `accepted` (listed, not counted toward the exit code), `expired` or `scope-exceeded` (counted again). */
  status: 'accepted' | 'expired' | 'scope-exceeded';
  /** Its reason, owner, ticket and expiry in one sentence. */
  text: string;
}

export interface PageData<Detail, Shared> {
  table: PageTable;
  rows: PageRow<Detail>[];
  findings: PageFinding[];
  /** Change marks the findings can carry, for their filter; empty when they carry none. */
  findingMarks: string[];
  /** Check id → title. */
  checks: Record<string, string>;
  /** Data the rows refer to (e.g. principals listed once). */
  shared: Shared;
}

/** The DOM helpers every page script uses (page-library.ts). */
export interface PageLibrary {
  el<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attributes?: Record<string, string>,
    ...children: Child[]
  ): HTMLElementTagNameMap[K];
  text(value: string, tag?: 'span' | 'p' | 'code'): HTMLElement;
  badge(severity: string): HTMLElement;
  mark(change: string): HTMLElement;
  dataTable(caption: string, headers: string[], rows: Child[][], numeric?: number[]): HTMLElement;
  facts(entries: Array<[string, Child]>): HTMLElement;
  list(items: Child[], more?: string | null): HTMLElement;
  section(heading: string, ...children: Child[]): HTMLElement;
  plural(count: number, one: string, many?: string): string;
}

export type Child = Node | string | null | undefined | false;

/** What a report's details need from the page: its findings, and links to other rows. */
export interface DetailContext<Shared> {
  shared: Shared;
  /** The findings of a row, drawn as in the findings list (one heading level down). */
  findings(row: number): HTMLElement[];
  /** A button that opens the row named `key`, or plain text when there is none. */
  link(key: string, label: string): HTMLElement;
}

/** The part of a page's script that knows one kind of report. */
export interface ReportKind<Detail, Shared> {
  details(row: PageRow<Detail>, index: number, context: DetailContext<Shared>): HTMLElement;
  /** More text the search box finds a row by, besides its cells. */
  search(row: PageRow<Detail>, shared: Shared): string;
}
