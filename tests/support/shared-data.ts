/**
 * The real Exchange 2019 lab exports in ../shared/data (read in place, never copied into the project). Tests
 * that need them run when the folder exists, and are skipped with a visible note when it does not.
 */

import { describe, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const LAB_DIRECTORY = fileURLToPath(
  new URL('../../../shared/data/exchange2019-lab/', import.meta.url),
);
export const hasLabData = existsSync(LAB_DIRECTORY);

export function labFile(name: string): string {
  return `${LAB_DIRECTORY}${name}`;
}

export function labBytes(name: string): Buffer {
  return readFileSync(labFile(name));
}

function note(name: string): void {
  console.warn(`Skipping "${name}": the real Exchange exports are not at ${LAB_DIRECTORY}.`);
}

/** `describe` for suites that read the real exports; without them the body is not even run (it reads files). */
export function describeWithLabData(name: string, fn: () => void): void {
  if (hasLabData) describe(name, fn);
  else {
    note(name);
    it.skip(`${name} (needs the real Exchange exports)`, () => undefined);
  }
}

/** `it` for single tests that read the real exports. */
export function itWithLabData(name: string, fn: () => void): void {
  if (hasLabData) it(name, fn);
  else {
    note(name);
    it.skip(name, fn);
  }
}
