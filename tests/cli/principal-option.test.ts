/**
 * --principal 'NAME=SID': one name given as two SIDs is refused. Before, the last one silently won, so the order
 * of the options decided whether the localized ANONYMOUS LOGON's relay grant was seen.
 */

import { describe, expect, it } from '@jest/globals';
import { parsePrincipalOption } from '../../src/cli/principal-option.js';
import { UsageError } from '../../src/errors.js';

const ANONYMOUS = 'NT-HALLINTA\\ANONYYMI KIRJAUTUMINEN';

describe('--principal', () => {
  it('reads NAME=SID, the SID in upper case', () => {
    expect(parsePrincipalOption([`${ANONYMOUS}=s-1-5-7`])).toEqual([
      { name: ANONYMOUS, sid: 'S-1-5-7', server: null },
    ]);
  });

  it('accepts a name given twice with the same SID', () => {
    expect(parsePrincipalOption([`${ANONYMOUS}=S-1-5-7`, `${ANONYMOUS.toLowerCase()}=s-1-5-7`])).toHaveLength(
      2,
    );
  });

  it('refuses a name given with two SIDs, in any case, naming both', () => {
    const twice = [`${ANONYMOUS}=S-1-5-11`, `${ANONYMOUS.toLowerCase()}=S-1-5-7`];
    expect(() => parsePrincipalOption(twice)).toThrow(UsageError);
    expect(() => parsePrincipalOption(twice)).toThrow(
      `--principal: ${JSON.stringify(ANONYMOUS.toLowerCase())} is given as S-1-5-11 and as S-1-5-7; give each name once`,
    );
  });
});
