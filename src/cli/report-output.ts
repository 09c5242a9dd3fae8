/**
 * Options and output shared by every command that prints a report (analyze, audit): --format, --output,
 * --fail-on; rendering; and the exit code.
 */

import type { Argv } from 'yargs';
import { isSeverity, type Severity } from '../analysis/severity.js';
import { ExitCode, UsageError, type ExitCodeValue } from '../errors.js';
import type { Report, ReportStream } from '../report/report.js';
import { writeOutput, writeToStream } from './atomic-write.js';
import type { OutputTarget } from './output-path.js';

export const FORMATS = ['table', 'json', 'csv', 'markdown', 'html'] as const;
export type Format = (typeof FORMATS)[number];
export const FAIL_ON = ['critical', 'high', 'medium', 'low', 'info', 'none'] as const;

export interface ReportOptions {
  format: Format;
  output: string | undefined;
  failOn: Severity | 'none';
  showInfo: boolean;
  verbose: boolean;
}

export function withReportOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('format', {
      alias: 'f',
      choices: FORMATS,
      default: 'table' as Format,
      describe: 'Report format',
    })
    .option('output', {
      alias: 'o',
      type: 'string',
      describe:
        'Write the report to FILE instead of standard output (atomically; a FIFO or device in place; never over an input)',
    })
    .option('show-info', {
      type: 'boolean',
      default: false,
      describe: 'List info findings in table and markdown reports too (json and csv always include them)',
    })
    .option('verbose', {
      type: 'boolean',
      default: false,
      describe: 'Warn about every item on its own (a warning about many items otherwise names the first few)',
    })
    .option('fail-on', {
      choices: FAIL_ON,
      default: 'high' as (typeof FAIL_ON)[number],
      describe: 'Exit 1 when a finding is at or above this severity; none never fails on findings',
    });
}

export function reportOptions(argv: {
  format: string;
  output?: string;
  failOn: string;
  showInfo?: boolean;
  verbose?: boolean;
}): ReportOptions {
  const failOn = argv.failOn === 'none' || isSeverity(argv.failOn) ? argv.failOn : null;
  if (!failOn) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}`);
  if (!(FORMATS as readonly string[]).includes(argv.format))
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  return {
    format: argv.format as Format,
    output: argv.output,
    failOn,
    showInfo: argv.showInfo ?? false,
    verbose: argv.verbose ?? false,
  };
}

/** Colour only on a terminal, never with NO_COLOR set (https://no-color.org). */
export function colorEnabled(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

/**
 * The report as text chunks: JSON and HTML are written as their connectors are built (they can exceed one string). Each writer
 * loads only when its format is asked for, so that start-up stays short.
 */
export async function render(
  stream: ReportStream,
  format: Format,
  terminal: { width: number; color: boolean; showInfo: boolean },
): Promise<Iterable<string>> {
  if (format === 'json') {
    const { renderJsonChunks } = await import('../report/json.js');
    return renderJsonChunks(stream);
  }
  if (format === 'html') {
    const { renderHtmlChunks } = await import('../report/html/html-report.js');
    return renderHtmlChunks(stream);
  }
  const { materializeReport } = await import('../report/report.js');
  const report: Report = materializeReport(stream);
  switch (format) {
    case 'csv': {
      const { renderCsv } = await import('../report/csv.js');
      return [renderCsv(report)];
    }
    case 'markdown': {
      const { renderMarkdown } = await import('../report/markdown.js');
      return [renderMarkdown(report, terminal)];
    }
    case 'table': {
      const { renderTable } = await import('../report/table.js');
      return [renderTable(report, terminal)];
    }
  }
}

/** Writes the report to standard output, or to `target` (checked by resolveOutput before anything was read). */
export async function emitReport(
  report: ReportStream,
  options: ReportOptions,
  target: OutputTarget | null,
): Promise<ExitCodeValue> {
  const stdout = process.stdout;
  const chunks = await render(report, options.format, {
    width: target ? 120 : (stdout.columns ?? 120),
    color: !target && colorEnabled(stdout),
    showInfo: options.showInfo,
  });
  if (target) await writeOutput(target, chunks);
  else await writeToStream(stdout, chunks);
  const { failsThreshold } = await import('../report/report.js');
  return failsThreshold(report.findings, options.failOn) ? ExitCode.Findings : ExitCode.Ok;
}
