import type { CommandModule } from 'yargs';
import { reportOptions, withReportOptions } from './report-output.js';
import type { CommandContext } from './context.js';

export interface UsageArgs {
  logs?: string[];
  against: string[];
  fromSnapshot?: boolean;
  jobs?: number;
  allowPartial?: boolean;
  refusedThreshold: number;
  heloThreshold: number;
  format: string;
  output?: string;
  failOn: string;
  showInfo?: boolean;
}

export function usageCommand(context: CommandContext): CommandModule<object, UsageArgs> {
  return {
    command: 'usage [logs..]',
    describe:
      'Read SMTP Receive protocol logs: who really relays through each connector (RECV*.LOG files or folders)',
    builder: (yargs) =>
      withReportOptions(
        yargs
          .positional('logs', {
            type: 'string',
            array: true,
            describe:
              'Protocol log files or folders (searched for RECV*.LOG, subfolders included); UNC paths work on Windows',
          })
          .option('against', {
            type: 'string',
            array: true,
            demandOption: true,
            describe: 'The organisation: an exrelay snapshot or export files/folders, as for analyze',
          })
          .option('from-snapshot', {
            type: 'boolean',
            describe:
              "Also read the log folders the snapshot records, over the servers' admin shares (Windows)",
          })
          .option('jobs', {
            type: 'number',
            describe: 'Threads reading logs (default: the cores available)',
          })
          .option('allow-partial', {
            type: 'boolean',
            describe:
              'Exit by findings even when some log lines or files could not be used (they are still reported)',
          })
          .option('refused-threshold', {
            type: 'number',
            default: 5,
            describe: 'Refused relay attempts from one address that make a finding',
          })
          .option('helo-threshold', {
            type: 'number',
            default: 10,
            describe: 'Distinct HELO names from one address that suggest a load balancer or NAT',
          }),
      ) as never,
    handler: async (argv) => {
      const options = reportOptions(argv);
      // The log reader and the analysis load here, not at start-up.
      const { runUsage } = await import('./usage-run.js');
      context.setExitCode(await runUsage(argv, options, context));
    },
  };
}
