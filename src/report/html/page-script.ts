/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The report page's script, run by the browser. It is written here, type-checked and linted with the rest, and
 * put into the page as the text of `reportPage` (Function.prototype.toString): so it must use nothing from outside
 * its own body (type-only imports are erased). The page's Content-Security-Policy allows exactly that text by its
 * hash. Data from the input only ever becomes text nodes (textContent), never markup; Trusted Types, required by
 * the policy, would stop any markup sink.
 */

import type { PageConnector, PageData, PageFinding } from './page-data.js';

export function reportPage(): void {
  const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];
  const VERDICT_RANK: Record<string, number> = { 'no-relay': 0, unknown: 1, relay: 2 };
  const PRINT_LIMIT = 2000;

  const dataElement = document.getElementById('report-data');
  if (dataElement === null) return;
  const data = JSON.parse(dataElement.textContent ?? '') as PageData;
  // Its text (as large as the JSON report) is no longer needed once parsed.
  dataElement.remove();
  const { connectors, findings, principals, checks } = data;
  document.getElementById('needs-script')?.remove();

  type Child = Node | string | null | undefined | false;

  function el<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attributes: Record<string, string> = {},
    ...children: Child[]
  ): HTMLElementTagNameMap[K] {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    for (const child of children)
      if (child !== null && child !== undefined && child !== false) element.append(child);
    return element;
  }

  function byId<T extends HTMLElement>(id: string): T {
    const element = document.getElementById(id);
    if (element === null) throw new Error(`the page has no #${id}`);
    return element as T;
  }

  const statusLine = byId<HTMLElement>('status');
  function announce(message: string): void {
    statusLine.textContent = message;
  }

  function plural(count: number, one: string, many = `${one}s`): string {
    return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
  }

  function badge(severity: string): HTMLElement {
    return el('span', { class: `badge sev-${severity}` }, severity);
  }

  function text(value: string, tag: 'span' | 'p' | 'code' = 'span'): HTMLElement {
    return el(tag, { class: 'text' }, value);
  }

  function dataTable(
    caption: string,
    headers: string[],
    rows: Child[][],
    numeric: number[] = [],
  ): HTMLElement {
    const head = el(
      'tr',
      {},
      ...headers.map((header, column) =>
        el('th', { scope: 'col', class: numeric.includes(column) ? 'num' : '' }, header),
      ),
    );
    const body = rows.map((cells) =>
      el(
        'tr',
        {},
        ...cells.map((cell, column) => el('td', { class: numeric.includes(column) ? 'num' : '' }, cell)),
      ),
    );
    return el(
      'div',
      { class: 'scroll' },
      el(
        'table',
        {},
        el('caption', { class: 'visually-hidden' }, caption),
        el('thead', {}, head),
        el('tbody', {}, ...body),
      ),
    );
  }

  // ------------------------------------------------------------------------------------------------------------
  // Findings, rendered the same in the findings list and in a connector's details

  const findingsOf: number[][] = connectors.map(() => []);
  findings.forEach((finding, index) => {
    if (finding.connector >= 0) findingsOf[finding.connector]?.push(index);
  });

  function command(title: string, body: string, heading: 'h4' | 'h5'): HTMLElement {
    return el(
      'div',
      { class: 'command' },
      el(heading, {}, title),
      el('pre', {}, el('code', {}, body)),
      el(
        'button',
        { type: 'button', class: 'copy', 'data-copy': title.toLowerCase() },
        `Copy ${title.toLowerCase()}`,
      ),
    );
  }

  function renderFinding(finding: PageFinding, inConnector: boolean): HTMLElement {
    const title = checks[finding.checkId] ?? finding.checkId;
    const commandHeading = inConnector ? 'h5' : 'h4';
    const heading = el(
      inConnector ? 'h4' : 'h3',
      {},
      badge(finding.severity),
      ' ',
      el('a', { href: `#check-${finding.checkId}` }, title),
      ' ',
      el('code', { class: 'muted' }, finding.checkId),
    );
    const where = inConnector
      ? null
      : finding.connector >= 0
        ? el('p', {}, 'Connector: ', revealButton(finding.connector, finding.connectorLabel ?? ''))
        : el('p', {}, finding.connectorLabel === null ? 'Organisation-wide' : text(finding.connectorLabel));
    return el(
      'article',
      { class: `finding sev-${finding.severity}` },
      heading,
      where,
      text(finding.message, 'p'),
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
        ` · message ${finding.messageId}`,
      ),
    );
  }

  function revealButton(index: number, label: string): HTMLElement {
    return el('button', { type: 'button', class: 'row', 'data-reveal': String(index) }, label);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Connector details

  function principalRows(connector: PageConnector): Child[][] {
    return connector.principals.map((index) => {
      const [user, sid, inherited, grantedBy, canSubmit] = principals[index] ?? ['', null, false, '', false];
      return [
        text(user),
        sid === null ? el('span', { class: 'muted' }, 'unknown') : el('code', {}, sid),
        grantedBy,
        inherited ? 'inherited' : 'explicit',
        canSubmit ? 'yes' : 'no',
      ];
    });
  }

  function rangeList(ranges: string[], more: number): HTMLElement {
    return el(
      'ul',
      { class: 'plain' },
      ...ranges.map((range) => el('li', {}, el('code', {}, range))),
      more > 0
        ? el('li', { class: 'muted' }, `and ${plural(more, 'more range')} (the JSON report lists every one)`)
        : null,
    );
  }

  function renderDetails(index: number): HTMLElement {
    const connector = connectors[index] as PageConnector;
    const verdictText =
      connector.verdict === 'relay'
        ? 'relays without authentication'
        : connector.verdict === 'unknown'
          ? 'unknown: the ACL could not be read'
          : 'no relay without authentication';
    const facts = el(
      'dl',
      { class: 'facts' },
      el('dt', {}, 'Identity'),
      el('dd', {}, text(connector.identity)),
      el('dt', {}, 'Enabled'),
      el('dd', {}, connector.enabled ? 'yes' : 'no'),
      el('dt', {}, 'Transport role'),
      el('dd', {}, connector.role ?? 'not recorded (Exchange 2007/2010: HubTransport)'),
      el('dt', {}, 'Default connector'),
      el('dd', {}, connector.isDefault ? 'yes' : 'no'),
      el('dt', {}, 'Bindings'),
      el('dd', {}, text(connector.bindings.join(', ') || 'none')),
      el('dt', {}, 'AuthMechanism'),
      el('dd', {}, text(connector.authMechanism.join(', ') || 'none')),
      el('dt', {}, 'PermissionGroups'),
      el('dd', {}, text(connector.permissionGroups.join(', ') || 'none')),
      el('dt', {}, 'Score'),
      el('dd', {}, `${connector.score} of 100 · `, badge(connector.severity)),
    );
    const verdict = el(
      'section',
      {},
      el(
        'h3',
        {},
        'Verdict: ',
        el('span', { class: `verdict-${connector.verdict}` }, connector.verdict),
        ` (${verdictText})`,
      ),
      text(connector.basis, 'p'),
      connector.latent === null
        ? null
        : el('p', {}, `Latent: the grant receives no mail today (${connector.latent}).`),
      facts,
    );
    const holders = el(
      'section',
      {},
      el('h3', {}, 'Who holds the relay right'),
      connector.principals.length === 0
        ? el(
            'p',
            {},
            connector.verdict === 'unknown'
              ? 'Not known: the ACL was not read.'
              : 'No principal holds ms-Exch-SMTP-Accept-Any-Recipient.',
          )
        : dataTable(
            'Principals holding ms-Exch-SMTP-Accept-Any-Recipient',
            ['Principal', 'SID', 'Granted by', 'ACE', 'Can submit'],
            principalRows(connector),
          ),
    );
    const ranges = el(
      'section',
      {},
      el('h3', {}, `RemoteIPRanges (${connector.ranges.length + connector.moreRanges})`),
      dataTable(
        'RemoteIPRanges entries',
        ['Entry', 'Family', 'Addresses', 'Scope', 'Public', 'Note'],
        connector.ranges.map((range) => [
          el('code', { class: 'text' }, range.text),
          range.family ?? '—',
          range.addresses,
          range.scope ?? '—',
          range.publicAddresses,
          range.error !== null
            ? text(`does not parse: ${range.error}`)
            : range.unused
              ? 'unused: no binding of its family'
              : '',
        ]),
        [2, 4],
      ),
      connector.moreRanges > 0
        ? el(
            'p',
            { class: 'muted' },
            `and ${plural(connector.moreRanges, 'more entry', 'more entries')} (the JSON report lists every one)`,
          )
        : null,
    );
    const receives = el(
      'section',
      {},
      el('h3', {}, 'What it really receives'),
      el(
        'p',
        { class: 'text' },
        `After precedence: ${connector.addresses} ${connector.addressesExact === '1' ? 'address' : 'addresses'}, ${connector.publicAddresses} of them public.`,
      ),
      connector.effectiveRanges.length > 0
        ? rangeList(connector.effectiveRanges, connector.moreEffectiveRanges)
        : el('p', {}, 'Nothing.'),
      el('h4', {}, 'Connectors that take addresses from it'),
      connector.takenBy.length === 0
        ? el('p', {}, 'None.')
        : el(
            'ul',
            { class: 'plain' },
            ...connector.takenBy.map((taker) => {
              const other = indexByIdentity.get(taker.identity);
              return el(
                'li',
                {},
                other === undefined ? text(taker.identity) : revealButton(other, taker.identity),
                ` takes ${taker.addresses} ${taker.addresses === '1' ? 'address' : 'addresses'}`,
                taker.tie ? ' (an exact tie: Active Directory order decides)' : '',
                ': ',
                taker.ranges.join(', '),
                taker.more > 0 ? ` and ${plural(taker.more, 'more range')}` : '',
              );
            }),
          ),
    );
    const own = findingsOf[index] ?? [];
    const findingList = el(
      'section',
      { class: 'detail-findings' },
      el('h3', {}, `Findings (${own.length})`),
      own.length === 0 ? el('p', {}, 'None.') : null,
      ...own.map((position) => renderFinding(findings[position] as PageFinding, true)),
    );
    return el('div', {}, el('div', { class: 'detail-top' }, verdict, receives), holders, ranges, findingList);
  }

  // ------------------------------------------------------------------------------------------------------------
  // The connectors table: filter, sort, page

  const indexByIdentity = new Map<string, number>();
  connectors.forEach((connector, index) => {
    if (!indexByIdentity.has(connector.identity)) indexByIdentity.set(connector.identity, index);
  });
  const haystack = connectors.map((connector) =>
    [
      connector.identity,
      connector.receives,
      connector.verdict,
      connector.latent ?? '',
      ...connector.ranges.map((range) => range.text),
      ...connector.principals.map((index) => principals[index]?.[0] ?? ''),
    ]
      .join('\n')
      .toLowerCase(),
  );
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  const compareAddresses = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  const SORTS: Record<string, (a: PageConnector, b: PageConnector, ai: number, bi: number) => number> = {
    identity: (a, b) => collator.compare(a.identity, b.identity),
    server: (a, b) => collator.compare(a.server, b.server),
    enabled: (a, b) => Number(a.enabled) - Number(b.enabled),
    verdict: (a, b) => (VERDICT_RANK[a.verdict] ?? 0) - (VERDICT_RANK[b.verdict] ?? 0),
    addresses: (a, b) => compareAddresses(a.addressesExact, b.addressesExact),
    score: (a, b) => a.score - b.score,
    severity: (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity),
    findings: (_a, _b, ai, bi) => (findingsOf[ai]?.length ?? 0) - (findingsOf[bi]?.length ?? 0),
  };

  const table = {
    search: byId<HTMLInputElement>('filter-text'),
    server: byId<HTMLSelectElement>('filter-server'),
    severity: byId<HTMLSelectElement>('filter-severity'),
    verdict: byId<HTMLSelectElement>('filter-verdict'),
    pageSize: byId<HTMLSelectElement>('page-size'),
    body: byId<HTMLTableSectionElement>('connector-rows'),
    count: byId<HTMLElement>('connector-count'),
    previous: byId<HTMLButtonElement>('page-previous'),
    next: byId<HTMLButtonElement>('page-next'),
    pageLabel: byId<HTMLElement>('page-label'),
    printNote: byId<HTMLElement>('connector-print-note'),
  };
  const view = {
    sortKey: null as string | null,
    descending: false,
    page: 0,
    expanded: new Set<number>(),
    printing: false,
  };
  let order: number[] = connectors.map((_connector, index) => index);
  let matching: number[] = order;

  const servers = [...new Set(connectors.map((connector) => connector.server))].sort(collator.compare);
  for (const server of servers) table.server.append(el('option', { value: server }, server));

  function sortConnectors(): void {
    order = connectors.map((_connector, index) => index);
    const compare = view.sortKey === null ? undefined : SORTS[view.sortKey];
    if (compare !== undefined) {
      const sign = view.descending ? -1 : 1;
      order.sort(
        (a, b) =>
          sign * compare(connectors[a] as PageConnector, connectors[b] as PageConnector, a, b) || a - b,
      );
    }
    for (const header of document.querySelectorAll<HTMLElement>('#connectors-table th[data-key]')) {
      const sorted = header.dataset.key === view.sortKey;
      if (sorted) header.setAttribute('aria-sort', view.descending ? 'descending' : 'ascending');
      else header.removeAttribute('aria-sort');
      const arrow = header.querySelector('.arrow');
      if (arrow !== null) arrow.textContent = sorted ? (view.descending ? '▼' : '▲') : '';
    }
  }

  function filterConnectors(): void {
    const needle = table.search.value.trim().toLowerCase();
    const server = table.server.value;
    const severity = table.severity.value;
    const verdict = table.verdict.value;
    matching = order.filter((index) => {
      const connector = connectors[index] as PageConnector;
      return (
        (server === '' || connector.server === server) &&
        (severity === '' || connector.severity === severity) &&
        (verdict === '' || connector.verdict === verdict) &&
        (needle === '' || (haystack[index] as string).includes(needle))
      );
    });
  }

  function pageSize(): number {
    return Number(table.pageSize.value) || 50;
  }

  function connectorRow(index: number): HTMLElement[] {
    const connector = connectors[index] as PageConnector;
    const expanded = view.expanded.has(index);
    const toggle = el(
      'button',
      { type: 'button', class: 'row', 'aria-expanded': String(expanded), 'data-toggle': String(index) },
      connector.label,
    );
    if (expanded) toggle.setAttribute('aria-controls', `detail-${index}`);
    const row = el(
      'tr',
      { id: `connector-${index}` },
      el('th', { scope: 'row', class: 'text' }, toggle),
      el('td', { class: 'wide-only text' }, connector.server),
      el('td', { class: 'wide-only' }, connector.enabled ? 'yes' : 'no'),
      el(
        'td',
        { class: `verdict-${connector.verdict}` },
        connector.verdict,
        connector.latent === null ? '' : ` (${connector.latent})`,
      ),
      el('td', { class: 'wide-only text' }, connector.receives),
      el('td', { class: 'num wide-only' }, connector.addressesShort),
      el('td', { class: 'num wide-only' }, String(connector.score)),
      el('td', {}, badge(connector.severity)),
      el('td', { class: 'num wide-only' }, String(findingsOf[index]?.length ?? 0)),
    );
    if (!expanded) return [row];
    return [
      row,
      el('tr', { class: 'detail', id: `detail-${index}` }, el('td', { colspan: '9' }, renderDetails(index))),
    ];
  }

  function renderConnectors(): void {
    const size = pageSize();
    const pages = Math.max(1, Math.ceil(matching.length / size));
    view.page = Math.min(view.page, pages - 1);
    const all = view.printing && matching.length <= PRINT_LIMIT;
    const start = all ? 0 : view.page * size;
    const shown = all ? matching : matching.slice(start, start + size);
    table.body.replaceChildren(...shown.flatMap(connectorRow));
    const range = shown.length === 0 ? '0' : `${start + 1}–${start + shown.length}`;
    table.count.textContent =
      matching.length === connectors.length
        ? `Showing ${range} of ${plural(connectors.length, 'connector')}.`
        : `${plural(matching.length, 'connector')} of ${connectors.length.toLocaleString('en-US')} match; showing ${range}.`;
    table.pageLabel.textContent = `Page ${view.page + 1} of ${pages}`;
    table.previous.disabled = view.page === 0;
    table.next.disabled = view.page >= pages - 1;
    table.printNote.textContent =
      view.printing && !all
        ? `Printed: ${shown.length} of ${matching.length} matching connectors (filter to print fewer than ${PRINT_LIMIT}).`
        : '';
  }

  function refreshConnectors(): void {
    filterConnectors();
    view.page = 0;
    renderConnectors();
  }

  for (const control of [table.server, table.severity, table.verdict, table.pageSize])
    control.addEventListener('change', refreshConnectors);
  table.search.addEventListener('input', refreshConnectors);
  table.previous.addEventListener('click', () => {
    view.page--;
    renderConnectors();
  });
  table.next.addEventListener('click', () => {
    view.page++;
    renderConnectors();
  });

  function sortBy(key: string): void {
    if (view.sortKey === key) view.descending = !view.descending;
    else {
      view.sortKey = key;
      // Numbers and severities read best from the largest down.
      view.descending = !['identity', 'server'].includes(key);
    }
    sortConnectors();
    filterConnectors();
    renderConnectors();
    announce(`Connectors sorted by ${key}, ${view.descending ? 'descending' : 'ascending'}.`);
  }

  function toggle(index: number): void {
    if (view.expanded.has(index)) view.expanded.delete(index);
    else view.expanded.add(index);
    renderConnectors();
    document.querySelector<HTMLElement>(`#connector-${index} button.row`)?.focus();
  }

  /** Clears the filters that hide a connector, opens its page and its details, and moves the focus to it. */
  function reveal(index: number): void {
    if (!matching.includes(index)) {
      table.search.value = '';
      table.server.value = '';
      table.severity.value = '';
      table.verdict.value = '';
      filterConnectors();
    }
    view.page = Math.floor(matching.indexOf(index) / pageSize());
    view.expanded.add(index);
    renderConnectors();
    const button = document.querySelector<HTMLElement>(`#connector-${index} button.row`);
    button?.scrollIntoView({ block: 'center' });
    button?.focus();
  }

  // ------------------------------------------------------------------------------------------------------------
  // The findings list: filter and page

  const list = {
    search: byId<HTMLInputElement>('finding-text'),
    severity: byId<HTMLSelectElement>('finding-severity'),
    check: byId<HTMLSelectElement>('finding-check'),
    body: byId<HTMLElement>('finding-list'),
    count: byId<HTMLElement>('finding-count'),
    previous: byId<HTMLButtonElement>('finding-previous'),
    next: byId<HTMLButtonElement>('finding-next'),
    pageLabel: byId<HTMLElement>('finding-page-label'),
  };
  const FINDINGS_PER_PAGE = 25;
  let findingPage = 0;
  let findingMatches: number[] = findings.map((_finding, index) => index);
  const findingHaystack = findings.map((finding) =>
    [
      finding.checkId,
      finding.connectorLabel ?? '',
      finding.subject ?? '',
      finding.message,
      finding.fingerprint,
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
    findingMatches = [];
    findings.forEach((finding, index) => {
      if (
        (severity === '' || finding.severity === severity) &&
        (check === '' || finding.checkId === check) &&
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

  for (const control of [list.severity, list.check]) control.addEventListener('change', filterFindings);
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
  // One listener for the buttons in rendered content

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
    else if (sort !== undefined) sortBy(sort);
  });

  // Printing lifts the paging (up to PRINT_LIMIT rows), so that a saved PDF holds what the filters select.
  window.addEventListener('beforeprint', () => {
    view.printing = true;
    renderConnectors();
    renderFindings();
  });
  window.addEventListener('afterprint', () => {
    view.printing = false;
    renderConnectors();
    renderFindings();
  });

  sortConnectors();
  filterConnectors();
  renderConnectors();
  renderFindings();
  document.documentElement.dataset.ready = 'true';
  performance.mark('exrelay-ready');
}
