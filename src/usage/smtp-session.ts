/**
 * One SMTP session rebuilt from its protocol log lines: who connected, whether and as whom it authenticated, and
 * what became of each recipient and message. Commands and replies are paired by order, not by adjacency: with
 * PIPELINING a client sends MAIL FROM and several RCPT TO before the first reply, and the replies follow in command
 * order (exchange-domain.md §9). A 3xx reply (334 to AUTH, 354 to DATA) is an intermediate step, not the answer.
 *
 * The state is plain data, so a session that continues in a file another worker reads can be handed over.
 */

import type { LogRecord } from '../logs/receive-log-format.js';
import { parseEndpoint } from '../net/endpoint.js';
import { formatIpAddress } from '../net/ip-address.js';
import { readRecipientPath, type RecipientClass, type RecipientClassifier } from './recipient-domains.js';

const enum Verb {
  Other,
  Helo,
  Mail,
  Rcpt,
  /** RCPT TO whose path cannot be read: its recipient can be told neither relayed nor submitted. */
  RcptUnreadable,
  Data,
  Bdat,
  BdatLast,
  Auth,
  Rset,
  ProxyFrom,
}

interface PendingCommand {
  verb: Verb;
  /** RCPT: the recipient's domain (null: none); HELO/EHLO: the name; XPROXYFROM: the client address. */
  argument: string | null;
}

export interface RecipientCounts {
  /** Accepted, in an accepted domain: submission. */
  internal: number;
  /** Accepted only through a catch-all accepted domain ("*", "*.com"). */
  catchAll: number;
  /** Accepted, in no accepted domain, before any AUTH: relayed without authenticating. */
  relayed: number;
  /** Accepted, in no accepted domain, after AUTH: relayed by an authenticated sender. */
  relayedAuthenticated: number;
  /**
   * Accepted, in no accepted domain, in a session an Exchange server opened for a client it proxies (XPROXYFROM
   * accepted, Transport logs): the Front End's log has that client's own session and counts the relay there.
   */
  relayedProxied: number;
  /** Accepted, but the snapshot has no accepted domains to tell, or the recipient's path could not be read. */
  unclassified: number;
  /** Refused with "Unable to relay" (550 5.7.54 on 2016+, 550 5.7.1 before). */
  relayRefused: number;
  /** Refused for another reason (unknown recipient, too many recipients, …). */
  rejected: number;
}

export interface SmtpSessionState {
  connectorId: string;
  sessionId: string;
  /** The remote address as formatted text (IPv4-mapped shown as IPv4); null when the endpoint did not parse. */
  remoteAddress: string | null;
  localPort: number | null;
  firstTime: string;
  lastTime: string;
  lastSequence: number;
  /** The line applied last: a line repeating it exactly is skipped, any other not in order is reported. */
  lastRecord: LogRecord | null;
  /** Lines that came after a line with a higher sequence number: not applied, so the counts may miss evidence. */
  outOfOrderLines: number;
  /** The connect line (`+`) was read: the session did not begin before the logs. */
  sawStart: boolean;
  /** The disconnect line (`-`) was read. */
  ended: boolean;
  pending: PendingCommand[];
  /** HELO/EHLO names the client gave (usually one). */
  heloNames: string[];
  authenticated: boolean;
  user: string | null;
  /** The user named by the "authenticated" line, until AUTH's 235 confirms it. */
  pendingUser: string | null;
  /** The session permissions before AUTH held SMTPAcceptAnyRecipient (logged on 2010 and 2013; not a verdict). */
  anonymousRelayPermission: boolean;
  inMessage: boolean;
  messageRelays: boolean;
  messages: number;
  relayedMessages: number;
  recipients: RecipientCounts;
  /** MAIL FROM or RCPT TO refused with 530 5.7.1 Client was not authenticated: no anonymous mail here at all. */
  notAuthenticated: number;
  /** Domains relayed to, with counts (at most MAX_SESSION_DOMAINS); null until the first. */
  relayDomains: Map<string, number> | null;
  /** Clients a Front End server proxied through this session (XPROXYFROM on a Hub log); null until the first. */
  proxiedClients: Map<string, number> | null;
  /**
   * An XPROXYFROM was accepted: only Exchange servers hold that right (ms-Exch-SMTP-Accept-XProxyFrom), so the
   * session carries a client's mail that the Front End already logged. Its relay is counted apart, not twice.
   */
  proxying: boolean;
}

export const MAX_SESSION_DOMAINS = 20;

export function emptyRecipientCounts(): RecipientCounts {
  return {
    internal: 0,
    catchAll: 0,
    relayed: 0,
    relayedAuthenticated: 0,
    relayedProxied: 0,
    unclassified: 0,
    relayRefused: 0,
    rejected: 0,
  };
}

/** A session from its first line read: the connect line, or (when it began before the logs) any later one. */
export function startSession(record: LogRecord): SmtpSessionState {
  const remote = parseEndpoint(record.remoteEndpoint);
  const local = parseEndpoint(record.localEndpoint);
  return {
    connectorId: record.connectorId,
    sessionId: record.sessionId,
    remoteAddress: remote === null ? null : formatIpAddress(remote.address),
    localPort: local?.port ?? null,
    firstTime: record.time,
    lastTime: record.time,
    lastSequence: -1,
    lastRecord: null,
    outOfOrderLines: 0,
    sawStart: false,
    ended: false,
    pending: [],
    heloNames: [],
    authenticated: false,
    user: null,
    pendingUser: null,
    anonymousRelayPermission: false,
    inMessage: false,
    messageRelays: false,
    messages: 0,
    relayedMessages: 0,
    recipients: emptyRecipientCounts(),
    notAuthenticated: 0,
    relayDomains: null,
    proxiedClients: null,
    proxying: false,
  };
}

/**
 * What became of a line: `used`; `repeated`, the line before written again (skipped); `out-of-order`, a line after
 * one with a higher sequence number, not used (pairing replies by order, a late RCPT would take the wrong reply);
 * `unreadable-recipient`, used, but its RCPT TO path does not parse. The last two are for the caller to report.
 */
export type LineOutcome = 'used' | 'repeated' | 'out-of-order' | 'unreadable-recipient';

/** Applies one line of the session, in the order the logs hold them. */
export function applyRecord(
  state: SmtpSessionState,
  record: LogRecord,
  classifier: RecipientClassifier,
): LineOutcome {
  if (record.sequence <= state.lastSequence) {
    if (record.sequence === state.lastSequence && sameLine(record, state.lastRecord)) return 'repeated';
    // Never dropped silently: the relay it may hold would be missing from the evidence.
    state.outOfOrderLines++;
    return 'out-of-order';
  }
  state.lastSequence = record.sequence;
  state.lastRecord = record;
  if (record.time < state.firstTime) state.firstTime = record.time;
  if (record.time > state.lastTime) state.lastTime = record.time;
  switch (record.event) {
    case '+':
      state.sawStart = true;
      return 'used';
    case '-':
      state.ended = true;
      return 'used';
    case '<': {
      const command = parseCommand(record.data);
      state.pending.push(command);
      return command.verb === Verb.RcptUnreadable ? 'unreadable-recipient' : 'used';
    }
    case '>':
      reply(state, record.data, classifier);
      return 'used';
    case '*':
      information(state, record);
      return 'used';
  }
}

function sameLine(record: LogRecord, last: LogRecord | null): boolean {
  return (
    last !== null &&
    record.time === last.time &&
    record.event === last.event &&
    record.data === last.data &&
    record.context === last.context
  );
}

function parseCommand(data: string): PendingCommand {
  const space = data.indexOf(' ');
  const word = (space < 0 ? data : data.slice(0, space)).toUpperCase();
  const rest = space < 0 ? '' : data.slice(space + 1);
  switch (word) {
    case 'EHLO':
    case 'HELO':
      return { verb: Verb.Helo, argument: rest.trim().toLowerCase() || null };
    case 'MAIL':
      return { verb: Verb.Mail, argument: null };
    case 'RCPT': {
      const path = readRecipientPath(rest.slice(rest.indexOf(':') + 1));
      return path === null
        ? { verb: Verb.RcptUnreadable, argument: null }
        : { verb: Verb.Rcpt, argument: path.domain };
    }
    case 'DATA':
      return { verb: Verb.Data, argument: null };
    case 'BDAT':
      return { verb: /\bLAST\b/i.test(rest) ? Verb.BdatLast : Verb.Bdat, argument: null };
    case 'AUTH':
    case 'X-EXPS':
      return { verb: Verb.Auth, argument: null };
    case 'RSET':
      return { verb: Verb.Rset, argument: null };
    case 'XPROXYFROM':
      return { verb: Verb.ProxyFrom, argument: proxiedAddress(rest) };
    default:
      return { verb: Verb.Other, argument: null };
  }
}

/** XPROXYFROM SID=… IP=10.1.1.5 PORT=… DOMAIN=… SEQNUM=… PERMS=… AUTHSRC=…: the client the Front End served. */
function proxiedAddress(parameters: string): string | null {
  const match = /(?:^|\s)IP=(\S+)/i.exec(parameters);
  if (!match) return null;
  const endpoint = parseEndpoint(`${match[1]}:0`) ?? parseEndpoint(`[${match[1]}]:0`);
  return endpoint === null ? null : formatIpAddress(endpoint.address);
}

function reply(state: SmtpSessionState, data: string, classifier: RecipientClassifier): void {
  // "250-SIZE" continues a multi-line reply; only its last line ("250 CHUNKING") answers the command.
  if (data.charCodeAt(3) === 0x2d) return;
  const code = replyCode(data);
  if (code === null) return;
  const command = state.pending[0];
  // Nothing asked: the greeting, or a 421 as the server closes the session.
  if (command === undefined) return;
  if (code >= 300 && code < 400) return;
  state.pending.shift();
  const accepted = code < 300;
  switch (command.verb) {
    case Verb.Helo:
      if (accepted && command.argument !== null && !state.heloNames.includes(command.argument))
        state.heloNames.push(command.argument);
      return;
    case Verb.Auth:
      if (code === 235) {
        state.authenticated = true;
        state.user = state.pendingUser;
      }
      state.pendingUser = null;
      return;
    case Verb.Mail:
      if (accepted) {
        state.inMessage = true;
        state.messageRelays = false;
      } else if (isNotAuthenticated(code, data)) state.notAuthenticated++;
      return;
    case Verb.Rcpt:
      recipient(state, command.argument, code, data, classifier.classify(command.argument));
      return;
    case Verb.RcptUnreadable:
      recipient(state, null, code, data, 'unknown');
      return;
    case Verb.Data:
    case Verb.BdatLast:
      if (accepted && state.inMessage) {
        state.messages++;
        if (state.messageRelays) state.relayedMessages++;
      }
      state.inMessage = false;
      return;
    case Verb.Rset:
      state.inMessage = false;
      return;
    case Verb.ProxyFrom:
      if (accepted) state.proxying = true;
      if (accepted && command.argument !== null)
        countInto((state.proxiedClients ??= new Map()), command.argument, Infinity);
      return;
    default:
      return;
  }
}

function recipient(
  state: SmtpSessionState,
  domain: string | null,
  code: number,
  data: string,
  kind: RecipientClass,
): void {
  const counts = state.recipients;
  if (code >= 400) {
    if (isRelayRefusal(code, data)) counts.relayRefused++;
    else if (isNotAuthenticated(code, data)) state.notAuthenticated++;
    else counts.rejected++;
    return;
  }
  switch (kind) {
    case 'internal':
      counts.internal++;
      return;
    case 'catch-all':
      counts.catchAll++;
      return;
    case 'unknown':
      counts.unclassified++;
      return;
    case 'relay':
      if (state.proxying) counts.relayedProxied++;
      else {
        if (state.authenticated) counts.relayedAuthenticated++;
        else counts.relayed++;
        state.messageRelays = true;
      }
      if (domain !== null) countInto((state.relayDomains ??= new Map()), domain, MAX_SESSION_DOMAINS);
      return;
  }
}

function information(state: SmtpSessionState, record: LogRecord): void {
  if (record.context === 'authenticated') {
    state.pendingUser = record.data;
    return;
  }
  // The first permission line is the connector's anonymous permissions; the one written during AUTH is the user's.
  if (
    record.context === 'Set Session Permissions' &&
    !state.authenticated &&
    !state.pending.some((command) => command.verb === Verb.Auth) &&
    record.data.includes('SMTPAcceptAnyRecipient')
  )
    state.anonymousRelayPermission = true;
}

function replyCode(data: string): number | null {
  if (data.length < 3) return null;
  let code = 0;
  for (let index = 0; index < 3; index++) {
    const digit = data.charCodeAt(index) - 0x30;
    if (digit < 0 || digit > 9) return null;
    code = code * 10 + digit;
  }
  return code;
}

/** "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain" (2016+), "550 5.7.1 Unable to relay". */
function isRelayRefusal(code: number, data: string): boolean {
  return code >= 500 && /\b5\.7\.(?:1|54)\b/.test(data) && /unable to relay/i.test(data);
}

/** "530 5.7.1 Client was not authenticated": the connector takes no anonymous mail (not a relay attempt). */
function isNotAuthenticated(code: number, data: string): boolean {
  return code === 530 || /client was not authenticated/i.test(data);
}

/** Adds `count` to `key`, keeping at most `limit` keys (later ones are not listed, only counted elsewhere). */
export function countInto<K>(counts: Map<K, number>, key: K, limit: number, count = 1): void {
  const current = counts.get(key);
  if (current !== undefined) counts.set(key, current + count);
  else if (counts.size < limit) counts.set(key, count);
}
