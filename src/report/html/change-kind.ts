/// <reference lib="dom" />
/**
 * Browser code: a connector's details in a diff or what-if report: each change, marked added, removed, widened,
 * narrowed or changed, and the findings it brings or settles. Put into the page as its own text (see
 * page-script.ts), so it uses nothing from outside its body; its data is built by change-page.ts.
 */

import type { DetailContext, PageLibrary, PageRow, ReportKind } from './page-types.js';

export interface ChangeDetail {
  /** [mark, what]: mark is added, removed, widened, narrowed or changed. */
  changes: Array<[string, string]>;
  /** A note on where the change comes from (another connector's change, through precedence). */
  note: string | null;
}

export function changeKind(lib: PageLibrary): ReportKind<ChangeDetail, null> {
  const { el, text, mark, section } = lib;

  function details(row: PageRow<ChangeDetail>, index: number, context: DetailContext<null>): HTMLElement {
    const { changes, note } = row.detail;
    const own = context.findings(index);
    return el(
      'div',
      {},
      section(
        'What changes',
        changes.length === 0
          ? el('p', {}, 'Nothing but its name.')
          : el(
              'ul',
              { class: 'plain changes' },
              ...changes.map(([kind, what]) => el('li', {}, mark(kind), ' ', text(what))),
            ),
        note === null ? null : el('p', { class: 'muted' }, note),
      ),
      section(`Findings that change (${own.length})`, own.length === 0 ? el('p', {}, 'None.') : null, ...own),
    );
  }

  function search(row: PageRow<ChangeDetail>): string {
    return row.detail.changes.map(([, what]) => what).join('\n');
  }

  return { details, search };
}
