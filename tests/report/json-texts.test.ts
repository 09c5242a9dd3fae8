/**
 * The JSON writer reuses texts (json-texts.ts): principals and frozen lists by identity, range records by entry
 * text and unused flag. Its output must stay jsonEscapeHidden of the JSON.stringify layout of the materialized
 * report, whatever the values: hostile text in every field, principals that differ in one field only, one range
 * text used on one connector and unused on another, long lists, and every organisation under fixtures/orgs.
 */

import { readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { buildSnapshot } from '../../src/ingest/build-snapshot.js';
import { loadInputs } from '../../src/ingest/load-files.js';
import type { ReceiveConnector } from '../../src/model/snapshot.js';
import { evaluateToStream } from '../../src/pipeline.js';
import { renderJsonChunks } from '../../src/report/json.js';
import { JsonTexts, type RangeSource } from '../../src/report/json-texts.js';
import { materializeReport, type ReportStream } from '../../src/report/report.js';
import { jsonEscapeHidden } from '../../src/report/untrusted-text.js';
import { anonymousUsersGroup, connector, grant, RELAY, snapshot } from '../support/builders.js';
import { firstRawHidden, HOSTILE_NAMES, HOSTILE_RANGES } from '../support/hostile-names.js';

/** The layout json.ts promises, written by JSON.stringify alone: each connector and finding on one line. */
function reference(stream: ReportStream): string {
  const report = materializeReport(stream);
  const lines = (items: readonly unknown[]) =>
    items.length === 0 ? '[]' : `[\n    ${items.map((item) => JSON.stringify(item)).join(',\n    ')}\n  ]`;
  const fields = Object.entries(report)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const text =
        key === 'connectors' || key === 'findings'
          ? lines(value as unknown[])
          : JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
      return `  ${JSON.stringify(key)}: ${text}`;
    });
  return jsonEscapeHidden(`{\n${fields.join(',\n')}\n}\n`);
}

const written = (stream: ReportStream) => [...renderJsonChunks(stream)].join('');

/** Strings that each need something of the escaping: JSON's own, the hidden-character scan, or neither. */
const HOSTILE_VALUES: readonly string[] = [
  ...HOSTILE_NAMES.map(({ name }) => name),
  ...HOSTILE_RANGES,
  '"',
  '\\',
  '\u007f',
  '\u0080\u009f',
  '\ud800',
  '\udc00 tail',
  'pair \ud83d\udce0 then lone \udbff',
  '\u{e0041}tag',
  'a\u0301\u0302\u0303b',
  '</script><!--',
  `${'\u202e'.repeat(3)}${'y'.repeat(100_000)}`,
];

/** Lists as the snapshot reader gives them (model/shared-values.ts): one frozen copy shared by many connectors. */
const shared = <T>(values: T[]): T[] => Object.freeze(values) as T[];

const WEB_BINDINGS = shared(['0.0.0.0:25']);
const TLS = shared(['Tls']);

/**
 * Each hostile value as a connector's name, server, principal, binding, auth mechanism, permission group and range
 * entry, in two connectors of one ACL (so their principals are shared); the same user granted with and without a
 * SID, inherited or not (principals alike but for one field); one range text used on one connector and unused on
 * another (IPv4-only bindings); and one connector with more ranges than a slice, each repeated.
 */
function hostileConnectors(): ReceiveConnector[] {
  const connectors: ReceiveConnector[] = [];
  for (const [index, value] of HOSTILE_VALUES.entries()) {
    const acl = [
      ...anonymousUsersGroup(),
      grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY, { sid: 'S-1-5-7' }),
      grant(value, RELAY, { sid: null }),
    ].map((entry) => Object.freeze(entry));
    const lists = {
      bindings: shared(['0.0.0.0:25', value]),
      authMechanism: shared(['Tls', value]),
      permissionGroups: shared([value]),
    };
    for (const copy of ['A', 'B'])
      connectors.push(
        connector({
          name: `${value} ${copy}`,
          server: index % 3 === 0 ? value : 'EX01',
          ...lists,
          remoteIPRanges: [`10.0.${index}.0/24`, `10.0.0.${index}`, value, 'fd00::/64'],
          permissions: acl,
        }),
      );
  }
  const alike = (sid: string | null, inherited: boolean) =>
    connector({
      name: `Alike ${sid} ${inherited}`,
      bindings: ['0.0.0.0:25', '[::]:25'],
      authMechanism: TLS,
      remoteIPRanges: ['fd00::/64', '10.1.0.0/16'],
      permissions: [...anonymousUsersGroup(), grant('CONTOSO\\relay', RELAY, { sid, inherited })],
    });
  connectors.push(alike(null, false), alike('S-1-5-21-1-2-3-500', false), alike(null, true));
  const many = Array.from({ length: 1_500 }, (_, index) =>
    index % 2 === 0 ? `10.9.${(index >> 8) % 3}.${index % 7}` : `fd00:${(index % 5).toString(16)}::/64`,
  );
  many.splice(700, 0, ...HOSTILE_RANGES, 'not-an-address', '10.0.0.0/8');
  connectors.push(
    connector({ name: 'Many', bindings: WEB_BINDINGS, authMechanism: TLS, remoteIPRanges: many }),
  );
  return connectors;
}

const hostileStream = () => evaluateToStream(snapshot(hostileConnectors()), 'exrelay test');

describe('the JSON writer with reused texts', () => {
  it('writes hostile values in every field as JSON.stringify does, hidden characters escaped', () => {
    const text = written(hostileStream());
    expect(text).toBe(reference(hostileStream()));
    expect(firstRawHidden(text, /\n/)).toBeNull();
  });

  it('reaches every reuse: shared frozen principals, frozen lists, repeated and unused range entries', () => {
    const connectors = [...hostileStream().connectors];
    const [first, second] = connectors;
    expect(first?.relay.principals.length).toBeGreaterThan(0);
    expect(
      second?.relay.principals.every((principal, index) => principal === first?.relay.principals[index]),
    ).toBe(true);
    expect(Object.isFrozen(first?.relay.principals[0])).toBe(true);
    expect(Object.isFrozen(first?.bindings)).toBe(true);
    const alike = connectors.filter((entry) => entry.name.startsWith('Alike'));
    const relayPrincipal = (entry: (typeof alike)[number]) =>
      entry.relay.principals.find((principal) => principal.user === 'CONTOSO\\relay');
    expect(new Set(alike.map((entry) => JSON.stringify(relayPrincipal(entry)))).size).toBe(3);
    // One text, used here (an IPv6 binding) and unused there (IPv4 bindings only).
    const records = connectors.flatMap((entry) => entry.remoteIPRanges.slice());
    const ipv6 = records.filter((record) => record.text === 'fd00::/64');
    expect(new Set(ipv6.map((record) => record.unused))).toEqual(new Set([true, false]));
  });

  it('writes the whole report again the same way (the second pass reads the caches)', () => {
    const stream = hostileStream();
    expect(written(stream)).toBe(written(stream));
  });
});

describe('every organisation under fixtures/orgs', () => {
  const orgs = readdirSync('fixtures/orgs').map((org) => `fixtures/orgs/${org}`);
  it.each(orgs)('%s: the writer agrees with the materialized report', async (input) => {
    const { snapshot: merged } = buildSnapshot(await loadInputs([input]));
    const stream = () => evaluateToStream(merged, 'exrelay test');
    expect(written(stream())).toBe(reference(stream()));
  });
});

describe('JsonTexts', () => {
  it('gives each frozen value its own text, however alike the values', () => {
    const texts = new JsonTexts();
    const principal = Object.freeze({ user: 'CONTOSO\\relay', sid: null, inherited: false });
    const alike = Object.freeze({ user: 'CONTOSO\\relay', sid: null, inherited: true });
    for (let round = 0; round < 3; round++) {
      expect(texts.of(principal)).toBe(JSON.stringify(principal));
      expect(texts.of(alike)).toBe(JSON.stringify(alike));
    }
  });

  it('does not keep the text of a value that can change', () => {
    const texts = new JsonTexts();
    const inner = { user: 'a' };
    const list = Object.freeze([inner]);
    const open = ['a'];
    for (const user of ['b', 'c', 'd']) {
      inner.user = user;
      open[0] = user;
      expect(texts.of(list)).toBe(JSON.stringify(list));
      expect(texts.of(open)).toBe(JSON.stringify(open));
    }
    let calls = 0;
    const getter = Object.freeze({
      get user() {
        return `call ${calls++}`;
      },
    });
    for (let round = 0; round < 3; round++) {
      const expected = `{"user":"call ${calls}"}`;
      expect(texts.of(getter)).toBe(expected);
    }
  });

  /** Records made of an entry's text and unused flag, as RangeRecords are. */
  function source(entries: ReadonlyArray<readonly [string, boolean]>): RangeSource {
    return {
      textAt: (index) => entries[index]![0],
      unusedAt: (index) => entries[index]![1],
      recordAt: (index) => ({ text: entries[index]![0], unused: entries[index]![1] }),
    };
  }

  it('keys range records by text and unused flag', () => {
    const texts = new JsonTexts();
    const entries = [
      ['10.0.0.1', false],
      ['10.0.0.1', true],
      ['10.0.0.1', false],
      ['10.0.0.1', true],
    ] as const;
    const records = source(entries);
    for (const [index, [text, unused]] of entries.entries())
      expect(texts.range(records, index)).toBe(JSON.stringify({ text, unused }));
  });

  it('stops looking range records up when entries do not repeat, and stays exact', () => {
    const texts = new JsonTexts();
    const entries = Array.from(
      { length: 5_000 },
      (_, index) => [`10.0.${index >> 8}.${index & 255}`, false] as const,
    );
    const records = source(entries);
    for (const [index, [text]] of entries.entries())
      expect(texts.range(records, index)).toBe(JSON.stringify({ text, unused: false }));
    expect(texts.rangesLookedUp).toBe(false);
  });
});
