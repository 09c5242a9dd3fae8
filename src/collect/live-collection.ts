/**
 * One live collection from start to end: start PowerShell, bring in the Exchange cmdlets, collect, and close
 * every remote session and the shell again, whatever happened in between.
 */

import { CollectionError } from '../errors.js';
import type { Snapshot } from '../model/snapshot.js';
import { collectSnapshot, type CollectorOptions } from './collector.js';
import { connect, describeSource, disconnect, type ConnectionTarget } from './connection.js';
import { startPowerShell, type PowerShellSession, type RunnerOptions } from './powershell-runner.js';
import type { CollectionProgress } from './progress.js';

const STARTUP_TIMEOUT_MS = 60_000;

export interface LiveCollectionOptions {
  target: ConnectionTarget;
  /** PowerShell executable (--shell); the platform's default otherwise. */
  executable?: string;
  /** Time limit for each PowerShell run (--timeout). */
  timeoutMs: number;
  /** Written as source.tool, e.g. "exrelay 0.1.0". */
  tool: string;
  progress: CollectionProgress;
  warn(message: string): void;
  chunkSize?: CollectorOptions['chunkSize'];
  /** Starts the shell; startPowerShell unless a test supplies another. */
  startShell?: (options: RunnerOptions) => Promise<PowerShellSession>;
  /** Where Ctrl-C and stop requests arrive; this process unless a test supplies another. */
  signals?: SignalSource;
}

/** The part of `process` that delivers SIGINT and SIGTERM. */
export interface SignalSource {
  on(signal: InterruptSignal, listener: () => void): unknown;
  off(signal: InterruptSignal, listener: () => void): unknown;
}

type InterruptSignal = 'SIGINT' | 'SIGTERM';
const INTERRUPT_SIGNALS: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM'];

/**
 * Ctrl-C or a stop request (a scheduler's SIGTERM) while collecting. Node's default would exit at once and leave
 * PowerShell running on its own, a hung cmdlet and its Exchange session included; instead the shell is stopped
 * and the collection fails like any other (exit 3, nothing written). A second signal gets Node's default.
 */
class Interrupts {
  private received: InterruptSignal | null = null;
  private session: PowerShellSession | null = null;
  private readonly listeners = new Map<InterruptSignal, () => void>();

  constructor(private readonly source: SignalSource) {
    for (const signal of INTERRUPT_SIGNALS) {
      const listener = () => this.interrupt(signal);
      this.listeners.set(signal, listener);
      source.on(signal, listener);
    }
  }

  /** The shell to stop; stopped at once when a signal came while it was starting. */
  watch(session: PowerShellSession): void {
    this.session = session;
    if (this.received !== null) void session.dispose();
  }

  /** The error to report instead of the one the stopped shell caused; null when no signal came. */
  error(): CollectionError | null {
    if (this.received === null) return null;
    return new CollectionError(
      `collection interrupted (${this.received}): PowerShell was stopped and nothing was written`,
    );
  }

  close(): void {
    for (const [signal, listener] of this.listeners) this.source.off(signal, listener);
    this.listeners.clear();
  }

  private interrupt(signal: InterruptSignal): void {
    this.received ??= signal;
    // Only the first signal is ours: the next one ends Node the default way.
    this.close();
    if (this.session !== null) void this.session.dispose();
  }
}

export async function collectLive(options: LiveCollectionOptions): Promise<Snapshot> {
  const { target, timeoutMs, progress } = options;
  // A warning printed over the status line would run into it.
  const warn = (message: string) => {
    progress.finish();
    options.warn(message);
  };
  const source = { ...describeSource(target), tool: options.tool };
  progress.phase(target.kind === 'remote' ? `Connecting to ${source.description}` : 'Starting PowerShell');
  const interrupts = new Interrupts(options.signals ?? process);
  let session: PowerShellSession;
  try {
    session = await (options.startShell ?? startPowerShell)({
      ...(options.executable !== undefined && { executable: options.executable }),
      // Starting pwsh takes seconds on a busy machine: --timeout limits the steps, not the start.
      timeoutMs: Math.max(timeoutMs, STARTUP_TIMEOUT_MS),
      onWarning: (message) => warn(`PowerShell: ${message}`),
    });
  } catch (error) {
    interrupts.close();
    throw interrupts.error() ?? error;
  }
  interrupts.watch(session);
  let failed = false;
  try {
    await connect(session, target, timeoutMs);
    const snapshot = await collectSnapshot(session, {
      source,
      progress,
      timeoutMs,
      chunkSize: options.chunkSize,
      onHostLine: (line) => warn(`PowerShell: ${line}`),
    });
    // A signal after the last step still means the administrator asked for nothing to be written.
    const interrupted = interrupts.error();
    if (interrupted) throw interrupted;
    return snapshot;
  } catch (error) {
    failed = true;
    throw interrupts.error() ?? error;
  } finally {
    try {
      await disconnect(session, timeoutMs);
    } catch (error) {
      // After a failure the shell is often gone, and the error already said why.
      if (!failed) warn(`could not close the Exchange session: ${(error as Error).message}`);
    }
    await session.dispose();
    // Listening until the shell is gone: a signal while the sessions close must stop it too.
    interrupts.close();
    progress.finish();
  }
}
