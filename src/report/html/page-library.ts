/// <reference lib="dom" />
/**
 * Browser code: the DOM helpers of every report page. Put into the page as the text of `pageLibrary`
 * (page-script.ts explains how), so it uses nothing from outside its own body. Strings only ever become text
 * nodes and attribute values set by name; nothing is parsed as markup.
 */

import type { Child, PageLibrary } from './page-types.js';

export function pageLibrary(): PageLibrary {
  function el<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attributes: Record<string, string> = {},
    ...children: Child[]
  ): HTMLElementTagNameMap[K] {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes))
      if (value !== '') element.setAttribute(name, value);
    for (const child of children)
      if (child !== null && child !== undefined && child !== false) element.append(child);
    return element;
  }

  function text(value: string, tag: 'span' | 'p' | 'code' = 'span'): HTMLElement {
    return el(tag, { class: 'text' }, value);
  }

  function badge(severity: string): HTMLElement {
    return el('span', { class: `badge sev-${severity}` }, severity);
  }

  function mark(change: string): HTMLElement {
    return el('span', { class: `change-mark change-${change}` }, change);
  }

  function dataTable(
    caption: string,
    headers: string[],
    rows: Child[][],
    numeric: number[] = [],
  ): HTMLElement {
    const align = (column: number) => (numeric.includes(column) ? 'num' : '');
    return el(
      'table',
      {},
      el('caption', { class: 'visually-hidden' }, caption),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...headers.map((header, column) => el('th', { scope: 'col', class: align(column) }, header)),
        ),
      ),
      el(
        'tbody',
        {},
        ...rows.map((cells) =>
          el('tr', {}, ...cells.map((cell, column) => el('td', { class: align(column) }, cell))),
        ),
      ),
    );
  }

  function facts(entries: Array<[string, Child]>): HTMLElement {
    return el(
      'dl',
      { class: 'facts' },
      ...entries.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]),
    );
  }

  function list(items: Child[], more: string | null = null): HTMLElement {
    return el(
      'ul',
      { class: 'plain' },
      ...items.map((item) => el('li', {}, item)),
      more === null ? null : el('li', { class: 'muted' }, more),
    );
  }

  function section(heading: string, ...children: Child[]): HTMLElement {
    return el('section', {}, el('h3', {}, heading), ...children);
  }

  function plural(count: number, one: string, many = `${one}s`): string {
    return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
  }

  return { el, text, badge, mark, dataTable, facts, list, section, plural };
}
