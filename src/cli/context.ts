import type { ExitCodeValue } from '../errors.js';

/** What commands need from the process, passed in so that tests can run them in-process. */
export interface CommandContext {
  generator: string;
  warn(message: string): void;
  setExitCode(code: ExitCodeValue): void;
}
