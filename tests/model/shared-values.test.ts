import { describe, expect, it } from '@jest/globals';
import { readInput } from '../../src/ingest/read-input.js';
import { SharedValues } from '../../src/model/shared-values.js';

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
    const ace = (right: string) => ({
      user: 'NT AUTHORITY\\ANONYMOUS LOGON',
      sid: 'S-1-5-7',
      deny: false,
      inherited: false,
      accessRights: ['ExtendedRight'],
      extendedRights: [right],
      inheritanceType: 'None',
    });
    const connector = (name: string) => ({
      identity: `EX01\\${name}`,
      server: 'EX01',
      name,
      distinguishedName: null,
      enabled: true,
      transportRole: 'FrontendTransport',
      bindings: ['0.0.0.0:25'],
      remoteIPRanges: ['10.0.0.1'],
      authMechanism: ['Tls'],
      permissionGroups: [],
      permissions: [ace('ms-Exch-SMTP-Submit'), ace('ms-Exch-SMTP-Accept-Any-Recipient')],
    });
    const text = JSON.stringify({
      kind: 'exrelay.snapshot',
      schemaVersion: 1,
      collectedAt: null,
      source: { method: 'files', description: 'test', tool: null },
      partial: false,
      servers: [],
      connectors: [connector('Relay A'), connector('Relay B')],
      acceptedDomains: null,
      errors: [],
    });
    const input = readInput('s.json', new TextEncoder().encode(text));
    if (input.format !== 'snapshot') throw new Error(input.format);
    const [a, b] = input.snapshot.connectors.map((item) => item.permissions ?? []);
    expect(a?.[1]?.extendedRights).toEqual(['ms-Exch-SMTP-Accept-Any-Recipient']);
    expect(b?.[1]?.extendedRights).toBe(a?.[1]?.extendedRights);
    expect(b?.[0]?.accessRights).toBe(a?.[1]?.accessRights);
    expect(a?.map((entry) => ({ ...entry }))).toEqual([
      ace('ms-Exch-SMTP-Submit'),
      ace('ms-Exch-SMTP-Accept-Any-Recipient'),
    ]);
  });
});
