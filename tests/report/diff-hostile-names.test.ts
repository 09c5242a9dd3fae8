/**
 * The diff and what-if formats against the corpus of hostile names: a connector renamed to each one and widened
 * shows up in every format without changing its structure (Markdown read back with markdown-it, CSV with
 * csv-parse), and the terminal text carries nothing hidden.
 */

import { describe, expect, it } from '@jest/globals';
import { parse as parseCsv } from 'csv-parse/sync';
import MarkdownIt from 'markdown-it';
import { diffOrganizations, regressions } from '../../src/diff/diff.js';
import { evaluate } from '../../src/pipeline.js';
import { buildDiffReport } from '../../src/report/diff/diff-report.js';
import { renderDiffCsv } from '../../src/report/diff/render-csv.js';
import { renderDiffMarkdown } from '../../src/report/diff/render-markdown.js';
import { renderDiffText } from '../../src/report/diff/render-text.js';
import { anonymousUsersGroup, connector, grant, RELAY, snapshot } from '../support/builders.js';
import { firstRawHidden, HOSTILE_NAMES } from '../support/hostile-names.js';

const acl = [...anonymousUsersGroup(), grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY, { sid: 'S-1-5-7' })];

function report(name: string) {
  const relay = (ranges: string[], named: string) =>
    connector({
      name: named,
      guid: '0f0e0d0c-0000-0000-0000-000000000001',
      remoteIPRanges: ranges,
      permissions: acl,
      permissionGroups: ['AnonymousUsers', 'Custom'],
    });
  const before = evaluate(snapshot([relay(['10.1.0.0/16'], 'Relay Apps')]), 'test');
  const after = evaluate(snapshot([relay(['10.0.0.0/8'], name)]), 'test');
  const diff = diffOrganizations(before, after);
  return buildDiffReport(before, after, diff, {
    generator: 'test',
    failOn: 'high',
    regressions: regressions(diff, 'high').length,
  });
}

describe.each(HOSTILE_NAMES.map((entry) => [entry.label, entry.name] as const))(
  'a connector renamed to a name with %s',
  (_label, name) => {
    const diff = report(name);

    it('is renamed and widened in the data', () => {
      expect(diff.summary).toMatchObject({ connectorsRenamed: 1, findingsWidened: 1 });
    });

    it('terminal text: nothing hidden reaches the reader', () => {
      expect(firstRawHidden(renderDiffText(diff), /\n/)).toBeNull();
    });

    it('Markdown: one connector list item, no HTML, no table rows forged', () => {
      const tokens = new MarkdownIt({ html: true }).parse(renderDiffMarkdown(diff), {});
      expect(tokens.filter((token) => token.type === 'html_block' || token.type === 'html_inline')).toEqual(
        [],
      );
      expect(tokens.filter((token) => token.type === 'tr_open')).toEqual([]);
      expect(tokens.filter((token) => token.type === 'heading_open').length).toBe(4);
    });

    it('CSV: every row has the seven columns', () => {
      const rows = parseCsv(renderDiffCsv(diff), { relaxColumnCount: true }) as string[][];
      expect(rows.every((row) => row.length === 7)).toBe(true);
    });
  },
);

describe('a connector renamed from and to very long names', () => {
  it('shows both names, each shortened, in the terminal text and in Markdown', () => {
    // Was: the terminal text printed 3,000 characters whole, and Markdown cut the "old → new" line so that the
    // new name disappeared.
    const diff = report(`Relay ${'x'.repeat(3000)} END`);
    for (const text of [renderDiffText(diff), renderDiffMarkdown(diff)]) {
      const line = text.split('\n').find((candidate) => candidate.includes('(renamed)'));
      expect(line).toBeDefined();
      expect(line).toContain('Relay Apps →');
      expect(line).toContain('END (3,015 characters)');
      expect(line!.length).toBeLessThan(400);
    }
  });
});
