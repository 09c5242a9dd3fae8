#!/usr/bin/env node
// Writes a large, realistic exrelay snapshot for benchmarks: per server the five default connectors and custom
// relay/partner connectors, RemoteIPRanges of every syntax and family, and full ACLs (group ACEs, relay grants,
// inherited entries). Deterministic for a given scale.
//
//   node scripts/generate-org.mjs --scale 1 --out .bench/org-1x.json
//   scale 1 = 10,000 connectors, 50,000 ranges, 200,000 ACEs.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { scale: { type: 'string', default: '1' }, out: { type: 'string' } },
});
const scale = Number(values.scale);
if (!Number.isFinite(scale) || scale <= 0 || !values.out) {
  console.error('usage: node scripts/generate-org.mjs --scale N --out FILE');
  process.exit(2);
}

const CONNECTORS_PER_SERVER = 20;
const ACES = 20; // per connector
const servers = Math.round((10_000 * scale) / CONNECTORS_PER_SERVER);

let seed = 20261128;
const random = (limit) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % limit;
};

const ANONYMOUS = ['NT AUTHORITY\\ANONYMOUS LOGON', 'S-1-5-7'];
const AUTHENTICATED = ['NT AUTHORITY\\Authenticated Users', 'S-1-5-11'];
const EXCHANGE = 'S-1-9-1419165041-1139599005-3936102811-1022490595-';
const ace = ([user, sid], right, extra = {}) => ({
  user,
  sid,
  deny: false,
  inherited: false,
  accessRights: ['ExtendedRight'],
  extendedRights: right ? [right] : [],
  inheritanceType: 'None',
  ...extra,
});

function acl(kind) {
  const entries = [];
  if (kind === 'anonymous' || kind === 'relay') {
    for (const right of [
      'ms-Exch-SMTP-Submit',
      'ms-Exch-SMTP-Accept-Any-Sender',
      'ms-Exch-SMTP-Accept-Authoritative-Domain-Sender',
      'ms-Exch-Accept-Headers-Routing',
    ])
      entries.push(ace(ANONYMOUS, right));
  }
  if (kind === 'relay') entries.push(ace(ANONYMOUS, 'ms-Exch-SMTP-Accept-Any-Recipient'));
  for (const right of [
    'ms-Exch-SMTP-Submit',
    'ms-Exch-SMTP-Accept-Any-Recipient',
    'ms-Exch-Bypass-Anti-Spam',
    'ms-Exch-Accept-Headers-Routing',
  ])
    entries.push(ace(AUTHENTICATED, right));
  for (const right of [
    'ms-Exch-SMTP-Submit',
    'ms-Exch-SMTP-Accept-Any-Recipient',
    'ms-Exch-Bypass-Anti-Spam',
  ])
    entries.push(ace(['MS Exchange\\Hub Transport Servers', `${EXCHANGE}21`], right));
  const inherited = [
    ['NT AUTHORITY\\SYSTEM', 'S-1-5-18'],
    ['CONTOSO\\Enterprise Admins', 'S-1-5-21-1004336348-1177238915-682003330-519'],
    ['CONTOSO\\Exchange Trusted Subsystem', 'S-1-5-21-1004336348-1177238915-682003330-1117'],
  ];
  while (entries.length < ACES) {
    const principal = inherited[entries.length % inherited.length];
    entries.push(
      ace(principal, null, { inherited: true, accessRights: ['GenericAll'], inheritanceType: 'All' }),
    );
  }
  return entries;
}

const ALL_V4 = '0.0.0.0-255.255.255.255';
const ALL_V6 = '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';

function customRanges(index) {
  const ranges = [];
  const count = 5 + (index % 3); // 6 on average; with the defaults. 2 each, 5 per connector in all
  for (let n = 0; n < count; n++) {
    const octet = random(256);
    switch (random(5)) {
      case 0:
        ranges.push(`10.${octet}.${random(256)}.${1 + random(254)}`);
        break;
      case 1:
        ranges.push(`10.${octet}.${random(256)}.0/${22 + random(9)}`);
        break;
      case 2:
        ranges.push(`192.168.${octet}.10-192.168.${octet}.${20 + random(200)}`);
        break;
      case 3:
        ranges.push(`172.${16 + random(16)}.${octet}.0(255.255.255.0)`);
        break;
      default:
        ranges.push(`fd${random(256).toString(16).padStart(2, '0')}:${random(65536).toString(16)}::/64`);
    }
  }
  return ranges;
}

const connectors = [];
const serverInfo = [];
for (let s = 0; s < servers; s++) {
  const server = `EX${String(s).padStart(5, '0')}`;
  serverInfo.push({
    name: server,
    version: 'Version 15.2 (Build 1544.4)',
    roles: ['Mailbox'],
    isEdge: false,
  });
  const add = (name, transportRole, ports, remoteIPRanges, kind, extra = {}) =>
    connectors.push({
      identity: `${server}\\${name}`,
      server,
      name,
      distinguishedName: `CN=${name},CN=SMTP Receive Connectors,CN=Protocols,CN=${server},CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com`,
      enabled: true,
      transportRole,
      bindings: ports.flatMap((port) => [`0.0.0.0:${port}`, `[::]:${port}`]),
      remoteIPRanges,
      authMechanism: ['Tls', 'Integrated', 'BasicAuth', 'BasicAuthRequireTLS', 'ExchangeServer'],
      permissionGroups: ['ExchangeUsers', 'ExchangeServers'],
      permissions: acl(kind),
      ...extra,
    });
  add(`Default ${server}`, 'HubTransport', [2525], [ALL_V6, ALL_V4], 'plain');
  add(`Client Proxy ${server}`, 'HubTransport', [465], [ALL_V6, ALL_V4], 'plain');
  add(
    `Default Frontend ${server}`,
    'FrontendTransport',
    [25],
    [ALL_V6, ALL_V4],
    s % 97 === 0 ? 'relay' : 'anonymous',
  );
  add(`Outbound Proxy Frontend ${server}`, 'FrontendTransport', [717], [ALL_V6, ALL_V4], 'plain');
  add(`Client Frontend ${server}`, 'FrontendTransport', [587], [ALL_V6, ALL_V4], 'plain');
  for (let c = 0; c < CONNECTORS_PER_SERVER - 5; c++) {
    const relay = c % 3 !== 2;
    add(
      relay ? `Relay ${c}` : `Partner ${c}`,
      'FrontendTransport',
      [25],
      customRanges(c),
      relay ? 'relay' : 'anonymous',
      {
        enabled: c % 11 !== 10,
      },
    );
  }
}

const snapshot = {
  kind: 'exrelay.snapshot',
  schemaVersion: 1,
  collectedAt: '2026-11-28T02:00:00Z',
  source: {
    method: 'script',
    description: `generated benchmark organisation, scale ${scale}`,
    tool: 'scripts/generate-org.mjs',
  },
  partial: false,
  servers: serverInfo,
  connectors,
  acceptedDomains: [
    { name: 'contoso.com', domainName: 'contoso.com', domainType: 'Authoritative', isDefault: true },
  ],
  errors: [],
};
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, JSON.stringify(snapshot));
const ranges = connectors.reduce((sum, c) => sum + c.remoteIPRanges.length, 0);
const aces = connectors.reduce((sum, c) => sum + c.permissions.length, 0);
console.log(`${values.out}: ${connectors.length} connectors, ${ranges} ranges, ${aces} ACEs`);
