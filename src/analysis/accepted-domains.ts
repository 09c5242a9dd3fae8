/**
 * Accepted domains as relay destinations (exchange-domain.md §8): a recipient in any accepted domain is accepted
 * without Accept-Any-Recipient, so InternalRelay/ExternalRelay domains are relayable by anyone who may submit,
 * and a wildcard that covers a whole top-level domain turns every anonymous connector into an open relay for it.
 */

import type { AcceptedDomain } from '../model/snapshot.js';

export type DomainBreadth = 'everything' | 'public-suffix' | 'domain';

export interface AcceptedDomainAnalysis {
  domain: AcceptedDomain;
  breadth: DomainBreadth;
  /** Mail to this domain is accepted from anonymous senders and sent on to another system. */
  relayable: boolean;
  /** Relay to (nearly) the whole Internet: "*" of any type, or "*.com"-like of a relay type. */
  openRelay: boolean;
  /** "*.com"-like but Authoritative: not relay (unknown recipients get NDRs), yet mail for a whole TLD is accepted. */
  tooWideAuthoritative: boolean;
}

/** Second-level labels used under country codes as public registries (co.uk, com.au, ne.jp, …). */
const REGISTRY_SECOND_LEVELS = new Set([
  'ac',
  'co',
  'com',
  'edu',
  'gov',
  'go',
  'gv',
  'ne',
  'net',
  'or',
  'org',
]);

export function breadthOf(domainName: string): DomainBreadth {
  const name = domainName.trim().toLowerCase().replace(/\.$/, '');
  if (name === '*') return 'everything';
  if (!name.startsWith('*.')) return 'domain';
  const labels = name.slice(2).split('.');
  if (labels.length === 1) return 'public-suffix';
  const [second, country] = labels;
  if (
    labels.length === 2 &&
    country?.length === 2 &&
    second !== undefined &&
    REGISTRY_SECOND_LEVELS.has(second)
  )
    return 'public-suffix';
  return 'domain';
}

export function analyzeAcceptedDomain(domain: AcceptedDomain): AcceptedDomainAnalysis {
  const breadth = breadthOf(domain.domainName);
  const relayType = domain.domainType === 'InternalRelay' || domain.domainType === 'ExternalRelay';
  return {
    domain,
    breadth,
    relayable: relayType || breadth === 'everything',
    openRelay: breadth === 'everything' || (breadth === 'public-suffix' && relayType),
    tooWideAuthoritative: breadth === 'public-suffix' && !relayType,
  };
}
