/**
 * Reads one SMTP Receive protocol log file from disk, streaming: a fixed buffer, one line at a time, each data line
 * handed to `onRecord` as it is read. Header blocks are honoured wherever they appear. Whatever cannot be used (a
 * line that is not CSV, a file of another log type, a last line cut off) is reported with its file and line; the
 * rest of the file is still read.
 */

import { closeSync, fstatSync, readSync } from 'node:fs';
import {
  DEFAULT_LAYOUT,
  EARLIEST_LOG_TIME,
  isPlausibleLogTime,
  isUnusedLine,
  layoutFromFields,
  parseRecord,
  quoted,
  RECEIVE_LOG_TYPE,
  UNUSED,
  type FieldLayout,
  type LogRecord,
} from './receive-log-format.js';
import { describeReadError } from '../fs-errors.js';
import { openForReading, whyNotRegular } from '../file-probe.js';

export interface LogProblem {
  file: string;
  /** 1-based line number, or null for the file as a whole. */
  line: number | null;
  message: string;
}

export interface LogFileStats {
  file: string;
  bytes: number;
  /** Lines read, headers included. */
  lines: number;
  /** Data lines (header lines and blank lines are not). */
  records: number;
  /** The earliest and latest date-time of the records, or null without records. */
  firstTime: string | null;
  lastTime: string | null;
  /** `#Version` values met (14.0.0.0 on 2010, 15.0.0.0 on 2013 and later). */
  versions: string[];
}

export interface ReadOptions {
  /** Bytes read at a time; a line longer than this is reported and skipped. */
  bufferSize?: number;
  /** Problems listed per file; the rest are counted in one more entry. */
  maxProblems?: number;
  /** The latest date-time a line may carry (ISO 8601); default a day after now (clocks differ a little). */
  latestTime?: string;
}

const CLOCK_SLACK_MS = 86_400_000;

const DEFAULT_BUFFER = 1 << 22;
const DEFAULT_MAX_PROBLEMS = 20;
const NEWLINE = 0x0a;

/** Reads `file`, calling `onRecord` for every usable data line (with its 1-based line number); never throws for what the file holds. */
export function readLogFile(
  file: string,
  onRecord: (record: LogRecord, line: number) => void,
  options: ReadOptions = {},
): { stats: LogFileStats; problems: LogProblem[] } {
  const latest = options.latestTime ?? new Date(Date.now() + CLOCK_SLACK_MS).toISOString();
  const state = new FileState(file, options.maxProblems ?? DEFAULT_MAX_PROBLEMS, latest, onRecord);
  let descriptor: number;
  try {
    // Non-blocking: a FIFO put in a log's place between the folder listing and this open must not hang the run.
    descriptor = openForReading(file);
  } catch (error) {
    state.problem(null, `cannot be read: ${describeReadError(error as NodeJS.ErrnoException)}`);
    return state.finish();
  }
  try {
    const info = fstatSync(descriptor);
    const notRegular = whyNotRegular(info);
    if (notRegular !== null) {
      state.problem(null, `cannot be read: ${notRegular}`);
      return state.finish();
    }
    // Up to the size it has now: the current hour's log grows while it is read, and a file written faster than
    // it is read would never end. What is appended meanwhile belongs to the next run.
    readLines(descriptor, info.size, options.bufferSize ?? DEFAULT_BUFFER, state);
  } catch (error) {
    state.problem(null, `reading stopped: ${describeReadError(error as NodeJS.ErrnoException)}`);
  } finally {
    closeSync(descriptor);
  }
  return state.finish();
}

/** Splits the file into lines without holding more than one buffer of it. */
function readLines(descriptor: number, size: number, bufferSize: number, state: FileState): void {
  const buffer = Buffer.allocUnsafe(bufferSize);
  let filled = 0;
  let first = true;
  let skippingLongLine = false;
  for (;;) {
    const wanted = Math.min(buffer.length - filled, size - state.bytes);
    const read = wanted > 0 ? readSync(descriptor, buffer, filled, wanted, null) : 0;
    state.bytes += read;
    const end = filled + read;
    let start = 0;
    if (first && end >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) start = 3;
    const packed = first ? packedFormat(buffer, end) : null;
    first = false;
    if (packed !== null) {
      // Line by line it would be a page of NUL-byte and field-count problems naming nothing useful.
      state.problem(null, `is ${packed}, not a protocol log as Exchange writes it; not read`);
      return;
    }
    for (;;) {
      const newline = buffer.indexOf(NEWLINE, start);
      if (newline < 0 || newline >= end) break;
      if (skippingLongLine) skippingLongLine = false;
      else if (state.stopped) {
        // Another kind of file: nothing more of it is used.
      } else if (state.defaultLayout && isUnusedLine(buffer, start, lineEnd(buffer, start, newline)))
        state.unusedLine();
      else state.line(lineText(buffer, start, newline));
      start = newline + 1;
    }
    if (read === 0) {
      // End of file: whatever is left has no line break after it.
      if (start < end && !skippingLongLine && !state.stopped) state.cutOff(lineText(buffer, start, end));
      return;
    }
    if (start === 0 && end === buffer.length) {
      // One line fills the whole buffer: report it and drop it up to its line break.
      if (!skippingLongLine) state.longLine(bufferSize);
      skippingLongLine = true;
      filled = 0;
      continue;
    }
    buffer.copyWithin(0, start, end);
    filled = end - start;
  }
}

/**
 * What a log given by mistake in another form starts with: an archive of logs, or a log saved again as UTF-16 (an
 * editor, or Windows PowerShell's Out-File). Exchange writes its logs as UTF-8.
 */
function packedFormat(buffer: Buffer, end: number): string | null {
  const starts = (...bytes: number[]) =>
    end >= bytes.length && bytes.every((byte, index) => buffer[index] === byte);
  if (starts(0x1f, 0x8b)) return 'gzip-compressed (decompress it and name the .LOG inside)';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'a ZIP archive (extract it and name the .LOG files inside)';
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff)) return 'UTF-16 text (save it as UTF-8, as Exchange wrote it)';
  return null;
}

/** Where the line's text ends: before its CR. */
function lineEnd(buffer: Buffer, start: number, end: number): number {
  return end > start && buffer[end - 1] === 0x0d ? end - 1 : end;
}

/** The line without its CR, decoded on its own: what is kept of it never holds a whole buffer alive. */
function lineText(buffer: Buffer, start: number, end: number): string {
  return buffer.toString('utf8', start, lineEnd(buffer, start, end));
}

class FileState {
  bytes = 0;
  lines = 0;
  records = 0;
  firstTime: string | null = null;
  lastTime: string | null = null;
  versions: string[] = [];
  /** The file turned out to be another kind of log: nothing more of it is read. */
  stopped = false;
  private layout: FieldLayout = DEFAULT_LAYOUT;
  private sawHeader = false;
  private badBeforeHeader = 0;
  private readonly problems: LogProblem[] = [];
  private unlisted = 0;

  constructor(
    private readonly file: string,
    private readonly maxProblems: number,
    private readonly latestTime: string,
    private readonly onRecord: (record: LogRecord, line: number) => void,
  ) {}

  get defaultLayout(): boolean {
    return this.layout === DEFAULT_LAYOUT;
  }

  /** A data line that no session needs (see isUnusedLine). */
  unusedLine(): void {
    this.lines++;
    this.records++;
  }

  line(text: string): void {
    this.lines++;
    if (text.length === 0) return;
    if (text.charCodeAt(0) === 0x23) {
      this.header(text);
      return;
    }
    if (text.includes('\u0000')) {
      this.problem(this.lines, 'holds NUL bytes (the server stopped while writing the file?); not used');
      return;
    }
    this.records++;
    const record = parseRecord(text, this.layout);
    if (record === UNUSED) return;
    if (typeof record === 'string') {
      this.problem(this.lines, `${record}; not used`);
      if (!this.sawHeader && ++this.badBeforeHeader === 5 && this.records === 5) {
        this.problem(
          null,
          'has no #Fields header and its first lines are not log lines: not an SMTP Receive protocol log; not read',
        );
        this.stopped = true;
      }
      return;
    }
    if (!isPlausibleLogTime(record.time, this.latestTime)) {
      // A wrong clock or a damaged line: used, it would stretch the window that decides severities.
      this.problem(
        this.lines,
        `date-time ${quoted(record.time)} lies before ${EARLIEST_LOG_TIME.slice(0, 4)} or after ${this.latestTime.slice(0, 10)} (a day after this run): a wrong clock or a damaged line; not used`,
      );
      return;
    }
    if (this.firstTime === null || record.time < this.firstTime) this.firstTime = record.time;
    if (this.lastTime === null || record.time > this.lastTime) this.lastTime = record.time;
    this.onRecord(record, this.lines);
  }

  /** `#Software`, `#Version`, `#Log-type`, `#Date`, `#Fields`: a block may start anywhere in the file. */
  private header(text: string): void {
    const colon = text.indexOf(':');
    const name = (colon < 0 ? text.slice(1) : text.slice(1, colon)).trim().toLowerCase();
    const value = colon < 0 ? '' : text.slice(colon + 1).trim();
    this.sawHeader = true;
    if (name === 'log-type' && value.toLowerCase() !== RECEIVE_LOG_TYPE.toLowerCase()) {
      this.problem(
        this.lines,
        `is a ${value || 'log of no named type'}, not an ${RECEIVE_LOG_TYPE}; not read`,
      );
      this.stopped = true;
    } else if (name === 'version' && !this.versions.includes(value)) {
      this.versions.push(value);
    } else if (name === 'fields') {
      const layout = layoutFromFields(value);
      if (typeof layout === 'string') {
        this.problem(this.lines, `${layout}; not read`);
        this.stopped = true;
      } else this.layout = layout;
    }
  }

  cutOff(text: string): void {
    this.lines++;
    if (text.replace(/\u0000/g, '').trim() === '') {
      if (text.length > 0)
        this.problem(
          this.lines,
          `ends in ${text.length} NUL bytes (the server stopped while writing the file?)`,
        );
      return;
    }
    this.problem(
      this.lines,
      'is cut off: the file ends without a line break (a truncated copy, or a file still being written); not used',
    );
  }

  longLine(bufferSize: number): void {
    this.lines++;
    const size = bufferSize >= 1 << 20 ? `${bufferSize >> 20} MiB` : `${bufferSize} bytes`;
    this.problem(this.lines, `is longer than ${size}: not a log line; not used`);
  }

  problem(line: number | null, message: string): void {
    if (this.problems.length < this.maxProblems) this.problems.push({ file: this.file, line, message });
    else this.unlisted++;
  }

  finish(): { stats: LogFileStats; problems: LogProblem[] } {
    const problems = [...this.problems];
    if (this.unlisted > 0)
      problems.push({
        file: this.file,
        line: null,
        message: `${this.unlisted} more lines could not be used (only the first ${this.maxProblems} problems of a file are listed)`,
      });
    return {
      stats: {
        file: this.file,
        bytes: this.bytes,
        lines: this.lines,
        records: this.records,
        firstTime: this.firstTime,
        lastTime: this.lastTime,
        versions: this.versions,
      },
      problems,
    };
  }
}
