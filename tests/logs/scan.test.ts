/**
 * From lines to sessions: pairing pipelined commands with their replies, sessions that continue in the next hourly
 * file, the same tally whether one thread reads every file or the files are cut into runs and stitched.
 */

import { describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join, relative as relative_ } from 'node:path';
import { findLogFiles } from '../../src/logs/find-log-files.js';
import { SCAN_LIMITS, scanFiles } from '../../src/logs/scan-files.js';
import { scanLogs, splitRuns } from '../../src/logs/scan-logs.js';
import { stitchRuns } from '../../src/logs/stitch.js';
import type { AcceptedDomain } from '../../src/model/snapshot.js';
import type { ClientUsage, UsageTally } from '../../src/usage/usage-tally.js';
import { CONTOSO, HEADER, logFolder, quirk } from './support.js';

function usage(tally: UsageTally, connectorId: string, address: string): ClientUsage {
  const found = tally.get(`${connectorId}\u0000${address}`);
  if (!found) throw new Error(`no usage for ${connectorId} ${address}: ${[...tally.keys()].join(' | ')}`);
  return found;
}

function scanOne(paths: string[], domains: AcceptedDomain[] | null = CONTOSO): UsageTally {
  const run = scanFiles(paths, domains);
  return stitchRuns([run], domains).tally;
}

const FRONTEND = [
  quirk('ex2016-frontend/RECV2026030208-1.LOG'),
  quirk('ex2016-frontend/RECV2026030209-1.LOG'),
];

describe('sessions from the Exchange 2016 Front End quirk files', () => {
  const tally = scanOne(FRONTEND);

  it('pairs pipelined RCPT replies by order: one relay refused (5.7.54), one internal recipient accepted', () => {
    const probe = usage(tally, 'EX16\\Default Frontend EX16', '185.220.101.4');
    expect(probe.recipients).toMatchObject({ relayRefused: 1, internal: 1, relayed: 0 });
    expect(probe.messages).toBe(0);
    expect([...probe.heloNames.keys()]).toEqual(['ylmf-pc']);
  });

  it('counts a relayed recipient and its message for the scanner behind a quoted connector name', () => {
    const scanner = usage(tally, 'EX16\\Relay, Scanners "Lager"', '10.20.30.41');
    expect(scanner).toMatchObject({ sessions: 1, messages: 1, relayedMessages: 1, anonymousSessions: 1 });
    expect(scanner.recipients.relayed).toBe(1);
    expect([...(scanner.relayDomains ?? [])]).toEqual([['lieferant.de', 1]]);
    expect(scanner.anonymousRelayPermissionSessions).toBe(1);
  });

  it('reads IPv6 endpoints bracketed and not, and keeps the connector name with its trailing space', () => {
    const partner = usage(tally, 'EX16\\Default ', '2a02:8108:1140:5d00::25');
    expect(partner.sessions).toBe(2);
    // BDAT LAST after pipelined RCPTs: one message, one relayed recipient (example.org) and one internal
    // (CONTOSO.COM. with a trailing dot); then a 452 and an RSET: a relayed recipient without a message.
    expect(partner.messages).toBe(1);
    expect(partner.recipients).toMatchObject({ relayed: 2, internal: 1, rejected: 1 });
    expect([...partner.localPorts]).toEqual([[25, 2]]);
  });

  it('joins a session that continues in the next hourly file: AUTH begun in one, answered in the other', () => {
    const reports = usage(tally, 'EX16\\Default Frontend EX16', '10.30.0.77');
    expect(reports).toMatchObject({
      sessions: 1,
      partialSessions: 0,
      authenticatedSessions: 1,
      anonymousSessions: 0,
    });
    expect([...(reports.users ?? [])]).toEqual([['CONTOSO\\svc-reports', 1]]);
    expect(reports.recipients).toMatchObject({ relayedAuthenticated: 1, relayed: 0 });
    // The permissions written during AUTH are the user's, not the connector's anonymous ones.
    expect(reports.anonymousRelayPermissionSessions).toBe(0);
    expect(reports.firstSeen).toBe('2026-03-02T08:59:58.900Z');
    expect(reports.lastSeen).toBe('2026-03-02T09:00:00.701Z');
  });

  it('gives the same tally when each file is its own run (another worker) and the runs are stitched', () => {
    const runs = FRONTEND.map((file) => scanFiles([file], CONTOSO));
    expect(runs[0]?.open.map((session) => session.sessionId)).toEqual(['08DE5A1B00000004']);
    expect([...(runs[1]?.pieces.keys() ?? [])]).toEqual([
      'EX16\\Default Frontend EX16\u000008DE5A1B00000004',
    ]);
    expect(stitchRuns(runs, CONTOSO)).toEqual({ tally, problems: [] });
  });
});

describe('Exchange 2010 quirk file', () => {
  const tally = scanOne([quirk('ex2010/RECV20260302-1.LOG')]);

  it('relay allowed on the Default connector (anonymous relay permission logged), relay refused with 5.7.1', () => {
    const spammer = usage(tally, 'EX2010\\Default EX2010', '91.121.55.7');
    expect(spammer).toMatchObject({ messages: 1, relayedMessages: 1, anonymousRelayPermissionSessions: 1 });
    expect(spammer.recipients.relayed).toBe(2);
    const copier = usage(tally, 'EX2010\\Client EX2010', '10.0.8.14');
    expect(copier.recipients.relayRefused).toBe(1);
  });

  it('530 5.7.1 Client was not authenticated is not a relay attempt', () => {
    const copier = usage(tally, 'EX2010\\Client EX2010', '10.0.8.14');
    expect(copier.notAuthenticated).toBe(1);
    expect(copier.sessions).toBe(2);
    expect([...copier.heloNames.keys()].sort()).toEqual(['copier-2', 'copier-2.contoso.local']);
  });
});

describe('Hub (Transport service) quirk file', () => {
  it('X-EXPS authentication of the Front End, and the clients named by XPROXYFROM', () => {
    const tally = scanOne([quirk('ex2019-hub/RECV2026030210-1.LOG')]);
    const frontend = usage(tally, 'EX19\\Default EX19', '10.0.0.19');
    expect(frontend).toMatchObject({ authenticatedSessions: 1, messages: 1 });
    expect([...(frontend.users ?? [])]).toEqual([['CONTOSO\\EX19$', 1]]);
    expect([...(frontend.proxiedClients ?? [])].sort()).toEqual([
      ['192.168.77.15', 1],
      ['2a02:8108:1140:5d00::25', 1],
    ]);
    // The relay is the proxied client's, which the Front End's log counts: not a second one after AUTH by EX19$.
    expect(frontend.recipients).toMatchObject({ relayedProxied: 1, relayedAuthenticated: 0, relayed: 0 });
    expect(frontend.relayedMessages).toBe(0);
  });

  it('a relay the Front End logged and proxied to the Transport service counts once, the proxy hop apart', () => {
    const session = (connector: string, id: string, local: string, remote: string, lines: string[][]) =>
      lines.map(
        ([event, data = ''], sequence) =>
          `2026-03-05T10:00:0${sequence % 10}.${String(sequence).padStart(3, '0')}Z,${connector},${id},${sequence},${local},${remote},${event},${data},`,
      );
    const mail = [
      ['<', 'MAIL FROM:<scan@contoso.com>'],
      ['>', '250 2.1.0 Sender OK'],
      ['<', 'RCPT TO:<x@other.example>'],
      ['>', '250 2.1.5 Recipient OK'],
      ['<', 'BDAT 10 LAST'],
      ['>', '250 2.6.0 Queued mail for delivery'],
      ['-'],
    ];
    const folder = logFolder({
      'RECV1.LOG': [
        ...HEADER,
        ...session('EX\\Relay', 'FE1', '10.0.0.1:25', '10.9.9.8:4000', [
          ['+'],
          ['<', 'HELO mfp'],
          ['>', '250 Hello'],
          ...mail,
        ]),
        // Without X-EXPS too: whatever let the Front End in, XPROXYFROM accepted means an Exchange server proxies.
        ...session('EX\\Default EX', 'HUB1', '10.0.0.1:2525', '10.0.0.1:41000', [
          ['+'],
          ['<', 'EHLO ex.contoso.com'],
          ['>', '250 XPROXYFROM'],
          ['<', 'XPROXYFROM SID=FE1 IP=10.9.9.8 PORT=4000 DOMAIN=mfp SEQNUM=1 PERMS=1119 AUTHSRC=Anonymous'],
          ['>', '250 XProxyFrom accepted'],
          ...mail,
        ]),
      ],
    });
    const tally = scanOne([join(folder, 'RECV1.LOG')]);
    expect(usage(tally, 'EX\\Relay', '10.9.9.8').recipients).toMatchObject({ relayed: 1, relayedProxied: 0 });
    const hub = usage(tally, 'EX\\Default EX', '10.0.0.1');
    expect(hub.recipients).toMatchObject({ relayed: 0, relayedAuthenticated: 0, relayedProxied: 1 });
    expect([...(hub.proxiedClients ?? [])]).toEqual([['10.9.9.8', 1]]);
  });
});

describe('accepted domains decide what was relayed', () => {
  const file = quirk('utf8-bom/RECV2026030211-1.LOG');
  const key = 'EX16DE01\\Empfang Drucker Büro';

  it('a recipient in no accepted domain was relayed; in any accepted domain type it was not', () => {
    expect(usage(scanOne([file], CONTOSO), key, '192.168.178.21').recipients.relayed).toBe(1);
    const steuerbuero: AcceptedDomain = {
      name: 'Steuerbüro',
      domainName: '*.de',
      domainType: 'ExternalRelay',
      isDefault: false,
    };
    expect(usage(scanOne([file], [steuerbuero]), key, '192.168.178.21').recipients).toMatchObject({
      relayed: 0,
      catchAll: 1,
    });
    const exact: AcceptedDomain = {
      ...steuerbuero,
      domainName: 'steuerbüro-müller.de',
      domainType: 'InternalRelay',
    };
    expect(usage(scanOne([file], [exact]), key, '192.168.178.21').recipients).toMatchObject({
      relayed: 0,
      internal: 1,
    });
  });

  it('a "*" accepted domain makes nothing relay: such recipients are counted apart', () => {
    const star: AcceptedDomain = {
      name: 'All',
      domainName: '*',
      domainType: 'InternalRelay',
      isDefault: false,
    };
    expect(usage(scanOne([file], [star]), key, '192.168.178.21').recipients).toMatchObject({
      relayed: 0,
      catchAll: 1,
    });
  });

  it('without accepted domains nothing can be told: unclassified', () => {
    expect(usage(scanOne([file], null), key, '192.168.178.21').recipients).toMatchObject({
      relayed: 0,
      unclassified: 1,
    });
  });
});

describe('runs and stitching', () => {
  /** A session that spans four files, and a short one in each file. */
  function hourlyFolder(): string {
    const line = (time: string, session: string, sequence: number, event: string, data = '', context = '') =>
      `2026-03-05T${time}Z,EX\\Relay,${session},${sequence},10.0.0.1:25,10.9.9.9:4000,${event},${data},${context}`;
    const long = [
      ['10:59:59.000', '+'],
      ['10:59:59.100', '<', 'HELO dev'],
      ['11:00:00.100', '>', '250 Hello'],
      ['11:59:59.900', '<', 'MAIL FROM:<a@contoso.com>'],
      ['12:00:00.100', '>', '250 2.1.0 Sender OK'],
      ['12:00:01.000', '<', 'RCPT TO:<x@other.example>'],
      ['12:59:59.000', '>', '250 2.1.5 Recipient OK'],
      ['13:00:00.500', '-', '', 'Remote'],
    ] as const;
    const files: Record<string, string[]> = {};
    long.forEach(([time, event, data = '', context = ''], sequence) => {
      const hour = time.slice(0, 2);
      (files[`RECV20260305${hour}-1.LOG`] ??= [...HEADER]).push(
        line(time, 'LONG', sequence, event, data, context),
      );
    });
    for (const name of Object.keys(files)) {
      const hour = name.slice(12, 14);
      files[name]?.push(
        line(`${hour}:30:00.000`, `S${hour}`, 0, '+'),
        line(`${hour}:30:00.500`, `S${hour}`, 1, '-', '', 'Remote'),
      );
    }
    return logFolder(files);
  }

  it('a session over four hourly files is one session, read by one thread or by up to four workers', async () => {
    const files = findLogFiles([hourlyFolder()]);
    expect(files.map((file) => basename(file.path))).toEqual([
      'RECV2026030510-1.LOG',
      'RECV2026030511-1.LOG',
      'RECV2026030512-1.LOG',
      'RECV2026030513-1.LOG',
    ]);
    const whole = scanOne(files.map((file) => file.path));
    const relay = usage(whole, 'EX\\Relay', '10.9.9.9');
    expect(relay).toMatchObject({ sessions: 5, partialSessions: 0 });
    expect(relay.recipients.relayed).toBe(1);
    for (const count of [2, 3, 4]) {
      const runs = splitRuns(files, count).map((paths) => scanFiles(paths, CONTOSO));
      expect(runs).toHaveLength(count);
      expect(stitchRuns(runs, CONTOSO)).toEqual({ tally: whole, problems: [] });
    }
    expect((await scanLogs(files, { acceptedDomains: CONTOSO, jobs: 4 })).tally).toEqual(whole);
  });

  it('files of one session in two folders that sort the other way ("new" before "old") are read in time order', () => {
    const copied = logFolder({});
    const hourly = hourlyFolder();
    // The four hours copied into folders whose names sort against time: before, the 12:00 file (with the RCPT's
    // reply) was read before the 11:00 one, and the relayed recipient was lost.
    for (const [name, folder] of [
      ['RECV2026030510-1.LOG', 'old'],
      ['RECV2026030511-1.LOG', 'old'],
      ['RECV2026030512-1.LOG', 'new'],
      ['RECV2026030513-1.LOG', 'new'],
    ] as const) {
      mkdirSync(join(copied, folder), { recursive: true });
      copyFileSync(join(hourly, name), join(copied, folder, name));
    }
    const files = findLogFiles([copied]);
    expect(files.map((file) => basename(file.path))).toEqual([
      'RECV2026030510-1.LOG',
      'RECV2026030511-1.LOG',
      'RECV2026030512-1.LOG',
      'RECV2026030513-1.LOG',
    ]);
    const relay = usage(scanOne(files.map((file) => file.path)), 'EX\\Relay', '10.9.9.9');
    expect(relay).toMatchObject({ sessions: 5, partialSessions: 0 });
    expect(relay.recipients.relayed).toBe(1);
  });

  it('a session whose beginning is before the logs, or whose end is after them, is counted and marked partial', () => {
    const folder = logFolder({
      'RECV1.LOG': [
        ...HEADER,
        '2026-03-05T10:00:00.000Z,EX\\Relay,OLD,7,10.0.0.1:25,10.9.9.8:4000,<,RCPT TO:<x@other.example>,',
        '2026-03-05T10:00:00.100Z,EX\\Relay,OLD,8,10.0.0.1:25,10.9.9.8:4000,>,250 2.1.5 Recipient OK,',
        '2026-03-05T10:00:00.200Z,EX\\Relay,NEW,0,10.0.0.1:25,10.9.9.8:4001,+,,',
      ],
    });
    const tally = scanOne([join(folder, 'RECV1.LOG')]);
    expect(usage(tally, 'EX\\Relay', '10.9.9.8')).toMatchObject({ sessions: 2, partialSessions: 2 });
  });

  it('keeps a bounded number of lines of sessions begun before the run, and says how many it did not use', () => {
    const orphan = (index: number) =>
      `2026-03-05T10:00:00.000Z,EX\\Relay,S${index % 3},${index + 1},10.0.0.1:25,10.9.9.8:4000,<,RCPT TO:<x@other.example>,`;
    const folder = logFolder({
      'RECV1.LOG': [...HEADER, ...Array.from({ length: 12 }, (_, index) => orphan(index))],
    });
    const file = join(folder, 'RECV1.LOG');
    const run = scanFiles([file], CONTOSO, undefined, { ...SCAN_LIMITS, pieceLines: 5 });
    expect([...run.pieces.values()].reduce((sum, lines) => sum + lines.length, 0)).toBe(5);
    expect(run.problems).toEqual([
      {
        file,
        line: null,
        message:
          '7 lines of sessions whose connect line is not in the logs not used: more than 5 such lines (damaged or filtered logs?)',
      },
    ]);
    // Under the limit nothing is dropped and nothing is said.
    expect(scanFiles([file], CONTOSO, undefined, { ...SCAN_LIMITS, pieceLines: 12 }).problems).toEqual([]);
  });

  it('counts the longest-open session as it stands when too many are open at once, and says so', () => {
    const connect = (index: number) =>
      `2026-03-05T10:00:${String(index).padStart(2, '0')}.000Z,EX\\Relay,S${index},0,10.0.0.1:25,10.9.9.8:${4000 + index},+,,`;
    const folder = logFolder({
      'RECV1.LOG': [...HEADER, ...Array.from({ length: 12 }, (_, index) => connect(index))],
    });
    const file = join(folder, 'RECV1.LOG');
    // A tenth of the limit (at least one) at a time: each session beyond five cuts the one begun first.
    const run = scanFiles([file], CONTOSO, undefined, { ...SCAN_LIMITS, openSessions: 5 });
    expect(run.open.map((session) => session.sessionId)).toEqual(['S7', 'S8', 'S9', 'S10', 'S11']);
    expect(run.problems).toEqual([
      {
        file,
        line: null,
        message: '7 sessions counted before their end: more than 5 sessions open at once (damaged logs?)',
      },
    ]);
    // Every session is still counted once, as partial (none was seen to end).
    expect(usage(stitchRuns([run], CONTOSO).tally, 'EX\\Relay', '10.9.9.8')).toMatchObject({
      sessions: 12,
      partialSessions: 12,
    });
  });

  it('splitRuns keeps the order and gives every run at least one file', () => {
    const files = [10, 1, 1, 1, 10].map((bytes, index) => ({ path: `f${index}`, bytes }));
    expect(splitRuns(files, 2)).toEqual([
      ['f0', 'f1', 'f2'],
      ['f3', 'f4'],
    ]);
    expect(splitRuns(files, 5)).toEqual([['f0'], ['f1'], ['f2'], ['f3'], ['f4']]);
    expect(splitRuns(files.slice(0, 2), 1)).toEqual([['f0', 'f1']]);
  });
});

describe('lines out of order, repeated, or with a path that does not parse: never lost silently', () => {
  const at = (sequence: number) => `2026-03-05T10:00:00.${String(sequence).padStart(3, '0')}Z`;
  const line = (sequence: number, event: string, data = '', context = '') =>
    `${at(sequence)},EX\\Relay,S1,${sequence},10.0.0.1:25,10.9.9.8:4000,${event},${data},${context}`;
  const session = (rcpt: string[]) => [
    line(0, '+'),
    line(1, '<', 'HELO mfp'),
    line(2, '>', '250 Hello'),
    line(3, '<', 'MAIL FROM:<scan@contoso.com>'),
    line(4, '>', '250 2.1.0 Sender OK'),
    ...rcpt,
    line(7, '<', 'DATA'),
    line(8, '>', '250 2.6.0 Queued mail for delivery'),
    line(9, '-', '', 'Local'),
  ];

  it('a reply logged before its RCPT is not dropped silently: a problem names the line, the session is marked', () => {
    const folder = logFolder({
      'RECV1.LOG': [
        ...HEADER,
        ...session([line(6, '>', '250 2.1.5 Recipient OK'), line(5, '<', 'RCPT TO:<x@other.example>')]),
      ],
    });
    const file = join(folder, 'RECV1.LOG');
    const run = scanFiles([file], CONTOSO);
    expect(run.problems).toEqual([
      {
        file,
        line: 12,
        message:
          'sequence-number 5 of session "S1" comes after a higher one (lines out of order); not used, and that session\'s counts may miss evidence (no grant on its connector is called unused)',
      },
    ]);
    expect(usage(stitchRuns([run], CONTOSO).tally, 'EX\\Relay', '10.9.9.8')).toMatchObject({
      sessions: 1,
      outOfOrderLines: 1,
    });
  });

  it('the same holds when the line out of order is in the next run (another worker), named by its file and line', () => {
    const lines = session([
      line(6, '>', '250 2.1.5 Recipient OK'),
      line(5, '<', 'RCPT TO:<x@other.example>'),
    ]);
    const folder = logFolder({
      'RECV1.LOG': [...HEADER, ...lines.slice(0, 6)],
      'RECV2.LOG': [...HEADER, ...lines.slice(6)],
    });
    const runs = ['RECV1.LOG', 'RECV2.LOG'].map((name) => scanFiles([join(folder, name)], CONTOSO));
    const stitched = stitchRuns(runs, CONTOSO);
    expect(stitched.problems).toEqual([
      expect.objectContaining({ file: join(folder, 'RECV2.LOG'), line: 6 }),
    ]);
    expect(usage(stitched.tally, 'EX\\Relay', '10.9.9.8').outOfOrderLines).toBe(1);
  });

  it('a line logged after its session ended is reported and marked on its pair, not made a session of its own', () => {
    const lines = session([line(6, '>', '250 2.1.5 Recipient OK')]);
    const late = line(5, '<', 'RCPT TO:<x@other.example>');
    const folder = logFolder({
      'RECV1.LOG': [...HEADER, ...lines, late],
      'RECV2.LOG': [...HEADER, ...lines],
      'RECV3.LOG': [...HEADER, late],
    });
    const one = scanFiles([join(folder, 'RECV1.LOG')], CONTOSO);
    expect(one.problems).toEqual([
      expect.objectContaining({ line: 15, message: expect.stringContaining('out of order') }),
    ]);
    expect(usage(stitchRuns([one], CONTOSO).tally, 'EX\\Relay', '10.9.9.8')).toMatchObject({
      sessions: 1,
      partialSessions: 0,
      outOfOrderLines: 1,
    });
    // The same when the late line is in the next worker's run.
    const runs = ['RECV2.LOG', 'RECV3.LOG'].map((name) => scanFiles([join(folder, name)], CONTOSO));
    const stitched = stitchRuns(runs, CONTOSO);
    expect(stitched.problems).toEqual([
      expect.objectContaining({ file: join(folder, 'RECV3.LOG'), line: 6 }),
    ]);
    expect(usage(stitched.tally, 'EX\\Relay', '10.9.9.8')).toMatchObject({
      sessions: 1,
      partialSessions: 0,
      outOfOrderLines: 1,
    });
  });

  it('a line written twice is skipped without a problem; a different line under a used number is not', () => {
    const rcpt = line(5, '<', 'RCPT TO:<x@other.example>');
    const folder = logFolder({
      'RECV1.LOG': [
        ...HEADER,
        ...session([rcpt, rcpt, line(6, '>', '250 2.1.5 Recipient OK'), line(6, '>', '550 5.1.1 other')]),
      ],
    });
    const file = join(folder, 'RECV1.LOG');
    const run = scanFiles([file], CONTOSO);
    expect(run.problems.map((problem) => problem.line)).toEqual([14]);
    const client = usage(stitchRuns([run], CONTOSO).tally, 'EX\\Relay', '10.9.9.8');
    expect(client.recipients.relayed).toBe(1);
    expect(client.outOfOrderLines).toBe(1);
  });

  it('a quoted local part holding ">" is read to its domain: relayed, not internal', () => {
    const folder = logFolder({
      'RECV1.LOG': [
        ...HEADER,
        ...session([
          line(5, '<', '"RCPT TO:<""a>b""@other.example>"'),
          line(6, '>', '250 2.1.5 Recipient OK'),
        ]),
      ],
    });
    const run = scanFiles([join(folder, 'RECV1.LOG')], CONTOSO);
    expect(run.problems).toEqual([]);
    const client = usage(stitchRuns([run], CONTOSO).tally, 'EX\\Relay', '10.9.9.8');
    expect(client.recipients).toMatchObject({ relayed: 1, internal: 0 });
  });

  it('a path that cannot be read is counted unclassified, never internal, and named as a problem', () => {
    const folder = logFolder({
      'RECV1.LOG': [
        ...HEADER,
        ...session([line(5, '<', '"RCPT TO:<""a>b@other.example>"'), line(6, '>', '250 2.1.5 Recipient OK')]),
      ],
    });
    const file = join(folder, 'RECV1.LOG');
    const run = scanFiles([file], CONTOSO);
    expect(run.problems).toEqual([
      {
        file,
        line: 11,
        message:
          'the RCPT TO path "RCPT TO:<\\"a>b@other.example>" cannot be read; the recipient, if accepted, is counted unclassified (neither relayed nor submitted)',
      },
    ]);
    const client = usage(stitchRuns([run], CONTOSO).tally, 'EX\\Relay', '10.9.9.8');
    expect(client.recipients).toMatchObject({ unclassified: 1, internal: 0, relayed: 0 });
  });
});

describe('findLogFiles', () => {
  it('orders hourly files by number (-2 before -10), any case of the name, and leaves other files alone', () => {
    const folder = logFolder({
      'RECV2026030510-10.LOG': [...HEADER],
      'RECV2026030510-2.LOG': [...HEADER],
      'recv2026030509-1.log': [...HEADER],
      'SEND2026030510-1.LOG': [...HEADER],
      'notes.txt': 'not a log',
    });
    expect(findLogFiles([folder]).map((file) => basename(file.path))).toEqual([
      'recv2026030509-1.log',
      'RECV2026030510-2.LOG',
      'RECV2026030510-10.LOG',
    ]);
  });

  it('reads a file named twice once: a folder and a file in it, relative and absolute, a parent and a link', () => {
    const folder = logFolder({ 'RECV2026030510-1.LOG': [...HEADER] });
    mkdirSync(join(folder, 'FrontEnd'));
    writeFileSync(join(folder, 'FrontEnd', 'RECV2026030511-1.LOG'), `${HEADER.join('\r\n')}\r\n`);
    symlinkSync(join(folder, 'RECV2026030510-1.LOG'), join(folder, 'FrontEnd', 'RECV-link.LOG'));
    const relative = relative_(process.cwd(), folder);
    const found = findLogFiles([
      folder,
      `${folder}/`,
      join(folder, 'FrontEnd'),
      join(relative, 'RECV2026030510-1.LOG'),
      `./${join(relative, 'FrontEnd', 'RECV2026030511-1.LOG')}`,
    ]);
    // Read twice, every session in the file would be counted twice.
    expect(found.map((file) => basename(realpathSync(file.path))).sort()).toEqual([
      'RECV2026030510-1.LOG',
      'RECV2026030511-1.LOG',
    ]);
  });
});
