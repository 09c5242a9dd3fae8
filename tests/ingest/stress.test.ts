/**
 * Hostile and huge inputs, in-process, by family: count, length, depth, duplicates, control characters. Each
 * test checks that it reached the code it targets (a message, a count, a finding), not only that nothing threw.
 * No timings are asserted; the sizes are ones where the old quadratic code ran past Jest's timeout, and
 * `npm run bench:stress` measures the full shapes of issue #12.
 */

import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { buildSnapshot } from '../../src/ingest/build-snapshot.js';
import type { ParsedInput } from '../../src/ingest/read-input.js';
import { readInput } from '../../src/ingest/read-input.js';
import type { AccessControlEntry, ReceiveConnector } from '../../src/model/snapshot.js';
import { evaluate } from '../../src/pipeline.js';
import { renderCsv } from '../../src/report/csv.js';
import { renderJson } from '../../src/report/json.js';
import { renderTable } from '../../src/report/table.js';
import {
  anonymousUsersGroup,
  connector,
  grant,
  inheritedRead,
  RELAY,
  snapshot,
} from '../support/builders.js';
import { firstRawHidden } from '../support/hostile-names.js';

const ANONYMOUS = 'NT AUTHORITY\\ANONYMOUS LOGON';
const relayAcl = (): AccessControlEntry[] => [
  ...anonymousUsersGroup(),
  grant(ANONYMOUS, RELAY, { sid: 'S-1-5-7' }),
  inheritedRead(),
];

function snapshotInput(connectors: ReceiveConnector[], file = 'org.json'): ParsedInput {
  return { file, format: 'snapshot', snapshot: snapshot(connectors) };
}

const ip = (value: number) =>
  [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');

describe('count', () => {
  it('sums up 100,000 ACEs for connectors that are not in the input in one warning; --verbose lists each', () => {
    const aces: ParsedInput = {
      file: 'ADPermission.json',
      format: 'json',
      records: Array.from({ length: 100_000 }, (_, index) => ({
        kind: 'ace' as const,
        target: { text: `EX99\\Gone ${index}`, distinguishedName: null },
        // Inherited: an export without one inherited entry is reported as filtered (incomplete-input).
        value: grant(ANONYMOUS, RELAY, { inherited: true }),
        unreadable: null,
      })),
    };
    const org = snapshotInput([connector({ name: 'Default Frontend EX01', permissions: [] })]);
    const { warnings } = buildSnapshot([org, aces]);
    expect(warnings).toEqual([
      "ADPermission.json: 100,000 permission entries for 100,000 objects that are not among the connectors read ('EX99\\Gone 0', 'EX99\\Gone 1', 'EX99\\Gone 2' and 99,997 more; --verbose lists them all); ignored",
    ]);
    const verbose = buildSnapshot([org, aces], { listAll: true }).warnings;
    expect(verbose).toHaveLength(100_000);
    expect(verbose[99_999]).toBe(
      "ADPermission.json: 1 permission entry for 'EX99\\Gone 99999', which is not among the connectors read; ignored",
    );
  });

  it('resolves precedence for one connector holding 50,000 nested and overlapping CIDR ranges', () => {
    let seed = 99;
    const random = (limit: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % limit;
    };
    const ranges: string[] = [];
    for (let index = 0; index < 50_000; index++) {
      const prefix = 8 + (index % 25);
      const size = 2 ** (32 - prefix);
      const address = 0x0a000000 + Math.floor(random(2 ** 24) / size) * size;
      ranges.push(`${ip(address)}/${prefix}`);
    }
    const { report, analysis } = evaluate(
      snapshot([
        connector({ name: 'Default Frontend EX01', remoteIPRanges: ['0.0.0.0/0'], permissions: [] }),
        connector({ name: 'Relay Overlap', remoteIPRanges: ranges, permissions: relayAcl() }),
      ]),
      'exrelay test',
    );
    // Every range is more specific than 0.0.0.0/0: the relay connector receives all of 10.0.0.0/8 it lists, which
    // includes the /8 itself; Default Frontend keeps the rest.
    const relay = analysis.connectors[1];
    expect(relay?.effective[4].size()).toBe(2n ** 24n);
    expect(analysis.connectors[0]?.effective[4].size()).toBe(2n ** 32n - 2n ** 24n);
    const capture = report.findings.find((finding) => finding.checkId === 'relay-capture');
    expect(capture?.message).toContain("from 'EX01\\Default Frontend EX01'");
  });
});

describe('count: unparseable entries', () => {
  it('prints the one fix for 20,000 bad entries of a connector once, not once per entry', () => {
    const good = Array.from({ length: 20_000 }, (_, index) => ip(0x0a000000 + index));
    const bad = Array.from({ length: 20_000 }, (_, index) => `10.${index}.0.300`);
    const { report } = evaluate(
      snapshot([connector({ name: 'Relay', remoteIPRanges: [...good, ...bad], permissions: relayAcl() })]),
      'exrelay test',
    );
    const findings = report.findings.filter((finding) => finding.checkId === 'unparseable-range');
    expect(findings).toHaveLength(20_000);
    const [first, second] = findings;
    expect(first?.remediation).toContain(`'${good[19_999]}'`);
    expect(second?.remediation).toBe(
      '# The fix of the first unparseable-range finding of EX01\\Relay removes this entry too.',
    );
    const text = findings.reduce((sum, finding) => sum + (finding.remediation?.length ?? 0), 0);
    expect(text).toBeLessThan(2 * (first?.remediation?.length ?? 0) + 20_000 * 200);
  });
});

describe('duplicates', () => {
  it('attaches ACEs to 20,000 connectors of one name on 20,000 servers, and sums up their drift', () => {
    const count = 20_000;
    const records: Extract<ParsedInput, { records: unknown }>['records'] = [];
    for (let index = 0; index < count; index++) {
      const server = `EX${String(index).padStart(5, '0')}`;
      const value = connector({
        name: 'Relay',
        server,
        remoteIPRanges: [index % 2 === 0 ? '10.0.0.5' : '10.0.0.0/29'],
        permissions: null,
        permissionGroups: ['AnonymousUsers'],
      });
      records.push({ kind: 'connector', value, warnings: [] });
      for (const ace of relayAcl())
        records.push({
          kind: 'ace',
          target: { text: value.identity, distinguishedName: null },
          value: ace,
          unreadable: null,
        });
    }
    const { snapshot: merged, warnings } = buildSnapshot([{ file: 'export.json', format: 'json', records }]);
    expect(warnings).toEqual([]);
    expect(merged.connectors.every((entry) => entry.permissions?.length === relayAcl().length)).toBe(true);
    const { report } = evaluate(merged, 'exrelay test');
    const drift = report.findings.filter((finding) => finding.checkId === 'inconsistent-relay-scope');
    expect(drift).toHaveLength(1);
    expect(drift[0]?.message).toBe(
      "Relay connector 'Relay' has different RemoteIPRanges on different servers (20,000 copies; EX00000, EX00002, EX00004 and 9,997 more: 1 address; EX00001, EX00003, EX00005 and 9,997 more: 8 addresses).",
    );
  });

  it('compares repeated connectors whose unknown fields nest 100,000 levels deep, without the call stack', () => {
    const deep = (leaf: number) => {
      let value: unknown = leaf;
      for (let level = 0; level < 100_000; level++) value = { a: value };
      return value;
    };
    const copy = (leaf: number) =>
      ({ ...connector({ name: 'Relay', permissions: [] }), extra: deep(leaf) }) as ReceiveConnector;
    const differ = buildSnapshot([snapshotInput([copy(1)], 'a.json'), snapshotInput([copy(2)], 'b.json')]);
    expect(differ.warnings).toEqual([
      "b.json: connector 'EX01\\Relay' appears again with different settings; the first copy is used",
    ]);
    const same = buildSnapshot([snapshotInput([copy(1)], 'a.json'), snapshotInput([copy(1)], 'b.json')]);
    expect(same.warnings).toEqual([]);
    expect(same.snapshot.connectors).toHaveLength(1);
  });

  it('sums up thousands of repeated connectors in one warning per file', () => {
    const first = Array.from({ length: 5_000 }, (_, index) =>
      connector({ name: `Relay ${index}`, permissions: [] }),
    );
    const second = first.map((entry) => ({ ...entry, enabled: false }));
    const { warnings } = buildSnapshot([snapshotInput(first, 'a.json'), snapshotInput(second, 'b.json')]);
    // Changed: these copies were said to be ignored ("the first copies are used"), but a copy that is disabled
    // changes the analysis (a disabled connector takes no senders from a relay connector next to it), so they
    // are analysed as one (tests/analysis/contested-scope.test.ts).
    expect(warnings).toEqual([
      "b.json: 5,000 connectors appear again with different settings ('EX01\\Relay 0', 'EX01\\Relay 1', 'EX01\\Relay 2' and 4,997 more; --verbose lists them all); which copies are current is unknown, so both copies of each are analysed as one (the bindings, ranges and mechanisms of either)",
    ]);
  });
});

describe('length', () => {
  it('shows a 10 MB connector name shortened in the table and whole in JSON and CSV', () => {
    const name = `Relay ${'n'.repeat(10_000_000)}`;
    const { report } = evaluate(
      snapshot([connector({ name, remoteIPRanges: ['10.0.0.0/24'], permissions: relayAcl() })]),
      'exrelay test',
    );
    const table = renderTable(report, { width: 120, color: false, showInfo: true });
    expect(table.length).toBeLessThan(100_000);
    expect(table).toContain('(10,000,011 characters)');
    const json = JSON.parse(renderJson(report)) as { connectors: Array<{ name: string }> };
    expect(json.connectors[0]?.name).toBe(name);
    expect(renderCsv(report)).toContain(`EX01\\${name}`);
  });
});

describe('control characters', () => {
  it('reads CLIXML whose names hold _x0009_ and _x001B_ escapes and shows them escaped in the table', () => {
    const hostile = 'Relay_x0009_Printers_x001B_[2J';
    const read = (file: string) =>
      readInput(
        file,
        Buffer.from(
          readFileSync(`fixtures/orgs/sample/${file}`, 'utf8').replaceAll('Relay Printers', hostile),
        ),
      );
    const { snapshot: merged } = buildSnapshot(['ReceiveConnector.xml', 'ADPermission.xml'].map(read));
    const { report } = evaluate(merged, 'exrelay test');
    const printers = report.connectors.filter((entry) => entry.name === 'Relay\tPrinters\u001b[2J');
    expect(printers).toHaveLength(2);
    // The ACEs attached by DN: the verdict is read, not unknown.
    expect(printers.map((entry) => entry.relay.verdict)).toEqual(['relay', 'relay']);
    const table = renderTable(report, { width: 120, color: false, showInfo: true });
    expect(table).toContain('PWEX01\\Relay\\x09Printers\\x1b[2J');
    expect(firstRawHidden(table)).toBeNull();
  });

  it('reports RemoteIPRanges entries holding control characters as unparseable, never crashing', () => {
    const { report } = evaluate(
      snapshot([
        connector({
          name: 'Relay',
          remoteIPRanges: ['10.0.0.1\t', '10.0.0.2\u0001', '\u001b[2J10.0.0.3', '10.0.0.4\u000b'],
          permissions: relayAcl(),
        }),
      ]),
      'exrelay test',
    );
    const unparseable = report.findings.filter((finding) => finding.checkId === 'unparseable-range');
    expect(unparseable.length).toBeGreaterThan(0);
    const table = renderTable(report, { width: 100, color: false, showInfo: true });
    expect(firstRawHidden(table)).toBeNull();
    expect(table).toMatch(/10\.0\.0\.1\\x09|10\.0\.0\.2\\x01|\\x1b\[2J10\.0\.0\.3/);
  });
});
