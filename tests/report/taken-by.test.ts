import { describe, expect, it } from '@jest/globals';
import { evaluate } from '../../src/pipeline.js';
import { connector, snapshot } from '../support/builders.js';

const report = (connectors: Parameters<typeof snapshot>[0]) =>
  evaluate(snapshot(connectors), 'exrelay test').report;

const takenBy = (connectors: Parameters<typeof snapshot>[0], identity: string) =>
  report(connectors).connectors.find((entry) => entry.identity === identity)?.takenBy;

describe('takenBy: which connectors take addresses from a connector', () => {
  const bindings = ['0.0.0.0:25', '0.0.0.0:587'];
  const nested = [
    connector({ name: 'All', bindings, remoteIPRanges: ['0.0.0.0-255.255.255.255'] }),
    connector({ name: 'Sixteen', bindings, remoteIPRanges: ['10.0.0.0/16'] }),
    connector({ name: 'TwentyFour', bindings, remoteIPRanges: ['10.0.5.0/24'] }),
  ];

  it('names only the next smaller scope, counting addresses once over every port they share', () => {
    expect(takenBy(nested, 'EX01\\All')).toEqual([
      {
        connector: 'EX01\\Sixteen',
        addresses: '65280',
        ranges: ['10.0.0.0-10.0.4.255', '10.0.6.0-10.0.255.255'],
        tie: false,
      },
    ]);
    expect(takenBy(nested, 'EX01\\Sixteen')).toEqual([
      { connector: 'EX01\\TwentyFour', addresses: '256', ranges: ['10.0.5.0/24'], tie: false },
    ]);
    expect(takenBy(nested, 'EX01\\TwentyFour')).toEqual([]);
  });

  it('marks an exact tie, won by enumeration order alone', () => {
    const tied = [
      connector({ name: 'First', remoteIPRanges: ['10.1.0.0/24'] }),
      connector({ name: 'Second', remoteIPRanges: ['10.1.0.0/24'] }),
    ];
    expect(takenBy(tied, 'EX01\\Second')).toEqual([
      { connector: 'EX01\\First', addresses: '256', ranges: ['10.1.0.0/24'], tie: true },
    ]);
    expect(takenBy(tied, 'EX01\\First')).toEqual([]);
  });

  it('never crosses servers or address families', () => {
    const apart = [
      connector({
        name: 'All',
        remoteIPRanges: ['0.0.0.0-255.255.255.255', '::/0'],
        bindings: ['0.0.0.0:25', '[::]:25'],
      }),
      connector({ name: 'Other server', server: 'EX02', remoteIPRanges: ['10.2.0.0/24'] }),
      connector({ name: 'Six', remoteIPRanges: ['fd00::/64'], bindings: ['[::]:25'] }),
    ];
    expect(takenBy(apart, 'EX01\\All')).toEqual([
      { connector: 'EX01\\Six', addresses: '18446744073709551616', ranges: ['fd00::/64'], tie: false },
    ]);
  });
});
