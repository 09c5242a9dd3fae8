/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Browser code: the page's table (filter, sort, page, details), its findings list and its buttons, for every
 * kind of report. Functions written here, type-checked and linted with the rest, become the page's script as
 * their own text (Function.prototype.toString): `pageScript` puts `pageLibrary`, the report kind's details and
 * `pageMain` into one function, and the page's Content-Security-Policy allows exactly that text by its hash. So
 * none of them may use anything from outside its own body (type-only imports are erased). Data from the input
 * only ever becomes text nodes; Trusted Types, required by the policy, would stop any markup sink.
 */

import type {
  Cell,
  DetailContext,
  PageData,
  PageFinding,
  PageLibrary,
  PageRow,
  ReportKind,
} from './page-types.js';
import { pageLibrary } from './page-library.js';

/** The page's script: the library, then the kind, then the table; `kind` is a function like `reportKind`. */
export function pageScript<Detail, Shared>(
  kind: (library: PageLibrary) => ReportKind<Detail, Shared>,
): string {
  return `(function () {\n'use strict';\nconst library = (${pageLibrary.toString()})();\n(${pageMain.toString()})(library, (${kind.toString()})(library));\n})();`;
}

export function pageMain(lib: PageLibrary, kind: ReportKind<unknown, unknown>): void {
  const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];
  const PRINT_LIMIT = 2000;
  const FINDINGS_PER_PAGE = 25;
  const { el, text, badge, plural } = lib;

  const dataElement = document.getElementById('report-data');
  if (dataElement === null) return;
  const data = JSON.parse(dataElement.textContent ?? '') as PageData<unknown, unknown>;
  // Its text (as large as the JSON report) is no longer needed once parsed.
  dataElement.remove();
  const { table, rows, findings, checks, shared } = data;
  document.getElementById('needs-script')?.remove();

  function byId<T extends HTMLElement>(id: string): T {
    const element = document.getElementById(id);
    if (element === null) throw new Error(`the page has no #${id}`);
    return element as T;
  }

  const statusLine = byId<HTMLElement>('status');
  function announce(message: string): void {
    statusLine.textContent = message;
  }

  const cellText = (cell: Cell | undefined): string =>
    cell === undefined ? '' : typeof cell === 'string' ? cell : cell[0];
  const cellSort = (cell: Cell | undefined): number | string =>
    cell === undefined ? '' : typeof cell === 'string' ? cell : cell[1];

  // ------------------------------------------------------------------------------------------------------------
  // Findings, drawn the same in the findings list and in a row's details

  const findingsOf: number[][] = rows.map(() => []);
  findings.forEach((finding, index) => {
    if (finding.row >= 0) findingsOf[finding.row]?.push(index);
  });

  function command(title: string, body: string, heading: 'h4' | 'h5'): HTMLElement {
    return el(
      'div',
      { class: 'command' },
      el(
        'div',
        { class: 'command-head' },
        el(heading, {}, title),
        el(
          'button',
          { type: 'button', class: 'copy', 'data-copy': title.toLowerCase() },
          `Copy ${title.toLowerCase()}`,
        ),
      ),
      el('pre', {}, el('code', {}, body)),
    );
  }

  function renderFinding(finding: PageFinding, inRow: boolean): HTMLElement {
    const title = checks[finding.checkId] ?? finding.checkId;
    const exception = finding.exception ?? null;
    const commandHeading = inRow ? 'h5' : 'h4';
    const heading = el(
      inRow ? 'h4' : 'h3',
      {},
      finding.mark === null ? null : lib.mark(finding.mark),
      finding.mark === null ? null : ' ',
      badge(finding.severity),
      ' ',
      el('a', { href: `#check-${finding.checkId}` }, title),
      ' ',
      el('code', { class: 'muted' }, finding.checkId),
      exception ? ' ' : null,
      exception ? lib.mark(exception.status) : null,
    );
    const where = inRow
      ? null
      : finding.row >= 0
        ? el('p', {}, 'Connector: ', revealButton(finding.row, finding.connectorLabel ?? ''))
        : el('p', {}, finding.connectorLabel === null ? 'Organisation-wide' : text(finding.connectorLabel));
    return el(
      'article',
      { class: `finding sev-${finding.severity}` },
      heading,
      where,
      text(finding.message, 'p'),
      exception ? el('p', { class: `text exception exception-${exception.status}` }, exception.text) : null,
      finding.note === null ? null : el('p', { class: 'muted' }, finding.note),
      finding.subject === null ? null : el('p', { class: 'muted' }, 'Subject: ', text(finding.subject)),
      finding.remediation === null
        ? el('p', { class: 'muted' }, 'No fix: nothing needs to change.')
        : command('Fix', finding.remediation, commandHeading),
      finding.rollback === null ? null : command('Rollback', finding.rollback, commandHeading),
      el(
        'p',
        { class: 'muted' },
        'Fingerprint ',
        el('code', {}, finding.fingerprint),
        finding.messageId === null ? '' : ` · message ${finding.messageId}`,
      ),
    );
  }

  function revealButton(index: number, label: string): HTMLElement {
    return el('button', { type: 'button', class: 'row', 'data-reveal': String(index) }, label);
  }

  const indexByKey = new Map<string, number>();
  rows.forEach((row, index) => {
    if (!indexByKey.has(row.key)) indexByKey.set(row.key, index);
  });
  const context: DetailContext<unknown> = {
    shared,
    findings: (row) =>
      (findingsOf[row] ?? []).map((index) => renderFinding(findings[index] as PageFinding, true)),
    link: (key, label) => {
      const index = indexByKey.get(key);
      return index === undefined ? text(label) : revealButton(index, label);
    },
  };

  // ------------------------------------------------------------------------------------------------------------
  // The table: filter, sort, page

  const haystack = rows.map((row) =>
    `${row.cells.map(cellText).join('\n')}\n${kind.search(row, shared)}`.toLowerCase(),
  );
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  const compareValues = (kindOfSort: string, a: number | string, b: number | string): number => {
    if (kindOfSort === 'number') return Number(a) - Number(b);
    if (kindOfSort === 'decimal') {
      const x = String(a);
      const y = String(b);
      return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
    }
    return collator.compare(String(a), String(b));
  };

  const search = byId<HTMLInputElement>('filter-text');
  const filters = table.filters.map((filter) => ({
    filter,
    control: byId<HTMLSelectElement>(`filter-${filter.id}`),
  }));
  const pageSizeControl = byId<HTMLSelectElement>('page-size');
  const body = byId<HTMLTableSectionElement>('rows');
  const count = byId<HTMLElement>('row-count');
  const previous = byId<HTMLButtonElement>('page-previous');
  const next = byId<HTMLButtonElement>('page-next');
  const pageLabel = byId<HTMLElement>('page-label');
  const printNote = byId<HTMLElement>('row-print-note');
  const view = { sortColumn: -1, descending: false, page: 0, expanded: new Set<number>(), printing: false };
  let order: number[] = rows.map((_row, index) => index);
  let matching: number[] = order;

  const filterValue = (row: PageRow<unknown>, filter: (typeof table.filters)[number]): string =>
    filter.tag !== undefined ? (row.tags?.[filter.tag] ?? '') : cellText(row.cells[filter.column ?? -1]);
  for (const { filter, control } of filters) {
    if (filter.options !== undefined) continue;
    const values = [...new Set(rows.map((row) => filterValue(row, filter)))].filter((value) => value !== '');
    for (const value of values.sort(collator.compare)) control.append(el('option', { value }, value));
  }

  function sortRows(): void {
    order = rows.map((_row, index) => index);
    const column = table.columns[view.sortColumn];
    if (column !== undefined && column.sort !== null) {
      const sign = view.descending ? -1 : 1;
      const how = column.sort;
      const at = view.sortColumn;
      order.sort(
        (a, b) =>
          sign * compareValues(how, cellSort(rows[a]?.cells[at]), cellSort(rows[b]?.cells[at])) || a - b,
      );
    }
    for (const header of document.querySelectorAll<HTMLElement>('#data-table th[data-column]')) {
      const sorted = Number(header.dataset.column) === view.sortColumn;
      if (sorted) header.setAttribute('aria-sort', view.descending ? 'descending' : 'ascending');
      else header.removeAttribute('aria-sort');
      const arrow = header.querySelector('.arrow');
      if (arrow !== null) arrow.textContent = sorted ? (view.descending ? '▼' : '▲') : '';
    }
  }

  function filterRows(): void {
    const needle = search.value.trim().toLowerCase();
    const chosen = filters.map(({ filter, control }) => ({ filter, value: control.value }));
    matching = order.filter((index) => {
      const row = rows[index] as PageRow<unknown>;
      return (
        chosen.every(({ filter, value }) => value === '' || filterValue(row, filter) === value) &&
        (needle === '' || (haystack[index] as string).includes(needle))
      );
    });
  }

  function pageSize(): number {
    return Number(pageSizeControl.value) || 50;
  }

  function drawCell(index: number, column: number): HTMLElement {
    const row = rows[index] as PageRow<unknown>;
    const spec = table.columns[column];
    const value = cellText(row.cells[column]);
    const classes = [spec?.numeric ? 'num' : '', spec?.wide ? 'wide-only' : '', 'text']
      .filter(Boolean)
      .join(' ');
    if (column === 0) {
      const expanded = view.expanded.has(index);
      const toggle = el(
        'button',
        { type: 'button', class: 'row', 'aria-expanded': String(expanded), 'data-toggle': String(index) },
        value,
      );
      if (expanded) toggle.setAttribute('aria-controls', `detail-${index}`);
      return el('th', { scope: 'row', class: classes }, toggle);
    }
    const shown =
      spec?.style === 'severity' && SEVERITIES.includes(value)
        ? badge(value)
        : spec?.style === 'mark' && value !== ''
          ? lib.mark(value)
          : value;
    return el(
      'td',
      {
        class: `${classes}${spec?.style === 'verdict' && value.startsWith('relay') ? ' verdict-relay' : ''}`,
      },
      shown,
    );
  }

  function drawRow(index: number): HTMLElement[] {
    const row = rows[index] as PageRow<unknown>;
    const line = el(
      'tr',
      { id: `row-${index}`, class: row.mark === null ? '' : `row-${row.mark}` },
      ...table.columns.map((_column, column) => drawCell(index, column)),
    );
    if (!view.expanded.has(index)) return [line];
    return [
      line,
      el(
        'tr',
        { class: 'detail', id: `detail-${index}` },
        el('td', { colspan: String(table.columns.length) }, el('div', {}, kind.details(row, index, context))),
      ),
    ];
  }

  function renderRows(): void {
    const size = pageSize();
    const pages = Math.max(1, Math.ceil(matching.length / size));
    view.page = Math.min(view.page, pages - 1);
    const all = view.printing && matching.length <= PRINT_LIMIT;
    const start = all ? 0 : view.page * size;
    const shown = all ? matching : matching.slice(start, start + size);
    body.replaceChildren(...shown.flatMap(drawRow));
    const range = shown.length === 0 ? '0' : `${start + 1}–${start + shown.length}`;
    const [one, many] = table.noun;
    count.textContent =
      matching.length === rows.length
        ? `Showing ${range} of ${plural(rows.length, one, many)}.`
        : `${plural(matching.length, one, many)} of ${rows.length.toLocaleString('en-US')} match; showing ${range}.`;
    pageLabel.textContent = `Page ${view.page + 1} of ${pages}`;
    previous.disabled = view.page === 0;
    next.disabled = view.page >= pages - 1;
    printNote.textContent =
      view.printing && !all
        ? `Printed: ${shown.length} of ${matching.length} matching ${many} (filter to print fewer than ${PRINT_LIMIT}).`
        : '';
  }

  function refreshRows(): void {
    filterRows();
    view.page = 0;
    renderRows();
  }

  for (const control of [...filters.map(({ control }) => control), pageSizeControl])
    control.addEventListener('change', refreshRows);
  search.addEventListener('input', refreshRows);
  previous.addEventListener('click', () => {
    view.page--;
    renderRows();
  });
  next.addEventListener('click', () => {
    view.page++;
    renderRows();
  });

  function sortBy(column: number): void {
    const spec = table.columns[column];
    if (spec === undefined) return;
    if (view.sortColumn === column) view.descending = !view.descending;
    else {
      view.sortColumn = column;
      view.descending = spec.descending === true;
    }
    sortRows();
    filterRows();
    renderRows();
    announce(`Sorted by ${spec.label.toLowerCase()}, ${view.descending ? 'descending' : 'ascending'}.`);
  }

  function toggle(index: number): void {
    if (view.expanded.has(index)) view.expanded.delete(index);
    else view.expanded.add(index);
    renderRows();
    document.querySelector<HTMLElement>(`#row-${index} button.row`)?.focus();
  }

  /** Clears the filters that hide a row, opens its page and its details, and moves the focus to it. */
  function reveal(index: number): void {
    if (!matching.includes(index)) {
      search.value = '';
      for (const { control } of filters) control.value = '';
      filterRows();
    }
    view.page = Math.floor(matching.indexOf(index) / pageSize());
    view.expanded.add(index);
    renderRows();
    const button = document.querySelector<HTMLElement>(`#row-${index} button.row`);
    button?.scrollIntoView({ block: 'center' });
    button?.focus();
  }

  // ------------------------------------------------------------------------------------------------------------
  // The findings list: filter and page

  const list = {
    search: byId<HTMLInputElement>('finding-text'),
    severity: byId<HTMLSelectElement>('finding-severity'),
    check: byId<HTMLSelectElement>('finding-check'),
    mark: document.getElementById('finding-mark') as HTMLSelectElement | null,
    body: byId<HTMLElement>('finding-list'),
    count: byId<HTMLElement>('finding-count'),
    previous: byId<HTMLButtonElement>('finding-previous'),
    next: byId<HTMLButtonElement>('finding-next'),
    pageLabel: byId<HTMLElement>('finding-page-label'),
  };
  let findingPage = 0;
  let findingMatches: number[] = findings.map((_finding, index) => index);
  const findingHaystack = findings.map((finding) =>
    [
      finding.checkId,
      finding.connectorLabel ?? '',
      finding.subject ?? '',
      finding.message,
      finding.fingerprint,
      finding.exception ? `${finding.exception.status}\n${finding.exception.text}` : '',
    ]
      .join('\n')
      .toLowerCase(),
  );
  for (const id of [...new Set(findings.map((finding) => finding.checkId))].sort())
    list.check.append(el('option', { value: id }, `${checks[id] ?? id} (${id})`));

  function filterFindings(): void {
    const needle = list.search.value.trim().toLowerCase();
    const severity = list.severity.value;
    const check = list.check.value;
    const mark = list.mark?.value ?? '';
    findingMatches = [];
    findings.forEach((finding, index) => {
      if (
        (severity === '' || finding.severity === severity) &&
        (check === '' || finding.checkId === check) &&
        (mark === '' || finding.mark === mark) &&
        (needle === '' || (findingHaystack[index] as string).includes(needle))
      )
        findingMatches.push(index);
    });
    findingPage = 0;
    renderFindings();
  }

  function renderFindings(): void {
    const pages = Math.max(1, Math.ceil(findingMatches.length / FINDINGS_PER_PAGE));
    findingPage = Math.min(findingPage, pages - 1);
    const all = view.printing && findingMatches.length <= PRINT_LIMIT;
    const start = all ? 0 : findingPage * FINDINGS_PER_PAGE;
    const shown = all ? findingMatches : findingMatches.slice(start, start + FINDINGS_PER_PAGE);
    list.body.replaceChildren(...shown.map((index) => renderFinding(findings[index] as PageFinding, false)));
    list.count.textContent = `${plural(findingMatches.length, 'finding')} of ${findings.length.toLocaleString('en-US')}${shown.length === 0 ? '.' : `; showing ${start + 1}–${start + shown.length}.`}`;
    list.pageLabel.textContent = `Page ${findingPage + 1} of ${pages}`;
    list.previous.disabled = findingPage === 0;
    list.next.disabled = findingPage >= pages - 1;
  }

  for (const control of [list.severity, list.check, list.mark])
    control?.addEventListener('change', filterFindings);
  list.search.addEventListener('input', filterFindings);
  list.previous.addEventListener('click', () => {
    findingPage--;
    renderFindings();
  });
  list.next.addEventListener('click', () => {
    findingPage++;
    renderFindings();
  });

  // ------------------------------------------------------------------------------------------------------------
  // One listener for the buttons in drawn content

  async function copyCommand(button: HTMLElement): Promise<void> {
    const code = button.closest('.command')?.querySelector('pre');
    const what = button.dataset.copy ?? 'command';
    if (!code) return;
    try {
      await navigator.clipboard.writeText(code.textContent ?? '');
      announce(`The ${what} command is copied.`);
    } catch {
      const selection = window.getSelection();
      const range = document.createRange();
      range.selectNodeContents(code);
      selection?.removeAllRanges();
      selection?.addRange(range);
      announce(`The ${what} command is selected: press Ctrl+C to copy it.`);
    }
  }

  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest<HTMLElement>('button') : null;
    if (target === null) return;
    const { toggle: toggled, reveal: revealed, copy, sort } = target.dataset;
    if (toggled !== undefined) toggle(Number(toggled));
    else if (revealed !== undefined) reveal(Number(revealed));
    else if (copy !== undefined) void copyCommand(target);
    else if (sort !== undefined) sortBy(Number(sort));
  });

  // Printing lifts the paging (up to PRINT_LIMIT rows), so that a saved PDF holds what the filters select.
  window.addEventListener('beforeprint', () => {
    view.printing = true;
    renderRows();
    renderFindings();
  });
  window.addEventListener('afterprint', () => {
    view.printing = false;
    renderRows();
    renderFindings();
  });

  sortRows();
  filterRows();
  renderRows();
  renderFindings();
  document.documentElement.dataset.ready = 'true';
  performance.mark('exrelay-ready');
}
