/**
 * A change script's regular expressions (-match, -notmatch) are tested under a time budget. JavaScript cannot
 * interrupt a match, and a pattern such as ^(a+)+$ backtracks for minutes on 50 characters; no syntax rule tells
 * every such pattern apart. So each test runs in a worker thread that this thread waits for (Atomics.wait, the
 * evaluator being synchronous); past the budget the worker is stopped and the test is an OperatorError, which
 * lists the statement as not evaluated.
 */

import { Worker } from 'node:worker_threads';

/** Far above any real test (microseconds); low enough that a review of a hostile script still ends. */
export const REGEX_BUDGET_MS = 2000;

const MATCHED = 1;
const NOT_MATCHED = 2;

// Plain JavaScript run with `eval`: the same code under ts-jest and from dist, with no file to locate.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const compiled = new Map();
parentPort.on('message', ({ source, flags, text, signal }) => {
  const key = flags + '/' + source;
  let pattern = compiled.get(key);
  if (pattern === undefined) compiled.set(key, (pattern = new RegExp(source, flags)));
  const state = new Int32Array(signal);
  Atomics.store(state, 0, pattern.test(text) ? ${MATCHED} : ${NOT_MATCHED});
  Atomics.notify(state, 0);
});
`;

export class RegexBudgetExceeded extends Error {}

let worker: Worker | null = null;

/** pattern.test(text), or RegexBudgetExceeded when it takes longer than `budgetMs`. */
export function testWithinBudget(pattern: RegExp, text: string, budgetMs = REGEX_BUDGET_MS): boolean {
  if (worker === null) {
    worker = new Worker(WORKER_SOURCE, { eval: true });
    // A finished review must not wait for an idle worker.
    worker.unref();
  }
  const signal = new SharedArrayBuffer(4);
  const state = new Int32Array(signal);
  worker.postMessage({ source: pattern.source, flags: pattern.flags, text, signal });
  if (Atomics.wait(state, 0, 0, budgetMs) === 'timed-out') {
    void worker.terminate();
    worker = null;
    throw new RegexBudgetExceeded(`matching took longer than ${budgetMs / 1000} s`);
  }
  return Atomics.load(state, 0) === MATCHED;
}
