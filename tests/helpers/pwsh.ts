/**
 * Tests that drive a real PowerShell 7. Without pwsh they are skipped with a note, except when
 * EXRELAY_REQUIRE_PWSH=1 (CI), where a missing pwsh is a failure rather than a silent pass.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, it } from '@jest/globals';

/** Absolute path of pwsh from PATH or the dotnet global tools folder; null when there is none. */
export function pwshPath(): string | null {
  const name = process.platform === 'win32' ? 'pwsh.exe' : 'pwsh';
  const folders = [...(process.env.PATH ?? '').split(delimiter), join(homedir(), '.dotnet', 'tools')];
  for (const folder of folders.filter((entry) => entry !== '')) {
    const candidate = join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return null;
}

/** `describe` for suites that need pwsh; `fn` receives its path. */
export function describeWithPwsh(name: string, fn: (pwsh: string) => void): void {
  const pwsh = pwshPath();
  if (pwsh !== null) {
    describe(name, () => fn(pwsh));
  } else if (process.env.EXRELAY_REQUIRE_PWSH === '1') {
    describe(name, () => {
      it('needs pwsh', () => {
        throw new Error(
          'pwsh was not found on PATH or in ~/.dotnet/tools, and EXRELAY_REQUIRE_PWSH=1 requires it',
        );
      });
    });
  } else {
    console.warn(`Skipping "${name}": pwsh was not found on PATH or in ~/.dotnet/tools.`);
    describe.skip(name, () => fn('pwsh'));
  }
}

/**
 * Writes `input` into `folder` and `lines` as a script beside it, and runs the script with pwsh -File and the
 * input's path, as an administrator runs a script on an export; its standard output. A failed run throws with
 * PowerShell's error.
 */
export function runPwshScriptOn(
  pwsh: string,
  folder: string,
  lines: readonly string[],
  input: { name: string; text: string },
): string {
  const file = join(folder, input.name);
  writeFileSync(file, input.text);
  const script = join(folder, 'script.ps1');
  writeFileSync(script, lines.join('\n'));
  const run = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-File', script, file], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`pwsh failed: ${run.stderr}`);
  return run.stdout;
}
