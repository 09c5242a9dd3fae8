import { describe, expect, it } from '@jest/globals';
import { analyzeAcceptedDomain, breadthOf } from '../../src/analysis/accepted-domains.js';
import type { AcceptedDomain } from '../../src/model/snapshot.js';

function domain(domainName: string, domainType: AcceptedDomain['domainType']): AcceptedDomain {
  return { name: domainName, domainName, domainType, isDefault: false };
}

describe('accepted domains', () => {
  it.each([
    ['*', 'everything'],
    ['*.com', 'public-suffix'],
    ['*.de', 'public-suffix'],
    ['*.co.uk', 'public-suffix'],
    ['*.com.au', 'public-suffix'],
    ['*.contoso.com', 'domain'],
    ['*.contoso.local', 'domain'],
    ['contoso.com', 'domain'],
    ['com', 'domain'],
  ])('measures %s as %s', (name, breadth) => {
    expect(breadthOf(name)).toBe(breadth);
  });

  it('calls "*" an open relay whatever its type', () => {
    expect(analyzeAcceptedDomain(domain('*', 'Authoritative'))).toMatchObject({
      openRelay: true,
      relayable: true,
    });
  });

  it('calls "*.com" an open relay as InternalRelay or ExternalRelay, not as Authoritative', () => {
    expect(analyzeAcceptedDomain(domain('*.com', 'InternalRelay')).openRelay).toBe(true);
    expect(analyzeAcceptedDomain(domain('*.com', 'ExternalRelay')).openRelay).toBe(true);
    expect(analyzeAcceptedDomain(domain('*.com', 'Authoritative'))).toMatchObject({
      openRelay: false,
      relayable: false,
    });
  });

  it('lists ordinary relay domains as relayable only', () => {
    expect(analyzeAcceptedDomain(domain('fabrikam-partner.net', 'InternalRelay'))).toMatchObject({
      openRelay: false,
      relayable: true,
    });
    expect(analyzeAcceptedDomain(domain('fabrikam.com', 'Authoritative'))).toMatchObject({
      openRelay: false,
      relayable: false,
    });
  });
});
