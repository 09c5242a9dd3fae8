/**
 * A standard output that fails on its own (a terminal that went away, a socket reset): the run ends at once with
 * exit 2, and what must not outlive a stopped run goes first — as for a stop signal. Runs the built modules in a
 * process of their own, since the handler ends it.
 */

import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../support/run-cli.js';

const folder = mkdtempSync(join(tmpdir(), 'exrelay-output-failures-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const built = (name: string) => JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'cli', name)).href);

describe('a standard output that fails while the run goes on', () => {
  it('runs the stop actions (an audit setting its snapshot aside) before it exits 2', () => {
    // It called process.exit(2) straight away: an audit's snapshot stayed as the next baseline, unreported.
    const marker = join(folder, 'stop-action-ran');
    const script = `
      import { writeFileSync } from 'node:fs';
      import { handleOutputFailures } from ${built('output-failures.js')};
      import { whenStopped } from ${built('remove-when-stopped.js')};
      handleOutputFailures();
      whenStopped(() => writeFileSync(${JSON.stringify(marker)}, 'ran'));
      process.stdout.emit('error', Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO', syscall: 'write' }));
      setTimeout(() => process.exit(0), 5000);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toBe('exrelay: cannot write to standard output: EIO (write)\n');
    expect(run.status).toBe(2);
    expect(existsSync(marker)).toBe(true);
  });
});
