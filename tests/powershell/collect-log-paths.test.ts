/**
 * Collection records where each transport service writes its SMTP Receive protocol log (ReceiveProtocolLogPath),
 * read through real pwsh from the Exchange stand-in with the cmdlet of the server's version: the three 2013+
 * service cmdlets, or Get-TransportServer on 2010.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import type { ExchangeServerInfo, Snapshot } from '../../src/model/snapshot.js';
import { describeWithPwsh } from '../helpers/pwsh.js';
import { runSlowCli, scenarioPath, tempFolder, writeSimInitScript } from './collect-support.js';

const SLOW = 180_000;
const V15 = 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\TransportRoles\\Logs\\';

function collect(pwsh: string, scenario: string): { snapshot: Snapshot; stderr: string } {
  const folder = tempFolder('collect-log-paths');
  const out = join(folder, 'snapshot.json');
  const result = runSlowCli(
    [
      'collect',
      '--init-script',
      writeSimInitScript(folder, scenario),
      '--out',
      out,
      '--allow-partial',
      '--shell',
      pwsh,
    ],
    { cwd: folder },
  );
  expect(result.stderr).not.toMatch(/^exrelay: (?!warning)/m);
  expect(result.status).toBe(0);
  return { snapshot: JSON.parse(readFileSync(out, 'utf8')) as Snapshot, stderr: result.stderr };
}

function logPaths(snapshot: Snapshot): Record<string, ExchangeServerInfo['receiveProtocolLogPaths']> {
  return Object.fromEntries(snapshot.servers.map((server) => [server.name, server.receiveProtocolLogPaths]));
}

describeWithPwsh('collect records the protocol log folders', (pwsh) => {
  it(
    '2019 (fabrikam-2019, EX02 installed on D:): Front End, Transport and Mailbox Transport services',
    () => {
      const folder = tempFolder('scenario');
      const scenario = JSON.parse(readFileSync(scenarioPath('fabrikam-2019'), 'utf8')) as {
        servers: { name: string; installPath?: string }[];
      };
      scenario.servers[1]!.installPath = 'D:\\Exchange Server\\V15\\';
      const path = join(folder, 'fabrikam-d.json');
      writeFileSync(path, JSON.stringify(scenario));
      const { snapshot, stderr } = collect(pwsh, path);
      expect(stderr).toBe('');
      expect(logPaths(snapshot)).toEqual({
        EX01: [
          { transportRole: 'FrontendTransport', path: `${V15}FrontEnd\\ProtocolLog\\SmtpReceive` },
          { transportRole: 'HubTransport', path: `${V15}Hub\\ProtocolLog\\SmtpReceive` },
          { transportRole: 'MailboxTransport', path: `${V15}Mailbox\\ProtocolLog\\SmtpReceive\\Delivery` },
        ],
        EX02: [
          {
            transportRole: 'FrontendTransport',
            path: 'D:\\Exchange Server\\V15\\TransportRoles\\Logs\\FrontEnd\\ProtocolLog\\SmtpReceive',
          },
          {
            transportRole: 'HubTransport',
            path: 'D:\\Exchange Server\\V15\\TransportRoles\\Logs\\Hub\\ProtocolLog\\SmtpReceive',
          },
          {
            transportRole: 'MailboxTransport',
            path: 'D:\\Exchange Server\\V15\\TransportRoles\\Logs\\Mailbox\\ProtocolLog\\SmtpReceive\\Delivery',
          },
        ],
      });
    },
    SLOW,
  );

  it(
    '2010 (contoso-2010): Get-TransportServer, the one transport service; the 2013+ cmdlets are not called',
    () => {
      const { snapshot, stderr } = collect(pwsh, scenarioPath('contoso-2010'));
      expect(stderr).toBe('');
      expect(logPaths(snapshot)).toEqual({
        EX2010: [
          {
            transportRole: 'HubTransport',
            path: 'C:\\Program Files\\Microsoft\\Exchange Server\\V14\\TransportRoles\\Logs\\ProtocolLog\\SmtpReceive',
          },
        ],
      });
    },
    SLOW,
  );

  it(
    'Edge (litware-edge, its own shell): the Transport service writes under Edge\\',
    () => {
      const { snapshot } = collect(pwsh, scenarioPath('litware-edge'));
      expect(logPaths(snapshot)).toEqual({
        EDGE01: [{ transportRole: 'HubTransport', path: `${V15}Edge\\ProtocolLog\\SmtpReceive` }],
      });
    },
    SLOW,
  );

  it(
    'sample: a subscribed Edge server seen from the organisation is not asked (its configuration is its own)',
    () => {
      const paths = logPaths(collect(pwsh, scenarioPath('sample')).snapshot);
      expect(paths.PWEDGE01).toBeNull();
      expect(paths.PWEX01?.map((entry) => entry.transportRole)).toEqual([
        'FrontendTransport',
        'HubTransport',
        'MailboxTransport',
      ]);
    },
    SLOW,
  );

  it(
    'a session without the transport service cmdlets: one warning per missing cmdlet, the snapshot is complete',
    () => {
      const folder = tempFolder('without-log-cmdlets');
      const init = writeSimInitScript(folder, scenarioPath('fabrikam-2019'));
      // As an endpoint whose role assignment lacks them: the cmdlets are removed after loading the stand-in.
      writeFileSync(
        init,
        `${readFileSync(init, 'utf8')}Remove-Item -Path function:Get-FrontendTransportService, function:Get-MailboxTransportService\n`,
      );
      const out = join(folder, 'snapshot.json');
      const result = runSlowCli(['collect', '--init-script', init, '--out', out, '--shell', pwsh], {
        cwd: folder,
      });
      expect(result.status).toBe(0);
      expect(result.stderr).toBe(
        [
          'exrelay: warning: PowerShell: Get-FrontendTransportService is not available in this session: FrontendTransport protocol log folders are not recorded.',
          'exrelay: warning: PowerShell: Get-MailboxTransportService is not available in this session: MailboxTransport protocol log folders are not recorded.',
          '',
        ].join('\n'),
      );
      const snapshot = JSON.parse(readFileSync(out, 'utf8')) as Snapshot;
      expect(snapshot.partial).toBe(false);
      expect(logPaths(snapshot).EX01).toEqual([
        { transportRole: 'HubTransport', path: `${V15}Hub\\ProtocolLog\\SmtpReceive` },
      ]);
    },
    SLOW,
  );
});
