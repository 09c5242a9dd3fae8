import type { CommandModule } from 'yargs';
import type { CommandContext } from './context.js';

interface ChecksArgs {
  format: string;
}

export function checksCommand(_context: CommandContext): CommandModule<object, ChecksArgs> {
  return {
    command: 'checks',
    describe: 'List every check: id, title, severity rule and docs page',
    builder: (yargs) =>
      yargs.option('format', {
        alias: 'f',
        choices: ['text', 'json'],
        default: 'text',
        describe: 'Output format',
      }) as never,
    handler: async (argv) => {
      const [{ CHECKS }, { docsPath }, { writeToStream }] = await Promise.all([
        import('../checks/registry.js'),
        import('../checks/check.js'),
        import('./atomic-write.js'),
      ]);
      const checks = CHECKS.map((check) => ({ ...check.meta, docs: docsPath(check.meta.id) }));
      if (argv.format === 'json') {
        await writeToStream(process.stdout, [`${JSON.stringify(checks, null, 2)}\n`]);
        return;
      }
      const lines = checks.flatMap((check) => [
        `${check.id} — ${check.title}`,
        `  Severity: ${check.severityRule}`,
        `  ${check.explanation}`,
        `  Messages: ${Object.keys(check.messages).join(', ')}`,
        `  Docs: ${check.docs}`,
        '',
      ]);
      await writeToStream(process.stdout, [lines.join('\n')]);
    },
  };
}
