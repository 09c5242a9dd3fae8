/**
 * Errors a user can cause. Each carries a one-line message that names the file, connector or server and
 * says what to do; the CLI prints the message (no stack unless --debug) and exits with `exitCode`.
 */

export const ExitCode = {
  /** Nothing at or above --fail-on. */
  Ok: 0,
  /** Findings at or above --fail-on. */
  Findings: 1,
  /** Bad usage or unreadable/malformed input. */
  Input: 2,
  /** Collection failed or was partial (PowerShell, connection, authentication, timeout). */
  Collection: 3,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class ExrelayError extends Error {
  readonly exitCode: ExitCodeValue;
  constructor(message: string, exitCode: ExitCodeValue, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** A file that cannot be read, decoded, parsed or recognised. */
export class InputError extends ExrelayError {
  readonly file: string | null;
  /** The message without the file's name. */
  readonly problem: string;
  constructor(file: string | null, problem: string, options?: { cause?: unknown }) {
    super(file ? `${file}: ${problem}` : problem, ExitCode.Input, options);
    this.file = file;
    this.problem = problem;
  }
}

/** A bad option or argument. */
export class UsageError extends ExrelayError {
  constructor(message: string) {
    super(message, ExitCode.Input);
  }
}

/** PowerShell could not be started, connected, authenticated, or answered too late. */
export class CollectionError extends ExrelayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.Collection, options);
  }
}
