/**
 * Reads a run of log files in order and turns their lines into sessions: a session is keyed by connector and
 * session-id, so one that continues in the next hourly file goes on where it stopped. Finished sessions go into the
 * tally at once; only sessions still open at the end of the run, and pieces of sessions that began before it, are
 * kept, for stitching with the neighbouring run (another worker's files, see stitch.ts).
 */

import type { AcceptedDomain } from '../model/snapshot.js';
import { recipientClassifier, type RecipientClassifier } from '../usage/recipient-domains.js';
import { applyRecord, startSession, type LineOutcome, type SmtpSessionState } from '../usage/smtp-session.js';
import { tallyLateLine, tallySession, type UsageTally } from '../usage/usage-tally.js';
import { readLogFile, type LogFileStats, type LogProblem } from './read-log-file.js';
import { quoted, type LogRecord } from './receive-log-format.js';

export interface ScannedFile extends LogFileStats {
  /** The connectors the file names: they tell whose logs it holds. */
  connectorIds: string[];
}

export interface RunScan {
  tally: UsageTally;
  /** Sessions begun in this run and not finished in it, in the order they began. */
  open: SmtpSessionState[];
  /** Lines of sessions that began before this run (or whose beginning is not logged), by session key. */
  pieces: Map<string, PieceLine[]>;
  /** Sessions this run counted last (at most RECENTLY_CLOSED), by session key: a later line of one is late. */
  closed: Map<string, ClosedSession>;
  files: ScannedFile[];
  problems: LogProblem[];
}

/**
 * What one run keeps in memory, far above what a real log needs. `pieceLines`: lines of sessions whose connect line
 * is not in the run (at its start only the sessions open at that moment continue: hundreds, a few thousand lines;
 * a 120 MB log of nothing but such lines took 790 MB). `openSessions`: sessions open at once (Exchange drops idle
 * sessions within minutes; 300,000 that never close took 900 MB); beyond it the longest-open one is counted as
 * it stands, as a session still open at the end of the logs is.
 */
export interface ScanLimits {
  pieceLines: number;
  openSessions: number;
}

export const SCAN_LIMITS: ScanLimits = { pieceLines: 100_000, openSessions: 50_000 };

/** A line kept for stitching, with where it was read: a problem found when it is applied names that place. */
export interface PieceLine {
  record: LogRecord;
  file: string;
  line: number;
}

/** A session already counted: enough to know a line of it that comes later for what it is. */
export interface ClosedSession {
  lastSequence: number;
  remoteAddress: string | null;
}

/**
 * Sessions remembered after they are counted. A line logged after its session's disconnect line comes soon after
 * it, if at all; a bounded memory keeps that from growing with the logs.
 */
const RECENTLY_CLOSED = 10_000;

/** Session problems listed per file, as the reader lists its own (read-log-file.ts); the rest are counted. */
const MAX_SESSION_PROBLEMS = 20;

/** The problem a line's outcome is, or null for a line used or skipped as a repeat. */
export function outcomeProblem(
  outcome: LineOutcome,
  record: LogRecord,
  file: string,
  line: number,
): LogProblem | null {
  switch (outcome) {
    case 'out-of-order':
      return {
        file,
        line,
        message: `sequence-number ${record.sequence} of session ${quoted(record.sessionId)} comes after a higher one (lines out of order); not used, and that session's counts may miss evidence (no grant on its connector is called unused)`,
      };
    case 'unreadable-recipient':
      return {
        file,
        line,
        message: `the RCPT TO path ${quoted(record.data)} cannot be read; the recipient, if accepted, is counted unclassified (neither relayed nor submitted)`,
      };
    default:
      return null;
  }
}

/** A line of a session already counted, logged after its end; a connect line begins a new session of that id. */
export function isLateLine(record: LogRecord, done: ClosedSession): boolean {
  return record.event !== '+' && record.sequence <= done.lastSequence;
}

export function sessionKey(record: { connectorId: string; sessionId: string }): string {
  return `${record.connectorId}\u0000${record.sessionId}`;
}

export function scanFiles(
  files: readonly string[],
  acceptedDomains: readonly AcceptedDomain[] | null,
  onFileDone?: (bytes: number) => void,
  limits: ScanLimits = SCAN_LIMITS,
): RunScan {
  const sessions = new SessionRouter(recipientClassifier(acceptedDomains), limits);
  const scanned: ScannedFile[] = [];
  const problems: LogProblem[] = [];
  for (const file of files) {
    sessions.connectorIds.clear();
    const droppedBefore = sessions.droppedPieceLines;
    const cutBefore = sessions.cutSessions;
    const found: LogProblem[] = [];
    let unlisted = 0;
    const result = readLogFile(file, (record, line) => {
      const outcome = sessions.route(record, file, line);
      const problem = outcome === null ? null : outcomeProblem(outcome, record, file, line);
      if (problem === null) return;
      if (found.length < MAX_SESSION_PROBLEMS) found.push(problem);
      else unlisted++;
    });
    scanned.push({ ...result.stats, connectorIds: [...sessions.connectorIds] });
    problems.push(...result.problems, ...found);
    if (unlisted > 0)
      problems.push({
        file,
        line: null,
        message: `${unlisted} more lines out of order or with an unreadable RCPT TO path (only the first ${MAX_SESSION_PROBLEMS} are listed)`,
      });
    const dropped = sessions.droppedPieceLines - droppedBefore;
    if (dropped > 0)
      problems.push({
        file,
        line: null,
        message: `${dropped} line${dropped === 1 ? '' : 's'} of sessions whose connect line is not in the logs not used: more than ${limits.pieceLines} such lines (damaged or filtered logs?)`,
      });
    const cut = sessions.cutSessions - cutBefore;
    if (cut > 0)
      problems.push({
        file,
        line: null,
        message: `${cut} session${cut === 1 ? '' : 's'} counted before their end: more than ${limits.openSessions} sessions open at once (damaged logs?)`,
      });
    onFileDone?.(result.stats.bytes);
  }
  return { ...sessions.finish(), files: scanned, problems };
}

/** Sends each line to its session. Keyed by session-id first (one string per line, no concatenation). */
class SessionRouter {
  readonly tally: UsageTally = new Map();
  /** Connectors of the file being read, noted when a session starts (not for every line). */
  readonly connectorIds = new Set<string>();
  private readonly open = new Map<string, SmtpSessionState>();
  /** Sessions whose id another connector's open session already uses (ids are unique per service, not org). */
  private readonly sharedIds = new Map<string, SmtpSessionState>();
  private readonly pieces = new Map<string, PieceLine[]>();
  private readonly closed = new Map<string, ClosedSession>();
  private pieceLines = 0;
  droppedPieceLines = 0;
  /** Sessions counted as they stood because too many were open at once. */
  cutSessions = 0;

  constructor(
    private readonly classifier: RecipientClassifier,
    private readonly limits: ScanLimits,
  ) {}

  /** Null when the line is kept for stitching (its outcome is known only then). */
  route(record: LogRecord, file: string, line: number): LineOutcome | null {
    let session = this.find(record);
    if (session === undefined) {
      const key = sessionKey(record);
      const done = this.closed.get(key);
      if (done !== undefined && isLateLine(record, done)) {
        // Out of order after the session was counted: marked on its pair, never a session of its own.
        tallyLateLine(this.tally, record.connectorId, done.remoteAddress);
        return 'out-of-order';
      }
      const piece = this.pieces.get(key);
      this.connectorIds.add(record.connectorId);
      if (piece !== undefined || (record.event !== '+' && record.sequence > 0)) {
        // Its beginning is in an earlier run, or not logged: keep the lines until the runs are stitched.
        if (this.pieceLines >= this.limits.pieceLines) {
          this.droppedPieceLines++;
          return null;
        }
        this.pieceLines++;
        const kept = { record, file, line };
        if (piece === undefined) this.pieces.set(key, [kept]);
        else piece.push(kept);
        return null;
      }
      session = this.begin(record);
    } else if (record.event === '+' && session.sawStart) {
      // A second connect line under the same id: the first session is over.
      this.close(session);
      session = this.begin(record);
    }
    const outcome = applyRecord(session, record, this.classifier);
    if (session.ended) this.close(session);
    return outcome;
  }

  private find(record: LogRecord): SmtpSessionState | undefined {
    const session = this.open.get(record.sessionId);
    if (session === undefined || session.connectorId === record.connectorId) return session;
    return this.sharedIds.get(sessionKey(record));
  }

  private begin(record: LogRecord): SmtpSessionState {
    const session = startSession(record);
    this.connectorIds.add(record.connectorId);
    if (this.open.has(record.sessionId)) this.sharedIds.set(sessionKey(record), session);
    else this.open.set(record.sessionId, session);
    if (this.open.size + this.sharedIds.size > this.limits.openSessions) this.cutLongestOpen();
    return session;
  }

  /**
   * The sessions open longest (first begun: maps keep insertion order), a tenth of the limit at a time, are counted
   * as they stand. In batches: reaching the oldest live entry of a map also steps over the deleted ones before it.
   */
  private cutLongestOpen(): void {
    const batch = Math.max(1, Math.ceil(this.limits.openSessions / 10));
    const oldest: SmtpSessionState[] = [];
    for (const map of [this.open, this.sharedIds])
      for (const session of map.values()) {
        if (oldest.length >= batch) break;
        oldest.push(session);
      }
    this.cutSessions += oldest.length;
    for (const session of oldest) this.close(session);
  }

  private close(session: SmtpSessionState): void {
    tallySession(this.tally, session);
    const key = sessionKey(session);
    this.closed.delete(key);
    this.closed.set(key, { lastSequence: session.lastSequence, remoteAddress: session.remoteAddress });
    if (this.closed.size > RECENTLY_CLOSED) this.closed.delete(this.closed.keys().next().value as string);
    if (this.open.get(session.sessionId) === session) this.open.delete(session.sessionId);
    else this.sharedIds.delete(sessionKey(session));
  }

  finish(): Pick<RunScan, 'tally' | 'open' | 'pieces' | 'closed'> {
    const open = [...this.open.values(), ...this.sharedIds.values()].sort((a, b) =>
      a.firstTime < b.firstTime ? -1 : a.firstTime > b.firstTime ? 1 : 0,
    );
    return { tally: this.tally, open, pieces: this.pieces, closed: this.closed };
  }
}
