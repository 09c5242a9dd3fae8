/** The process around main(): output errors, the exit code, and exiting once both outputs are flushed. */

import { handleOutputFailures } from './output-failures.js';
import { main } from './main.js';

export async function run(args: readonly string[]): Promise<never> {
  handleOutputFailures();

  const exitCode = await main(args);
  // Exit as soon as both outputs are flushed (a pipe may still hold warnings): tearing down a large
  // organisation's heap takes longer than the analysis.
  // Nothing waiting is nothing to flush: an empty write to a file or device that failed already (a full disk)
  // would only fail again, and say so twice.
  const flushed = (stream: NodeJS.WriteStream) =>
    stream.writableLength === 0 ? Promise.resolve() : new Promise((resolve) => stream.write('', resolve));
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(exitCode);
}
