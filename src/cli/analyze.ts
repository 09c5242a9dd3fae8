import type { CommandModule } from 'yargs';
import { parsePrincipalOption, withPrincipalNames, withPrincipalOption } from './principal-option.js';
import { emitReport, reportOptions, withReportOptions } from './report-output.js';
import type { CommandContext } from './context.js';
import { inputsOf, resolveOutput } from './output-path.js';
import { localDate, withExceptionsOption, type ExceptionsArgs } from './exceptions-option.js';

interface AnalyzeArgs extends ExceptionsArgs {
  files: string[];
  format: string;
  output?: string;
  failOn: string;
  showInfo?: boolean;
  verbose?: boolean;
  principal?: string[];
}

export function analyzeCommand(context: CommandContext): CommandModule<object, AnalyzeArgs> {
  return {
    command: 'analyze <files..>',
    describe: 'Analyse exported files (CLIXML, ConvertTo-Json or exrelay snapshots; files or folders)',
    builder: (yargs) =>
      withExceptionsOption(
        withPrincipalOption(
          withReportOptions(
            yargs.positional('files', {
              type: 'string',
              array: true,
              demandOption: true,
              describe: 'Export files, or folders holding them; all are merged into one organisation',
            }),
          ),
        ),
      ) as never,
    handler: async (argv) => {
      const options = reportOptions(argv);
      const principals = parsePrincipalOption(argv.principal);
      // Before anything is read: a wrong --output costs nothing, and never replaces an input.
      const target =
        options.output === undefined
          ? null
          : await resolveOutput(options.output, '--output', inputsOf(argv.files, argv.exceptions));
      // The pipeline loads here, not at start-up: --help and the other commands never need it.
      const [
        { loadInputs },
        { buildSnapshot },
        { evaluateToStream },
        { loadExceptions, withExceptionsFile },
      ] = await Promise.all([
        import('../ingest/load-files.js'),
        import('../ingest/build-snapshot.js'),
        import('../pipeline.js'),
        import('./load-exceptions.js'),
      ]);
      const exceptions = await loadExceptions(argv.exceptions, localDate(new Date()));
      const { snapshot, warnings } = buildSnapshot(await loadInputs(argv.files), {
        listAll: options.verbose,
      });
      for (const warning of warnings) context.warn(warning);
      const report = withExceptionsFile(exceptions, () =>
        evaluateToStream(withPrincipalNames(snapshot, principals), context.generator, exceptions),
      );
      context.setExitCode(await emitReport(report, options, target));
    },
  };
}
