import { describe, expect, it } from '@jest/globals';
import { connect, describeSource, disconnect } from '../../src/collect/connection.js';
import type { PowerShellSession, RunOptions } from '../../src/collect/powershell-runner.js';

class RecordingSession implements PowerShellSession {
  readonly runs: { script: string; args: Record<string, unknown>; options: RunOptions }[] = [];
  async run(script: string, args: Record<string, unknown> = {}, options: RunOptions = {}) {
    this.runs.push({ script, args, options });
    return '';
  }
  async dispose() {}
}

describe('describeSource', () => {
  it('describes a remote endpoint by its URI', () => {
    expect(
      describeSource({
        kind: 'remote',
        connectionUri: 'http://ex01.contoso.com/PowerShell/',
        authentication: 'Kerberos',
        credential: { userName: 'CONTOSO\\svc-exrelay', password: 'Sommer2024!' },
      }),
    ).toEqual({ method: 'remote', description: 'http://ex01.contoso.com/PowerShell/' });
  });

  it('describes the local shell and an init script by this host', () => {
    expect(describeSource({ kind: 'local' }, 'EX01')).toEqual({ method: 'local', description: 'EX01' });
    expect(describeSource({ kind: 'init-script', path: '/opt/exrelay/Connect-Lab.ps1' }, 'mgmt01')).toEqual({
      method: 'local',
      description: 'mgmt01 (init script Connect-Lab.ps1)',
    });
  });
});

describe('connect and disconnect', () => {
  it('runs Connect-ExrelayExchange.ps1 with the endpoint and credential as data, never in the label', async () => {
    const session = new RecordingSession();
    await connect(
      session,
      {
        kind: 'remote',
        connectionUri: 'http://ex01.contoso.com/PowerShell/',
        authentication: 'Negotiate',
        credential: { userName: 'CONTOSO\\svc-exrelay', password: 'Sommer2024!' },
      },
      90_000,
    );
    const [run] = session.runs;
    expect(run?.script).toContain('function Connect-ExrelayRemote');
    expect(run?.args).toEqual({
      ConnectionUri: 'http://ex01.contoso.com/PowerShell/',
      Authentication: 'Negotiate',
      UserName: 'CONTOSO\\svc-exrelay',
      Password: 'Sommer2024!',
    });
    expect(run?.options).toEqual({
      timeoutMs: 90_000,
      label: 'connecting to http://ex01.contoso.com/PowerShell/',
    });
  });

  it('passes no credential arguments when Kerberos uses the current account', async () => {
    const session = new RecordingSession();
    await connect(
      session,
      {
        kind: 'remote',
        connectionUri: 'http://ex01/PowerShell/',
        authentication: 'Kerberos',
        credential: null,
      },
      1000,
    );
    expect(session.runs[0]?.args).toEqual({
      ConnectionUri: 'http://ex01/PowerShell/',
      Authentication: 'Kerberos',
    });
  });

  it('asks for the local shell, an init script, or to close every session', async () => {
    const session = new RecordingSession();
    await connect(session, { kind: 'local' }, 1000);
    await connect(session, { kind: 'init-script', path: '/opt/exrelay/Connect-Lab.ps1' }, 1000);
    await disconnect(session, 1000);
    expect(session.runs.map((run) => [run.args, run.options.label])).toEqual([
      [{ Local: true }, 'loading the Exchange Management Shell'],
      [
        { InitScript: '/opt/exrelay/Connect-Lab.ps1' },
        'running the init script /opt/exrelay/Connect-Lab.ps1',
      ],
      [{ Disconnect: true }, 'closing the Exchange session'],
    ]);
  });
});
