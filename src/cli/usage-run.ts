/**
 * `exrelay usage`: the organisation from its exports, the logs from disk (worker threads for many files), the
 * pure usage analysis, the report in the chosen format, and the exit code. Problems in the logs are reported on
 * stderr and in the report, and make the exit code 2 unless --allow-partial.
 */

import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, resolve, sep } from 'node:path';
import { ExitCode, UsageError, type ExitCodeValue } from '../errors.js';
import { buildSnapshot } from '../ingest/build-snapshot.js';
import { loadInputs } from '../ingest/load-files.js';
import { findLogFiles, isReceiveLogName } from '../logs/find-log-files.js';
import type { LogProblem } from '../logs/read-log-file.js';
import { scanLogs } from '../logs/scan-logs.js';
import { snapshotLogFolders } from '../logs/snapshot-log-folders.js';
import type { Snapshot } from '../model/snapshot.js';
import { failsThreshold } from '../report/report.js';
import { renderUsageCsvChunks } from '../report/usage-csv.js';
import { renderUsageJsonChunks } from '../report/usage-json.js';
import { renderUsageMarkdown } from '../report/usage-markdown.js';
import { evaluateUsage } from '../usage/evaluate-usage.js';
import type { UsageReport } from '../usage/usage-report.js';
import type { UsageTally } from '../usage/usage-tally.js';
import { writeOutput, writeToStream } from './atomic-write.js';
import type { CommandContext } from './context.js';
import { resolveOutput, type OutputTarget } from './output-path.js';
import { colorEnabled, type ReportOptions } from './report-output.js';
import type { UsageArgs } from './usage.js';

/** Problems listed on stderr; the report lists them all. */
const STDERR_PROBLEMS = 10;

export async function runUsage(
  argv: UsageArgs,
  options: ReportOptions,
  context: CommandContext,
): Promise<ExitCodeValue> {
  const jobs = positiveInteger(argv.jobs, '--jobs');
  const refusedThreshold = positiveInteger(argv.refusedThreshold, '--refused-threshold') ?? 5;
  const heloThreshold = positiveInteger(argv.heloThreshold, '--helo-threshold') ?? 10;
  // Before anything is read: never over an export or a log file named on the command line, nor under a log's
  // name in a log folder (a report may go there under any other name).
  const target =
    options.output === undefined
      ? null
      : await resolveOutput(options.output, '--output', [...argv.against, ...logFilesNamed(argv.logs)]);
  if (options.output !== undefined && target?.kind === 'file')
    refuseLogNamed(options.output, [options.output, target.path], argv.logs ?? []);
  const { snapshot, warnings } = buildSnapshot(await loadInputs(argv.against));
  for (const warning of warnings) context.warn(warning);

  // Recorded folders a server does not share are problems of the run, not reasons to stop it.
  const recorded = argv.fromSnapshot ? foldersFromSnapshot(snapshot) : [];
  const unreachable: LogProblem[] = recorded
    .filter((folder) => !existsSync(folder))
    .map((folder) => ({
      file: folder,
      line: null,
      message: 'cannot be reached (is the admin share open to this account?); not read',
    }));
  const paths = [...(argv.logs ?? []), ...recorded.filter((folder) => existsSync(folder))];
  if (options.output !== undefined && target?.kind === 'file' && recorded.length > 0)
    refuseLogNamed(options.output, [options.output, target.path], recorded);
  if (paths.length === 0 && unreachable.length === 0)
    throw new UsageError(
      'name the protocol log files or folders to read, or pass --from-snapshot (see exrelay usage --help)',
    );
  const files = findLogFiles(paths);
  const scan = await scanLogs(files, { acceptedDomains: snapshot.acceptedDomains, jobs });
  const problems = [
    ...unreachable,
    ...scan.problems,
    ...unclassifiedProblem(snapshot, scan.tally, argv.against),
  ];
  const report = evaluateUsage(snapshot, { ...scan, problems }, context.generator, {
    refusedThreshold,
    heloThreshold,
  });

  for (const problem of report.logs.problems.slice(0, STDERR_PROBLEMS))
    context.warn(`${problem.file}${problem.line === null ? '' : `:${problem.line}`}: ${problem.message}`);
  if (report.logs.problems.length > STDERR_PROBLEMS)
    context.warn(
      `… and ${report.logs.problems.length - STDERR_PROBLEMS} more problems in the logs (all are in the report)`,
    );

  await emit(report, options, target);
  if (report.logs.problems.length > 0 && !argv.allowPartial) {
    context.warn(
      `${report.logs.problems.length} problem${report.logs.problems.length === 1 ? '' : 's'} in the logs: the report is written but its evidence is incomplete; pass --allow-partial to exit by findings instead`,
    );
    return ExitCode.Input;
  }
  return failsThreshold(report.findings, options.failOn) ? ExitCode.Findings : ExitCode.Ok;
}

/**
 * Without the accepted domains, an accepted recipient cannot be told relayed from submitted: the report's relay
 * counts would read 0 for a connector abused from the Internet. That makes the evidence incomplete, as a bad log
 * does (exit 2 unless --allow-partial), never a clean result.
 */
function unclassifiedProblem(
  snapshot: Snapshot,
  tally: UsageTally,
  against: readonly string[],
): LogProblem[] {
  if (snapshot.acceptedDomains !== null) return [];
  let recipients = 0;
  for (const usage of tally.values()) recipients += usage.recipients.unclassified;
  if (recipients === 0) return [];
  return [
    {
      file: against.join(', '),
      line: null,
      message: `holds no accepted domains (Get-AcceptedDomain | Export-Clixml): ${recipients === 1 ? '1 recipient' : `${recipients} recipients`} accepted in the logs cannot be told relayed or not, and no relay is counted`,
    },
  ];
}

function positiveInteger(value: number | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1)
    throw new UsageError(`${option} must be a whole number of at least 1`);
  return value;
}

/**
 * The recorded log folders over the servers' admin shares. Only Windows opens those; elsewhere the message names
 * the folders to copy.
 */
function foldersFromSnapshot(snapshot: Snapshot): string[] {
  const folders = snapshotLogFolders(snapshot);
  if (folders.length === 0)
    throw new UsageError(
      'the snapshot records no protocol log folders (collect it again with exrelay collect, which reads ReceiveProtocolLogPath); or name the log folders',
    );
  const unreachable = folders.filter((folder) => folder.unc === null);
  if (unreachable.length > 0)
    throw new UsageError(
      `${unreachable[0]?.server}: the log folder ${unreachable[0]?.local} has no drive letter; name the log folders instead`,
    );
  if (process.platform !== 'win32')
    throw new UsageError(
      `--from-snapshot reads the log folders over the servers' admin shares, which only Windows can open (${folders
        .map((folder) => folder.unc)
        .join(
          ', ',
        )}); copy those folders to this machine and name them: exrelay usage FOLDER... --against SNAPSHOT`,
    );
  return folders.map((folder) => folder.unc as string);
}

/**
 * A report named RECV*.LOG in a log folder or any of its subfolders would replace a log found there (the evidence,
 * lost), or be read as one by the next run. `paths` are the name as given and as its links lead.
 */
function refuseLogNamed(given: string, paths: readonly string[], logs: readonly string[]): void {
  const folders = logs.map(realFolder).filter((folder): folder is string => folder !== null);
  for (const path of paths) {
    if (!isReceiveLogName(basename(path))) continue;
    const folder = realFolder(dirname(resolve(path)));
    const logFolder = folder === null ? undefined : folders.find((log) => isWithin(folder, log));
    if (logFolder !== undefined)
      throw new UsageError(
        `--output: ${given} is named like a protocol log in the log folder ${logs[folders.indexOf(logFolder)]}, where usage reads it as a log; write the report elsewhere or under another name`,
      );
  }
}

/** The folder with its links followed; null for anything else, or a path that does not exist. */
function realFolder(path: string): string | null {
  try {
    return statSync(path).isDirectory() ? realpathSync(path) : null;
  } catch {
    return null;
  }
}

function isWithin(folder: string, ancestor: string): boolean {
  return folder === ancestor || folder.startsWith(ancestor.endsWith(sep) ? ancestor : ancestor + sep);
}

function logFilesNamed(logs: readonly string[] | undefined): string[] {
  return (logs ?? []).filter((path) => {
    try {
      return !statSync(path).isDirectory();
    } catch {
      return false; // reported when the logs are read
    }
  });
}

async function emit(report: UsageReport, options: ReportOptions, target: OutputTarget | null): Promise<void> {
  const chunks = await render(report, options, target !== null);
  if (target) await writeOutput(target, chunks);
  else await writeToStream(process.stdout, chunks);
}

async function render(
  report: UsageReport,
  options: ReportOptions,
  toFile: boolean,
): Promise<Iterable<string>> {
  switch (options.format) {
    case 'json':
      return renderUsageJsonChunks(report);
    case 'csv':
      return renderUsageCsvChunks(report);
    case 'markdown':
      return [renderUsageMarkdown(report, options)];
    case 'html': {
      const { renderUsageHtmlChunks } = await import('../report/html/usage-page.js');
      return renderUsageHtmlChunks(report);
    }
    case 'table': {
      const { renderUsageTable } = await import('../report/usage-table.js');
      return [
        renderUsageTable(report, {
          width: toFile ? 120 : (process.stdout.columns ?? 120),
          color: !toFile && colorEnabled(process.stdout),
          showInfo: options.showInfo,
        }),
      ];
    }
  }
}
