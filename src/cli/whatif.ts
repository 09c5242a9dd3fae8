/**
 * `exrelay whatif CHANGE.ps1 --against SNAPSHOT-OR-EXPORTS...`: what a change script will do to relay, before it
 * runs. The script is parsed by PowerShell's parser and never run (src/cli/change-script.ts); the rest is pure.
 */

import type { CommandModule } from 'yargs';
import type { CommandContext } from './context.js';
import { withChangeReportOptions, type ChangeReportArgs } from './change-options.js';

interface WhatIfArgs extends ChangeReportArgs {
  script: string;
  against: string[];
  connectedServer?: string;
  shell?: string;
  allowIncomplete?: boolean;
}

export function whatifCommand(context: CommandContext): CommandModule<object, WhatIfArgs> {
  return {
    command: 'whatif <script>',
    describe: 'Pre-change review: what a change script (.ps1) would do to relay, without running it',
    builder: (yargs) =>
      withChangeReportOptions(
        yargs
          .positional('script', { type: 'string', demandOption: true, describe: 'The change script (.ps1)' })
          .option('against', {
            type: 'string',
            array: true,
            demandOption: true,
            describe: 'The organisation today: snapshots, exports or folders, as analyze reads them',
          })
          .option('connected-server', {
            type: 'string',
            describe:
              "The Exchange server the script's shell is connected to (Get-ReceiveConnector without -Server, New-ReceiveConnector without -Server)",
          })
          .option('shell', {
            type: 'string',
            describe:
              'PowerShell executable that parses the script (default: pwsh; powershell.exe on Windows)',
          })
          .option('allow-incomplete', {
            type: 'boolean',
            describe:
              'Exit 0 even when statements could not be evaluated (by default an incomplete review exits 1)',
          }),
      ) as never,
    handler: async (argv) => {
      const [
        { loadInputs },
        { buildSnapshot },
        { readChangeScript },
        { whatIf },
        { regressions },
        { buildWhatIfReport },
        output,
        errors,
      ] = await Promise.all([
        import('../ingest/load-files.js'),
        import('../ingest/build-snapshot.js'),
        import('./change-script.js'),
        import('../change/whatif.js'),
        import('../diff/diff.js'),
        import('../report/diff/diff-report.js'),
        import('./change-output.js'),
        import('../errors.js'),
      ]);
      const failOn = output.failOnOf(argv);
      const target = await output.changeReportTarget(argv, [argv.script, ...argv.against]);
      const { snapshot, warnings } = buildSnapshot(await loadInputs(argv.against));
      for (const warning of warnings) context.warn(warning);
      let parsed;
      try {
        parsed = await readChangeScript(argv.script, { executable: argv.shell });
      } catch (error) {
        if (error instanceof errors.CollectionError)
          throw new errors.InputError(
            argv.script,
            `PowerShell is needed to read the change script: ${error.message}`,
          );
        throw error;
      }
      const first = parsed.parseErrors[0];
      if (first || !parsed.body)
        throw new errors.InputError(
          argv.script,
          `line ${first?.line ?? 0}, column ${first?.column ?? 0}: ${first?.message ?? 'no script'} (PowerShell's parser; the script is not valid PowerShell)`,
        );
      const result = whatIf(snapshot, parsed.body, {
        connectedServer: argv.connectedServer ?? null,
        generator: context.generator,
      });
      if (!result.complete)
        context.warn(
          `${result.evaluation.notEvaluated.length} statement(s) of ${argv.script} could not be evaluated: the review is incomplete (see "Not evaluated")`,
        );
      const report = buildWhatIfReport(argv.script, result, {
        generator: context.generator,
        failOn,
        regressions: regressions(result.diff, failOn).length,
        allowIncomplete: argv.allowIncomplete === true,
      });
      context.setExitCode(await output.emitChangeReport(report, argv, target));
    },
  };
}
