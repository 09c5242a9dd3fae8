/**
 * The usage report's wording does not depend on the machine's locale: the same logs give the same report on a
 * Danish, Lithuanian or Turkish machine as on an English one. Each case runs the built module in its own process,
 * since a process takes its default locale from LANG / LC_ALL as it starts.
 */

import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { countedList } from '../../src/usage/wording.js';

const WORDING = fileURLToPath(new URL('../../dist/usage/wording.js', import.meta.url));

/** Domains that tie on their count; Danish sorts "aa" after "z", Lithuanian "y" right after "i". */
const TIED = ['zeta.com', 'ylan.com', 'aarhus.dk', 'ilan.com', 'mail.com'];

function countedListIn(locale: string): string {
  const script = `import { countedList } from ${JSON.stringify(WORDING)};
process.stdout.write(countedList(new Map(${JSON.stringify(TIED.map((name) => [name, 2]))}), 3));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, LC_ALL: locale, LANG: locale },
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  return result.stdout;
}

describe('countedList', () => {
  const english = 'aarhus.dk (2), ilan.com (2), mail.com (2) and 2 more';

  it('names tied entries in English alphabetical order', () => {
    expect(countedList(new Map(TIED.map((name) => [name, 2])), 3)).toBe(english);
  });

  it.each(['da_DK.UTF-8', 'lt_LT.UTF-8', 'tr_TR.UTF-8', 'C'])('names the same entries under %s', (locale) => {
    expect(countedListIn(locale)).toBe(english);
  });
});
