import { describe, expect, it } from '@jest/globals';
import { readInput } from '../../src/ingest/read-input.js';
import { SharedValues } from '../../src/model/shared-values.js';
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
