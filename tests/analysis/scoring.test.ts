import { describe, expect, it } from '@jest/globals';
import {
  defaultConnectorFloor,
  equivalentLog2,
  LATENT_SCORE,
  log2BigInt,
  measureScope,
  relayExposureScore,
} from '../../src/analysis/scoring.js';
import { severityOfScore } from '../../src/analysis/severity.js';
import { IntervalSet } from '../../src/net/interval-set.js';
import { parseRemoteIpRange } from '../../src/net/ip-range.js';

function scopeOf(...ranges: string[]) {
  const intervals: Record<4 | 6, Array<[bigint, bigint]>> = { 4: [], 6: [] };
  for (const text of ranges) {
    const parsed = parseRemoteIpRange(text);
    if (!parsed.ok) throw new Error(text);
    intervals[parsed.range.family].push([parsed.range.first, parsed.range.last]);
  }
  return { 4: IntervalSet.of(intervals[4]), 6: IntervalSet.of(intervals[6]) };
}

function score(ranges: string[], hostsOnly = false): number {
  return relayExposureScore(measureScope(scopeOf(...ranges)), hostsOnly);
}

describe('relay exposure anchors', () => {
  it('scores the whole Internet critical and at the top', () => {
    expect(score(['0.0.0.0-255.255.255.255'])).toBe(100);
    expect(severityOfScore(score(['0.0.0.0/0']))).toBe('critical');
  });

  it('scores any public address critical, even a single host', () => {
    expect(severityOfScore(score(['185.40.12.20'], true))).toBe('critical');
    expect(severityOfScore(score(['10.0.0.0/8', '185.40.12.16/28']))).toBe('critical');
  });

  it('scores private scopes above 256 addresses high', () => {
    expect(severityOfScore(score(['10.0.0.0/23']))).toBe('high');
    expect(severityOfScore(score(['10.0.0.0/8']))).toBe('high');
    expect(severityOfScore(score(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10']))).toBe(
      'high',
    );
  });

  it('scores private scopes of 2–256 addresses medium', () => {
    expect(severityOfScore(score(['192.168.1.0/24']))).toBe('medium');
    expect(severityOfScore(score(['10.1.1.1-10.1.1.2']))).toBe('medium');
    expect(score(['192.168.1.0/24'])).toBe(59);
    expect(score(['192.168.1.0/23'])).toBe(61);
  });

  it('scores a few private single hosts low', () => {
    expect(severityOfScore(score(['10.1.1.5'], true))).toBe('low');
    expect(severityOfScore(score(['10.1.1.5', '10.1.1.9', '10.2.0.4'], true))).toBe('low');
    // More than a few hosts is a range of devices again.
    const many = Array.from({ length: 9 }, (_, index) => `10.1.1.${index + 1}`);
    expect(severityOfScore(score(many, true))).toBe('medium');
  });

  it('scores nothing when the scope is empty', () => {
    expect(score([])).toBe(0);
  });

  it('keeps default connectors at least high and latent grants low', () => {
    expect(defaultConnectorFloor(25)).toBe(60);
    expect(defaultConnectorFloor(100)).toBe(100);
    expect(severityOfScore(LATENT_SCORE)).toBe('low');
    // Never above a live grant: coming back to life can only raise a connector's score.
    expect(LATENT_SCORE).toBeLessThanOrEqual(score(['10.0.0.1'], true));
  });
});

describe('IPv6 normalisation', () => {
  it('makes ::/0 equal to 0.0.0.0/0', () => {
    expect(score(['::/0'])).toBe(score(['0.0.0.0/0']));
    expect(equivalentLog2(6, 128)).toBe(32);
  });

  it('counts one /64 like one IPv4 /24', () => {
    expect(equivalentLog2(6, 64)).toBe(8);
    expect(score(['fd12:3456:789a:1::/64'])).toBe(score(['192.168.1.0/24']));
  });

  it('counts a single IPv6 host like a single IPv4 host', () => {
    expect(score(['fd12::25'], true)).toBe(score(['10.0.0.25'], true));
  });

  it('treats a public IPv6 address as public', () => {
    expect(severityOfScore(score(['2a02:8108:1140:5d00::25'], true))).toBe('critical');
    expect(severityOfScore(score(['fe80::/10']))).toBe('high');
  });
});

describe('monotonicity', () => {
  const ladder = [
    ['10.0.0.1'],
    ['10.0.0.1', '10.0.0.2'],
    ['10.0.0.0/30'],
    ['10.0.0.0/24'],
    ['10.0.0.0/23'],
    ['10.0.0.0/16'],
    ['10.0.0.0/8'],
    ['10.0.0.0/8', '172.16.0.0/12'],
    ['10.0.0.0/8', '172.16.0.0/12', '203.0.113.9'],
    ['10.0.0.0/8', '172.16.0.0/12', '198.51.0.0/16'],
    ['0.0.0.0/0'],
  ];

  it('never lowers the score when addresses are added', () => {
    const scores = ladder.map((ranges) =>
      score(
        ranges,
        ranges.every((range) => !range.includes('/')),
      ),
    );
    for (let index = 1; index < scores.length; index++)
      expect(scores[index]).toBeGreaterThanOrEqual(scores[index - 1] as number);
  });

  it('never lowers the score over random growing IPv4 and IPv6 scopes', () => {
    let seed = 99;
    const next = (limit: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % limit;
    };
    for (let round = 0; round < 200; round++) {
      const ranges: string[] = [];
      let previous = 0;
      for (let step = 0; step < 6; step++) {
        ranges.push(
          next(2) === 0
            ? `10.${next(256)}.${next(256)}.0/${16 + next(17)}`
            : `fd00:${next(65536).toString(16)}::/${48 + next(81)}`,
        );
        const current = score(ranges);
        expect(current).toBeGreaterThanOrEqual(previous);
        previous = current;
      }
    }
  });
});

describe('log2BigInt', () => {
  it('is exact for powers of two, including beyond 2^53', () => {
    expect(log2BigInt(1n)).toBe(0);
    expect(log2BigInt(256n)).toBe(8);
    expect(log2BigInt(2n ** 128n)).toBe(128);
    expect(log2BigInt(0n)).toBe(-Infinity);
  });
});
