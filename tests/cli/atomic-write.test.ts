import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/cli/atomic-write.js';

const folder = mkdtempSync(join(tmpdir(), 'exrelay-atomic-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function written(chunks: string[]): Promise<string> {
  const path = join(folder, `out-${Math.random().toString(36).slice(2)}.json`);
  await writeFileAtomic(path, chunks);
  return readFileSync(path, 'utf8');
}

describe('writing a report in chunks', () => {
  it('writes many small chunks, in order, across several batches', async () => {
    const chunks = Array.from({ length: 500_000 }, (_, index) => `${index},`);
    expect(await written(chunks)).toBe(chunks.join(''));
  });

  it('keeps characters of every UTF-8 length whole where one batch ends and the next begins', async () => {
    // 1, 2, 3 and 4 bytes (a surrogate pair) in UTF-8, in chunks of 1 to 700 code points.
    const characters = [...'aé€😀'.repeat(200)];
    const chunks: string[] = [];
    for (let size = 1, length = 0; length < 2_000_000; size = (size % 700) + 1) {
      chunks.push(characters.slice(0, size).join(''));
      length += size;
    }
    expect(await written(chunks)).toBe(chunks.join(''));
  });

  it('writes a chunk larger than a batch as it is, between smaller ones', async () => {
    const chunks = ['[', 'x'.repeat(400_000), ',', '€'.repeat(350_000), ']'];
    expect(await written(chunks)).toBe(chunks.join(''));
  });

  it('writes an empty report as an empty file', async () => {
    expect(await written([])).toBe('');
    expect(await written(['', ''])).toBe('');
  });
});
