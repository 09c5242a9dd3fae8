/**
 * What the logs show per connector and remote address, summed over finished sessions. Memory grows with the number
 * of distinct (connector, address) pairs, never with the size of the logs: lists inside a pair are bounded, rarely
 * used lists exist only once used, and every string kept is a copy of its own (a slice of a log line would keep the
 * whole line alive). Tallies made by different workers merge into one.
 */

import { classOfAddress, type AddressClass } from '../net/address-classes.js';
import { parseIpAddress } from '../net/ip-address.js';
import {
  countInto,
  emptyRecipientCounts,
  type RecipientCounts,
  type SmtpSessionState,
} from './smtp-session.js';

export interface ClientUsage {
  connectorId: string;
  /** The remote address as text; null for sessions whose remote endpoint could not be read. */
  address: string | null;
  /** Its class (public, private, …); null when the address is unknown. */
  addressClass: AddressClass | null;
  sessions: number;
  /** Sessions that began before the logs or whose end is not in them: their counts may be incomplete. */
  partialSessions: number;
  messages: number;
  /** Messages with at least one relayed recipient. */
  relayedMessages: number;
  firstSeen: string;
  lastSeen: string;
  anonymousSessions: number;
  authenticatedSessions: number;
  /** Authenticated users, with their session counts (at most MAX_USERS); null when none. */
  users: Map<string, number> | null;
  /** HELO/EHLO names, with session counts (at most MAX_HELO_NAMES: enough to tell one client from many). */
  heloNames: Map<string, number>;
  recipients: RecipientCounts;
  notAuthenticated: number;
  /** Lines out of order in these sessions, not applied: their counts may miss evidence (a relay among them). */
  outOfOrderLines: number;
  /** Domains relayed to, with recipient counts (at most MAX_DOMAINS); null when none. */
  relayDomains: Map<string, number> | null;
  /** Clients a Front End server proxied through these sessions (Hub logs), with counts; null when none. */
  proxiedClients: Map<string, number> | null;
  /** Sessions whose anonymous permissions, as logged, held SMTPAcceptAnyRecipient. */
  anonymousRelayPermissionSessions: number;
  /** Local ports the sessions came in on, with counts. */
  localPorts: Map<number, number>;
}

export const MAX_USERS = 20;
export const MAX_HELO_NAMES = 50;
export const MAX_DOMAINS = 20;
export const MAX_PROXIED = 100;

/** What a list that was never used reads as. */
export const NO_COUNTS: ReadonlyMap<string, number> = new Map();

export type UsageTally = Map<string, ClientUsage>;

function pairKey(connectorId: string, address: string | null): string {
  return `${connectorId}\u0000${address ?? ''}`;
}

/**
 * A copy of the text that holds nothing else alive. V8 keeps a substring as a view of its parent: a time or a
 * name cut from a log line would keep the line (and, read in bulk, its neighbours) for as long as the tally lives.
 */
export function own(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}

function emptyUsage(connectorId: string, address: string | null, time: string): ClientUsage {
  const ip = address === null ? null : parseIpAddress(address);
  return {
    connectorId: own(connectorId),
    address,
    addressClass: ip === null ? null : classOfAddress(ip),
    sessions: 0,
    partialSessions: 0,
    messages: 0,
    relayedMessages: 0,
    firstSeen: own(time),
    lastSeen: own(time),
    anonymousSessions: 0,
    authenticatedSessions: 0,
    users: null,
    heloNames: new Map(),
    recipients: emptyRecipientCounts(),
    notAuthenticated: 0,
    outOfOrderLines: 0,
    relayDomains: null,
    proxiedClients: null,
    anonymousRelayPermissionSessions: 0,
    localPorts: new Map(),
  };
}

/** Adds a finished session (or what the logs hold of one). */
export function tallySession(tally: UsageTally, session: SmtpSessionState): void {
  const key = pairKey(session.connectorId, session.remoteAddress);
  let usage = tally.get(key);
  if (usage === undefined) {
    usage = emptyUsage(session.connectorId, session.remoteAddress, session.firstTime);
    tally.set(key, usage);
  }
  usage.sessions++;
  if (!session.sawStart || !session.ended) usage.partialSessions++;
  usage.messages += session.messages;
  usage.relayedMessages += session.relayedMessages;
  if (session.firstTime < usage.firstSeen) usage.firstSeen = own(session.firstTime);
  if (session.lastTime > usage.lastSeen) usage.lastSeen = own(session.lastTime);
  if (session.authenticated) {
    usage.authenticatedSessions++;
    if (session.user !== null) countInto((usage.users ??= new Map()), own(session.user), MAX_USERS);
  } else usage.anonymousSessions++;
  for (const name of session.heloNames) countOwn(usage.heloNames, name, MAX_HELO_NAMES, 1);
  addCounts(usage.recipients, session.recipients);
  usage.notAuthenticated += session.notAuthenticated;
  usage.outOfOrderLines += session.outOfOrderLines;
  if (session.relayDomains !== null)
    usage.relayDomains = mergeCounts(usage.relayDomains, session.relayDomains, MAX_DOMAINS);
  if (session.proxiedClients !== null)
    usage.proxiedClients = mergeCounts(usage.proxiedClients, session.proxiedClients, MAX_PROXIED);
  if (session.anonymousRelayPermission) usage.anonymousRelayPermissionSessions++;
  if (session.localPort !== null) countInto(usage.localPorts, session.localPort, Infinity);
}

/**
 * A line of a session already counted (it came after the session's disconnect line, out of order): not applied,
 * but its pair's counts are marked as possibly missing evidence.
 */
export function tallyLateLine(tally: UsageTally, connectorId: string, address: string | null): void {
  const usage = tally.get(pairKey(connectorId, address));
  if (usage !== undefined) usage.outOfOrderLines++;
}

/** Adds `from` into `into` (tallies of different workers). */
export function mergeTally(into: UsageTally, from: UsageTally): void {
  for (const [key, usage] of from) {
    const existing = into.get(key);
    if (existing === undefined) into.set(key, usage);
    else mergeUsage(existing, usage);
  }
}

function mergeUsage(into: ClientUsage, from: ClientUsage): void {
  into.sessions += from.sessions;
  into.partialSessions += from.partialSessions;
  into.messages += from.messages;
  into.relayedMessages += from.relayedMessages;
  if (from.firstSeen < into.firstSeen) into.firstSeen = from.firstSeen;
  if (from.lastSeen > into.lastSeen) into.lastSeen = from.lastSeen;
  into.anonymousSessions += from.anonymousSessions;
  into.authenticatedSessions += from.authenticatedSessions;
  if (from.users !== null) into.users = mergeCounts(into.users, from.users, MAX_USERS);
  for (const [name, count] of from.heloNames) countInto(into.heloNames, name, MAX_HELO_NAMES, count);
  addCounts(into.recipients, from.recipients);
  into.notAuthenticated += from.notAuthenticated;
  into.outOfOrderLines += from.outOfOrderLines;
  if (from.relayDomains !== null)
    into.relayDomains = mergeCounts(into.relayDomains, from.relayDomains, MAX_DOMAINS);
  if (from.proxiedClients !== null)
    into.proxiedClients = mergeCounts(into.proxiedClients, from.proxiedClients, MAX_PROXIED);
  into.anonymousRelayPermissionSessions += from.anonymousRelayPermissionSessions;
  for (const [port, count] of from.localPorts) countInto(into.localPorts, port, Infinity, count);
}

/** `from` added into `into` (made when first needed), keys copied. */
function mergeCounts(
  into: Map<string, number> | null,
  from: ReadonlyMap<string, number>,
  limit: number,
): Map<string, number> {
  const counts = into ?? new Map<string, number>();
  for (const [key, count] of from) countOwn(counts, key, limit, count);
  return counts;
}

function countOwn(counts: Map<string, number>, key: string, limit: number, count: number): void {
  const current = counts.get(key);
  if (current !== undefined) counts.set(key, current + count);
  else if (counts.size < limit) counts.set(own(key), count);
}

export function addCounts(into: RecipientCounts, from: RecipientCounts): void {
  into.internal += from.internal;
  into.catchAll += from.catchAll;
  into.relayed += from.relayed;
  into.relayedAuthenticated += from.relayedAuthenticated;
  into.relayedProxied += from.relayedProxied;
  into.unclassified += from.unclassified;
  into.relayRefused += from.relayRefused;
  into.rejected += from.rejected;
}
