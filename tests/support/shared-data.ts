/**
 * The real Exchange 2019 lab exports in ../shared/data (read in place, never copied into the project). Tests
 * that need them run when the folder exists; without it they are skipped with a visible note, or fail where
 * EXRELAY_REQUIRE_LAB_DATA=1 (CI, which has ../shared beside its clone).
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeRequiring, itRequiring, type Requirement } from './required.js';

export const LAB_DIRECTORY = fileURLToPath(
  new URL('../../../shared/data/exchange2019-lab/', import.meta.url),
);
export const hasLabData = existsSync(LAB_DIRECTORY);

const LAB_DATA: Requirement = {
  what: `the real Exchange exports at ${LAB_DIRECTORY}`,
  available: hasLabData,
  requiredBy: 'EXRELAY_REQUIRE_LAB_DATA',
};

export function labFile(name: string): string {
  return `${LAB_DIRECTORY}${name}`;
}

export function labBytes(name: string): Buffer {
  return readFileSync(labFile(name));
}

/** `describe` for suites that read the real exports; without them the body is not even run (it reads files). */
export function describeWithLabData(name: string, fn: () => void): void {
  describeRequiring(LAB_DATA, name, fn);
}

/** `it` for single tests that read the real exports. */
export function itWithLabData(name: string, fn: () => void): void {
  itRequiring(LAB_DATA, name, fn);
}

/** Every Export-Clixml file among the fixtures, and the lab's where they are here. */
export function clixmlExports(): string[] {
  return [
    ...readdirSync('fixtures/orgs').flatMap((org) =>
      readdirSync(`fixtures/orgs/${org}`)
        .filter((name) => name.endsWith('.xml'))
        .map((name) => `fixtures/orgs/${org}/${name}`),
    ),
    ...(hasLabData
      ? readdirSync(LAB_DIRECTORY)
          .filter((name) => name.endsWith('.xml'))
          .map((name) => labFile(name))
      : []),
  ];
}
