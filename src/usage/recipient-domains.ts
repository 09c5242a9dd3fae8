/**
 * Was an accepted recipient relayed? Exchange accepts a recipient without the relay right when its domain is any
 * accepted domain (Authoritative, InternalRelay or ExternalRelay, "*.x" entries included: exchange-domain.md §8), so
 * only a recipient in no accepted domain was relayed. A catch-all accepted domain ("*", or "*.com"-like) accepts
 * every such recipient as if it were the organisation's own: by configuration nothing is relay then, and those
 * recipients are told apart rather than counted as submission.
 */

import { breadthOf } from '../analysis/accepted-domains.js';
import type { AcceptedDomain } from '../model/snapshot.js';

/**
 * `internal`: in an accepted domain; `catch-all`: only a "*" or "*.com"-like accepted domain takes it; `relay`: in no
 * accepted domain; `unknown`: the snapshot has no accepted domains to tell.
 */
export type RecipientClass = 'internal' | 'catch-all' | 'relay' | 'unknown';

export interface RecipientClassifier {
  classify(domain: string | null): RecipientClass;
}

/** Entries are lower case without a trailing dot. */
interface DomainTable {
  exact: Set<string>;
  /** "*.contoso.com" → "contoso.com": the domain and its subdomains (inferred: Exchange's SmtpDomainWithSubdomains). */
  suffixes: string[];
  /** Suffixes of catch-all entries ("*.com" → "com"); "" for "*". */
  catchAll: string[];
}

/** Remembered answers; an Internet-facing connector sees many domains, so the cache is bounded. */
const CACHE_LIMIT = 50_000;

export function recipientClassifier(domains: readonly AcceptedDomain[] | null): RecipientClassifier {
  if (domains === null) return { classify: () => 'unknown' };
  const table = domainTable(domains);
  const cache = new Map<string, RecipientClass>();
  return {
    classify(domain) {
      // A recipient without a domain ("postmaster") is the server's own.
      if (domain === null) return 'internal';
      let known = cache.get(domain);
      if (known === undefined) {
        known = classifyDomain(table, domain);
        if (cache.size >= CACHE_LIMIT) cache.clear();
        cache.set(domain, known);
      }
      return known;
    },
  };
}

function domainTable(domains: readonly AcceptedDomain[]): DomainTable {
  const table: DomainTable = { exact: new Set(), suffixes: [], catchAll: [] };
  for (const domain of domains) {
    const name = normalizeDomain(domain.domainName);
    const breadth = breadthOf(name);
    if (breadth === 'everything') table.catchAll.push('');
    else if (breadth === 'public-suffix') table.catchAll.push(name.slice(2));
    else if (name.startsWith('*.')) table.suffixes.push(name.slice(2));
    else table.exact.add(name);
  }
  return table;
}

function classifyDomain(table: DomainTable, domain: string): RecipientClass {
  if (table.exact.has(domain)) return 'internal';
  if (table.suffixes.some((suffix) => isWithin(domain, suffix))) return 'internal';
  if (table.catchAll.some((suffix) => suffix === '' || isWithin(domain, suffix))) return 'catch-all';
  return 'relay';
}

function isWithin(domain: string, suffix: string): boolean {
  return (
    domain === suffix ||
    (domain.endsWith(suffix) && domain.charCodeAt(domain.length - suffix.length - 1) === 0x2e)
  );
}

export function normalizeDomain(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * The domain of an SMTP path as RCPT TO writes it: "<user@example.com> NOTIFY=NEVER", "<@relay:user@example.com>",
 * "user@example.com". Null when the path has no domain ("<postmaster>").
 */
export function recipientDomain(argument: string): string | null {
  const open = argument.indexOf('<');
  let path: string;
  if (open >= 0) {
    const close = argument.indexOf('>', open);
    path = argument.slice(open + 1, close < 0 ? undefined : close);
  } else {
    const space = argument.trimStart().indexOf(' ');
    path = space < 0 ? argument.trim() : argument.trimStart().slice(0, space);
  }
  const at = path.lastIndexOf('@');
  if (at < 0) return null;
  const domain = normalizeDomain(path.slice(at + 1));
  return domain === '' ? null : domain;
}
