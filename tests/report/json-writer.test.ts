/**
 * The JSON writer (json.ts) against the layout it promises, written by JSON.stringify alone and then escaped by
 * jsonEscapeHidden: hostile text in every field that carries the organisation's strings, principals shared by the
 * connectors of one ACL or alike but for one field, one range text used on one connector and unused on another,
 * frozen lists shared as the reader shares them, a list longer than a slice, and every organisation under
 * fixtures/orgs (the writer's field order must be the report's). A writer that reuses texts must pass it too.
 */

import { readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { buildSnapshot } from '../../src/ingest/build-snapshot.js';
import { loadInputs } from '../../src/ingest/load-files.js';
import type { ReceiveConnector } from '../../src/model/snapshot.js';
import { evaluateToStream } from '../../src/pipeline.js';
import { renderJsonChunks } from '../../src/report/json.js';
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

describe('the JSON writer', () => {
  it('writes hostile values in every field as JSON.stringify does, hidden characters escaped', () => {
    const text = written(hostileStream());
    expect(text).toBe(reference(hostileStream()));
    expect(firstRawHidden(text, /\n/)).toBeNull();
  });

  it('writes the whole report again the same way (a second pass over one stream)', () => {
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
