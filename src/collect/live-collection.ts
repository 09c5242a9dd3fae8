/**
 * One live collection from start to end: start PowerShell, bring in the Exchange cmdlets, collect, and close
 * every remote session and the shell again, whatever happened in between.
 */

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
  const session = await (options.startShell ?? startPowerShell)({
    ...(options.executable !== undefined && { executable: options.executable }),
    // Starting pwsh takes seconds on a busy machine: --timeout limits the steps, not the start.
    timeoutMs: Math.max(timeoutMs, STARTUP_TIMEOUT_MS),
    onWarning: (message) => warn(`PowerShell: ${message}`),
  });
  let failed = false;
  try {
    await connect(session, target, timeoutMs);
    return await collectSnapshot(session, {
      source,
      progress,
      timeoutMs,
      chunkSize: options.chunkSize,
      onHostLine: (line) => warn(`PowerShell: ${line}`),
    });
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    try {
      await disconnect(session, timeoutMs);
    } catch (error) {
      // After a failure the shell is often gone, and the error already said why.
      if (!failed) warn(`could not close the Exchange session: ${(error as Error).message}`);
    }
    await session.dispose();
    progress.finish();
  }
}
