/**
 * A temporary file that must not outlive a stopped run: Ctrl-C, a scheduler's SIGTERM or a closed terminal while it
 * is written. Node's default ends the process at once, and every such stop left a hidden temporary file beside the
 * report or starter file it was to become.
 */

import { rmSync } from 'node:fs';
import { constants } from 'node:os';

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Until the returned function is called, a stop signal removes `temp` first; then the signal, raised again without
 * this listener, ends the process as it would have (status 128 + its number).
 */
export function removeWhenStopped(temp: string): () => void {
  const stop = (signal: NodeJS.Signals) => {
    unguard();
    try {
      rmSync(temp, { force: true });
    } catch {
      // Not removable now (a permission taken away meanwhile): the stop still goes ahead.
    }
    try {
      process.kill(process.pid, signal);
    } catch {
      // Windows raises only some signals (SIGHUP there is the console window closing): end as the signal would.
      process.exit(128 + (constants.signals[signal] ?? 0));
    }
  };
  const unguard = () => {
    for (const signal of STOP_SIGNALS) process.off(signal, stop);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, stop);
  return unguard;
}
