import { describe, expect, it } from '@jest/globals';
import { aclFacts } from '../../src/analysis/acl-facts.js';
import { anonymousUsersGroup, directoryOfAcl, grant, RELAY } from '../support/builders.js';

describe('aclFacts', () => {
  const anonymousRelay = grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY);
  const stranger = grant('Anonymer Benutzer', RELAY);
  const group = anonymousUsersGroup();

  it('decides an ACL of the same ACE objects once, whatever list holds them', () => {
    const directory = directoryOfAcl([...group, anonymousRelay]);
    const first = aclFacts([...group, anonymousRelay], directory);
    expect(aclFacts([...group, anonymousRelay], directory)).toBe(first);
    expect(first).toMatchObject({ anonymousSubmit: true, anonymousRelayRight: true });
  });

  it('tells an ACL from its own prefix and from equal ACEs in another order', () => {
    const directory = directoryOfAcl([...group, anonymousRelay, stranger]);
    const longer = aclFacts([...group, anonymousRelay], directory);
    const prefix = aclFacts(group, directory);
    expect(prefix).not.toBe(longer);
    expect(prefix).toMatchObject({ anonymousSubmit: true, anonymousRelayRight: false });
    const withStranger = aclFacts([stranger, ...group], directory);
    expect(withStranger.unidentified).toHaveLength(1);
    expect(aclFacts([...group, stranger], directory).unidentified).toHaveLength(1);
    expect(aclFacts([], directory)).toMatchObject({ principals: [], anonymousSubmit: false });
  });

  it('decides equal ACLs of distinct ACE objects alike', () => {
    const directory = directoryOfAcl([...group, anonymousRelay]);
    const copy = [...group, anonymousRelay].map((entry) => ({ ...entry }));
    expect(aclFacts(copy, directory)).toEqual(aclFacts([...group, anonymousRelay], directory));
  });
});
