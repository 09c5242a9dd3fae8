import { describe, expect, it } from '@jest/globals';
import { identifyPrincipal, wellKnownSid } from '../../src/analysis/principals.js';
import { SID } from '../support/builders.js';

describe('identifyPrincipal', () => {
  it.each([
    ['NT AUTHORITY\\ANONYMOUS LOGON'],
    ['nt authority\\anonymous logon'],
    ['NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG'],
    ['AUTORITE NT\\ANONYMOUS LOGON'],
    ['S-1-5-7'],
  ])('recognises %s as ANONYMOUS LOGON', (name) => {
    expect(identifyPrincipal(name, null)).toEqual({ wellKnown: 'anonymous', key: SID.anonymous });
  });

  it('recognises German text in decomposed Unicode (NFD) as well', () => {
    expect(identifyPrincipal('NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG'.normalize('NFD'), null).wellKnown).toBe(
      'anonymous',
    );
  });

  it('trusts the SID over the printed name', () => {
    expect(identifyPrincipal('Some Renamed Group', SID.externallySecured).wellKnown).toBe(
      'externallySecuredServers',
    );
    expect(identifyPrincipal('NT AUTHORITY\\ANONYMOUS LOGON', 'S-1-5-21-1-2-3-1105').wellKnown).toBeNull();
  });

  it.each([
    ['Everyone', 'everyone'],
    ['Jeder', 'everyone'],
    ['NT AUTHORITY\\Authenticated Users', 'authenticatedUsers'],
    ['NT-AUTORITÄT\\Authentifizierte Benutzer', 'authenticatedUsers'],
    ['MS Exchange\\Externally Secured Servers', 'externallySecuredServers'],
    ['MS Exchange\\Hub Transport Servers', 'hubTransportServers'],
  ])('recognises %s', (name, expected) => {
    expect(identifyPrincipal(name, null).wellKnown).toBe(expected);
  });

  it('leaves domain accounts unidentified, keyed by their folded name', () => {
    expect(identifyPrincipal('CONTOSO\\Exchange Servers', null)).toEqual({
      wellKnown: null,
      key: 'contoso\\exchange servers',
    });
  });

  it('gives SIDs for remediation commands', () => {
    expect(wellKnownSid('anonymous')).toBe('S-1-5-7');
    expect(wellKnownSid('everyone')).toBe('S-1-1-0');
  });
});
