/** The process around main(): heap growth, output errors, the exit code, and exiting once both outputs are flushed. */

import { setFlagsFromString } from 'node:v8';
import { main } from './main.js';

export async function run(args: readonly string[]): Promise<never> {
  // V8 lets the heap grow to ~4x what survived its last full collection when collecting is cheap, which it is for
  // exrelay's few long-lived objects: a million-range organisation peaked at ~900 MB for ~250 MB live. Growing by
  // 80 % at most keeps the peak near twice the live size for a few percent more CPU (README, "Speed").
  setFlagsFromString('--heap-growing-percent=80');

  // A reader that stops early (exrelay … | head) is not an error, and it does not decide the exit code: the run
  // goes on without writing (writeToStream stops), and exits with the code its findings call for.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
      throw error;
    });
  }

  const exitCode = await main(args);
  // Exit as soon as both outputs are flushed (a pipe may still hold warnings): tearing down a large
  // organisation's heap takes longer than the analysis.
  const flushed = (stream: NodeJS.WriteStream) => new Promise((resolve) => stream.write('', resolve));
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(exitCode);
}
