import { describe, expect, it } from '@jest/globals';
import { evaluateToStream } from '../../src/pipeline.js';
import { renderJsonChunks } from '../../src/report/json.js';
import { materializeReport, RangeRecords, type Report } from '../../src/report/report.js';
import { connector, snapshot } from '../support/builders.js';

/** 1,300 entries: three slices of the writer, of every syntax, with an unparseable one and an unused IPv6 one. */
function manyRanges(): string[] {
  const ranges: string[] = [];
  for (let index = 0; index < 1300; index++) {
    const third = Math.floor(index / 200);
    const fourth = index % 200;
    ranges.push(
      [
        `10.${third}.${fourth}.1`,
        `10.${third}.${fourth}.0/30`,
        `10.${third}.${fourth}.8-10.${third}.${fourth}.9`,
      ][index % 3] as string,
    );
  }
  ranges.splice(700, 0, 'not-an-address', 'fd00::/64', '"quoted\u001b[31m"');
  return ranges;
}

const organisation = () =>
  snapshot([
    connector({ name: 'Relay', remoteIPRanges: manyRanges() }),
    connector({ name: 'Small', remoteIPRanges: ['192.0.2.1'] }),
  ]);

/** The layout json.ts promises: JSON.stringify(report, null, 2), each connector and finding on one line. */
function expectedJson(report: Report): string {
  const lines = (items: readonly unknown[]) =>
    items.length === 0 ? '[]' : `[\n    ${items.map((item) => JSON.stringify(item)).join(',\n    ')}\n  ]`;
  const fields = Object.entries(report).map(([key, value]) => {
    const text =
      key === 'connectors' || key === 'findings'
        ? lines(value as unknown[])
        : JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
    return `  ${JSON.stringify(key)}: ${text}`;
  });
  return `{\n${fields.join(',\n')}\n}\n`;
}

describe('the JSON report written in pieces', () => {
  it('is byte for byte the JSON of the whole report, a long range list included', () => {
    const chunks = [...renderJsonChunks(evaluateToStream(organisation(), 'exrelay test'))];
    const report = materializeReport(evaluateToStream(organisation(), 'exrelay test'));
    // The escape in the hostile entry is written as \u001b by JSON.stringify itself: no hidden character here.
    expect(chunks.join('')).toBe(expectedJson(report));
    // Guard: the long list really went through the slicing path (one chunk per 512 records, at least).
    const relay = report.connectors.find((entry) => entry.name === 'Relay');
    expect(relay?.remoteIPRanges).toHaveLength(1303);
    expect(chunks.filter((chunk) => chunk.includes('"text":"10.')).length).toBeGreaterThanOrEqual(3);
    expect(chunks.every((chunk) => chunk.length < 200_000)).toBe(true);
  });

  it('RangeRecords reads like the array of records it stands for', () => {
    const stream = evaluateToStream(organisation(), 'exrelay test');
    const relay = [...stream.connectors].find((entry) => entry.name === 'Relay');
    const records = relay?.remoteIPRanges;
    expect(records).toBeInstanceOf(RangeRecords);
    const array = records?.slice() ?? [];
    expect(array).toHaveLength(1303);
    expect([...(records ?? [])]).toEqual(array);
    expect(records?.slice(510, 515)).toEqual(array.slice(510, 515));
    expect(JSON.stringify(records)).toBe(JSON.stringify(array));
    expect(array[700]).toMatchObject({ text: 'not-an-address', family: null, first: null });
    expect(array[701]).toMatchObject({ text: 'fd00::/64', family: 'IPv6', unused: true });
  });
});
