/**
 * Which kept snapshot an audit compares with, and which ones `--keep` removes, from the names of the files in a
 * snapshot folder (exrelay-snapshot-<yyyyMMdd-HHmmss>[-N].json, UTC). Names in, decisions out: no file access.
 *
 * Time is the time in the name, which the audit that wrote the file took from the clock as it started. A
 * snapshot dated at or after this audit's own start (the clock was set back, or a file came from another
 * machine) is never the baseline and never removed: the audit says so, and a person decides.
 */

const SNAPSHOT_NAME = /^exrelay-snapshot-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-(\d{1,4}))?\.json$/;

export interface SnapshotFile {
  name: string;
  /** Milliseconds since the epoch, from the name. */
  time: number;
  /** The -N suffix of a second snapshot in the same second (0 without one). */
  sequence: number;
}

/** exrelay-snapshot-20250304-091500.json, from the UTC time: sorts by time, never repeats an hour at DST's end. */
export function snapshotFileName(date: Date, sequence = 0): string {
  const stamp = date
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-');
  return `exrelay-snapshot-${stamp}${sequence > 0 ? `-${sequence}` : ''}.json`;
}

/** The file's time when the name is one exrelay writes, else null (the file is not exrelay's). */
export function parseSnapshotFileName(name: string): SnapshotFile | null {
  const match = SNAPSHOT_NAME.exec(name);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as number[];
  const time = Date.UTC(year!, month! - 1, day!, hour, minute, second);
  const date = new Date(time);
  // 20250230-250000 is no time: such a file was not written by exrelay.
  if (
    date.getUTCMonth() !== month! - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute
  )
    return null;
  return { name, time, sequence: match[7] === undefined ? 0 : Number(match[7]) };
}

/** exrelay's snapshot files among `names`, oldest first. */
export function snapshotFiles(names: readonly string[]): SnapshotFile[] {
  return names
    .map(parseSnapshotFileName)
    .filter((file): file is SnapshotFile => file !== null)
    .sort((a, b) => a.time - b.time || a.sequence - b.sequence);
}

export interface BaselineChoice {
  /**
   * The snapshots dated before `now`, newest first: the baseline is the first complete one among them (a partial
   * one only when none is complete), which only reading them tells.
   */
  candidates: SnapshotFile[];
  /** Snapshots dated at or after `now`: never a baseline, never pruned. */
  later: SnapshotFile[];
}

export function chooseBaseline(files: readonly SnapshotFile[], now: number): BaselineChoice {
  return {
    candidates: files.filter((file) => file.time < now).reverse(),
    later: files.filter((file) => file.time >= now),
  };
}

/**
 * The snapshots `--keep keep` removes: all but the `keep` newest of those dated up to `now` (this audit's own
 * included), oldest first. Later-dated snapshots are kept and do not count.
 */
export function snapshotsToPrune(files: readonly SnapshotFile[], keep: number, now: number): SnapshotFile[] {
  const dated = files.filter((file) => file.time <= now);
  return dated.slice(0, Math.max(0, dated.length - keep));
}
