/**
 * --principal 'NAME=SID' (repeatable) on analyze and audit: how the organisation's servers print a principal,
 * for exports without SIDs from a server language exrelay does not know. Added to the snapshot's
 * principalNames (server null), where the analysis finds it.
 */

import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import type { PrincipalName, Snapshot } from '../model/snapshot.js';

const SID = /^S-1(-\d+)+$/i;

export function withPrincipalOption<T>(yargs: Argv<T>) {
  return yargs.option('principal', {
    type: 'string',
    array: true,
    describe:
      "How the servers print a principal, as NAME=SID (repeatable), e.g. 'NT-HALLINTA\\ANONYYMI KIRJAUTUMINEN=S-1-5-7'",
  });
}

/** Account names cannot hold '=', SIDs never do: the last '=' separates them. */
export function parsePrincipalOption(values: readonly string[] | undefined): PrincipalName[] {
  const names = (values ?? []).map((value) => {
    const at = value.lastIndexOf('=');
    const name = at > 0 ? value.slice(0, at).trim() : '';
    const sid = at > 0 ? value.slice(at + 1).trim() : '';
    if (name === '' || !SID.test(sid))
      throw new UsageError(
        `--principal ${JSON.stringify(value)}: expected NAME=SID, e.g. 'NT-HALLINTA\\ANONYYMI KIRJAUTUMINEN=S-1-5-7'`,
      );
    return { name, sid: sid.toUpperCase(), server: null };
  });
  refuseTwoSids(names);
  return names;
}

/**
 * One name given as two SIDs is ambiguous: the analysis would take the last, so the order of the options would
 * decide whether a relay grant is seen. Names are compared as the analysis matches them (principals.ts).
 */
function refuseTwoSids(names: readonly PrincipalName[]): void {
  const seen = new Map<string, string>();
  for (const { name, sid } of names) {
    const key = name.normalize('NFC').toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined && earlier !== sid)
      throw new UsageError(
        `--principal: ${JSON.stringify(name)} is given as ${earlier} and as ${sid}; give each name once`,
      );
    seen.set(key, sid);
  }
}

export function withPrincipalNames(snapshot: Snapshot, names: readonly PrincipalName[]): Snapshot {
  if (names.length === 0) return snapshot;
  return { ...snapshot, principalNames: [...(snapshot.principalNames ?? []), ...names] };
}
