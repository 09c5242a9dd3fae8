/**
 * Reads every log file, on several cores when there are several files: the sorted files are cut into contiguous
 * runs of about equal size, one per worker thread, and the runs are stitched back in order (a session crossing a
 * cut continues in the next run). One core, or one file, reads in this thread. The result is the same either way.
 */

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AcceptedDomain } from '../model/snapshot.js';
import type { LogFile } from './find-log-files.js';
import type { LogProblem } from './read-log-file.js';
import { scanFiles, type RunScan, type ScannedFile } from './scan-files.js';
import type { WorkerMessage, WorkerRequest } from './scan-worker.js';
import { stitchRuns } from './stitch.js';
import type { UsageTally } from '../usage/usage-tally.js';

export interface LogScan {
  tally: UsageTally;
  files: ScannedFile[];
  problems: LogProblem[];
  /** Worker threads used (1: this thread). */
  jobs: number;
}

export interface ScanOptions {
  acceptedDomains: readonly AcceptedDomain[] | null;
  /** Threads to use; default: the cores available. */
  jobs?: number;
  /** Called with the bytes of each file read, as files finish. */
  onProgress?: (bytes: number) => void;
}

/** The compiled worker; under ts-jest (sources run as .ts) there is none, and everything runs in this thread. */
const WORKER = new URL('./scan-worker.js', import.meta.url);

export async function scanLogs(files: readonly LogFile[], options: ScanOptions): Promise<LogScan> {
  const wanted = Math.max(1, Math.min(options.jobs ?? availableParallelism(), files.length));
  const domains = options.acceptedDomains === null ? null : [...options.acceptedDomains];
  const runs =
    wanted > 1 && existsSync(fileURLToPath(WORKER))
      ? await Promise.all(
          splitRuns(files, wanted).map((run) => scanInWorker(run, domains, options.onProgress)),
        )
      : [
          scanFiles(
            files.map((file) => file.path),
            domains,
            options.onProgress,
          ),
        ];
  const stitched = stitchRuns(runs, domains);
  const scanned = runs.flatMap((run) => run.files);
  return {
    tally: stitched.tally,
    files: scanned,
    problems: inFileOrder([...runs.flatMap((run) => run.problems), ...stitched.problems], scanned),
    jobs: runs.length,
  };
}

/** Problems by the order of their files (stably): where a run was cut must not change the report. */
function inFileOrder(problems: LogProblem[], files: readonly ScannedFile[]): LogProblem[] {
  const position = new Map(files.map((file, index) => [file.file, index]));
  const at = (problem: LogProblem) => position.get(problem.file) ?? files.length;
  return problems.sort((a, b) => at(a) - at(b));
}

/** Contiguous runs of about equal bytes (files keep their order: sessions continue into the next file). */
export function splitRuns(files: readonly LogFile[], count: number): string[][] {
  const total = files.reduce((sum, file) => sum + file.bytes, 0);
  const runs: string[][] = [];
  let current: string[] = [];
  let done = 0;
  for (const [index, file] of files.entries()) {
    current.push(file.path);
    done += file.bytes;
    const left = files.length - index - 1;
    const runsLeft = count - runs.length - 1;
    // Close the run at its share of the bytes, or when every remaining run needs at least one file.
    if (runsLeft > 0 && (done >= (total * (runs.length + 1)) / count || left === runsLeft)) {
      runs.push(current);
      current = [];
    }
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

function scanInWorker(
  files: string[],
  acceptedDomains: AcceptedDomain[] | null,
  onProgress: ((bytes: number) => void) | undefined,
): Promise<RunScan> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER);
    let answered = false;
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'progress') onProgress?.(message.bytes);
      else {
        answered = true;
        resolve(message.scan);
        void worker.terminate();
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (!answered)
        reject(new Error(`a log-reading worker stopped with exit code ${code} before answering`));
    });
    worker.postMessage({ files, acceptedDomains } satisfies WorkerRequest);
  });
}
