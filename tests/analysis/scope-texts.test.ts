import { describe, expect, it } from '@jest/globals';
import { analyzeConnectorScope } from '../../src/analysis/connector-scope.js';
import { ScopeTexts } from '../../src/analysis/scope-texts.js';
import { connector } from '../support/builders.js';

const TEXTS = [
  '10.1.2.3',
  '10.1.0.0/16',
  '192.0.2.1-192.0.2.9',
  '8.8.8.0(255.255.255.0)',
  '2001:db8::/64',
  'fd00::1',
  '0.0.0.0-255.255.255.255',
  'not an address',
  '10.0.0.5-10.0.0.1',
];

describe('ScopeTexts', () => {
  it('measures a text once and hands out the same answer again', () => {
    const texts = new ScopeTexts();
    for (const text of TEXTS) expect(texts.range(text)).toBe(texts.range(text));
    for (const text of ['0.0.0.0:25', '[::]:25', 'bad'])
      expect(texts.binding(text)).toBe(texts.binding(text));
  });

  it('steps aside when nearly every text is new, and still answers alike', () => {
    const texts = new ScopeTexts();
    const first = texts.range('10.0.0.1');
    for (let index = 0; index < 5000; index++) texts.range(`fd00:${index.toString(16)}::/64`);
    // No longer remembered: a fresh, equal answer.
    expect(texts.range('10.0.0.1')).not.toBe(first);
    expect(texts.range('10.0.0.1')).toEqual(first);
  });

  it('gives connector scopes equal to scopes measured without sharing', () => {
    const texts = new ScopeTexts();
    const connectors = [
      connector({ name: 'A', bindings: ['0.0.0.0:25'], remoteIPRanges: TEXTS }),
      connector({ name: 'B', bindings: ['[::]:25'], remoteIPRanges: [...TEXTS].reverse() }),
      connector({ name: 'C', bindings: ['0.0.0.0:25', '[::]:25'], remoteIPRanges: TEXTS.slice(0, 3) }),
    ];
    for (const each of connectors) {
      const shared = analyzeConnectorScope(each, texts);
      const alone = analyzeConnectorScope(each);
      expect([...shared.ranges]).toEqual([...alone.ranges]);
      expect(shared.configured[4].equals(alone.configured[4])).toBe(true);
      expect(shared.configured[6].equals(alone.configured[6])).toBe(true);
      expect(shared.hostsOnly).toBe(alone.hostsOnly);
    }
    // The IPv6 entries of A and the IPv4 ones of B are unused: the answer shared between them says nothing of it.
    const a = analyzeConnectorScope(connectors[0]!, texts);
    const b = analyzeConnectorScope(connectors[1]!, texts);
    expect(a.ranges.at(4)).toMatchObject({ family: 6, unused: true });
    expect(b.ranges.at(TEXTS.length - 1 - 4)).toMatchObject({ family: 6, unused: false });
    expect(a.configured[4].isEmpty()).toBe(false);
    expect(b.configured[4].isEmpty()).toBe(true);
  });
});
