/** `exrelay diff OLD NEW`: what changed between two states of an organisation (snapshots, exports or folders). */

import type { CommandModule } from 'yargs';
import type { CommandContext } from './context.js';
import { withChangeReportOptions, type ChangeReportArgs } from './change-options.js';
import { inputsOf } from './output-path.js';
import { localDate, withExceptionsOption, type ExceptionsArgs } from './exceptions-option.js';

interface DiffArgs extends ChangeReportArgs, ExceptionsArgs {
  old: string;
  new: string;
}

export function diffCommand(context: CommandContext): CommandModule<object, DiffArgs> {
  return {
    command: 'diff <old> <new>',
    describe:
      'Compare two audits: connectors, ranges, permissions, effective scope and findings that changed',
    builder: (yargs) =>
      withExceptionsOption(
        withChangeReportOptions(
          yargs
            .positional('old', {
              type: 'string',
              demandOption: true,
              describe: 'The earlier state: a snapshot, export file or folder',
            })
            .positional('new', { type: 'string', demandOption: true, describe: 'The later state' }),
        ),
      ) as never,
    handler: async (argv) => {
      const [
        { loadInputs },
        { buildSnapshot },
        { evaluate },
        { diffOrganizations, noConnectorInCommon, uncheckedDomainFindings, uncheckedServers },
        { buildDiffReport },
        output,
        { loadExceptions, withExceptionsFile },
        { unacceptedRegressions, markExceptions },
      ] = await Promise.all([
        import('../ingest/load-files.js'),
        import('../ingest/build-snapshot.js'),
        import('../pipeline.js'),
        import('../diff/diff.js'),
        import('../report/diff/diff-report.js'),
        import('./change-output.js'),
        import('./load-exceptions.js'),
        import('../history/changes.js'),
      ]);
      const failOn = output.failOnOf(argv);
      const target = await output.changeReportTarget(argv, inputsOf(argv.old, argv.new, argv.exceptions));
      const today = localDate(new Date());
      const exceptions = await loadExceptions(argv.exceptions, today);
      // The later state is judged on today; the earlier one on the day it was collected, so that an exception
      // that expired in between shows as a change.
      const load = async (path: string, side: 'old' | 'new') => {
        const { snapshot, warnings } = buildSnapshot(await loadInputs([path]));
        for (const warning of warnings) context.warn(warning);
        const judged = exceptions && {
          ...exceptions,
          today:
            side === 'old' && snapshot.collectedAt !== null
              ? localDate(new Date(snapshot.collectedAt))
              : today,
        };
        return withExceptionsFile(judged, () => evaluate(snapshot, context.generator, judged));
      };
      const before = await load(argv.old, 'old');
      const after = await load(argv.new, 'new');
      const diff = diffOrganizations(before, after);
      if (noConnectorInCommon(diff, before, after))
        context.warn(
          `${argv.old} and ${argv.new} have no receive connector in common (by GUID, DN or identity): they may be two different organisations, and every connector shows as removed and added`,
        );
      const unchecked = uncheckedDomainFindings(before, after);
      if (unchecked > 0)
        context.warn(
          `${argv.new} holds no accepted domains: ${unchecked} accepted-domain finding${unchecked === 1 ? '' : 's'} of ${argv.old} could not be checked again and count${unchecked === 1 ? 's' : ''} as unchanged, not resolved`,
        );
      const unread = uncheckedServers(before, after);
      if (unread.servers.length > 0)
        context.warn(
          `${argv.new} lists ${unread.servers.join(', ')} but holds none of ${unread.servers.length === 1 ? 'its' : 'their'} receive connectors: ${unread.connectors} connector${unread.connectors === 1 ? '' : 's'} of ${argv.old} were not compared, and their findings count as unchanged, not resolved`,
        );
      const counted = unacceptedRegressions(diff, failOn, after.findings);
      const report = buildDiffReport(before, after, markExceptions(diff, after.findings), {
        generator: context.generator,
        failOn,
        regressions: counted.length,
      });
      context.setExitCode(await output.emitChangeReport(report, argv, target));
    },
  };
}
