/**
 * `exrelay audit`: collect and analyse in one go, for scheduled audits. The report options and exit codes are
 * those of analyze, except that a failed or partial collection exits 3 (it wins over findings' 1) unless
 * --allow-partial accepts the gaps.
 */

import { access, constants, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';
import {
  collectionRequest,
  partialSnapshotError,
  runCollection,
  snapshotFileName,
  withCollectOptions,
  writeSnapshot,
  type CollectArgs,
} from './collect.js';
import type { CommandContext } from './context.js';
import { describeFsError, resolveOutput } from './output-path.js';
import { terminalMessage } from '../report/untrusted-text.js';
import { parsePrincipalOption, withPrincipalNames, withPrincipalOption } from './principal-option.js';
import { emitReport, reportOptions, withReportOptions } from './report-output.js';

interface AuditArgs extends CollectArgs {
  format: string;
  output?: string;
  failOn: string;
  showInfo?: boolean;
  verbose?: boolean;
  snapshotDir?: string;
  principal?: string[];
}

export function auditCommand(context: CommandContext): CommandModule<object, AuditArgs> {
  return {
    command: 'audit',
    describe: 'Collect through PowerShell and analyse at once (for scheduled audits)',
    builder: (yargs) =>
      withPrincipalOption(withReportOptions(withCollectOptions(yargs))).option('snapshot-dir', {
        type: 'string',
        describe: 'Also keep the snapshot there, as exrelay-snapshot-<yyyyMMdd-HHmmss>.json (UTC)',
      }) as never,
    handler: async (argv) => {
      const options = reportOptions(argv);
      const principals = parsePrincipalOption(argv.principal);
      // Output paths first, before the password prompt and the collection: a wrong path costs nothing.
      const target = options.output === undefined ? null : await resolveOutput(options.output, '--output');
      if (argv.snapshotDir !== undefined) await prepareSnapshotFolder(argv.snapshotDir);
      const request = await collectionRequest(argv);
      const started = new Date();
      const collected = await runCollection(request, context);
      let kept: string | null = null;
      if (argv.snapshotDir !== undefined) {
        kept = join(argv.snapshotDir, snapshotFileName(started));
        await writeSnapshot({ kind: 'file', path: kept, mode: null }, collected);
        if (!request.quiet) process.stderr.write(`exrelay: snapshot kept in ${terminalMessage(kept)}\n`);
      }
      // The same path as `exrelay analyze <snapshot>`, so an audit and a later analysis agree.
      const [{ buildSnapshot }, { evaluateToStream }] = await Promise.all([
        import('../ingest/build-snapshot.js'),
        import('../pipeline.js'),
      ]);
      const { snapshot, warnings } = buildSnapshot(
        [{ file: kept ?? 'collected snapshot', format: 'snapshot', snapshot: collected }],
        { listAll: options.verbose },
      );
      for (const warning of warnings) context.warn(warning);
      const exitCode = await emitReport(
        evaluateToStream(withPrincipalNames(snapshot, principals), context.generator),
        options,
        target,
      );
      if (snapshot.partial && !request.allowPartial) throw partialSnapshotError(snapshot, kept);
      context.setExitCode(exitCode);
    },
  };
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
        `--snapshot-dir: cannot create the folder ${folder}: ${describeFsError(error as NodeJS.ErrnoException)}`,
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
