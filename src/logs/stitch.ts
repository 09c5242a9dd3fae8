/**
 * Joins the runs that workers read (each a contiguous stretch of the sorted files) into one tally: a session open
 * at the end of one run continues with the pieces the next runs hold. What is still open at the end, and pieces
 * whose beginning is in no run, are counted as they are and marked partial: evidence is never dropped.
 */

import type { AcceptedDomain } from '../model/snapshot.js';
import { recipientClassifier } from '../usage/recipient-domains.js';
import { applyRecord, startSession, type SmtpSessionState } from '../usage/smtp-session.js';
import { mergeTally, tallyLateLine, tallySession, type UsageTally } from '../usage/usage-tally.js';
import type { LogProblem } from './read-log-file.js';
import {
  isLateLine,
  outcomeProblem,
  sessionKey,
  type ClosedSession,
  type PieceLine,
  type RunScan,
} from './scan-files.js';

/** `runs` in file order. Problems: lines of the pieces out of order, or with an unreadable RCPT TO path. */
export function stitchRuns(
  runs: readonly RunScan[],
  acceptedDomains: readonly AcceptedDomain[] | null,
): { tally: UsageTally; problems: LogProblem[] } {
  const classifier = recipientClassifier(acceptedDomains);
  const tally: UsageTally = new Map();
  const open = new Map<string, SmtpSessionState>();
  const problems: LogProblem[] = [];
  // Sessions earlier runs counted: a piece of one in a later run is lines logged after its end (see scan-files.ts).
  const closed = new Map<string, ClosedSession>();
  for (const run of runs) {
    mergeTally(tally, run.tally);
    for (const [key, lines] of run.pieces) {
      const done = open.has(key) ? undefined : closed.get(key);
      const records = done === undefined ? lines : withoutLate(lines, done, tally, problems);
      const [first] = records;
      if (first === undefined) continue;
      let session = open.get(key) ?? startSession(first.record);
      for (const { record, file, line } of records) {
        if (record.event === '+' && session.sawStart) {
          // A second connect line under the same id, as the reader handles it (scan-files.ts): a new session.
          tallySession(tally, session);
          session = startSession(record);
        }
        const problem = outcomeProblem(applyRecord(session, record, classifier), record, file, line);
        if (problem !== null) problems.push(problem);
      }
      if (session.ended) {
        tallySession(tally, session);
        closed.set(key, { lastSequence: session.lastSequence, remoteAddress: session.remoteAddress });
        open.delete(key);
      } else open.set(key, session);
    }
    for (const session of run.open) open.set(sessionKey(session), session);
    for (const [key, done] of run.closed) closed.set(key, done);
  }
  for (const session of open.values()) tallySession(tally, session);
  return { tally, problems };
}

/** The lines of a piece not logged after its session's end; those that were are marked on the pair and reported. */
function withoutLate(
  lines: readonly PieceLine[],
  done: ClosedSession,
  tally: UsageTally,
  problems: LogProblem[],
): PieceLine[] {
  const kept: PieceLine[] = [];
  for (const piece of lines) {
    const { record, file, line } = piece;
    if (!isLateLine(record, done)) kept.push(piece);
    else {
      tallyLateLine(tally, record.connectorId, done.remoteAddress);
      problems.push(outcomeProblem('out-of-order', record, file, line) as LogProblem);
    }
  }
  return kept;
}
