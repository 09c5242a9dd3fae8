/**
 * The PowerShell edge of `exrelay whatif`: a change script (or exrelay's own fix commands) is parsed by
 * PowerShell's own parser in scripts/Read-ExrelayChangeScript.ps1, run through the collection runner. The script's
 * bytes and the texts travel as data; the change script itself is never run.
 */

import { CHANGE_SCRIPT_READER, loadScript } from '../collect/scripts.js';
import { startPowerShell, type PowerShellSession } from '../collect/powershell-runner.js';
import { InputError } from '../errors.js';
import { readRegularFile } from '../file-probe.js';
import { readParsedScripts, ScriptTreeError, type ParsedScript } from '../change/script-ast.js';

export interface ReaderOptions {
  /** PowerShell executable (--shell); powershell.exe on Windows, pwsh elsewhere by default. */
  executable?: string;
  timeoutMs?: number;
}

/** A change script this large is not one an administrator reviews (the largest real ones are a few KB). */
const MAX_CHANGE_SCRIPT_BYTES = 8 * 1024 * 1024;

/**
 * The script's bytes, read here through the descriptor that was checked to be a regular file: PowerShell's parser
 * opening the path itself would wait for ever on a FIFO swapped in after the check, and read a device without end.
 * PowerShell decodes them as its ParseFile would (script-reader argument `Bytes`).
 */
function readScriptBytes(path: string): string {
  return readRegularFile(path, MAX_CHANGE_SCRIPT_BYTES, 'larger than 8 MiB; not a change script').toString(
    'base64',
  );
}

/** Parse one change script file. Exit 2 (InputError) when it cannot be read; 3 when PowerShell cannot be started. */
export async function readChangeScript(path: string, options: ReaderOptions = {}): Promise<ParsedScript> {
  const [parsed] = await parseWith(options, { Bytes: readScriptBytes(path), Text: [] }, path);
  return parsed as ParsedScript;
}

/** Parse script texts (fix commands) in one PowerShell run; results in the same order. */
export async function parseScriptTexts(
  texts: readonly string[],
  options: ReaderOptions = {},
): Promise<ParsedScript[]> {
  if (texts.length === 0) return [];
  return parseWith(options, { Text: [...texts] }, null);
}

/** One session for several parses (the closed-loop tests parse every fix of every organisation). */
export interface ScriptReader {
  parseTexts(texts: readonly string[]): Promise<ParsedScript[]>;
  parseFile(path: string): Promise<ParsedScript>;
}

export async function withScriptReader<T>(
  options: ReaderOptions,
  use: (reader: ScriptReader) => Promise<T>,
): Promise<T> {
  const script = await loadScript(CHANGE_SCRIPT_READER);
  const session = await startPowerShell({
    executable: options.executable,
    timeoutMs: options.timeoutMs ?? 60_000,
  });
  try {
    return await use({
      parseTexts: async (texts) =>
        texts.length === 0
          ? []
          : decode(await session.run(script, { Text: [...texts] }, { label: 'parsing fix commands' }), null),
      parseFile: async (path) =>
        decode(
          await session.run(script, { Bytes: readScriptBytes(path), Text: [] }, { label: `parsing ${path}` }),
          path,
        )[0] as ParsedScript,
    });
  } finally {
    await session.dispose();
  }
}

async function parseWith(
  options: ReaderOptions,
  args: { Bytes?: string; Text: string[] },
  file: string | null,
): Promise<ParsedScript[]> {
  const reader = await loadScript(CHANGE_SCRIPT_READER);
  let session: PowerShellSession | null = null;
  try {
    session = await startPowerShell({
      executable: options.executable,
      timeoutMs: options.timeoutMs ?? 60_000,
    });
    const output = await session.run(reader, args, {
      label: file ? `parsing ${file}` : 'parsing fix commands',
    });
    return decode(output, file);
  } finally {
    await session?.dispose();
  }
}

function decode(output: string, file: string | null): ParsedScript[] {
  try {
    return readParsedScripts(JSON.parse(output));
  } catch (error) {
    const problem =
      error instanceof ScriptTreeError || error instanceof SyntaxError ? error.message : String(error);
    throw new InputError(file, `unexpected output from ${CHANGE_SCRIPT_READER}: ${problem}`);
  }
}
