/**
 * `exrelay audit`: collect and analyse in one go, for scheduled audits. The report options and exit codes are
 * those of analyze, except that a failed or partial collection exits 3 (it wins over findings' 1) unless
 * --allow-partial accepts the gaps.
 */

import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';
import {
  assertWritableFolder,
  collectionRequest,
  partialSnapshotError,
  runCollection,
  snapshotFileName,
  withCollectOptions,
  writeSnapshot,
  type CollectArgs,
} from './collect.js';
import type { CommandContext } from './context.js';
import { emitReport, reportOptions, withReportOptions } from './report-output.js';

interface AuditArgs extends CollectArgs {
  format: string;
  output?: string;
  failOn: string;
  showInfo?: boolean;
  snapshotDir?: string;
}

export function auditCommand(context: CommandContext): CommandModule<object, AuditArgs> {
  return {
    command: 'audit',
    describe: 'Collect through PowerShell and analyse at once (for scheduled audits)',
    builder: (yargs) =>
      withReportOptions(withCollectOptions(yargs)).option('snapshot-dir', {
        type: 'string',
        describe: 'Also keep the snapshot there, as exrelay-snapshot-<yyyyMMdd-HHmmss>.json (UTC)',
      }) as never,
    handler: async (argv) => {
      const options = reportOptions(argv);
      const request = await collectionRequest(argv);
      if (options.output !== undefined) await assertWritableFolder(dirname(options.output), '--output');
      if (argv.snapshotDir !== undefined) await createFolder(argv.snapshotDir);
      const started = new Date();
      const collected = await runCollection(request, context);
      let kept: string | null = null;
      if (argv.snapshotDir !== undefined) {
        kept = join(argv.snapshotDir, snapshotFileName(started));
        await writeSnapshot(kept, collected);
        if (!request.quiet) process.stderr.write(`exrelay: snapshot kept in ${kept}\n`);
      }
      // The same path as `exrelay analyze <snapshot>`, so an audit and a later analysis agree.
      const [{ buildSnapshot }, { evaluateToStream }] = await Promise.all([
        import('../ingest/build-snapshot.js'),
        import('../pipeline.js'),
      ]);
      const { snapshot, warnings } = buildSnapshot([
        { file: kept ?? 'collected snapshot', format: 'snapshot', snapshot: collected },
      ]);
      for (const warning of warnings) context.warn(warning);
      const exitCode = await emitReport(evaluateToStream(snapshot, context.generator), options);
      if (snapshot.partial && !request.allowPartial) throw partialSnapshotError(snapshot, kept);
      context.setExitCode(exitCode);
    },
  };
}

async function createFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw new UsageError(`--snapshot-dir: cannot create the folder ${folder}: ${(error as Error).message}`);
  }
}
