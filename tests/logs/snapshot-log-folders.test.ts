import { describe, expect, it } from '@jest/globals';
import { adminSharePath, snapshotLogFolders } from '../../src/logs/snapshot-log-folders.js';
import { snapshot } from '../support/builders.js';

describe('the log folders a snapshot records, over the servers admin shares', () => {
  it.each([
    [
      'EX01',
      'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\TransportRoles\\Logs\\FrontEnd\\ProtocolLog\\SmtpReceive',
      '\\\\EX01\\C$\\Program Files\\Microsoft\\Exchange Server\\V15\\TransportRoles\\Logs\\FrontEnd\\ProtocolLog\\SmtpReceive',
    ],
    ['EX02', 'd:\\Exchange\\Logs', '\\\\EX02\\D$\\Exchange\\Logs'],
    ['EX03', '\\\\filer\\logs\\EX03', null],
    ['EX04', 'Logs\\SmtpReceive', null],
  ])('%s %s', (server, local, unc) => {
    expect(adminSharePath(server, local)).toBe(unc);
  });

  it('reads the Front End and Transport folders, not Mailbox Transport Delivery', () => {
    const folders = snapshotLogFolders(
      snapshot([], {
        servers: [
          {
            name: 'EX01',
            version: null,
            roles: ['Mailbox'],
            isEdge: false,
            receiveProtocolLogPaths: [
              { transportRole: 'FrontendTransport', path: 'C:\\L\\FrontEnd' },
              { transportRole: 'HubTransport', path: 'C:\\L\\Hub' },
              { transportRole: 'MailboxTransport', path: 'C:\\L\\Mailbox' },
            ],
          },
          {
            name: 'EX2010',
            version: null,
            roles: ['HubTransport'],
            isEdge: false,
            receiveProtocolLogPaths: null,
          },
        ],
      }),
    );
    expect(folders.map((folder) => `${folder.server} ${folder.transportRole} ${folder.unc}`)).toEqual([
      'EX01 FrontendTransport \\\\EX01\\C$\\L\\FrontEnd',
      'EX01 HubTransport \\\\EX01\\C$\\L\\Hub',
    ]);
  });
});
