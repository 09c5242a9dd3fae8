import { EventEmitter } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import { collectLive, type LiveCollectionOptions } from '../../src/collect/live-collection.js';
import type { RunnerOptions } from '../../src/collect/powershell-runner.js';
import {
  contosoInventory,
  FakeSession,
  inventoryConnector,
  relayAcl,
  runFailure,
  type Failure,
} from './fake-session.js';

const PRINTERS = inventoryConnector('EX01', 'Relay Printers');

function setUp(failure?: Failure) {
  const session = new FakeSession(
    contosoInventory([PRINTERS]),
    new Map([[PRINTERS.distinguishedName as string, relayAcl()]]),
    failure,
  );
  const events: string[] = [];
  let runnerOptions: RunnerOptions | undefined;
  const originalDispose = session.dispose.bind(session);
  session.dispose = async () => {
    events.push('dispose');
    await originalDispose();
  };
  const options: LiveCollectionOptions = {
    target: {
      kind: 'remote',
      connectionUri: 'http://ex01.contoso.com/PowerShell/',
      authentication: 'Kerberos',
      credential: null,
    },
    executable: 'pwsh',
    timeoutMs: 5000,
    tool: 'exrelay 0.1.0',
    progress: {
      phase: (text) => events.push(`phase ${text}`),
      permissions: () => undefined,
      finish: () => events.push('finish'),
    },
    warn: (message) => events.push(`warn ${message}`),
    startShell: async (given) => {
      runnerOptions = given;
      return session;
    },
  };
  const steps = () =>
    session.runs.map((run) => (run.args.Step as string | undefined) ?? Object.keys(run.args).join(','));
  return { session, events, options, steps, runnerOptions: () => runnerOptions };
}

describe('collectLive', () => {
  it('connects, collects, closes the Exchange sessions, then disposes the shell', async () => {
    const { session, events, options, steps, runnerOptions } = setUp();
    const snapshot = await collectLive(options);
    expect(steps()).toEqual(['ConnectionUri,Authentication', 'Inventory', 'Permissions', 'Disconnect']);
    expect(events.filter((event) => !event.startsWith('phase ')).slice(-2)).toEqual(['dispose', 'finish']);
    expect(snapshot.source).toEqual({
      method: 'remote',
      description: 'http://ex01.contoso.com/PowerShell/',
      tool: 'exrelay 0.1.0',
    });
    // --timeout limits every step; starting pwsh gets at least a minute.
    expect(runnerOptions()).toMatchObject({ executable: 'pwsh', timeoutMs: 60_000 });
    expect(session.runs.map((run) => run.options.timeoutMs)).toEqual([5000, 5000, 5000, 5000]);
  });

  it('passes PowerShell warnings on, clearing the status line first', async () => {
    const { events, options, runnerOptions } = setUp();
    await collectLive(options);
    events.length = 0;
    runnerOptions()?.onWarning?.(
      "The object EX01\\Relay Legacy App has been corrupted, and it's in an inconsistent state.",
    );
    expect(events).toEqual([
      'finish',
      "warn PowerShell: The object EX01\\Relay Legacy App has been corrupted, and it's in an inconsistent state.",
    ]);
  });

  it('still closes the sessions and the shell when connecting fails, and reports the connection error', async () => {
    const refused = runFailure(
      'PowerShell failed while connecting to http://ex01.contoso.com/PowerShell/: Connecting to remote server ex01.contoso.com failed: Access is denied.',
    );
    const { session, events, options, steps } = setUp((run) => (run.args.ConnectionUri ? refused : null));
    await expect(collectLive(options)).rejects.toBe(refused);
    expect(steps()).toEqual(['ConnectionUri,Authentication', 'Disconnect']);
    expect(session.disposed).toBe(true);
    expect(events.some((event) => event.startsWith('warn'))).toBe(false);
  });

  it('disposes the shell when closing fails after a failure, and keeps the first error', async () => {
    const timeout = runFailure(
      'PowerShell did not answer within 5 s while reading servers, receive connectors and accepted domains',
    );
    const closed = runFailure(
      'cannot run PowerShell: the session is closed because an earlier command timed out',
    );
    const { session, events, options } = setUp((run) => {
      if (run.args.Step === 'Inventory') return timeout;
      if (run.args.Disconnect) return closed;
      return null;
    });
    await expect(collectLive(options)).rejects.toBe(timeout);
    expect(session.disposed).toBe(true);
    expect(events.some((event) => event.startsWith('warn'))).toBe(false);
  });

  it('warns when the sessions could not be closed after a successful collection', async () => {
    const { events, options } = setUp((run) =>
      run.args.Disconnect
        ? runFailure(
            'PowerShell failed while closing the Exchange session: The I/O operation has been aborted',
          )
        : null,
    );
    await collectLive(options);
    expect(events).toContain(
      'warn could not close the Exchange session: PowerShell failed while closing the Exchange session: The I/O operation has been aborted',
    );
  });

  it('stops PowerShell on Ctrl-C or SIGTERM during a step that hangs, and fails instead of leaving it running', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const { session, options, steps } = setUp();
      // Get-ADPermission never answers; only stopping the shell ends the run, as with the real runner.
      let started!: () => void;
      const hanging = new Promise<void>((resolve) => (started = resolve));
      const answer = session.run.bind(session);
      session.run = async (script, args = {}, runOptions = {}) => {
        // A stopped shell refuses every later run, as the runner does.
        if (session.disposed) throw runFailure('cannot run PowerShell: the session is closed');
        if (args.Step !== 'Permissions') return answer(script, args, runOptions);
        session.runs.push({ script, args, options: runOptions });
        started();
        return new Promise<string>((_, reject) => {
          const timer = setInterval(() => {
            if (!session.disposed) return;
            clearInterval(timer);
            reject(
              runFailure(
                'the PowerShell session was disposed while reading the permissions of connectors 1-1 of 1',
              ),
            );
          }, 5);
        });
      };
      const signals = new EventEmitter();
      const collecting = collectLive({ ...options, signals });
      await hanging;
      expect(signals.listenerCount(signal)).toBe(1);
      signals.emit(signal);
      await expect(collecting).rejects.toThrow(
        `collection interrupted (${signal}): PowerShell was stopped and nothing was written`,
      );
      expect(session.disposed).toBe(true);
      expect(steps()).toEqual(['ConnectionUri,Authentication', 'Inventory', 'Permissions']);
      // Nothing is left listening: a later Ctrl-C ends Node the default way.
      expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
    }
  });

  it('stops the shell as soon as it has started when the signal came while it was starting', async () => {
    const { session, options } = setUp();
    const signals = new EventEmitter();
    const starting = options.startShell;
    await expect(
      collectLive({
        ...options,
        signals,
        startShell: async (given) => {
          signals.emit('SIGINT');
          return (starting as NonNullable<typeof starting>)(given);
        },
      }),
    ).rejects.toThrow('collection interrupted (SIGINT): PowerShell was stopped and nothing was written');
    expect(session.disposed).toBe(true);
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('stops listening for signals after a collection', async () => {
    const { options } = setUp();
    const signals = new EventEmitter();
    await collectLive({ ...options, signals });
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  });
});
