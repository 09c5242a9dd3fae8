/**
 * What the logs show per connector and remote address, summed over finished sessions. Memory grows with the number
 * of distinct (connector, address) pairs, never with the size of the logs; lists inside a pair are bounded. Tallies
 * made by different workers merge into one.
 */

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
  /** Authenticated users, with their session counts (at most MAX_USERS). */
  users: Map<string, number>;
  /** HELO/EHLO names, with session counts (at most MAX_HELO_NAMES: enough to tell one client from many). */
  heloNames: Map<string, number>;
  recipients: RecipientCounts;
  notAuthenticated: number;
  /** Domains relayed to, with recipient counts (at most MAX_DOMAINS). */
  relayDomains: Map<string, number>;
  /** Clients a Front End server proxied through these sessions (Hub logs), with counts (at most MAX_PROXIED). */
  proxiedClients: Map<string, number>;
  /** Sessions whose anonymous permissions, as logged, held SMTPAcceptAnyRecipient. */
  anonymousRelayPermissionSessions: number;
  /** Local ports the sessions came in on, with counts. */
  localPorts: Map<number, number>;
}

export const MAX_USERS = 20;
export const MAX_HELO_NAMES = 50;
export const MAX_DOMAINS = 20;
export const MAX_PROXIED = 100;

export type UsageTally = Map<string, ClientUsage>;

function pairKey(connectorId: string, address: string | null): string {
  return `${connectorId}\u0000${address ?? ''}`;
}

function emptyUsage(connectorId: string, address: string | null, time: string): ClientUsage {
  return {
    connectorId,
    address,
    sessions: 0,
    partialSessions: 0,
    messages: 0,
    relayedMessages: 0,
    firstSeen: time,
    lastSeen: time,
    anonymousSessions: 0,
    authenticatedSessions: 0,
    users: new Map(),
    heloNames: new Map(),
    recipients: emptyRecipientCounts(),
    notAuthenticated: 0,
    relayDomains: new Map(),
    proxiedClients: new Map(),
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
  if (session.firstTime < usage.firstSeen) usage.firstSeen = session.firstTime;
  if (session.lastTime > usage.lastSeen) usage.lastSeen = session.lastTime;
  if (session.authenticated) {
    usage.authenticatedSessions++;
    if (session.user !== null) countInto(usage.users, session.user, MAX_USERS);
  } else usage.anonymousSessions++;
  for (const name of session.heloNames) countInto(usage.heloNames, name, MAX_HELO_NAMES);
  addCounts(usage.recipients, session.recipients);
  usage.notAuthenticated += session.notAuthenticated;
  mergeCounts(usage.relayDomains, session.relayDomains, MAX_DOMAINS);
  mergeCounts(usage.proxiedClients, session.proxiedClients, MAX_PROXIED);
  if (session.anonymousRelayPermission) usage.anonymousRelayPermissionSessions++;
  if (session.localPort !== null) countInto(usage.localPorts, session.localPort, Infinity);
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
  mergeCounts(into.users, from.users, MAX_USERS);
  mergeCounts(into.heloNames, from.heloNames, MAX_HELO_NAMES);
  addCounts(into.recipients, from.recipients);
  into.notAuthenticated += from.notAuthenticated;
  mergeCounts(into.relayDomains, from.relayDomains, MAX_DOMAINS);
  mergeCounts(into.proxiedClients, from.proxiedClients, MAX_PROXIED);
  into.anonymousRelayPermissionSessions += from.anonymousRelayPermissionSessions;
  mergeCounts(into.localPorts, from.localPorts, Infinity);
}

function mergeCounts<K>(into: Map<K, number>, from: Map<K, number>, limit: number): void {
  for (const [key, count] of from) countInto(into, key, limit, count);
}

function addCounts(into: RecipientCounts, from: RecipientCounts): void {
  into.internal += from.internal;
  into.catchAll += from.catchAll;
  into.relayed += from.relayed;
  into.relayedAuthenticated += from.relayedAuthenticated;
  into.unclassified += from.unclassified;
  into.relayRefused += from.relayRefused;
  into.rejected += from.rejected;
}
