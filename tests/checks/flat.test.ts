/** The flat tag must say exactly what the template literal without it says: messages stay byte-identical. */

import { describe, expect, it } from '@jest/globals';
import { flat } from '../../src/checks/flat.js';

describe('flat', () => {
  it('writes the same text as the untagged template literal', () => {
    const name = 'EX01\\Relay';
    const count = 65_536n;
    expect(flat`'${name}' receives ${count} addresses on port ${25}.`).toBe(
      `'${name}' receives ${count} addresses on port ${25}.`,
    );
    expect(flat`${name}${''}${-0}${1.5}`).toBe(`${name}${''}${-0}${1.5}`);
    expect(flat`no parts`).toBe('no parts');
    expect(flat``).toBe('');
  });
});
