/** Options shared by `whatif` and `diff`: format, output, --fail-on. Light: no report writer is loaded here. */

import type { Argv } from 'yargs';

export const CHANGE_FORMATS = ['table', 'json', 'markdown', 'csv', 'html'] as const;
export const CHANGE_FAIL_ON = ['critical', 'high', 'medium', 'low', 'info', 'none'] as const;

export interface ChangeReportArgs {
  format: string;
  output?: string;
  failOn: string;
}

export function withChangeReportOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('format', { alias: 'f', choices: CHANGE_FORMATS, default: 'table', describe: 'Report format' })
    .option('output', {
      alias: 'o',
      type: 'string',
      describe: 'Write the report to FILE (atomically) instead of standard output',
    })
    .option('fail-on', {
      choices: CHANGE_FAIL_ON,
      default: 'high',
      describe: 'Exit 1 when a finding at or above this severity is introduced or widened; none never fails',
    });
}
