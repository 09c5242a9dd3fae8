/**
 * Was an accepted recipient relayed? Exchange accepts a recipient without the relay right when its domain is any
 * accepted domain (Authoritative, InternalRelay or ExternalRelay, "*.x" entries included: exchange-domain.md §8), so
 * only a recipient in no accepted domain was relayed. A catch-all accepted domain ("*", or "*.com"-like) accepts
 * every such recipient as if it were the organisation's own: by configuration nothing is relay then, and those
 * recipients are told apart rather than counted as submission.
 */

import { breadthOf } from '../analysis/accepted-domains.js';
import type { AcceptedDomain } from '../model/snapshot.js';
import { AT, BACKSLASH, GREATER_THAN, QUOTE } from '../ingest/char-codes.js';

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

/** What a RCPT TO path names: its domain, or null when it has none ("<postmaster>"). */
export interface RecipientPath {
  domain: string | null;
}

/**
 * The path of RCPT TO as RFC 5321 §4.1.2 writes it: "<user@example.com> NOTIFY=NEVER", "<@relay:user@example.com>"
 * (a source route), "<\"a>b\"@example.com>" (a quoted local part may hold ">", "@" and, escaped, "\""), and the bare
 * "user@example.com" some clients send. Null when the path cannot be read (a quote or bracket never closed, an
 * empty or odd domain): the caller must not take such a recipient for the organisation's own.
 */
export function readRecipientPath(argument: string): RecipientPath | null {
  const text = argument.trimStart();
  const bracketed = text.startsWith('<');
  let position = bracketed ? 1 : 0;
  // A source route ("@a.example,@b.example:") names relays on the way, not the recipient.
  if (bracketed && text.charCodeAt(position) === AT) {
    const colon = text.indexOf(':', position);
    if (colon < 0) return null;
    position = colon + 1;
  }
  const local = localPartEnd(text, position, bracketed);
  if (local === null) return null;
  position = local;
  let domain: string | null = null;
  if (text.charCodeAt(position) === AT) {
    const end = bracketed ? text.indexOf('>', position) : pathEnd(text, position);
    if (end < 0) return null;
    domain = normalizeDomain(text.slice(position + 1, end));
    if (!isDomainText(domain)) return null;
    position = end;
  } else if (bracketed && text.charCodeAt(position) !== GREATER_THAN) return null;
  if (bracketed) position++;
  // What follows the path are ESMTP parameters, after a space.
  return position === text.length || /\s/.test(text.charAt(position)) ? { domain } : null;
}

/** Where the local part starting at `start` ends (at its "@", or the path's end); null if a quote never closes. */
function localPartEnd(text: string, start: number, bracketed: boolean): number | null {
  if (text.charCodeAt(start) === QUOTE) {
    for (let index = start + 1; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code === BACKSLASH) index++;
      else if (code === QUOTE) return index + 1;
    }
    return null;
  }
  for (let index = start; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === AT || (bracketed && code === GREATER_THAN)) return index;
    if (!bracketed && /\s/.test(text.charAt(index))) return index;
  }
  return bracketed ? null : text.length;
}

function pathEnd(text: string, start: number): number {
  const space = text.slice(start).search(/\s/);
  return space < 0 ? text.length : start + space;
}

/** A domain name (letters, digits, hyphens, dots; other letters for international names) or "[address literal]". */
function isDomainText(domain: string): boolean {
  if (domain.startsWith('[')) return /^\[[^[\]\s]+\]$/.test(domain);
  return domain !== '' && !/[\s"<>@,;:\\()[\]]/.test(domain);
}
