import { describe, expect, it } from '@jest/globals';
import {
  appliesToObject,
  canonicalOrder,
  coverage,
  decide,
  decidingRank,
  effectiveRights,
  holds,
  rankAllows,
  Right,
} from '../../src/analysis/grants.js';
import type { AccessControlEntry } from '../../src/model/snapshot.js';
import { ace, directoryOfAcl, grant, RELAY, SID, SUBMIT } from '../support/builders.js';

const ANONYMOUS = 'NT AUTHORITY\\ANONYMOUS LOGON';

function anonymousRelay(acl: Parameters<typeof effectiveRights>[0]): boolean {
  return holds(
    effectiveRights(acl, directoryOfAcl([...acl])).find(
      (principal) => principal.identity.wellKnown === 'anonymous',
    ),
    Right.AcceptAnyRecipient,
  );
}

describe('effective rights in canonical order', () => {
  it('grants a right named by an explicit allow ACE', () => {
    expect(anonymousRelay([grant(ANONYMOUS, RELAY)])).toBe(true);
  });

  it('lets an explicit deny beat an explicit allow, whatever the order of the ACEs', () => {
    expect(anonymousRelay([grant(ANONYMOUS, RELAY), grant(ANONYMOUS, RELAY, { deny: true })])).toBe(false);
    expect(anonymousRelay([grant(ANONYMOUS, RELAY, { deny: true }), grant(ANONYMOUS, RELAY)])).toBe(false);
  });

  it('lets an explicit allow beat an inherited deny', () => {
    expect(
      anonymousRelay([grant(ANONYMOUS, RELAY, { deny: true, inherited: true }), grant(ANONYMOUS, RELAY)]),
    ).toBe(true);
  });

  it('lets an explicit deny beat an inherited allow', () => {
    expect(
      anonymousRelay([grant(ANONYMOUS, RELAY, { inherited: true }), grant(ANONYMOUS, RELAY, { deny: true })]),
    ).toBe(false);
  });

  it('lets an inherited deny beat an inherited allow', () => {
    expect(
      anonymousRelay([
        grant(ANONYMOUS, RELAY, { inherited: true }),
        grant(ANONYMOUS, RELAY, { inherited: true, deny: true }),
      ]),
    ).toBe(false);
  });

  it('also decides in the order the ACL is listed, explicit entries first, when that order is not canonical', () => {
    const decide = (acl: ReturnType<typeof grant>[]) =>
      effectiveRights(acl, directoryOfAcl(acl))[0]?.rights.get(Right.AcceptAnyRecipient);
    // An inherited allow from the parent listed before an inherited deny from further up: Windows grants.
    expect(
      decide([
        grant(ANONYMOUS, RELAY, { inherited: true }),
        grant(ANONYMOUS, RELAY, { inherited: true, deny: true }),
      ]),
    ).toMatchObject({ granted: false, grantedAsListed: true });
    // An inherited entry listed first still comes after the explicit ones.
    expect(
      decide([grant(ANONYMOUS, RELAY, { inherited: true }), grant(ANONYMOUS, RELAY, { deny: true })]),
    ).toMatchObject({ granted: false, grantedAsListed: false });
    expect(decide([grant(ANONYMOUS, RELAY, { deny: true }), grant(ANONYMOUS, RELAY)])).toMatchObject({
      granted: false,
      grantedAsListed: false,
    });
  });

  it('grants through an inherited allow when nothing else decides', () => {
    const rights = effectiveRights(
      [grant(ANONYMOUS, RELAY, { inherited: true, inheritanceType: 'All' })],
      directoryOfAcl([grant(ANONYMOUS, RELAY, { inherited: true, inheritanceType: 'All' })]),
    );
    const decided = rights[0]?.rights.get(Right.AcceptAnyRecipient);
    expect(decided).toEqual({
      granted: true,
      grantedAsListed: true,
      decidedBy: { inherited: true, deny: false, source: 'extended-right', inheritanceType: 'All' },
      allows: [{ inherited: true, deny: false, source: 'extended-right', inheritanceType: 'All' }],
    });
  });

  it('ignores inherit-only ACEs meant for child objects', () => {
    expect(anonymousRelay([grant(ANONYMOUS, RELAY, { inheritanceType: 'Descendents' })])).toBe(false);
    expect(anonymousRelay([grant(ANONYMOUS, RELAY, { inheritanceType: 'Children' })])).toBe(false);
    expect(appliesToObject(grant(ANONYMOUS, RELAY, { inheritanceType: 'SelfAndChildren' }))).toBe(true);
  });

  it('recognises inherit-only types in any case', () => {
    expect(appliesToObject(grant(ANONYMOUS, RELAY, { inheritanceType: 'DESCENDENTS' }))).toBe(false);
    expect(appliesToObject(grant(ANONYMOUS, RELAY, { inheritanceType: 'children' }))).toBe(false);
    expect(appliesToObject(grant(ANONYMOUS, RELAY, { inheritanceType: 'None' }))).toBe(true);
    expect(appliesToObject(grant(ANONYMOUS, RELAY, { inheritanceType: null }))).toBe(true);
  });

  it('describes each covering ACE by its own facts, however many combinations an ACL holds', () => {
    const acl = [
      grant(ANONYMOUS, RELAY, { inherited: true, deny: true, inheritanceType: 'All' }),
      grant(ANONYMOUS, RELAY, { inherited: true, inheritanceType: 'SelfAndChildren' }),
      grant(ANONYMOUS, RELAY, { inherited: true, inheritanceType: 'Custom' }),
      grant(ANONYMOUS, RELAY, { inheritanceType: null }),
      ace({ user: ANONYMOUS, accessRights: ['GenericAll'], inheritanceType: 'None' }),
    ];
    const decided = effectiveRights(acl, directoryOfAcl(acl))[0]?.rights.get(Right.AcceptAnyRecipient);
    expect(decided?.decidedBy).toEqual({
      inherited: false,
      deny: false,
      source: 'extended-right',
      inheritanceType: null,
    });
    expect(decided?.allows).toEqual([
      { inherited: false, deny: false, source: 'extended-right', inheritanceType: null },
      { inherited: false, deny: false, source: 'generic-all', inheritanceType: 'None' },
      { inherited: true, deny: false, source: 'extended-right', inheritanceType: 'SelfAndChildren' },
      { inherited: true, deny: false, source: 'extended-right', inheritanceType: 'Custom' },
    ]);
  });

  it('treats GenericAll and an ExtendedRight ACE without object type as every extended right', () => {
    expect(coverage(ace({ user: ANONYMOUS, accessRights: ['GenericAll'] }), Right.AcceptAnyRecipient)).toBe(
      'generic-all',
    );
    expect(
      coverage(ace({ user: ANONYMOUS, accessRights: ['ExtendedRight'] }), Right.AcceptAnyRecipient),
    ).toBe('all-extended-rights');
    expect(
      coverage(ace({ user: ANONYMOUS, accessRights: ['ReadProperty', 'GenericExecute'] }), Right.Submit),
    ).toBeNull();
    expect(coverage(grant(ANONYMOUS, SUBMIT), Right.AcceptAnyRecipient)).toBeNull();
  });

  it('matches right names case-insensitively', () => {
    expect(anonymousRelay([grant(ANONYMOUS, 'MS-EXCH-SMTP-ACCEPT-ANY-RECIPIENT')])).toBe(true);
  });

  it('merges ACEs of one principal whether they carry a SID, a localized name or a raw SID string', () => {
    const rights = effectiveRights(
      [
        grant('NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG', RELAY),
        grant('S-1-5-7', SUBMIT),
        grant('whatever the server printed', RELAY, { sid: SID.anonymous, deny: true }),
      ],
      directoryOfAcl([
        grant('NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG', RELAY),
        grant('S-1-5-7', SUBMIT),
        grant('whatever the server printed', RELAY, { sid: SID.anonymous, deny: true }),
      ]),
    );
    expect(rights).toHaveLength(1);
    expect(rights[0]?.identity.wellKnown).toBe('anonymous');
    expect(holds(rights[0], Right.Submit)).toBe(true);
    expect(holds(rights[0], Right.AcceptAnyRecipient)).toBe(false);
  });

  it('merges the ACEs of one unidentified name, whatever its case', () => {
    const rights = effectiveRights(
      [grant('CONTOSO\\svc-scanner', RELAY), grant('contoso\\SVC-SCANNER', SUBMIT)],
      directoryOfAcl([grant('CONTOSO\\svc-scanner', RELAY), grant('contoso\\SVC-SCANNER', SUBMIT)]),
    );
    expect(rights).toHaveLength(1);
    expect(rights[0]?.identity).toMatchObject({ wellKnown: null, kind: 'unidentified' });
    expect(holds(rights[0], Right.Submit)).toBe(true);
  });
});

describe('deciding a right across lists without joining them', () => {
  // A small deterministic generator: every mix of deny/allow, explicit/inherited and covering or not.
  function* acls(seed: number, count: number): Generator<[AccessControlEntry[], AccessControlEntry[]]> {
    let state = seed;
    const next = (bound: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      // The high bits: an LCG's low bits repeat with a short period.
      return Math.floor(state / 65536) % bound;
    };
    const entry = (): AccessControlEntry => {
      const covers = next(4);
      return ace({
        user: 'CONTOSO\\someone',
        deny: next(2) === 0,
        inherited: next(2) === 0,
        accessRights: covers === 0 ? ['GenericAll'] : ['ExtendedRight'],
        extendedRights: covers === 1 ? [RELAY] : covers === 2 ? [SUBMIT] : [],
      });
    };
    for (let index = 0; index < count; index++)
      yield [Array.from({ length: next(5) }, entry), Array.from({ length: next(5) }, entry)];
  }

  it('agrees with decide() on the canonical order of the joined list, for every mix', () => {
    let granted = 0;
    for (const [own, token] of acls(7, 3000)) {
      const joined = decide(canonicalOrder([...own, ...token]), Right.AcceptAnyRecipient).granted;
      const apart = rankAllows(
        Math.min(decidingRank(own, Right.AcceptAnyRecipient), decidingRank(token, Right.AcceptAnyRecipient)),
      );
      expect(apart).toBe(joined);
      if (joined) granted++;
    }
    // Both outcomes occur often: the comparison is not between two constants.
    expect(granted).toBeGreaterThan(500);
    expect(granted).toBeLessThan(2500);
  });
});
