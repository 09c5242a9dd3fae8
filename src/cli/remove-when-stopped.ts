/**
 * What must happen before a run that is stopped ends: Ctrl-C, a scheduler's SIGTERM or a closed terminal, or a
 * standard output that fails (output-failures.ts exits at once). Node's default ends the process there and then:
 * every such stop left a hidden temporary file beside the report or starter file it was to become, and an audit
 * stopped while writing its report left its snapshot as the next audit's baseline, its changes never reported.
 */

import { rmSync } from 'node:fs';
import { constants } from 'node:os';

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Registered actions, oldest first; an object each, so that one action may be registered twice. */
const actions = new Set<{ action: () => void }>();

function listen(): void {
  for (const signal of STOP_SIGNALS) process.on(signal, stop);
}

function unlisten(): void {
  for (const signal of STOP_SIGNALS) process.off(signal, stop);
}

/** The actions run, then the signal, raised again without a listener, ends the process as it would have. */
function stop(signal: NodeJS.Signals): void {
  runStopActions();
  try {
    process.kill(process.pid, signal);
  } catch {
    // Windows raises only some signals (SIGHUP there is the console window closing): end as the signal would.
    process.exit(128 + (constants.signals[signal] ?? 0));
  }
}

/**
 * Until the returned function is called, a stop runs `action` (synchronously: nothing else runs after a stop)
 * before the process ends.
 */
export function whenStopped(action: () => void): () => void {
  const entry = { action };
  if (actions.size === 0) listen();
  actions.add(entry);
  return () => {
    if (actions.delete(entry) && actions.size === 0) unlisten();
  };
}

/** The run ends now: every registered action runs once, newest first. */
export function runStopActions(): void {
  const pending = [...actions].reverse();
  actions.clear();
  unlisten();
  for (const { action } of pending) {
    try {
      action();
    } catch {
      // Not done now (a permission taken away meanwhile): the stop still goes ahead, and the other actions too.
    }
  }
}

/** Until the returned function is called, a stop removes `temp` first. */
export function removeWhenStopped(temp: string): () => void {
  return whenStopped(() => rmSync(temp, { force: true }));
}
