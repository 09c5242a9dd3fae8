/** `exrelay diff OLD NEW`: what changed between two states of an organisation (snapshots, exports or folders). */

import type { CommandModule } from 'yargs';
import type { CommandContext } from './context.js';
import { withChangeReportOptions, type ChangeReportArgs } from './change-options.js';

interface DiffArgs extends ChangeReportArgs {
  old: string;
  new: string;
}

export function diffCommand(context: CommandContext): CommandModule<object, DiffArgs> {
  return {
    command: 'diff <old> <new>',
    describe:
      'Compare two audits: connectors, ranges, permissions, effective scope and findings that changed',
    builder: (yargs) =>
      withChangeReportOptions(
        yargs
          .positional('old', {
            type: 'string',
            demandOption: true,
            describe: 'The earlier state: a snapshot, export file or folder',
          })
          .positional('new', { type: 'string', demandOption: true, describe: 'The later state' }),
      ) as never,
    handler: async (argv) => {
      const [
        { loadInputs },
        { buildSnapshot },
        { evaluate },
        { diffOrganizations, regressions },
        { buildDiffReport },
        output,
      ] = await Promise.all([
        import('../ingest/load-files.js'),
        import('../ingest/build-snapshot.js'),
        import('../pipeline.js'),
        import('../diff/diff.js'),
        import('../report/diff/diff-report.js'),
        import('./change-output.js'),
      ]);
      const failOn = output.failOnOf(argv);
      const load = async (path: string) => {
        const { snapshot, warnings } = buildSnapshot(await loadInputs([path]));
        for (const warning of warnings) context.warn(warning);
        return evaluate(snapshot, context.generator);
      };
      const before = await load(argv.old);
      const after = await load(argv.new);
      const diff = diffOrganizations(before, after);
      const report = buildDiffReport(before, after, diff, {
        generator: context.generator,
        failOn,
        regressions: regressions(diff, failOn).length,
      });
      context.setExitCode(await output.emitChangeReport(report, argv));
    },
  };
}
