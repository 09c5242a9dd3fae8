/** The namespace every CLIXML element lives in. */
export const PS_NAMESPACE = 'http://schemas.microsoft.com/powershell/2004/04';

/** The input is not well-formed XML or not valid CLIXML. The message is one line. */
export class ClixmlError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(problem: string, line: number, column: number, options?: { cause?: unknown }) {
    super(`malformed CLIXML at line ${line}, column ${column}: ${problem}`, options);
    this.name = 'ClixmlError';
    this.line = line;
    this.column = column;
  }
}
