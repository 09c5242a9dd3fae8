import { describe, expect, it } from '@jest/globals';
import { readInput } from '../../src/ingest/read-input.js';
import { isSharedAce, SharedValues } from '../../src/model/shared-values.js';
import type { AccessControlEntry } from '../../src/model/snapshot.js';
import { connector, grant, RELAY, snapshot, SUBMIT } from '../support/builders.js';

describe('SharedValues', () => {
  it('gives equal strings and equal lists one copy, and keeps lists that only look alike apart', () => {
    const shared = new SharedValues();
    const right = shared.list(['ms-Exch-SMTP-Submit']);
    expect(shared.list(['ms-Exch-SMTP-Submit'])).toBe(right);
    const two = shared.list(['ReadProperty', 'GenericExecute']);
    expect(shared.list(['ReadProperty', 'GenericExecute'])).toBe(two);
    // The same characters split differently, or in another order, are other lists.
    expect(shared.list(['ReadProperty,GenericExecute'])).toEqual(['ReadProperty,GenericExecute']);
    expect(shared.list(['GenericExecute', 'ReadProperty'])).not.toBe(two);
    expect(shared.list(['a\u0000b'])).not.toBe(shared.list(['a', 'b']));
    expect(shared.list([])).toBe(shared.list([]));
    expect(shared.string('NT AUTHORITY\\ANONYMOUS LOGON')).toBe('NT AUTHORITY\\ANONYMOUS LOGON');
  });

  it('freezes the lists it shares, so a write throws instead of changing another record', () => {
    const list = new SharedValues().list(['ExtendedRight']);
    expect(Object.isFrozen(list)).toBe(true);
    expect(() => list.push('GenericAll')).toThrow(TypeError);
  });
});

describe('snapshot ACEs', () => {
  it('share their rights lists and keep every value', () => {
    const acl = () => [
      grant('NT AUTHORITY\\ANONYMOUS LOGON', SUBMIT, { sid: 'S-1-5-7' }),
      grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY, { sid: 'S-1-5-7' }),
    ];
    const text = JSON.stringify(
      snapshot([
        connector({ name: 'Relay A', permissions: acl() }),
        connector({ name: 'Relay B', permissions: acl() }),
      ]),
    );
    const input = readInput('s.json', new TextEncoder().encode(text));
    if (input.format !== 'snapshot') throw new Error(input.format);
    const [a, b] = input.snapshot.connectors.map((item) => item.permissions ?? []);
    expect(b?.[1]?.extendedRights).toBe(a?.[1]?.extendedRights);
    expect(b?.[0]?.accessRights).toBe(a?.[1]?.accessRights);
    expect(a?.map((entry) => ({ ...entry }))).toEqual(acl());
  });
});

describe('snapshot ACEs as exrelay writes them', () => {
  /** An ACE with its fields in the order of exrelay's snapshots. */
  const written = (user: string, right: string, inherited = false) => ({
    user,
    sid: null,
    deny: false,
    inherited,
    accessRights: ['ExtendedRight'],
    extendedRights: [right],
    inheritanceType: 'None',
  });
  const read = (permissions: object[][]) => {
    const text = JSON.stringify(
      snapshot(
        permissions.map((acl, index) =>
          connector({ name: `Relay ${index}`, permissions: acl as AccessControlEntry[] }),
        ),
      ),
    );
    const input = readInput('s.json', new TextEncoder().encode(text));
    if (input.format !== 'snapshot') throw new Error(input.format);
    return input.snapshot.connectors.map((item) => item.permissions ?? []);
  };

  it('are one frozen object for every equal entry, on every connector', () => {
    const acl = () => [written('CONTOSO\\Relay', SUBMIT), written('CONTOSO\\Relay', RELAY)];
    const [a, b] = read([acl(), acl()]);
    expect(b?.[0]).toBe(a?.[0]);
    expect(b?.[1]).toBe(a?.[1]);
    expect(a?.[0]).not.toBe(a?.[1]);
    expect(a).toEqual(acl());
    expect(Object.isFrozen(a?.[0])).toBe(true);
    expect(() => {
      (a?.[0] as AccessControlEntry).deny = true;
    }).toThrow(TypeError);
  });

  it('stay apart when any value differs', () => {
    const [a, b] = read([[written('CONTOSO\\Relay', RELAY)], [written('CONTOSO\\Relay', RELAY, true)]]);
    expect(b?.[0]).not.toBe(a?.[0]);
    expect(b?.[0]?.inherited).toBe(true);
  });

  it('keep an entry with other fields, or its fields in another order, as it is', () => {
    const extra = { ...written('CONTOSO\\Relay', RELAY), note: 'kept' };
    const { user, ...rest } = written('CONTOSO\\Relay', RELAY);
    const [a, b, c] = read([[written('CONTOSO\\Relay', RELAY)], [extra], [{ ...rest, user }]]);
    expect(b?.[0]).not.toBe(a?.[0]);
    expect(b?.[0]).toMatchObject({ note: 'kept' });
    expect(c?.[0]).not.toBe(a?.[0]);
    expect(Object.keys(c?.[0] ?? {}).at(-1)).toBe('user');
  });
});

describe('SharedValues.ace', () => {
  it('shares at most 10,000 distinct entries, and keeps returning those', () => {
    const shared = new SharedValues();
    const entry = (index: number): AccessControlEntry => ({
      user: shared.string(`CONTOSO\\user${index}`),
      sid: null,
      deny: false,
      inherited: false,
      accessRights: shared.list(['ExtendedRight']),
      extendedRights: shared.list([RELAY]),
      inheritanceType: 'None',
    });
    const first = shared.ace(entry(0));
    for (let index = 1; index < 10_000; index++) shared.ace(entry(index));
    const beyond = entry(10_000);
    expect(shared.ace(beyond)).toBe(beyond);
    expect(Object.isFrozen(beyond)).toBe(false);
    expect(shared.ace(entry(10_000))).not.toBe(beyond);
    expect(shared.ace(entry(0))).toBe(first);
    // Only the shared entries stand for equal ACEs read later (their bytes are then not parsed again).
    expect(isSharedAce(first)).toBe(true);
    expect(isSharedAce(beyond)).toBe(false);
    expect(isSharedAce(entry(1))).toBe(false);
    expect(isSharedAce(null)).toBe(false);
  });
});
