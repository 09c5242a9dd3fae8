/// <reference lib="dom" />
/**
 * Browser code: a connector's details in the usage report (exrelay usage): what the configuration says, what the
 * logs cover, every client with what it did, and the findings. Put into the page as its own text (see
 * page-script.ts), so it uses nothing from outside its body; its data is built by usage-page.ts.
 */

import type { DetailContext, PageLibrary, PageRow, ReportKind } from './page-types.js';

export interface UsageDetail {
  facts: Array<[string, string]>;
  /** Each client: address, class, sessions, messages, relayed, after AUTH, refused, sender, HELO, relay domains, first and last seen. */
  clients: string[][];
  moreClients: number;
}

export function usageKind(lib: PageLibrary): ReportKind<UsageDetail, null> {
  const { el, text, dataTable, facts, section, plural } = lib;
  const HEADERS = [
    'Address',
    'Class',
    'Sessions',
    'Messages',
    'Relayed',
    'After AUTH',
    'Refused',
    'Sender',
    'HELO names',
    'Relayed to',
    'First seen',
    'Last seen',
  ];

  function details(row: PageRow<UsageDetail>, index: number, context: DetailContext<null>): HTMLElement {
    const usage = row.detail;
    const clients = section(
      `Clients (${(usage.clients.length + usage.moreClients).toLocaleString('en-US')})`,
      usage.clients.length === 0
        ? el('p', {}, 'No session in the logs read.')
        : el(
            'div',
            { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Clients' },
            dataTable(
              'Clients of this connector in the logs, most relayed first',
              HEADERS,
              usage.clients.map((cells) => cells.map((cell) => text(cell))),
              [2, 3, 4, 5, 6],
            ),
          ),
      usage.moreClients > 0
        ? el(
            'p',
            { class: 'muted' },
            `and ${plural(usage.moreClients, 'more client')} (the JSON and CSV reports list every one)`,
          )
        : null,
    );
    const own = context.findings(index);
    return el(
      'div',
      {},
      section('Connector and logs', facts(usage.facts.map(([term, value]) => [term, text(value)]))),
      clients,
      section(`Findings (${own.length})`, own.length === 0 ? el('p', {}, 'None.') : null, ...own),
    );
  }

  function search(row: PageRow<UsageDetail>): string {
    return row.detail.clients.map((client) => `${client[0]} ${client[7]} ${client[8]}`).join('\n');
  }

  return { details, search };
}
