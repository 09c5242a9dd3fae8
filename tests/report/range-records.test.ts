import { describe, expect, it } from '@jest/globals';
import { analyzeOrganization } from '../../src/analysis/analyze.js';
import { evaluateToStream } from '../../src/pipeline.js';
import { RangeRecordMemo, RangeRecords } from '../../src/report/range-records.js';
import { materializeReport, type ReportRange } from '../../src/report/report.js';
import { connector, snapshot } from '../support/builders.js';

const SHARED = ['10.0.0.0/24', '10.0.0.7', 'fd00::/64', '10.0.0.1-10.0.0.9', 'not-an-address', '::1'];

/** The same texts on connectors that use every entry, on one without IPv6 bindings, and twice on one connector. */
const organisation = () =>
  snapshot([
    connector({ name: 'Both', bindings: ['0.0.0.0:25', '[::]:25'], remoteIPRanges: SHARED }),
    connector({ name: 'IPv4 only', bindings: ['0.0.0.0:25'], remoteIPRanges: [...SHARED].reverse() }),
    connector({ name: 'Twice', bindings: ['[::]:25'], remoteIPRanges: [...SHARED, ...SHARED] }),
  ]);

/** Each connector's records as one connector alone would get them: a memo of its own. */
function recordsAlone(): ReportRange[][] {
  return analyzeOrganization(organisation()).connectors.map((analysis) =>
    new RangeRecords(analysis.scope.ranges, new RangeRecordMemo()).slice(),
  );
}

describe('range records remembered by text', () => {
  it('are the records each connector would get alone, used and unused entries alike', () => {
    const report = materializeReport(evaluateToStream(organisation(), 'exrelay test'));
    expect(report.connectors.map((entry) => entry.remoteIPRanges)).toEqual(recordsAlone());
    const ipv4Only = report.connectors[1]!.remoteIPRanges;
    expect(ipv4Only.find((record) => record.text === 'fd00::/64')).toMatchObject({ unused: true });
    expect(report.connectors[0]!.remoteIPRanges.find((record) => record.text === 'fd00::/64')).toMatchObject({
      unused: false,
    });
  });

  it('share one frozen record between the entries of one text', () => {
    const twice = materializeReport(evaluateToStream(organisation(), 'exrelay test')).connectors[2]!;
    expect(twice.remoteIPRanges[0]).toBe(twice.remoteIPRanges[SHARED.length]);
    expect(Object.isFrozen(twice.remoteIPRanges[0])).toBe(true);
  });

  it('step aside when most texts are new, and still make the same records', () => {
    const distinct = Array.from({ length: 2_500 }, (_, index) => `10.${index >> 8}.${index & 255}.1`);
    const many = snapshot([
      connector({ name: 'Many', remoteIPRanges: [...distinct, '10.0.0.1', '10.0.0.1'] }),
    ]);
    const [records] = materializeReport(evaluateToStream(many, 'exrelay test')).connectors.map(
      (entry) => entry.remoteIPRanges,
    );
    const [last, beforeLast] = [records!.at(-1), records!.at(-2)];
    expect(last).toEqual(records![0]);
    expect(last).toEqual(beforeLast);
    expect(last).not.toBe(beforeLast);
  });
});
