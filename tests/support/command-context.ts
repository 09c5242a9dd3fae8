import type { CommandContext } from '../../src/cli/context.js';

/** A command's context for tests that call a command's code directly: warnings are kept, not printed. */
export function recordingContext(): CommandContext & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    generator: 'exrelay test',
    warn: (message) => warnings.push(message),
    setExitCode: () => {},
    warnings,
  };
}
