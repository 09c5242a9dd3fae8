import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAllSync, writeFileAtomic } from '../../src/cli/atomic-write.js';

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

describe('writing every byte to a file descriptor (standard output on a file)', () => {
  /**
   * A disk with `room` bytes left, taking at most `most` bytes a write as a kernel may: a write that no longer
   * fits takes what still fits and says how many; the next fails with ENOSPC (or, `zero`, takes nothing).
   */
  function disk(room: number, most = Infinity, full: 'ENOSPC' | 'zero' = 'ENOSPC') {
    const written: Buffer[] = [];
    let calls = 0;
    const write = (_fd: number, buffer: Uint8Array, offset = 0, length = buffer.length) => {
      calls++;
      const left = room - Buffer.concat(written).length;
      if (left === 0 && length > 0) {
        if (full === 'zero') return 0;
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      const taken = Math.min(length, left, most);
      written.push(Buffer.from(buffer.subarray(offset, offset + taken)));
      return taken;
    };
    return {
      write: write as never,
      content: () => Buffer.concat(written).toString('utf8'),
      calls: () => calls,
    };
  }

  it('writes on after a short write until every byte is written, in order', () => {
    const text = 'é€😀,'.repeat(10_000);
    const target = disk(Infinity, 4097);
    writeAllSync(1, Buffer.from(text, 'utf8'), target.write);
    expect(target.content()).toBe(text);
    expect(target.calls()).toBeGreaterThan(1);
  });

  it('fails with ENOSPC when the disk fills, never returning as if the report were whole', () => {
    // Node's own stream took the first, short write for the whole: 8,192 of ~24,000 bytes and exit 0.
    const target = disk(8192);
    expect(() => writeAllSync(1, Buffer.alloc(24_000, 'x'), target.write)).toThrow(
      expect.objectContaining({ code: 'ENOSPC' }),
    );
    expect(target.content()).toHaveLength(8192);
  });

  it('fails when a write takes nothing, instead of asking again for ever', () => {
    const target = disk(10, Infinity, 'zero');
    expect(() => writeAllSync(1, Buffer.alloc(100, 'x'), target.write)).toThrow(
      'the device took no more bytes',
    );
  });
});
