/** The process around main(): output errors, the exit code, and exiting once both outputs are flushed. */

import { handleOutputFailures } from './output-failures.js';
import { main } from './main.js';

export async function run(args: readonly string[]): Promise<never> {
  handleOutputFailures();

  const exitCode = await main(args);
  // Exit as soon as both outputs are flushed (a pipe may still hold warnings): tearing down a large
  // organisation's heap takes longer than the analysis.
  const flushed = (stream: NodeJS.WriteStream) => new Promise((resolve) => stream.write('', resolve));
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(exitCode);
}
