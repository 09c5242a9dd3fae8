/**
 * Whatever the bytes, reading a file ends in a result or an InputError (exit code 2) — never another exception,
 * never a hang — and whatever parses can be analysed without crashing.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { InputError } from '../../src/errors.js';
import { buildSnapshot } from '../../src/ingest/build-snapshot.js';
import { readInput } from '../../src/ingest/read-input.js';
import { evaluate } from '../../src/pipeline.js';
import { seededRandom } from '../net/seeded-random.js';
import { anonymousUsersGroup, connector, grant, RELAY, snapshot } from '../support/builders.js';

const SEEDS = [
  'fixtures/orgs/northwind-ipv6/ReceiveConnector.json',
  'fixtures/orgs/northwind-ipv6-ps51/ReceiveConnector.json',
  'fixtures/orgs/contoso-2010/ReceiveConnector.xml',
].map((file) => ({ file, bytes: readFileSync(file) as Uint8Array }));

// An exrelay snapshot too: validation is strict, and whatever it accepts must not crash the analysis.
SEEDS.push({
  file: 'snapshot.json',
  bytes: Buffer.from(
    JSON.stringify(
      snapshot([
        connector({
          name: 'Relay',
          remoteIPRanges: ['10.0.0.0/8', 'fd00::/64', '10.1.1.1-10.1.1.9', '10.2.0.0(255.255.0.0)'],
          permissions: [...anonymousUsersGroup(), grant('S-1-5-7', RELAY)],
        }),
        connector({
          name: 'Default Frontend EX01',
          bindings: ['0.0.0.0:25', '[::]:25'],
          remoteIPRanges: ['0.0.0.0/0', '::/0'],
          permissions: null,
        }),
      ]),
    ),
  ),
});

const SNIPPETS = [
  '{',
  '}',
  '[',
  ']',
  '"',
  ',',
  'null',
  '-1e999',
  '"\\u0000"',
  '<',
  '>',
  '<Obj RefId="0">',
  '<Ref RefId="9"/>',
  '\u00ff',
  '\u0000',
];

function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1');
  const at = Math.floor(random() * text.length);
  const length = Math.floor(random() * 200);
  switch (Math.floor(random() * 4)) {
    case 0:
      return Buffer.from(text.slice(0, at), 'latin1');
    case 1:
      return Buffer.from(text.slice(0, at) + text.slice(at + length), 'latin1');
    case 2:
      return Buffer.from(
        text.slice(0, at) + SNIPPETS[Math.floor(random() * SNIPPETS.length)] + text.slice(at),
        'latin1',
      );
    default:
      return Buffer.from(text.slice(0, at) + text.slice(at, at + length) + text.slice(at), 'latin1');
  }
}

describe('reading arbitrary bytes', () => {
  it('ends in a result or an InputError for mutated exports, and results can be analysed', () => {
    const random = seededRandom(20261128);
    const outcomes = { parsed: 0, refused: 0 };
    for (let round = 0; round < 400; round++) {
      const seed = SEEDS[round % SEEDS.length] as (typeof SEEDS)[number];
      const bytes = mutate(seed.bytes, random);
      try {
        const input = readInput(seed.file, bytes);
        outcomes.parsed++;
        try {
          evaluate(buildSnapshot([input]).snapshot, 'fuzz');
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
        }
      } catch (error) {
        if (!(error instanceof InputError))
          throw new Error(`round ${round} (${seed.file}): ${String(error)}`);
        expect(error.message.startsWith(`${seed.file}:`) || error.file === null).toBe(true);
        outcomes.refused++;
      }
    }
    expect(outcomes.parsed).toBeGreaterThan(10);
    expect(outcomes.refused).toBeGreaterThan(10);
  });

  it('refuses random binary data with one line', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 100; round++) {
      const bytes = Uint8Array.from({ length: 1 + Math.floor(random() * 512) }, () =>
        Math.floor(random() * 256),
      );
      try {
        readInput('noise.bin', bytes);
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        expect((error as Error).message).not.toContain('\n');
      }
    }
  });
});
