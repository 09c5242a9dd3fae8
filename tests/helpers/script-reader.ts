/** One PowerShell session that parses change scripts for a whole test file (starting pwsh takes a second). */

import { withScriptReader, type ScriptReader } from '../../src/cli/change-script.js';

export interface OpenReader {
  reader: ScriptReader;
  close(): Promise<void>;
}

export async function openScriptReader(pwsh: string): Promise<OpenReader> {
  let release: () => void = () => undefined;
  let done: Promise<void> = Promise.resolve();
  const reader = await new Promise<ScriptReader>((ready) => {
    done = withScriptReader({ executable: pwsh }, (opened) => {
      ready(opened);
      return new Promise<void>((resolve) => (release = resolve));
    });
  });
  return {
    reader,
    close: async () => {
      release();
      await done;
    },
  };
}
