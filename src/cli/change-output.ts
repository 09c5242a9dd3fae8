/** Rendering and writing a diff or what-if report, and its exit code. */

import { isSeverity, type Severity } from '../analysis/severity.js';
import { ExitCode, UsageError, type ExitCodeValue } from '../errors.js';
import { failsAsIncomplete, type DiffReport } from '../report/diff/diff-report.js';
import { renderDiffCsv } from '../report/diff/render-csv.js';
import { renderDiffMarkdown } from '../report/diff/render-markdown.js';
import { renderDiffText } from '../report/diff/render-text.js';
import { writeOutput, writeToStream } from './atomic-write.js';
import { CHANGE_FORMATS, type ChangeReportArgs } from './change-options.js';
import { resolveOutput, type OutputTarget } from './output-path.js';

/**
 * `--output` of diff and whatif, checked before anything is read as analyze checks it: never one of `inputs`, a
 * FIFO or device written in place, a link followed (README, "Output files").
 */
export async function changeReportTarget(
  args: ChangeReportArgs,
  inputs: readonly string[],
): Promise<OutputTarget | null> {
  return args.output === undefined ? null : resolveOutput(args.output, '--output', inputs);
}

export function failOnOf(args: ChangeReportArgs): Severity | 'none' {
  if (args.failOn === 'none' || isSeverity(args.failOn)) return args.failOn;
  throw new UsageError(`--fail-on must be one of critical, high, medium, low, info, none`);
}

export function renderChangeReport(report: DiffReport, format: string): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'markdown':
      return renderDiffMarkdown(report);
    case 'csv':
      return renderDiffCsv(report);
    case 'table':
      return renderDiffText(report);
    default:
      throw new UsageError(`--format must be one of ${CHANGE_FORMATS.join(', ')}`);
  }
}

export async function emitChangeReport(
  report: DiffReport,
  args: ChangeReportArgs,
  target: OutputTarget | null,
): Promise<ExitCodeValue> {
  // The HTML page is written in pieces and loads only when asked for.
  const chunks =
    args.format === 'html'
      ? (await import('../report/html/change-page.js')).renderChangeHtmlChunks(report)
      : [renderChangeReport(report, args.format)];
  if (target) await writeOutput(target, chunks);
  else await writeToStream(process.stdout, chunks);
  // Fail closed: what a statement that was not evaluated does is unknown, and a gate that reads only the exit
  // code must not pass it as "nothing introduced".
  return report.summary.regressions > 0 || failsAsIncomplete(report) ? ExitCode.Findings : ExitCode.Ok;
}
