import { ExitCode } from '../errors.js';
import { describeWriteError } from '../fs-errors.js';
import { runStopActions } from './remove-when-stopped.js';

/**
 * What a failing standard output or error does to the run. A reader that stops early (exrelay … | head) is not an
 * error, and it does not decide the exit code: the run goes on without writing (writeToStream stops), and exits
 * with the code its findings call for. Any other failure (a full disk behind `> report.json`) has lost output:
 * one line on standard error and exit 2, never a stack trace, and never the findings' exit code, which a
 * scheduled job would take for a complete report. (A standard output that is a file or device is written
 * directly, and its errors stop the run like any other: see writeToStream.)
 */
export function handleOutputFailures(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
      if (stream === process.stdout) {
        try {
          process.stderr.write(`exrelay: cannot write to standard output: ${describeWriteError(error)}\n`);
        } catch {
          // Standard error fails too: the exit code alone says it.
        }
      }
      // Exiting now ends the run as a stop signal would: what must not outlive it goes first (a report's
      // temporary file; an audit's snapshot, which without its report must not become the next baseline).
      runStopActions();
      process.exit(ExitCode.Input);
    });
  }
}
