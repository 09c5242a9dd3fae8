import { describe, expect, it } from '@jest/globals';
import type { AcceptedDomain } from '../../src/model/snapshot.js';
import { readRecipientPath, recipientClassifier } from '../../src/usage/recipient-domains.js';

describe('readRecipientPath: the domain of an RCPT TO path (RFC 5321 §4.1.2)', () => {
  it.each([
    ['<anna@Contoso.COM>', 'contoso.com'],
    ['<ops@contoso.com.> NOTIFY=NEVER', 'contoso.com'],
    [' <x@example.org> ORCPT=rfc822;x@example.org', 'example.org'],
    ['<@relay.example:user@final.example>', 'final.example'],
    ['<@a.example,@b.example:user@final.example>', 'final.example'],
    ['user@bare.example SIZE=1', 'bare.example'],
    ['<"odd@local"@quoted.example>', 'quoted.example'],
    // A quoted local part may hold ">" and, escaped, a quote: the path does not end there.
    ['<"a>b"@lieferant.de>', 'lieferant.de'],
    ['<"a\\">b"@lieferant.de> NOTIFY=NEVER', 'lieferant.de'],
    ['<user@[10.1.2.3]>', '[10.1.2.3]'],
    ['<user@[IPv6:2001:db8::5]>', '[ipv6:2001:db8::5]'],
    ['<postmaster>', null],
    ['<>', null],
  ])('%s', (argument, domain) => {
    expect(readRecipientPath(argument)).toEqual({ domain });
  });

  it.each([
    '<"a>b@lieferant.de>',
    '<user@lieferant.de',
    '<user@>',
    '<user@lie ferant.de>',
    '<a@b@lieferant.de>',
    '<user@lieferant.de>junk',
    '<@relay.example>',
    '<"a>b"x@lieferant.de>',
  ])('%s cannot be read (never taken for a recipient without a domain)', (argument) => {
    expect(readRecipientPath(argument)).toBeNull();
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
