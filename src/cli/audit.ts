/**
 * `exrelay audit`: collect and analyse in one go, for scheduled audits. The report options and exit codes are
 * those of analyze, except that a failed or partial collection exits 3 (it wins over findings' 1) unless
 * --allow-partial accepts the gaps. With --snapshot-dir (or --baseline) the report says what changed since the
 * last audit, and --fail-on-change exits 1 on new or widened findings only (docs/scheduled-audits.md).
 */

import { access, constants, mkdir, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';
import {
  collectionRequest,
  partialSnapshotError,
  runCollection,
  withCollectOptions,
  snapshotText,
  type CollectArgs,
} from './collect.js';
import type { CommandContext } from './context.js';
import { localDate, withExceptionsOption, type ExceptionsArgs } from './exceptions-option.js';
import { describeWriteError } from '../fs-errors.js';
import { inputsOf, resolveOutput, type OutputTarget } from './output-path.js';
import { parseSnapshotFileName } from '../history/snapshot-files.js';
import { terminalMessage } from '../report/untrusted-text.js';
import { parsePrincipalOption, withPrincipalOption } from './principal-option.js';
import { FAIL_ON, emitReport, reportOptions, withReportOptions } from './report-output.js';

interface AuditArgs extends CollectArgs, ExceptionsArgs {
  format: string;
  output?: string;
  failOn?: string;
  failOnChange?: string;
  showInfo?: boolean;
  verbose?: boolean;
  snapshotDir?: string;
  principal?: string[];
  baseline?: string;
  keep?: number;
}

export function auditCommand(context: CommandContext): CommandModule<object, AuditArgs> {
  return {
    command: 'audit',
    describe: 'Collect through PowerShell and analyse at once (for scheduled audits)',
    builder: (yargs) =>
      withExceptionsOption(withPrincipalOption(withReportOptions(withCollectOptions(yargs))))
        // Only the default and its description change: withReportOptions gave the choices (given again, yargs
        // would list them twice).
        .option('fail-on', {
          default: undefined,
          describe:
            'Exit 1 when a finding is at or above this severity (default: high; none when --fail-on-change is given)',
        })
        .option('snapshot-dir', {
          type: 'string',
          describe:
            'Keep the snapshot there, as exrelay-snapshot-<yyyyMMdd-HHmmss>.json (UTC), and report the changes since the latest earlier one',
        })
        .option('baseline', {
          type: 'string',
          describe:
            'Report the changes since this snapshot or export instead of the latest in --snapshot-dir',
        })
        .option('fail-on-change', {
          choices: FAIL_ON,
          describe:
            'Exit 1 when a finding at or above this severity is new or widened since the baseline (and not accepted)',
        })
        .option('keep', {
          type: 'number',
          describe:
            "Keep only the N newest snapshots in --snapshot-dir (exrelay's own files; this audit's counts)",
        }) as never,
    handler: async (argv) => {
      const failOnChange = argv.failOnChange;
      const principals = parsePrincipalOption(argv.principal);
      const options = reportOptions({
        ...argv,
        failOn: argv.failOn ?? (failOnChange === undefined ? 'high' : 'none'),
      });
      if (failOnChange !== undefined && argv.snapshotDir === undefined && argv.baseline === undefined)
        throw new UsageError('--fail-on-change needs a baseline: give --snapshot-dir DIR or --baseline FILE');
      if (argv.keep !== undefined) {
        if (argv.snapshotDir === undefined) throw new UsageError('--keep needs --snapshot-dir');
        if (!Number.isInteger(argv.keep) || argv.keep < 1)
          throw new UsageError(
            `--keep must be a whole number of snapshots, 1 or more, not ${String(argv.keep)}`,
          );
      }
      // Everything that can be wrong is found before the password prompt and the collection: it costs nothing.
      const target =
        options.output === undefined
          ? null
          : await resolveOutput(
              options.output,
              '--output',
              inputsOf(argv.baseline, argv.exceptions, argv.initScript),
            );
      if (argv.snapshotDir !== undefined) {
        await prepareSnapshotFolder(argv.snapshotDir);
        if (target) await refuseSnapshotName(target, argv.snapshotDir);
      }
      const started = new Date();
      const today = localDate(started);
      const [history, exceptionsFile] = await Promise.all([
        import('./audit-history.js'),
        import('./load-exceptions.js'),
      ]);
      const exceptions = await exceptionsFile.loadExceptions(argv.exceptions, today);
      const baseline = await history.loadBaseline({
        snapshotDir: argv.snapshotDir,
        baseline: argv.baseline,
        started,
        exceptions,
        principals,
        context,
      });
      const request = await collectionRequest(argv);
      const collected = await runCollection(request, context);
      const { keepSnapshot, reportKept } = await import('./snapshot-history.js');
      const snapshotDir = argv.snapshotDir;
      let kept: string | null = null;
      const { report, exitCode: findingsExit } = await reportKept(
        snapshotDir === undefined
          ? null
          : async (onKept) => {
              kept = await keepSnapshot(snapshotDir, started, snapshotText(collected), { onKept });
              if (!request.quiet)
                process.stderr.write(`exrelay: snapshot kept in ${terminalMessage(kept)}\n`);
            },
        async (kept) => {
          const report = history.auditReport({
            collected,
            kept,
            principals,
            listAll: options.verbose,
            exceptions,
            baseline,
            failOnChange,
            context,
          });
          return { report, exitCode: await emitReport(report, options, target) };
        },
        context.warn,
      );
      let exitCode = findingsExit;
      if ((report.changes?.regressions ?? 0) > 0) exitCode = 1;
      if (argv.snapshotDir !== undefined && argv.keep !== undefined)
        await history.prune(argv.snapshotDir, argv.keep, started, request.quiet, context, {
          partial: collected.partial,
          baseline,
          named: argv.baseline,
        });
      if (collected.partial && !request.allowPartial) throw partialSnapshotError(collected, kept);
      context.setExitCode(exitCode);
    },
  };
}

/**
 * A report named like a kept snapshot in the snapshot folder would replace one, and the next audit would take it
 * for its baseline and stop (a report is not a snapshot).
 */
async function refuseSnapshotName(target: OutputTarget, folder: string): Promise<void> {
  if (target.kind !== 'file' || parseSnapshotFileName(basename(target.path)) === null) return;
  const [outputFolder, snapshotFolder] = await Promise.all([stat(dirname(target.path)), stat(folder)]);
  if (outputFolder.dev === snapshotFolder.dev && outputFolder.ino === snapshotFolder.ino)
    throw new UsageError(
      `--output: ${basename(target.path)} is named like a kept snapshot in the --snapshot-dir folder ${folder}; write the report elsewhere or under another name`,
    );
}

/** The folder for kept snapshots: created when missing; a file there, or no write access, is refused now. */
async function prepareSnapshotFolder(folder: string): Promise<void> {
  const info = await stat(folder).catch(() => null);
  if (info && !info.isDirectory())
    throw new UsageError(
      `--snapshot-dir: ${folder} is a file, not a folder; name a folder to keep snapshots in`,
    );
  if (!info) {
    try {
      await mkdir(folder, { recursive: true });
    } catch (error) {
      throw new UsageError(
        `--snapshot-dir: cannot create the folder ${folder}: ${describeWriteError(error as NodeJS.ErrnoException)}`,
      );
    }
  }
  if (
    !(await access(folder, constants.W_OK).then(
      () => true,
      () => false,
    ))
  )
    throw new UsageError(`--snapshot-dir: cannot write to the folder ${folder}: permission denied`);
}
