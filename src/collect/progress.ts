/**
 * What the user sees while collection runs: one status line on stderr, redrawn in place, with a bar while the
 * permissions are read. Only on a terminal and without --quiet; a log file or pipe gets nothing.
 */

export interface CollectionProgress {
  /** A phase that has no count ("Connecting to …"). */
  phase(text: string): void;
  /** Permissions of `done` of `total` connectors read. */
  permissions(done: number, total: number): void;
  /** Removes the status line. */
  finish(): void;
}

/** The part of a stream the progress line needs; process.stderr fits. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

const BAR_WIDTH = 24;

class TerminalProgress implements CollectionProgress {
  private shown = false;

  constructor(private readonly stream: ProgressStream) {}

  phase(text: string): void {
    this.draw(`${text} …`);
  }

  permissions(done: number, total: number): void {
    const filled = total === 0 ? BAR_WIDTH : Math.round((BAR_WIDTH * done) / total);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
    this.draw(`Reading connector permissions [${bar}] ${done}/${total}`);
  }

  finish(): void {
    if (this.shown) this.stream.write('\r\u001b[K');
    this.shown = false;
  }

  private draw(line: string): void {
    // One column less than the width: writing the last column makes some terminals wrap. A pseudo-terminal
    // without a size reports 0 columns: assume 80.
    const width = Math.max(20, (this.stream.columns || 80) - 1);
    const fitted = line.length > width ? `${line.slice(0, width - 1)}…` : line;
    this.stream.write(`\r${fitted}\u001b[K`);
    this.shown = true;
  }
}

const SILENT: CollectionProgress = {
  phase: () => undefined,
  permissions: () => undefined,
  finish: () => undefined,
};

export function createProgress(stream: ProgressStream, quiet: boolean): CollectionProgress {
  return stream.isTTY && !quiet ? new TerminalProgress(stream) : SILENT;
}
