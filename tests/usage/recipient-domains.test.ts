import { describe, expect, it } from '@jest/globals';
import type { AcceptedDomain } from '../../src/model/snapshot.js';
import { recipientClassifier, recipientDomain } from '../../src/usage/recipient-domains.js';

describe('recipientDomain: the domain of an RCPT TO path', () => {
  it.each([
    ['<anna@Contoso.COM>', 'contoso.com'],
    ['<ops@contoso.com.> NOTIFY=NEVER', 'contoso.com'],
    [' <x@example.org> ORCPT=rfc822;x@example.org', 'example.org'],
    ['<@relay.example:user@final.example>', 'final.example'],
    ['user@bare.example SIZE=1', 'bare.example'],
    ['<"odd@local"@quoted.example>', 'quoted.example'],
    ['<user@[10.1.2.3]>', '[10.1.2.3]'],
    ['<postmaster>', null],
    ['<>', null],
  ])('%s', (argument, domain) => {
    expect(recipientDomain(argument)).toBe(domain);
  });
});

function domains(...entries: [string, AcceptedDomain['domainType']][]): AcceptedDomain[] {
  return entries.map(([domainName, domainType], index) => ({
    name: domainName,
    domainName,
    domainType,
    isDefault: index === 0,
  }));
}

describe('recipientClassifier', () => {
  const classifier = recipientClassifier(
    domains(
      ['contoso.com', 'Authoritative'],
      ['*.contoso.net', 'InternalRelay'],
      ['partner.example', 'ExternalRelay'],
    ),
  );

  it.each([
    ['contoso.com', 'internal'],
    ['mail.contoso.net', 'internal'],
    // "*.contoso.net" is taken to cover the domain itself too (inferred from SmtpDomainWithSubdomains).
    ['contoso.net', 'internal'],
    ['partner.example', 'internal'],
    ['notcontoso.net', 'relay'],
    ['contoso.com.evil.example', 'relay'],
    ['[10.1.2.3]', 'relay'],
    [null, 'internal'],
  ] as const)('%s is %s', (domain, expected) => {
    expect(classifier.classify(domain)).toBe(expected);
  });

  it('catch-all accepted domains: "*" takes everything, "*.com" and "*.co.uk" their suffix', () => {
    expect(recipientClassifier(domains(['*', 'InternalRelay'])).classify('anything.example')).toBe(
      'catch-all',
    );
    const wide = recipientClassifier(
      domains(['contoso.com', 'Authoritative'], ['*.com', 'InternalRelay'], ['*.co.uk', 'ExternalRelay']),
    );
    expect(wide.classify('gmail.com')).toBe('catch-all');
    expect(wide.classify('contoso.com')).toBe('internal');
    expect(wide.classify('shop.co.uk')).toBe('catch-all');
    expect(wide.classify('gmx.de')).toBe('relay');
  });

  it('no accepted domains in the snapshot: nothing can be told', () => {
    expect(recipientClassifier(null).classify('gmail.com')).toBe('unknown');
  });
});
