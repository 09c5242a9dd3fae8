/** `--exceptions FILE` for analyze, audit and diff. Light: the file is read by load-exceptions.ts, loaded on use. */

import type { Argv } from 'yargs';

export interface ExceptionsArgs {
  exceptions?: string;
}

export function withExceptionsOption<T>(yargs: Argv<T>) {
  return yargs.option('exceptions', {
    type: 'string',
    describe:
      'Approved exceptions (YAML or JSON): the findings they name are listed as accepted and do not count toward the exit code (docs/scheduled-audits.md)',
  });
}

/** The local calendar date, YYYY-MM-DD: the day an exception is judged on, as the administrator reads it. */
export function localDate(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
