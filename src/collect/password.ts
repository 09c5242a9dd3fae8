/**
 * The password for --credential-user: EXRELAY_PASSWORD, or typed at a hidden prompt on the terminal. It is never
 * echoed, logged or written anywhere; it travels to PowerShell as run() data only.
 */

import { UsageError } from '../errors.js';

export const PASSWORD_VARIABLE = 'EXRELAY_PASSWORD';

/** The terminal the prompt needs; process.stdin and process.stderr fit. */
export interface PromptInput {
  isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface PromptOutput {
  write(text: string): unknown;
}

export async function readPassword(
  userName: string,
  env: NodeJS.ProcessEnv,
  input: PromptInput,
  output: PromptOutput,
): Promise<string> {
  const fromEnvironment = env[PASSWORD_VARIABLE];
  if (fromEnvironment !== undefined && fromEnvironment !== '') return fromEnvironment;
  if (!input.isTTY || !input.setRawMode) {
    throw new UsageError(
      `--credential-user ${userName} needs a password: set ${PASSWORD_VARIABLE} or run exrelay in a terminal to be asked for it`,
    );
  }
  const password = await promptHidden(`Password for ${userName}: `, input, output);
  if (password === '') throw new UsageError(`no password was entered for ${userName}`);
  return password;
}

const ENTER = new Set(['\r', '\n']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = new Set(['\u0008', '\u007f']);

/** Reads one line in raw mode so that nothing typed is echoed. */
function promptHidden(prompt: string, input: PromptInput, output: PromptOutput): Promise<string> {
  output.write(prompt);
  input.setRawMode?.(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (outcome: () => void) => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      outcome();
    };
    const onData = (chunk: Buffer | string) => {
      for (const character of chunk.toString()) {
        if (ENTER.has(character) || character === CTRL_D) return finish(() => resolve(typed));
        if (character === CTRL_C) return finish(() => reject(new UsageError('password prompt cancelled')));
        if (BACKSPACE.has(character)) typed = [...typed].slice(0, -1).join('');
        else if (character >= ' ') typed += character;
      }
    };
    input.on('data', onData);
  });
}
