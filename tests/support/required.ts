/**
 * Tests that need something of the machine: the real Exchange exports in ../shared/data, a pseudo-terminal.
 * Where it is missing they are skipped with a visible note, except when an environment variable requires it
 * (.ci/run sets them): then the missing piece is a failing test, never a quiet pass.
 */

import { describe, it } from '@jest/globals';

export interface Requirement {
  /** What the tests need, for messages: "the real Exchange exports at …". */
  what: string;
  available: boolean;
  /** The environment variable that makes it required, e.g. EXRELAY_REQUIRE_TERMINAL. */
  requiredBy: string;
}

function required(requirement: Requirement): boolean {
  return process.env[requirement.requiredBy] === '1';
}

function failure(requirement: Requirement): Error {
  return new Error(`${requirement.what} is missing, and ${requirement.requiredBy}=1 requires it`);
}

/** `describe` that runs when the requirement is met. */
export function describeRequiring(requirement: Requirement, name: string, fn: () => void): void {
  if (requirement.available) describe(name, fn);
  else if (required(requirement))
    describe(name, () => {
      it(`needs ${requirement.what}`, () => {
        throw failure(requirement);
      });
    });
  else {
    console.warn(`Skipping "${name}": ${requirement.what} is missing.`);
    it.skip(`${name} (needs ${requirement.what})`, () => undefined);
  }
}

/** `it` that runs when the requirement is met. */
export function itRequiring(requirement: Requirement, name: string, fn: () => void): void {
  if (requirement.available) it(name, fn);
  else if (required(requirement))
    it(name, () => {
      throw failure(requirement);
    });
  else {
    console.warn(`Skipping "${name}": ${requirement.what} is missing.`);
    it.skip(name, fn);
  }
}
