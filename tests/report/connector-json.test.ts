/**
 * The purpose-written connector writer against the reference it replaces: jsonEscapeHidden(JSON.stringify(...)) of
 * the report connector. Hostile text goes into every field that carries the organisation's strings, so a field
 * written without escaping (or without the scan for hidden characters) fails here.
 */

import { describe, expect, it } from '@jest/globals';
import { evaluateToStream } from '../../src/pipeline.js';
import { connectorJson, RANGE_SLICE } from '../../src/report/connector-json.js';
import { materializeReport, RangeRecords, type StreamedConnector } from '../../src/report/report.js';
import { jsonEscapeHidden, jsonString } from '../../src/report/untrusted-text.js';
import type { ReceiveConnector } from '../../src/model/snapshot.js';
import { anonymousUsersGroup, connector, grant, RELAY, snapshot } from '../support/builders.js';
import { firstRawHidden, HOSTILE_NAMES, HOSTILE_RANGES } from '../support/hostile-names.js';

/** What the writer must produce: the old writer's output for one connector. */
function reference(value: unknown): string {
  return jsonEscapeHidden(JSON.stringify(value));
}

/** Strings that each need something of the escaping: JSON's own, the hidden-character scan, or neither. */
const HOSTILE_VALUES: readonly string[] = [
  ...HOSTILE_NAMES.map(({ name }) => name),
  ...HOSTILE_RANGES,
  '',
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

describe('jsonString', () => {
  it.each(HOSTILE_VALUES.map((value) => [reference(value).slice(0, 60), value]))(
    'writes %s as jsonEscapeHidden(JSON.stringify()) does',
    (_label, value) => {
      const written = jsonString(value);
      expect(written).toBe(reference(value));
      expect(JSON.parse(written)).toBe(value);
      expect(firstRawHidden(written)).toBeNull();
    },
  );
});

const relayAcl = (user: string) => [
  ...anonymousUsersGroup(),
  grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY, { sid: 'S-1-5-7' }),
  grant(user, RELAY, { sid: null }),
];

/**
 * Each hostile value as a connector's name, server, principal, binding, auth mechanism, permission group and range
 * entry, the connectors overlapping so that takenBy names them; plus one connector with more ranges than a slice.
 */
function hostileConnectors(): ReceiveConnector[] {
  const hostile = HOSTILE_VALUES.filter((value) => value !== '');
  const connectors = hostile.map((value, index) =>
    connector({
      name: value,
      server: index % 3 === 0 ? value : 'EX01',
      bindings: ['0.0.0.0:25', value],
      authMechanism: ['Tls', value],
      permissionGroups: [value],
      remoteIPRanges: [`10.0.${index}.0/24`, `10.0.0.${index}`, value, 'fd00::/64'],
      permissions: relayAcl(value),
    }),
  );
  const many = Array.from({ length: RANGE_SLICE * 2 + 7 }, (_, index) =>
    index % 2 === 0 ? `10.9.${index >> 8}.${index & 255}` : `fd00:${index.toString(16)}::/64`,
  );
  many.splice(RANGE_SLICE, 0, ...HOSTILE_RANGES, '10.0.0.0/8');
  connectors.push(connector({ name: 'Many', bindings: ['0.0.0.0:25', '[::]:25'], remoteIPRanges: many }));
  return connectors;
}

const stream = () => evaluateToStream(snapshot(hostileConnectors()), 'exrelay test');

describe('connectorJson', () => {
  const streamed: StreamedConnector[] = [...stream().connectors];
  const materialized = materializeReport(stream()).connectors;

  it('reaches the range-table path, the slicing path and takenBy', () => {
    expect(streamed.every((entry) => entry.remoteIPRanges instanceof RangeRecords)).toBe(true);
    expect(streamed.some((entry) => entry.remoteIPRanges.length > RANGE_SLICE)).toBe(true);
    expect(streamed.some((entry) => entry.takenBy.length > 0)).toBe(true);
  });

  it('writes every connector exactly as JSON.stringify does, hidden characters escaped', () => {
    expect(streamed).toHaveLength(materialized.length);
    for (const [index, entry] of streamed.entries()) {
      const written = [...connectorJson(entry)].join('');
      expect([entry.name.slice(0, 40), written]).toEqual([
        entry.name.slice(0, 40),
        reference(materialized[index]),
      ]);
      expect(firstRawHidden(written)).toBeNull();
    }
  });

  it('writes materialized range records (plain arrays) the same way', () => {
    for (const entry of materialized) expect([...connectorJson(entry)].join('')).toBe(reference(entry));
  });

  it('writes a long range list in slices, none of them the whole list', () => {
    const many = streamed.find((entry) => entry.name === 'Many') as StreamedConnector;
    const pieces = [...connectorJson(many)];
    expect(pieces.length).toBe(Math.ceil(many.remoteIPRanges.length / RANGE_SLICE) + 2);
    expect(pieces.join('')).toBe(
      reference(
        many.remoteIPRanges instanceof RangeRecords
          ? { ...many, remoteIPRanges: many.remoteIPRanges.slice() }
          : many,
      ),
    );
  });
});
