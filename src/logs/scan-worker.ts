/** A worker thread that reads one run of log files (scan-logs.ts sends the run, this answers with its scan). */

import { parentPort } from 'node:worker_threads';
import type { AcceptedDomain } from '../model/snapshot.js';
import { scanFiles } from './scan-files.js';

export interface WorkerRequest {
  files: string[];
  acceptedDomains: AcceptedDomain[] | null;
}

export type WorkerMessage =
  { kind: 'progress'; bytes: number } | { kind: 'done'; scan: ReturnType<typeof scanFiles> };

parentPort?.once('message', (request: WorkerRequest) => {
  const scan = scanFiles(request.files, request.acceptedDomains, (bytes) =>
    parentPort?.postMessage({ kind: 'progress', bytes } satisfies WorkerMessage),
  );
  parentPort?.postMessage({ kind: 'done', scan } satisfies WorkerMessage);
});
