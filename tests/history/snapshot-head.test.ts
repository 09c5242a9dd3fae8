/** Whether a kept snapshot is partial, from the first bytes of its file (src/history/snapshot-head.ts). */

import { describe, expect, it } from '@jest/globals';
import { partialInHead } from '../../src/history/snapshot-head.js';

const HEAD = {
  kind: 'exrelay.snapshot',
  schemaVersion: 1,
  collectedAt: '2026-12-02T16:38:26.337Z',
  source: { method: 'local', description: 'vm (init script init-mon.ps1)', tool: 'exrelay 0.1.0' },
};

describe('partialInHead', () => {
  it.each([true, false])(
    'reads partial: %s from a snapshot as exrelay writes it, cut off anywhere after',
    (partial) => {
      const text = `${JSON.stringify({ ...HEAD, partial, servers: [{ name: 'EX01' }], connectors: [] }, null, 2)}\n`;
      const after = text.indexOf(String(partial), text.indexOf('"partial"')) + String(partial).length + 1;
      for (let end = after; end <= text.length; end++)
        expect(partialInHead(text.slice(0, end))).toBe(partial);
      expect(partialInHead(JSON.stringify({ ...HEAD, partial }))).toBe(partial);
    },
  );

  it('says nothing when the head ends before the answer', () => {
    const text = JSON.stringify({ ...HEAD, partial: false }, null, 2);
    const answer = text.indexOf('false');
    for (let end = 0; end <= answer + 'false'.length; end++)
      expect(partialInHead(text.slice(0, end))).toBeNull();
  });

  it('is not fooled by "partial" inside a string or a nested object before the snapshot\'s own', () => {
    const source = {
      ...HEAD.source,
      description: 'host "partial": true, }',
      partial: true,
      list: [{ partial: true }],
    };
    expect(partialInHead(JSON.stringify({ ...HEAD, source, partial: false }))).toBe(false);
    expect(partialInHead(JSON.stringify({ ...HEAD, 'partial\\': true, partial: false }))).toBe(false);
  });

  it('reads keys as JSON does: escapes, white space and a byte order mark', () => {
    expect(partialInHead('\uFEFF { "kind" : "exrelay.snapshot" ,\r\n\t"p\\u0061rtial" :\ttrue }')).toBe(true);
  });

  it.each([
    ['no partial key', JSON.stringify(HEAD)],
    ['not an object', '[{"partial": true}]'],
    ['not JSON', 'partial: true'],
    ['a value that is not a boolean', JSON.stringify({ ...HEAD, partial: 'yes' })],
    ['null', JSON.stringify({ ...HEAD, partial: null })],
    ['a word that only begins like one', '{"partial": falsey}'],
    ['an empty file', ''],
  ])('says nothing for %s: the whole file decides', (_, text) => {
    expect(partialInHead(text)).toBeNull();
  });
});
