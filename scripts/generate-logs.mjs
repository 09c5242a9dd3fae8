#!/usr/bin/env node
// Writes realistic SMTP Receive protocol logs for benchmarks: per server a Front End and a Hub folder of hourly
// files (RECVyyyymmddhh-n.LOG, a new -n every 10 MB), sessions interleaved in time and crossing file boundaries,
// a header block again after a simulated restart, Internet mail with STARTTLS, relay probes refused with 5.7.54
// after a tarpit, printers and applications relaying through a relay connector (some over IPv6), authenticated
// clients on port 587, and Hub sessions proxied by the Front End (XPROXYFROM). Deterministic for a given seed.
//
//   node scripts/generate-logs.mjs --size 2048 --out /tmp/exrelay-logs      # MB, written into that folder
//   … --snapshot /tmp/exrelay-logs.snapshot.json     # also an exrelay snapshot of the organisation the logs are from
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ANONYMOUS_PERMISSIONS,
  RECIPIENT_OK,
  RELAY_DENIED_2016,
  UNKNOWN_RECIPIENT,
  authLogin,
  banner,
  ehlo,
  endpoint,
  headerBlock,
  helo,
  permissions,
  pipelinedMessage,
  plainMessage,
  proxyFrom,
  quit,
  sessionLines,
  starttls,
} from './protocol-log-writer.mjs';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '2048' },
    out: { type: 'string' },
    servers: { type: 'string', default: '2' },
    seed: { type: 'string', default: '20260302' },
    'public-senders': { type: 'string', default: '50000' },
    snapshot: { type: 'string' },
  },
});
const targetBytes = Number(values.size) * 1024 * 1024;
const serverCount = Number(values.servers);
if (!values.out || !(targetBytes > 0) || !(serverCount >= 1)) {
  console.error('usage: node scripts/generate-logs.mjs --size MB --out FOLDER [--servers N] [--seed N]');
  process.exit(2);
}

// mulberry32: small, fast, and good enough in its low bits (an LCG's low bits repeat with a short period).
let seed = Number(values.seed) >>> 0;
const random = (limit) => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let value = seed;
  value = Math.imul(value ^ (value >>> 15), value | 1);
  value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
  return ((((value ^ (value >>> 14)) >>> 0) / 4294967296) * limit) | 0;
};
const pick = (list) => list[random(list.length)];

const FILE_LIMIT = 10 * 1024 * 1024;
const START = Date.UTC(2026, 2, 1, 0, 0, 0);
const ACCEPTED = ['contoso.com', 'contoso.de', 'mail.contoso.com'];
const EXTERNAL = ['gmail.com', 'outlook.com', 'fabrikam.net', 'litware.org', 'example.de', 'partner.co.uk'];
const PRINTERS = Array.from({ length: 40 }, (_, index) => `10.10.${20 + (index % 4)}.${30 + index}`);
const APPS = ['10.20.1.15', '10.20.1.16', '10.20.4.7', 'fd12:3456:789a:1::25', 'fd12:3456:789a:1::26'];
const LAPTOPS = Array.from({ length: 300 }, (_, index) => `10.30.${index >> 6}.${(index % 64) + 10}`);
const USERS = Array.from({ length: 300 }, (_, index) => `CONTOSO\\user${String(index).padStart(3, '0')}`);
const AUTH_PERMISSIONS =
  'SMTPSubmit SMTPAcceptAnyRecipient SMTPAcceptAnySender SMTPAcceptAuthoritativeDomainSender BypassAntiSpam AcceptRoutingHeaders';

/**
 * The Internet senders: a fixed pool (50,000 by default), as a real server sees the same senders again and again;
 * so the number of distinct (connector, address) pairs levels off while the logs grow.
 */
const PUBLIC_POOL = Array.from({ length: Number(values['public-senders']) }, () =>
  random(20) === 0
    ? `2a02:8108:${random(65536).toString(16)}:5d00::${random(4096).toString(16)}`
    : `${pick([31, 45, 62, 77, 81, 85, 89, 91, 94, 109, 141, 176, 185, 193, 212, 217])}.${random(256)}.${random(256)}.${1 + random(254)}`,
);

/** A mail server names itself the same way every time. */
function heloOf(address) {
  return `mail-${address.replace(/[.:]/g, '-')}.${EXTERNAL[address.length % EXTERNAL.length]}`;
}

function publicAddress() {
  return pick(PUBLIC_POOL);
}

function sessionId(counter, server) {
  return (0x08de5a0000000000n + BigInt(server) * 0x100000000n + BigInt(counter))
    .toString(16)
    .toUpperCase()
    .padStart(16, '0');
}

const hosts = Array.from({ length: serverCount }, (_, index) => ({
  name: `EX${String(index + 1).padStart(2, '0')}`,
  address: `10.0.0.${11 + index}`,
}));

function frontendSession(host, server, counter, start) {
  const id = sessionId(counter, server);
  const fqdn = `${host.name.toLowerCase()}.contoso.com`;
  const kind = random(100);
  const date = 'Sun, 1 Mar 2026 00:00:00 +0000';
  const message = (bytes) => ({
    id: `${random(1e9).toString(16)}.${counter}@${pick(['mail.example.net', 'app01.contoso.local', 'mx.partner.co.uk'])}`,
    bytes,
    internalId: 40000000000000 + counter,
    host: fqdn,
    seconds: (random(900) + 50) / 1000,
  });
  if (kind < 55) {
    const remote = publicAddress();
    const recipients = Array.from({ length: 1 + random(3) }, () => ({
      address: `${pick(['anna', 'bob', 'carla', 'dev', 'sales'])}@${pick(ACCEPTED)}`,
      reply: random(30) === 0 ? UNKNOWN_RECIPIENT : RECIPIENT_OK,
    }));
    return sessionLines({
      connector: `${host.name}\\Default Frontend ${host.name}`,
      sessionId: id,
      local: endpoint(remote.includes(':') ? '2001:db8:100::11' : host.address, 25),
      remote: endpoint(remote, 1024 + random(60000)),
      start,
      steps: [
        permissions(ANONYMOUS_PERMISSIONS),
        banner(fqdn, date),
        ehlo(heloOf(remote), fqdn, remote),
        starttls(`CN=${fqdn}`),
        ehlo(heloOf(remote), fqdn, remote),
        pipelinedMessage({
          from: `news@${pick(EXTERNAL)}`,
          recipients,
          message: message(3000 + random(200000)),
          sessionId: id,
          counter: 1,
          time: start,
        }),
        quit(),
      ],
    });
  }
  if (kind < 65) {
    const remote = publicAddress();
    return sessionLines({
      connector: `${host.name}\\Default Frontend ${host.name}`,
      sessionId: id,
      local: endpoint(host.address, 25),
      remote: endpoint(remote, 1024 + random(60000)),
      start,
      steps: [
        permissions(ANONYMOUS_PERMISSIONS),
        banner(fqdn, date),
        ehlo(['ylmf-pc', 'User', 'localhost', `[${remote}]`][remote.length % 4], fqdn, remote),
        pipelinedMessage({
          from: `test@${pick(EXTERNAL)}`,
          recipients: [{ address: `probe@${pick(EXTERNAL)}`, reply: RELAY_DENIED_2016 }],
          message: null,
          sessionId: id,
          counter: 1,
          time: start,
          tarpit: 5,
        }),
        quit(),
      ],
    });
  }
  if (kind < 82) {
    const app = random(4) === 0;
    const remote = app ? pick(APPS) : pick(PRINTERS);
    const recipients = Array.from({ length: 1 + random(2) }, () => ({
      address: `${pick(['scan', 'alerts', 'ops'])}@${random(3) === 0 ? pick(EXTERNAL) : pick(ACCEPTED)}`,
      reply: RECIPIENT_OK,
    }));
    const build = app ? pipelinedMessage : plainMessage;
    return sessionLines({
      connector: `${host.name}\\${app ? 'App Relay' : 'Relay Printers'}`,
      sessionId: id,
      local: endpoint(remote.includes(':') ? '2001:db8:100::11' : host.address, 25),
      remote: endpoint(remote, 1024 + random(60000)),
      start,
      steps: [
        permissions(`${ANONYMOUS_PERMISSIONS} SMTPAcceptAnyRecipient`),
        banner(fqdn, date),
        app
          ? ehlo(`app${remote.length % 4}.contoso.local`, fqdn, remote)
          : helo(`PRN-${remote.split('.').pop()}`, fqdn, remote),
        build({
          from: `scanner@${ACCEPTED[0]}`,
          recipients,
          message: message(40000 + random(900000)),
          sessionId: id,
          counter: 1,
          time: start,
        }),
        quit(),
      ],
    });
  }
  const remote = pick(LAPTOPS);
  const recipients = Array.from({ length: 1 + random(4) }, () => ({
    address: `${pick(['friend', 'customer', 'team'])}@${random(2) === 0 ? pick(EXTERNAL) : pick(ACCEPTED)}`,
    reply: RECIPIENT_OK,
  }));
  return sessionLines({
    connector: `${host.name}\\Client Frontend ${host.name}`,
    sessionId: id,
    local: endpoint(host.address, 587),
    remote: endpoint(remote, 1024 + random(60000)),
    start,
    steps: [
      banner(fqdn, date),
      ehlo(`laptop-${remote.split('.').slice(2).join('-')}`, fqdn, remote),
      starttls(`CN=${fqdn}`),
      authLogin(USERS[LAPTOPS.indexOf(remote)], AUTH_PERMISSIONS),
      pipelinedMessage({
        from: `user@${ACCEPTED[0]}`,
        recipients,
        message: message(5000 + random(50000)),
        sessionId: id,
        counter: 1,
        time: start,
      }),
      quit(),
    ],
  });
}

function hubSession(host, server, counter, start) {
  const id = sessionId(counter, server + 16);
  const fqdn = `${host.name.toLowerCase()}.contoso.com`;
  const frontend = pick(hosts);
  const client = publicAddress();
  return sessionLines({
    connector: `${host.name}\\Default ${host.name}`,
    sessionId: id,
    local: endpoint(host.address, 2525),
    remote: endpoint(frontend.address, 1024 + random(60000)),
    start,
    end: 'Local',
    steps: [
      banner(fqdn, 'Sun, 1 Mar 2026 00:00:00 +0000'),
      ehlo(`${frontend.name}.contoso.com`, fqdn, frontend.address, [
        'SIZE',
        'PIPELINING',
        'DSN',
        'ENHANCEDSTATUSCODES',
        'STARTTLS',
        'X-ANONYMOUSTLS',
        'AUTH NTLM',
        'X-EXPS GSSAPI NTLM',
        '8BITMIME',
        'BINARYMIME',
        'CHUNKING',
        'XEXCH50',
        'XRDST',
        'XSHADOWREQUEST',
        'XPROXY',
        'XPROXYFROM',
        'X-MESSAGECONTEXT',
      ]),
      proxyFrom({
        sessionId: sessionId(counter, server),
        client,
        port: 1024 + random(60000),
        domain: `mail.${pick(EXTERNAL)}`,
      }),
      pipelinedMessage({
        from: `news@${pick(EXTERNAL)}`,
        recipients: [{ address: `anna@${ACCEPTED[0]}`, reply: RECIPIENT_OK }],
        message: {
          id: `${counter}@${pick(EXTERNAL)}`,
          bytes: 3000 + random(90000),
          internalId: 50000000000000 + counter,
          host: fqdn,
        },
        sessionId: id,
        counter: 1,
        time: start,
      }),
      quit(),
    ],
  });
}

/** One folder of hourly files; lines arrive in time order (within the flush window) and are appended. */
class LogFolder {
  constructor(folder) {
    this.folder = folder;
    mkdirSync(folder, { recursive: true });
    this.hour = null;
    this.part = 0;
    this.descriptor = null;
    this.size = 0;
    this.pending = [];
    this.pendingSize = 0;
    this.bytes = 0;
    this.files = 0;
  }

  write(time, line) {
    const hour = new Date(time).toISOString().slice(0, 13).replace(/[-T]/g, '');
    if (hour !== this.hour || this.size >= FILE_LIMIT) {
      this.part = hour === this.hour ? this.part + 1 : 1;
      this.hour = hour;
      this.open(time);
    } else if (random(200000) === 0) {
      // A service restart: a new header block in the middle of the file.
      this.append(headerBlock('15.0.0.0', time).join('\r\n') + '\r\n');
    }
    this.append(`${line}\r\n`);
  }

  open(time) {
    this.flush();
    if (this.descriptor !== null) closeSync(this.descriptor);
    this.descriptor = openSync(join(this.folder, `RECV${this.hour}-${this.part}.LOG`), 'w');
    this.files++;
    this.size = 0;
    this.append(headerBlock('15.0.0.0', time).join('\r\n') + '\r\n');
  }

  append(text) {
    this.pending.push(text);
    this.pendingSize += text.length;
    this.size += text.length;
    this.bytes += text.length;
    if (this.pendingSize > 1 << 20) this.flush();
  }

  flush() {
    if (this.pending.length === 0 || this.descriptor === null) return;
    writeSync(this.descriptor, this.pending.join(''));
    this.pending = [];
    this.pendingSize = 0;
  }

  close() {
    this.flush();
    if (this.descriptor !== null) closeSync(this.descriptor);
  }
}

const folders = hosts.map((host) => ({
  frontend: new LogFolder(join(values.out, host.name, 'FrontEnd', 'ProtocolLog', 'SmtpReceive')),
  hub: new LogFolder(join(values.out, host.name, 'Hub', 'ProtocolLog', 'SmtpReceive')),
}));
const queues = folders.map(() => ({ frontend: [], hub: [] }));
const total = () => folders.reduce((sum, folder) => sum + folder.frontend.bytes + folder.hub.bytes, 0);

/** Writes the lines older than `before` in time order; later lines wait for sessions that start later. */
function drain(queue, folder, before) {
  queue.sort((a, b) => a.time - b.time);
  let index = 0;
  while (index < queue.length && queue[index].time < before) {
    folder.write(queue[index].time, queue[index].line);
    index++;
  }
  queue.splice(0, index);
}

let now = START;
let counter = 0;
const started = Date.now();
while (total() < targetBytes) {
  for (let batch = 0; batch < 2000; batch++) {
    // About one session a second per organisation: a 2 GB set of logs spans several days of hourly files.
    now += 20 + random(2000);
    counter++;
    const server = random(serverCount);
    queues[server].frontend.push(...frontendSession(hosts[server], server, counter, now));
    if (random(3) === 0) queues[server].hub.push(...hubSession(hosts[server], server, counter, now));
  }
  // No session lasts a minute: everything older than that is final.
  folders.forEach((folder, index) => {
    drain(queues[index].frontend, folder.frontend, now - 60_000);
    drain(queues[index].hub, folder.hub, now - 60_000);
  });
}
folders.forEach((folder, index) => {
  drain(queues[index].frontend, folder.frontend, Infinity);
  drain(queues[index].hub, folder.hub, Infinity);
  folder.frontend.close();
  folder.hub.close();
});
const files = folders.reduce((sum, folder) => sum + folder.frontend.files + folder.hub.files, 0);
console.log(
  `wrote ${(total() / 1024 / 1024).toFixed(0)} MB in ${files} files (${counter} Front End sessions, ${new Date(START).toISOString()} to ${new Date(now).toISOString()}) to ${values.out} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);

if (values.snapshot) writeFileSync(values.snapshot, JSON.stringify(organisation(), null, 2));

/** The organisation these logs come from, as an exrelay snapshot: the connectors the sessions name. */
function organisation() {
  const anonymous = (rights) =>
    rights.map((right) => ({
      user: 'NT AUTHORITY\\ANONYMOUS LOGON',
      sid: 'S-1-5-7',
      deny: false,
      inherited: false,
      accessRights: ['ExtendedRight'],
      extendedRights: [right],
      inheritanceType: 'None',
    }));
  const submit = anonymous(['ms-Exch-SMTP-Submit', 'ms-Exch-SMTP-Accept-Any-Sender']);
  const relay = [...submit, ...anonymous(['ms-Exch-SMTP-Accept-Any-Recipient'])];
  const connector = (host, name, extra) => ({
    identity: `${host.name}\\${name}`,
    server: host.name,
    name,
    distinguishedName: null,
    enabled: true,
    transportRole: 'FrontendTransport',
    bindings: ['0.0.0.0:25', '[::]:25'],
    remoteIPRanges: ['0.0.0.0-255.255.255.255', '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    authMechanism: ['Tls', 'Integrated', 'BasicAuth', 'BasicAuthRequireTLS', 'ExchangeServer'],
    permissionGroups: [],
    permissions: submit,
    protocolLoggingLevel: 'Verbose',
    ...extra,
  });
  return {
    kind: 'exrelay.snapshot',
    schemaVersion: 1,
    collectedAt: null,
    source: { method: 'files', description: 'scripts/generate-logs.mjs', tool: null },
    partial: false,
    servers: hosts.map((host) => ({
      name: host.name,
      version: 'Version 15.2 (Build 1544.4)',
      roles: ['Mailbox'],
      isEdge: false,
    })),
    connectors: hosts.flatMap((host) => [
      connector(host, `Default Frontend ${host.name}`, { permissionGroups: ['AnonymousUsers'] }),
      connector(host, `Client Frontend ${host.name}`, { bindings: ['0.0.0.0:587'], permissions: [] }),
      connector(host, `Default ${host.name}`, {
        transportRole: 'HubTransport',
        bindings: ['0.0.0.0:2525'],
        permissions: [],
      }),
      connector(host, 'Relay Printers', { remoteIPRanges: ['10.10.20.0/22'], permissions: relay }),
      connector(host, 'App Relay', {
        remoteIPRanges: ['10.20.0.0/16', 'fd12:3456:789a:1::/64'],
        permissions: relay,
      }),
    ]),
    acceptedDomains: ACCEPTED.map((domainName, index) => ({
      name: domainName,
      domainName,
      domainType: 'Authoritative',
      isDefault: index === 0,
    })),
    errors: [],
  };
}
