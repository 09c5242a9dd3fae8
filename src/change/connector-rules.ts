/**
 * What Exchange refuses when a receive connector is created or changed (exchange-domain.md §2 and §3.2). Each rule
 * returns Exchange's reason in plain words, or null. Pure: the connectors are passed in.
 */

import { transportRoleOf } from '../analysis/listeners.js';
import type { ReceiveConnector } from '../model/snapshot.js';
import { parseBinding, type Binding } from '../net/binding.js';
import { parseRemoteIpRange, type IpRange } from '../net/ip-range.js';
import { parsedRange } from './range-memo.js';

export const AUTH_MECHANISM_NAMES = [
  'None',
  'Tls',
  'Integrated',
  'BasicAuth',
  'BasicAuthRequireTLS',
  'ExchangeServer',
  'ExternalAuthoritative',
] as const;

export const TRANSPORT_ROLES = ['FrontendTransport', 'HubTransport'] as const;

/** Canonical spelling of an enum value, or null when it is not one (Exchange compares case-insensitively). */
export function canonicalName<T extends string>(names: readonly T[], value: string): T | null {
  const folded = value.trim().toLowerCase();
  return names.find((name) => name.toLowerCase() === folded) ?? null;
}

export function invalidRange(value: string): string | null {
  const parsed = parseRemoteIpRange(value);
  return parsed.ok ? null : `'${value}' is not a valid RemoteIPRanges value: ${parsed.reason}`;
}

/** Multicast and broadcast local addresses cannot be bound (§3.2). */
export function invalidBinding(value: string): string | null {
  const binding = parseBinding(value);
  if (!binding)
    return `'${value}' is not a valid binding (expected address:port, e.g. 0.0.0.0:25 or [::]:25)`;
  if (binding.family === 4 && (binding.address >> 28n === 0xen || binding.address === 0xffffffffn))
    return `'${value}': a binding cannot be a multicast or broadcast address`;
  if (binding.family === 6 && binding.address >> 120n === 0xffn)
    return `'${value}': a binding cannot be a multicast address`;
  return null;
}

/** A multi-valued property holds each value once. */
export function duplicateValue(values: readonly string[], what: string): string | null {
  const value = repeatedValue(values);
  return value === null ? null : `the value '${value}' is already present in ${what}`;
}

/** The first value whose key (case and surrounding spaces aside) an earlier value has, as written; null when none. */
export function repeatedValue(
  values: readonly string[],
  keyOf: (value: string) => string = (value) => value,
): string | null {
  const seen = new Set<string>();
  for (const value of values) {
    const key = keyOf(value).trim().toLowerCase();
    if (seen.has(key)) return value;
    seen.add(key);
  }
  return null;
}

/** AuthMechanism combinations Exchange refuses (ValidateWrite, §2). `groups` are the connector's final ones. */
export function invalidAuthMechanism(
  mechanisms: readonly string[],
  groups: readonly string[],
): string | null {
  const has = (name: string) => mechanisms.some((value) => value.toLowerCase() === name.toLowerCase());
  if (has('None') && mechanisms.length > 1) return 'AuthMechanism None must be used alone';
  if (has('BasicAuthRequireTLS') && !(has('BasicAuth') && has('Tls')))
    return 'AuthMechanism BasicAuthRequireTLS requires both BasicAuth and Tls';
  if (has('ExternalAuthoritative')) {
    const others = mechanisms.filter(
      (value) => !['externalauthoritative', 'tls'].includes(value.toLowerCase()),
    );
    if (others.length > 0)
      return `AuthMechanism ExternalAuthoritative can only be combined with Tls, not ${others.join(', ')}`;
    if (!groups.some((group) => group.toLowerCase() === 'exchangeservers'))
      return 'AuthMechanism ExternalAuthoritative requires the ExchangeServers permission group';
  }
  return null;
}

/** ExchangeLegacyServers does not exist on Edge Transport servers. */
export function invalidPermissionGroups(groups: readonly string[], isEdge: boolean): string | null {
  if (isEdge && groups.some((group) => group.toLowerCase() === 'exchangelegacyservers'))
    return 'the ExchangeLegacyServers permission group is not supported on an Edge Transport server';
  return null;
}

interface ParsedConnector {
  connector: ReceiveConnector;
  bindings: Binding[];
  ranges: IpRange[];
}

function parseConnector(connector: ReceiveConnector): ParsedConnector {
  const bindings = connector.bindings
    .map(parseBinding)
    .filter((binding): binding is Binding => binding !== null);
  const ranges: IpRange[] = [];
  for (const text of connector.remoteIPRanges) {
    const range = parsedRange(text);
    if (range) ranges.push(range);
  }
  return { connector, bindings, ranges };
}

/** Two bindings share a listener when they are equal, or of one family and port with one side the wildcard. */
function shareListener(a: Binding, b: Binding): 'equal' | 'wildcard' | null {
  if (a.family !== b.family || a.port !== b.port) return null;
  if (a.address === b.address) return 'equal';
  return a.wildcard || b.wildcard ? 'wildcard' : null;
}

function overlap(a: IpRange, b: IpRange): 'equal' | 'nested' | 'partial' | null {
  if (a.family !== b.family || a.last < b.first || b.last < a.first) return null;
  if (a.first === b.first && a.last === b.last) return 'equal';
  if ((a.first <= b.first && b.last <= a.last) || (b.first <= a.first && a.last <= b.last)) return 'nested';
  return 'partial';
}

/**
 * The mapping conflict Exchange checks against every other connector of the same server (disabled ones too):
 * a shared listener with another transport role; on an equal binding, equal or partially overlapping ranges;
 * wildcard against a specific address, partially overlapping ranges.
 */
export function mappingConflict(
  candidate: ReceiveConnector,
  others: readonly ReceiveConnector[],
): string | null {
  const mine = parseConnector(candidate);
  const server = candidate.server.toLowerCase();
  for (const other of others) {
    if (other === candidate || other.server.toLowerCase() !== server) continue;
    const theirs = parseConnector(other);
    for (const a of mine.bindings) {
      for (const b of theirs.bindings) {
        const shared = shareListener(a, b);
        if (!shared) continue;
        if (transportRoleOf(candidate).toLowerCase() !== transportRoleOf(other).toLowerCase())
          return `binding ${a.text} conflicts with '${other.identity}' (${b.text}), which belongs to the ${transportRoleOf(other)} service: connectors of different transport roles cannot share a listener`;
        for (const x of mine.ranges) {
          for (const y of theirs.ranges) {
            const kind = overlap(x, y);
            if (kind === 'partial' || (kind === 'equal' && shared === 'equal'))
              return `the Bindings and RemoteIPRanges conflict with '${other.identity}': on ${a.text} its range ${describe(y, theirs.connector)} ${kind === 'equal' ? 'is the same as' : 'partially overlaps'} ${describe(x, candidate)}; ranges on a shared binding must be disjoint or one must contain the other`;
          }
        }
      }
    }
  }
  return null;
}

function describe(range: IpRange, connector: ReceiveConnector): string {
  for (const text of connector.remoteIPRanges) {
    const parsed = parseRemoteIpRange(text);
    if (
      parsed.ok &&
      parsed.range.first === range.first &&
      parsed.range.last === range.last &&
      parsed.range.family === range.family
    )
      return `'${text}'`;
  }
  return 'one of its ranges';
}
