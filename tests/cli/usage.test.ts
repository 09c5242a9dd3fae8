/**
 * exrelay usage end to end, with the built CLI: the fixture organisations' exports and their protocol logs
 * (fixtures/logs), every format, the exit codes, worker threads giving the same report as one thread, and bad logs
 * reported without stopping the run.
 */

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { UsageReport } from '../../src/usage/usage-report.js';
import { connector, snapshot } from '../support/builders.js';
import { ROOT, runCli } from '../support/run-cli.js';

const LOGS = join(ROOT, 'fixtures', 'logs');
const ORGS = join(ROOT, 'fixtures', 'orgs');
const temp = mkdtempSync(join(tmpdir(), 'exrelay-usage-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function usageJson(
  org: string,
  ...args: string[]
): { report: UsageReport; status: number | null; stderr: string } {
  const result = runCli([
    'usage',
    join(LOGS, org),
    '--against',
    join(ORGS, org),
    '--format',
    'json',
    ...args,
  ]);
  return { report: JSON.parse(result.stdout) as UsageReport, status: result.status, stderr: result.stderr };
}

function brief(report: UsageReport): string[] {
  return report.findings.map(
    (finding) =>
      `${finding.severity} ${finding.checkId}/${finding.messageId} ${finding.connector ?? '-'} ${finding.subject ?? '-'}`,
  );
}

describe('exrelay usage on the fixture organisations and their logs', () => {
  it('fabrikam-2019: least privilege for both printer connectors, a device refused, a probe, *.com at work', () => {
    const { report, status, stderr } = usageJson('fabrikam-2019', '--show-info');
    expect(stderr).toBe('');
    expect(status).toBe(1);
    expect(brief(report)).toEqual([
      'high usage-catch-all-domain/accepted-through-catch-all - *.com (InternalRelay)',
      'medium usage-logging-off/no-protocol-log EX01\\App Relay -',
      'medium usage-refused-relay/device-refused EX01\\Default Frontend EX01 10.10.30.15',
      'low usage-least-privilege/narrow-scope EX01\\Relay Printers -',
      'low usage-least-privilege/narrow-scope EX02\\Relay Printers -',
      'low usage-refused-relay/probing EX01\\Default Frontend EX01 185.220.101.4',
      'info usage-shared-address/many-helo-names EX01\\Default Frontend EX01 10.10.40.5',
      'info usage-window/window - -',
    ]);
    const ex02 = report.findings.find((finding) => finding.connector === 'EX02\\Relay Printers');
    expect(ex02?.remediation).toBe(
      "Set-ReceiveConnector -Identity 'EX02\\Relay Printers' -RemoteIPRanges '10.10.20.77'",
    );
    expect(ex02?.rollback).toBe(
      "Set-ReceiveConnector -Identity 'EX02\\Relay Printers' -RemoteIPRanges '10.10.20.0/24'",
    );
    expect(ex02?.message).toContain('would be received by EX02\\Default Frontend EX02 (10.10.20.90)');
    expect(report.logs).toMatchObject({ files: 91, versions: ['15.0.0.0'], problems: [] });
    expect(report.summary).toMatchObject({
      relayedRecipients: 28,
      relayedAuthenticatedRecipients: 14,
      relayRefused: 12,
    });
    // A session from 08:59:59 to 09:00 is one session over two hourly files.
    const frontend = report.connectors.find(
      (connector) => connector.identity === 'EX01\\Default Frontend EX01',
    );
    expect(frontend?.clients.find((client) => client.address === '40.107.22.33')).toMatchObject({
      sessions: 1,
      partialSessions: 0,
      messages: 1,
    });
    // The application relays after AUTH, as its service account.
    expect(frontend?.clients.find((client) => client.address === '10.10.50.20')).toMatchObject({
      users: [{ name: 'FABRIKAM\\svc-erp', sessions: 14 }],
      recipients: expect.objectContaining({ relayedAuthenticated: 14, relayed: 0 }),
    });
    // IPv6 senders are clients like any other.
    expect(frontend?.clients.some((client) => client.address === '2a01:111:f400:7e1a::201')).toBe(true);
    // The Transport service's sessions name the Front End's clients.
    const hub = report.connectors.find((connector) => connector.identity === 'EX01\\Default EX01');
    expect(hub?.clients[0]?.proxiedClients.length).toBe(3);
  });

  it('contoso-2010: Exchange 2010 logs, the open relay abused from the Internet, the scanner moved to its own connector', () => {
    const { report, status } = usageJson('contoso-2010');
    expect(status).toBe(1);
    expect(report.logs.versions).toEqual(['14.0.0.0']);
    expect(brief(report)).toEqual([
      'critical usage-public-relay/relayed-from-outside EX2010\\Default EX2010 91.121.55.7',
      'critical usage-public-relay/relayed-from-outside EX2010\\Default EX2010 5.188.206.14',
      'high usage-least-privilege/dedicated-connector EX2010\\Default EX2010 -',
      'medium usage-logging-off/no-protocol-log-now EX2010\\Default EX2010 -',
      'info usage-window/window - -',
    ]);
    const client = report.connectors.find((connector) => connector.identity === 'EX2010\\Client EX2010');
    const copier = client?.clients.find((item) => item.address === '10.0.8.14');
    expect(copier).toMatchObject({
      notAuthenticated: 1,
      recipients: expect.objectContaining({ relayRefused: 1 }),
    });
    const dedicated = report.findings.find((finding) => finding.messageId === 'dedicated-connector');
    // 2010 has no TransportRole: the new connector is created without one.
    expect(dedicated?.remediation).toContain(
      "New-ReceiveConnector -Name 'Relay EX2010' -Server 'EX2010' -Custom -Bindings '0.0.0.0:25' -RemoteIPRanges '10.0.5.20'",
    );
  });

  it('sample: with the accepted domain "*" nothing is relay, and the report says so; an unused grant on PWEX02', () => {
    const { report } = usageJson('sample');
    expect(report.summary.relayedRecipients).toBe(0);
    expect(brief(report).slice(0, 2)).toEqual([
      'high usage-catch-all-domain/accepted-through-catch-all - * (InternalRelay)',
      'medium usage-unused-relay-grant/no-sessions PWEX02\\Relay Printers -',
    ]);
    // Printers that sent outside through "*" used the connector: no unused-grant finding for PWEX01's.
    expect(brief(report).some((line) => line.includes('unused-relay-grant') && line.includes('PWEX01'))).toBe(
      false,
    );
  });

  it('northwind-ipv6: relay from a public IPv6 host, endpoints with and without brackets', () => {
    const { report } = usageJson('northwind-ipv6');
    expect(brief(report)).toContain(
      'critical usage-public-relay/relayed-from-outside NWEX01\\IPv6 Relay 2a02:8108:1140:5d00::25',
    );
    const relay = report.connectors.find((connector) => connector.identity === 'NWEX01\\IPv6 Relay');
    expect(relay?.clients.map((client) => `${client.address} ${client.sessions}`).sort()).toEqual([
      '10.50.1.5 8',
      '2a02:8108:1140:5d00::25 8',
      'fd12:3456:789a:1::10 8',
      'fd12:3456:789a:1::20 8',
    ]);
    expect(report.findings.find((finding) => finding.messageId === 'narrow-scope')?.remediation).toBe(
      "Set-ReceiveConnector -Identity 'NWEX01\\IPv6 Relay' -RemoteIPRanges 'fd12:3456:789a:1::10'",
    );
  });

  it('woodgrove-extsec: externally secured relay from a public address; only Transport logs from Paris', () => {
    const { report } = usageJson('woodgrove-extsec', '--show-info');
    expect(brief(report)).toEqual(
      expect.arrayContaining([
        'critical usage-public-relay/relayed-from-outside WGEX01\\Externally Secured Scan Partner 185.40.12.20',
        'medium usage-unused-relay-grant/no-relay WGEX01\\Externally Secured Mainframe -',
        'info usage-hub-logs/hub-without-frontend - WGPAR-EX01',
      ]),
    );
  });
});

describe('formats, exit codes and problems', () => {
  const args = ['usage', join(LOGS, 'fabrikam-2019'), '--against', join(ORGS, 'fabrikam-2019')];

  it('reads with worker threads and gives the same report as one thread', () => {
    const one = runCli([...args, '--format', 'json', '--jobs', '1']);
    const three = runCli([...args, '--format', 'json', '--jobs', '3']);
    expect(three.status).toBe(one.status);
    expect(JSON.parse(three.stdout)).toEqual(JSON.parse(one.stdout));
  });

  it('table: coverage, connectors, relaying clients, findings and fixes', () => {
    const result = runCli(args, { env: { COLUMNS: '160' } });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(
      /^5 connectors with sessions: 15 clients, 163 sessions, 151 messages; 28 recipients relayed without authentication, 14 after AUTH, 12 refused; findings: 1 high, 2 medium, 3 low, 2 info\n/,
    );
    expect(result.stdout).toContain(
      'Logs: 91 files, 728 KB, from 2026-03-02 07:00 UTC to 2026-03-15 11:00 UTC (13 days)',
    );
    expect(result.stdout).toContain('EX02\\Relay Printers: clients that relayed or were refused relay');
    expect(result.stdout).toContain(
      "Set-ReceiveConnector -Identity 'EX01\\Relay Printers' -RemoteIPRanges '10.10.20.31'\n",
    );
    expect(result.stdout).toContain('2 info findings not listed (--show-info lists them).');
  });

  it('csv: one row per connector and address', () => {
    const result = runCli([...args, '--format', 'csv']);
    const rows = result.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'connector,server,evidence,address,addressClass,sessions,messages,relayedMessages,recipientsInternal,recipientsCatchAll,recipientsRelayed,recipientsRelayedAuthenticated,recipientsUnclassified,relayRefused,rejected,notAuthenticated,anonymousSessions,authenticatedSessions,users,heloNames,relayDomains,proxiedClients,firstSeen,lastSeen,recipientsRelayedProxied',
    );
    expect(rows).toContain(
      'EX02\\Relay Printers,EX02,logged,10.10.20.77,private,14,14,14,0,0,14,0,0,0,0,0,14,0,,prn-eg-77,steuerberater.de,,2026-03-02T08:00:00.000Z,2026-03-15T08:00:00.415Z,0',
    );
    expect(rows).toHaveLength(16);
  });

  it('markdown, written atomically with --output', () => {
    const output = join(temp, 'usage.md');
    const result = runCli([...args, '--format', 'markdown', '--output', output]);
    expect(result.stdout).toBe('');
    const text = readFileSync(output, 'utf8');
    expect(text).toMatch(/^# exrelay usage report\n/);
    expect(text).toContain('## `EX01\\Relay Printers`: clients that relayed or were refused relay');
    expect(text).toContain(
      "```powershell\nSet-ReceiveConnector -Identity 'EX02\\Relay Printers' -RemoteIPRanges '10.10.20.77'\n```",
    );
  });

  it('--fail-on none exits 0', () => {
    expect(runCli([...args, '--fail-on', 'none', '--format', 'json']).status).toBe(0);
  });

  it('bad and truncated files: each problem on stderr with file and line, the rest read, exit 2; --allow-partial exits by findings', () => {
    const bad = join(LOGS, 'quirks', 'bad');
    const result = runCli([
      'usage',
      bad,
      join(LOGS, 'quirks', 'ex2016-frontend'),
      '--against',
      join(ORGS, 'fabrikam-2019'),
      '--format',
      'json',
    ]);
    expect(result.status).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toContain(
      `exrelay: warning: ${join(bad, 'RECV2026030307-1.LOG')}:8: is cut off: the file ends without a line break (a truncated copy, or a file still being written); not used`,
    );
    expect(lines).toContain(
      `exrelay: warning: ${join(bad, 'RECV2026030309-1.LOG')}:3: is a SMTP Send Protocol Log, not an SMTP Receive Protocol Log; not read`,
    );
    expect(lines.at(-1)).toBe(
      'exrelay: warning: 7 problems in the logs: the report is written but its evidence is incomplete; pass --allow-partial to exit by findings instead',
    );
    const report = JSON.parse(result.stdout) as UsageReport;
    expect(report.logs.problems).toHaveLength(7);
    expect(report.summary.sessions).toBeGreaterThan(5);
    const partial = runCli([
      'usage',
      bad,
      '--against',
      join(ORGS, 'fabrikam-2019'),
      '--format',
      'json',
      '--allow-partial',
      '--fail-on',
      'none',
    ]);
    expect(partial.status).toBe(0);
  });

  it('an input without accepted domains: relay cannot be counted, so the evidence is incomplete (exit 2)', () => {
    // Before, fabrikam's logs against its exports less AcceptedDomain.xml read as "0 recipients relayed" and
    // exited 0, an Internet relay included.
    const org = join(ORGS, 'fabrikam-2019');
    const inputs = ['ReceiveConnector.xml', 'ADPermission.xml', 'ExchangeServer.xml'].map((name) =>
      join(org, name),
    );
    const result = runCli(['usage', join(LOGS, 'fabrikam-2019'), '--against', ...inputs, '--format', 'json']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^exrelay: warning: .*ReceiveConnector\.xml, .*: holds no accepted domains \(Get-AcceptedDomain \| Export-Clixml\): \d+ recipients accepted in the logs cannot be told relayed or not, and no relay is counted$/m,
    );
    const report = JSON.parse(result.stdout) as UsageReport;
    expect(report.findings.map((finding) => finding.checkId)).not.toContain('usage-unused-relay-grant');
  });

  it.each([
    [
      ['usage', '--against', join(ORGS, 'fabrikam-2019')],
      'exrelay: name the protocol log files or folders to read, or pass --from-snapshot (see exrelay usage --help)',
    ],
    [
      ['usage', join(temp, 'nowhere'), '--against', join(ORGS, 'fabrikam-2019')],
      `exrelay: ${join(temp, 'nowhere')}: no such file or folder`,
    ],
    [
      ['usage', join(ORGS, 'fabrikam-2019'), '--against', join(ORGS, 'fabrikam-2019')],
      `exrelay: ${join(ORGS, 'fabrikam-2019')}: the folder holds no SMTP Receive protocol logs (RECV*.LOG), nor do its subfolders`,
    ],
    [
      ['usage', join(LOGS, 'fabrikam-2019'), '--against', join(ORGS, 'fabrikam-2019'), '--jobs', '0'],
      'exrelay: --jobs must be a whole number of at least 1',
    ],
    [
      ['usage', join(LOGS, 'fabrikam-2019'), '--against', join(ORGS, 'fabrikam-2019'), '--from-snapshot'],
      'exrelay: the snapshot records no protocol log folders (collect it again with exrelay collect, which reads ReceiveProtocolLogPath); or name the log folders',
    ],
  ])('usage error: %j', (cliArgs, message) => {
    const result = runCli(cliArgs);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`${message}\n`);
  });

  it('--from-snapshot outside Windows names the admin-share folders to copy', () => {
    const snapshotFile = join(temp, 'snapshot.json');
    const folder = (kind: string) =>
      `D:\\Exchange Server\\V15\\TransportRoles\\Logs\\${kind}\\ProtocolLog\\SmtpReceive`;
    writeFileSync(
      snapshotFile,
      JSON.stringify(
        snapshot([connector({ name: 'Default Frontend EX01' })], {
          servers: [
            {
              name: 'EX01',
              version: 'Version 15.2 (Build 1544.4)',
              roles: ['Mailbox'],
              isEdge: false,
              receiveProtocolLogPaths: [
                { transportRole: 'FrontendTransport', path: folder('FrontEnd') },
                // Mailbox Transport Delivery receives from Exchange only: not read.
                { transportRole: 'MailboxTransport', path: `${folder('Mailbox')}\\Delivery` },
              ],
            },
          ],
        }),
      ),
    );
    const result = runCli(['usage', '--against', snapshotFile, '--from-snapshot']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      "exrelay: --from-snapshot reads the log folders over the servers' admin shares, which only Windows can open (\\\\EX01\\D$\\Exchange Server\\V15\\TransportRoles\\Logs\\FrontEnd\\ProtocolLog\\SmtpReceive); copy those folders to this machine and name them: exrelay usage FOLDER... --against SNAPSHOT\n",
    );
  });

  it('a HELO name with control characters reaches the terminal table made visible', () => {
    const folder = mkdtempSync(join(temp, 'hostile-'));
    const header = [
      '#Software: Microsoft Exchange Server',
      '#Version: 15.0.0.0',
      '#Log-type: SMTP Receive Protocol Log',
      '#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context',
    ];
    const at = (second: number) => `2026-03-05T10:00:${String(second).padStart(2, '0')}.000Z`;
    const lines = Array.from({ length: 10 }, (_, index) => [
      `${at(index)},EX01\\Relay Printers,S${index},0,10.1.0.11:25,10.10.20.31:4000,+,,`,
      `${at(index)},EX01\\Relay Printers,S${index},1,10.1.0.11:25,10.10.20.31:4000,<,HELO evil\u001b]0;pwned\u0007${index},`,
      `${at(index)},EX01\\Relay Printers,S${index},2,10.1.0.11:25,10.10.20.31:4000,>,250 Hello,`,
      `${at(index)},EX01\\Relay Printers,S${index},3,10.1.0.11:25,10.10.20.31:4000,-,,Local`,
    ]).flat();
    writeFileSync(
      join(folder, 'RECV2026030510-1.LOG'),
      [...header, ...lines].map((line) => `${line}\r\n`).join(''),
    );
    const result = runCli(['usage', folder, '--against', join(ORGS, 'fabrikam-2019'), '--show-info'], {
      env: { COLUMNS: '200' },
    });
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout).not.toContain('\u0007');
    expect(result.stdout).toContain('evil\\x1b]0;pwned\\x070');
  });

  it('a RCPT logged after its reply is a problem, and no grant is called unused nor a scope cut on that evidence', () => {
    const header = [
      '#Software: Microsoft Exchange Server',
      '#Version: 15.0.0.0',
      '#Log-type: SMTP Receive Protocol Log',
      '#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context',
    ];
    const session = (id: string, address: string, swapped: boolean) => {
      const line = (sequence: number, event: string, data = '') =>
        `2026-03-05T10:00:0${sequence % 10}.000Z,EX01\\Relay Printers,${id},${sequence},10.1.0.11:25,${address}:4000,${event},${data},`;
      const rcpt = [
        line(5, '<', 'RCPT TO:<rechnungen@lieferant.de>'),
        line(6, '>', '250 2.1.5 Recipient OK'),
      ];
      return [
        line(0, '+'),
        line(1, '<', 'HELO mfp'),
        line(2, '>', '250 Hello'),
        line(3, '<', 'MAIL FROM:<scan@fabrikam.com>'),
        line(4, '>', '250 2.1.0 Sender OK'),
        ...(swapped ? rcpt.reverse() : rcpt),
        line(7, '<', 'DATA'),
        line(8, '>', '250 2.6.0 Queued mail for delivery'),
        line(9, '-'),
      ];
    };
    const run = (sessions: string[]) => {
      const folder = mkdtempSync(join(temp, 'order-'));
      writeFileSync(
        join(folder, 'RECV2026030510-1.LOG'),
        [...header, ...sessions].map((line) => `${line}\r\n`).join(''),
      );
      const result = runCli(['usage', folder, '--against', join(ORGS, 'fabrikam-2019'), '--format', 'json']);
      const report = JSON.parse(result.stdout) as UsageReport;
      return {
        result,
        report,
        printers: brief(report).filter((line) => line.includes('EX01\\Relay Printers')),
      };
    };
    const alone = run(session('S1', '10.10.20.31', true));
    expect(alone.result.status).toBe(2);
    expect(alone.report.logs.problems).toEqual([
      expect.objectContaining({ line: 11, message: expect.stringContaining('out of order') }),
    ]);
    expect(alone.printers).toEqual([]);
    // Another printer relayed in order: the scope must not shrink to it alone.
    const two = run([...session('S1', '10.10.20.31', true), ...session('S2', '10.10.20.32', false)]);
    expect(two.printers).toEqual([]);
  });

  it('a line feed in the name of a log folder is shown as \\x0a under the problems of the table, not written out', () => {
    const folder = join(mkdtempSync(join(temp, 'named-')), 'logs\nexrelay: all clear');
    mkdirSync(folder);
    writeFileSync(join(folder, 'RECV2026030510-1.LOG'), 'not a log line\r\n');
    const result = runCli(['usage', folder, '--against', join(ORGS, 'fabrikam-2019')]);
    expect(result.status).toBe(2);
    const problems = result.stdout.slice(result.stdout.indexOf('Problems in the logs'));
    expect(problems).toContain('logs\\x0aexrelay: all clear/RECV2026030510-1.LOG:1: ');
    expect(problems).not.toContain('\nexrelay: all clear');
  });
});
