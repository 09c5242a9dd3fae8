/** One PowerShell session that parses change scripts for a whole test file (starting pwsh takes a second). */

import { afterAll, beforeAll, expect } from '@jest/globals';
import { evaluateChangeScript } from '../../src/change/evaluate.js';
import { withScriptReader, type ScriptReader } from '../../src/cli/change-script.js';
import { buildSnapshot } from '../../src/ingest/build-snapshot.js';
import { loadInputs } from '../../src/ingest/load-files.js';

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

/**
 * For a describe block: one reader opened before its tests and closed after them, and `evaluate(script)` that
 * parses a script with it and evaluates it against a fixture organisation.
 */
export function fixtureEvaluator(pwsh: string, organisation = 'fixtures/orgs/fabrikam-2019') {
  let open: OpenReader;
  beforeAll(async () => {
    open = await openScriptReader(pwsh);
  });
  afterAll(async () => {
    await open.close();
  });
  return async function evaluate(script: string) {
    const [parsed] = await open.reader.parseTexts([script]);
    expect(parsed?.parseErrors).toEqual([]);
    const { snapshot } = buildSnapshot(await loadInputs([organisation]));
    return evaluateChangeScript(snapshot, parsed!.body!);
  };
}
