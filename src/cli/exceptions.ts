/** `exrelay exceptions init FILES.. --out FILE`: a starter exceptions file from today's findings. */

import type { CommandModule } from 'yargs';
import type { CommandContext } from './context.js';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

interface InitArgs {
  files: string[];
  out: string;
  minSeverity: string;
}

function initCommand(context: CommandContext): CommandModule<object, InitArgs> {
  return {
    command: 'init <files..>',
    describe:
      'Write a starter exceptions file: one entry per finding, reason, owner and expires left to fill in',
    builder: (yargs) =>
      yargs
        .positional('files', {
          type: 'string',
          array: true,
          demandOption: true,
          describe: 'What analyze reads: a snapshot (e.g. the latest in --snapshot-dir), exports or folders',
        })
        .option('out', {
          type: 'string',
          demandOption: true,
          describe: 'The file to write (never over an existing file)',
        })
        .option('min-severity', {
          choices: SEVERITIES,
          default: 'low',
          describe: 'List findings at or above this severity',
        }) as never,
    handler: async (argv) => {
      const { writeStarterFile } = await import('./exceptions-init.js');
      await writeStarterFile(argv, context);
    },
  };
}

export function exceptionsCommand(context: CommandContext): CommandModule<object, object> {
  return {
    command: 'exceptions <command>',
    describe: "Approved exceptions: exrelay exceptions init writes a starter file from today's findings",
    builder: (yargs) =>
      yargs.command(initCommand(context)).demandCommand(1, 'Name an exceptions command: init') as never,
    handler: () => undefined,
  };
}
