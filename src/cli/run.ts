/** The process around main(): output errors, the exit code, and exiting once both outputs are flushed. */

import { main } from './main.js';

export async function run(args: readonly string[]): Promise<never> {
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
