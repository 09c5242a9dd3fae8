/**
 * A large snapshot file is read in windows (load-files.ts, json-elements.ts). Windows may only save memory: every
 * file must give exactly what reading it whole gives, the same snapshot or the same error, also when it is damaged,
 * not UTF-8, or not a snapshot at all.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { WINDOW_BYTES } from '../../src/ingest/clixml-windows.js';
import { loadInput, readSnapshotInFileWindows } from '../../src/ingest/load-files.js';
import { readInput, readSnapshotBytes, type ParsedInput } from '../../src/ingest/read-input.js';
import { seededRandom } from '../net/seeded-random.js';
import { anonymousUsersGroup, connector, grant, RELAY, snapshot } from '../support/builders.js';
import { damaged } from '../support/damage.js';
import { outcome, type Outcome } from '../support/input-outcome.js';

const temp = mkdtempSync(join(tmpdir(), 'exrelay-snapshot-windows-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Small windows, so that test files of ~100 KB are read in many of them. */
const SNAPSHOT_WINDOW = 4096;

const SNAPSHOT = snapshot(
  Array.from({ length: 150 }, (_, index) =>
    connector({
      name: `Relay ${index} «Büro»`,
      remoteIPRanges: [`10.${index}.0.0/16`, `fd00:${index.toString(16)}::/64`],
      permissions: [...anonymousUsersGroup(), grant('S-1-5-7', RELAY, { sid: 'S-1-5-7' })],
    }),
  ),
);
const TEXT = JSON.stringify(SNAPSHOT, null, 2);

let files = 0;
/** The file loaded (in windows when it is a large UTF-8 object) and read whole: the two outcomes. */
async function bothWays(bytes: Uint8Array): Promise<{ windowed: Outcome; whole: Outcome }> {
  const file = join(temp, `s${files++}.json`);
  writeFileSync(file, bytes);
  return {
    windowed: await outcome(() => loadInput(file, WINDOW_BYTES, SNAPSHOT_WINDOW)),
    whole: await outcome(() => readInput(file, readFileSync(file))),
  };
}

describe('a large snapshot file read in windows', () => {
  it('gives the snapshot reading it whole gives, with or without a BOM, compact or indented', async () => {
    for (const text of [TEXT, JSON.stringify(SNAPSHOT)])
      for (const bom of [[], [0xef, 0xbb, 0xbf]]) {
        const bytes = Buffer.concat([Buffer.from(bom), Buffer.from(text, 'utf8')]);
        expect(bytes.length).toBeGreaterThan(20 * SNAPSHOT_WINDOW);
        const { windowed, whole } = await bothWays(bytes);
        expect('input' in windowed && windowed.input.format).toBe('snapshot');
        expect(windowed).toEqual(whole);
        // Read by the windows themselves, not by the whole-file reader they give way to.
        const file = join(temp, `s${files - 1}.json`);
        expect(readSnapshotInFileWindows(file, SNAPSHOT_WINDOW)).toEqual('input' in whole && whole.input);
      }
  });

  it('reads a connector longer than its windows, with the rest of the file, as reading it whole does', async () => {
    const ranges = Array.from({ length: 3000 }, (_, index) => `10.${index >> 8}.${index & 255}.1`);
    const wide = snapshot([
      ...SNAPSHOT.connectors.slice(0, 20),
      connector({ name: 'Wide', remoteIPRanges: ranges }),
      ...SNAPSHOT.connectors.slice(20),
    ]);
    for (const text of [JSON.stringify(wide), JSON.stringify(wide, null, 2)]) {
      const { windowed, whole } = await bothWays(Buffer.from(text, 'utf8'));
      expect(windowed).toEqual(whole);
      const file = join(temp, `s${files - 1}.json`);
      expect(readSnapshotInFileWindows(file, SNAPSHOT_WINDOW)).toEqual('input' in whole && whole.input);
    }
  });

  it('gives what reading it whole gives for other large files: an export, code page 1252, UTF-16', async () => {
    const exportObject = Buffer.from(
      JSON.stringify({
        Identity: 'EX01\\Default EX01',
        RemoteIPRanges: SNAPSHOT.connectors.map((c) => c.name),
      }),
    );
    const cp1252 = Buffer.from(TEXT.replaceAll('ü', '\u00fc'), 'latin1');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]);
    for (const bytes of [exportObject, cp1252, utf16]) {
      const { windowed, whole } = await bothWays(bytes);
      expect(windowed).toEqual(whole);
    }
    // The code page 1252 copy is read as the same snapshot, through the whole-text reader.
    const snapshotOf = (read: Outcome) =>
      'input' in read && read.input.format === 'snapshot' ? read.input.snapshot : read;
    expect(
      snapshotOf((await bothWays(Buffer.from(TEXT.replaceAll('ü', '\u00fc'), 'latin1'))).windowed),
    ).toEqual(snapshotOf((await bothWays(Buffer.from(TEXT, 'utf8'))).whole));
  });

  it('gives the same snapshot or the same error as reading it whole, for 60 damaged copies (half with a BOM)', async () => {
    const random = seededRandom(20261201);
    const snippets = ['{', '}', '[', ']', '"', ',', ':', '7', '\\', '\u0000', '\u00e9', ' '.repeat(3000)];
    const seen = { read: 0, refused: 0 };
    for (let round = 0; round < 60; round++) {
      const bom = Buffer.from(round % 2 === 0 ? [] : [0xef, 0xbb, 0xbf]);
      const { windowed, whole } = await bothWays(
        Buffer.concat([bom, Buffer.from(damaged(TEXT, snippets, random), 'utf8')]),
      );
      expect({ round, windowed }).toEqual({ round, windowed: whole });
      seen['input' in whole ? 'read' : 'refused']++;
      // As a file too long to become one string: its errors from here, at the line and column the bytes give.
      const file = join(temp, `s${files - 1}.json`);
      const long = (read: () => ParsedInput | null) => {
        try {
          return read();
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          return error.message;
        }
      };
      // (A file cut shorter than two windows is not read in windows.)
      const bytes = readFileSync(file);
      expect({
        round,
        long: long(() => readSnapshotInFileWindows(file, SNAPSHOT_WINDOW, { longestText: 16 })),
      }).toEqual({
        round,
        long: bytes.length < 2 * SNAPSHOT_WINDOW ? null : long(() => readSnapshotBytes(file, bytes, 16)),
      });
    }
    expect(seen.read).toBeGreaterThan(5);
    expect(seen.refused).toBeGreaterThan(5);
  });

  it('is read whole when it changes while windows are read: no snapshot of two versions', async () => {
    const file = join(temp, 'changing.json');
    const bytes = Buffer.from(TEXT, 'utf8');
    writeFileSync(file, bytes);
    expect(readSnapshotInFileWindows(file, SNAPSHOT_WINDOW)).toMatchObject({ format: 'snapshot' });
    const whole = await outcome(() => readInput(file, readFileSync(file)));
    // Appended to after the third read (whitespace: still the same snapshot, but another version of the file).
    let reads = 0;
    const append = () => {
      if (++reads === 3) appendFileSync(file, '   ');
    };
    expect(readSnapshotInFileWindows(file, SNAPSHOT_WINDOW, { afterRead: append })).toBeNull();
    expect(reads).toBeGreaterThan(3);
    // Rewritten in place with other connectors after the second read: neither version is made into a snapshot.
    writeFileSync(file, bytes);
    reads = 0;
    const rewrite = () => {
      if (++reads === 2) writeFileSync(file, Buffer.from(TEXT.replaceAll('Relay ', 'Others '), 'utf8'));
    };
    expect(readSnapshotInFileWindows(file, SNAPSHOT_WINDOW, { afterRead: rewrite })).toBeNull();
    // Left alone, the file reads as the whole reader reads it.
    writeFileSync(file, bytes);
    expect(await outcome(() => loadInput(file, WINDOW_BYTES, SNAPSHOT_WINDOW))).toEqual(whole);
  });
});
