import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  defaultExecutable,
  shellEnvironment,
  startPowerShell,
  type PowerShellSession,
} from '../../src/collect/powershell-runner.js';
import { quotePsString } from '../../src/powershell/quote.js';
import { CollectionError, ExitCode } from '../../src/errors.js';
import { describeWithPwsh } from '../helpers/pwsh.js';

/** Values that break naive quoting or encoding; each must survive as data and as a quoted literal. */
const NASTY_STRINGS = [
  "Relay'; Remove-Item x; '",
  "x'; Set-Variable -Name ExrelayCanary -Value 1 -Scope Global; '",
  '$(Get-Date)',
  '$env:PATH',
  'back`tick`n',
  '\u2018smart\u2019 quotes',
  '\u201Alow\u201B and \u2019\u2019 doubled',
  '@{}',
  ';',
  '|',
  "'",
  '',
  'NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG',
  'Relay 📬 🚀',
  'EX01\\Default Frontend EX01',
];

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** The CollectionError a run or start-up failed with. */
async function collectionFailure(promise: Promise<unknown>): Promise<CollectionError> {
  const outcome = await promise.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) {
    throw new Error(`expected a CollectionError, got ${JSON.stringify(outcome.value)}`);
  }
  expect(outcome.error).toBeInstanceOf(CollectionError);
  return outcome.error as CollectionError;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits long enough for node-powershell's own late rejections to land. Jest fails the test during which a promise
 * rejection goes unhandled or an exception goes uncaught (it intercepts them before any process listener a test
 * could add), so a start-up failure test that survives this wait has left none behind.
 */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 300));
}

describe('defaultExecutable', () => {
  it('uses Windows PowerShell on Windows and pwsh elsewhere', () => {
    expect(defaultExecutable('win32')).toBe('powershell.exe');
    expect(defaultExecutable('linux')).toBe('pwsh');
    expect(defaultExecutable('darwin')).toBe('pwsh');
  });
});

describe('startPowerShell without a usable executable', () => {
  it('reports a missing executable and leaves no unhandled rejection behind', async () => {
    const failure = await collectionFailure(startPowerShell({ executable: 'exrelay-no-such-pwsh' }));
    await settle();
    expect(failure.message).toBe(
      "PowerShell executable 'exrelay-no-such-pwsh' was not found; install PowerShell 7 or pass --shell",
    );
    expect(failure.exitCode).toBe(ExitCode.Collection);
  });

  it('reports an executable that is not PowerShell and exits at once', async () => {
    const failure = await collectionFailure(startPowerShell({ executable: process.execPath }));
    await settle();
    expect(failure.message).toMatch(
      /^PowerShell exited unexpectedly with exit code \d+ while preparing the session$/,
    );
  });

  const onPosix = process.platform === 'win32' ? it.skip : it;
  onPosix('reports a file that cannot be executed', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'exrelay-runner-'));
    const notExecutable = join(folder, 'pwsh');
    writeFileSync(notExecutable, '');
    chmodSync(notExecutable, 0o644);
    try {
      const failure = await collectionFailure(startPowerShell({ executable: notExecutable }));
      await settle();
      expect(failure.message).toBe(`PowerShell executable '${notExecutable}' could not be started (EACCES)`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('shellEnvironment', () => {
  it('passes everything on but the password, whatever the case of its name (Windows ignores it)', () => {
    expect(
      shellEnvironment({ PATH: '/usr/bin', EXRELAY_PASSWORD: 'a', Exrelay_Password: 'b', TERM: 'xterm' }),
    ).toEqual({ PATH: '/usr/bin', TERM: 'dumb' });
  });
});

describeWithPwsh('PowerShell runner with pwsh', (pwsh) => {
  let session: PowerShellSession;
  const warnings: string[] = [];

  beforeAll(async () => {
    session = await startPowerShell({ executable: pwsh, onWarning: (message) => warnings.push(message) });
  });
  afterAll(async () => {
    await session.dispose();
  });

  it('runs every script in the same process', async () => {
    const pids = [
      await session.run('$PID'),
      await session.run('$PID'),
      await session.run('param($Name) $PID', { Name: 'x' }),
    ];
    expect(new Set(pids).size).toBe(1);
    expect(Number(pids[0])).toBeGreaterThan(0);
  });

  it('gives each run its own scope but keeps $global: state', async () => {
    await session.run('$leftOver = 1; $global:ExrelayKept = 2');
    expect(await session.run('"$($null -eq $leftOver) $global:ExrelayKept"')).toBe('True 2');
  });

  it.each(NASTY_STRINGS)('quotes %j so that pwsh reads back exactly the same string', async (value) => {
    const decoded = `[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${base64(value)}'))`;
    expect(await session.run(`[string]::Equals(${quotePsString(value)}, ${decoded})`)).toBe('True');
  });

  it('ran none of the code hidden in the quoted strings', async () => {
    expect(
      await session.run('$null -eq (Get-Variable ExrelayCanary -Scope Global -ErrorAction SilentlyContinue)'),
    ).toBe('True');
  });

  it('needs the typographic quotes doubled: pwsh ends a single-quoted string at U+2019', async () => {
    expect((await collectionFailure(session.run("'it\u2019s'"))).message).toMatch(
      /^PowerShell failed: syntax error at line 1:/,
    );
  });

  it('passes arguments as data, unchanged', async () => {
    const echoed = await session.run('param($Values) ConvertTo-Json -InputObject $Values -Compress', {
      Values: [...NASTY_STRINGS, 'two\r\nlines', 'nul\u0000inside'],
    });
    expect(JSON.parse(echoed)).toEqual([...NASTY_STRINGS, 'two\r\nlines', 'nul\u0000inside']);
  });

  it('binds numbers, booleans, null, arrays and nested objects with their PowerShell types', async () => {
    const script = [
      'param($Count, $Flag, $Nothing, $Many, $One, $None, $Nested)',
      '$Count.GetType().Name',
      '$Flag.GetType().Name',
      '$null -eq $Nothing',
      '"$($Many.GetType().Name) $($Many.Count) $($Many[2].GetType().Name)"',
      '"$($One.GetType().Name) $($One.Count) $($One[0])"',
      '"$($None.GetType().Name) $($None.Count)"',
      '"$($Nested.GetType().Name) $($Nested.Ranges.Count) $($Nested.Ranges[1]) $($Nested.Inner.Enabled)"',
    ].join('\n');
    const output = await session.run(script, {
      Count: 25,
      Flag: true,
      Nothing: null,
      Many: ['a', 1, ['x', 'y']],
      One: ['only'],
      None: [],
      Nested: { Ranges: ['10.0.0.0/8', '192.168.1.10'], Inner: { Enabled: false } },
    });
    expect(output.split('\n')).toEqual([
      'Int64',
      'Boolean',
      'True',
      'Object[] 3 Object[]',
      'Object[] 1 only',
      'Object[] 0',
      'Hashtable 2 192.168.1.10 False',
    ]);
  });

  it('keeps date-like strings as strings', async () => {
    const output = await session.run('param($When, $Legacy) "$($When.GetType().Name) $When|$Legacy"', {
      When: '2024-05-01T08:00:00Z',
      Legacy: '/Date(0)/',
    });
    expect(output).toBe('String 2024-05-01T08:00:00Z|/Date(0)/');
  });

  it('runs a multi-line script with here-strings', async () => {
    const script = [
      'param($Server)',
      "$literal = @'",
      "Connector 'Relay' $notExpanded",
      '  indented; | @{}',
      "'@",
      '$expanded = @"',
      'Server $Server',
      '"@',
      '$literal',
      '$expanded',
    ].join('\n');
    expect(await session.run(script, { Server: 'EX01' })).toBe(
      "Connector 'Relay' $notExpanded\n  indented; | @{}\nServer EX01",
    );
  });

  it('returns non-ASCII output intact', async () => {
    expect(await session.run("'NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG'")).toBe(
      'NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG',
    );
    expect(await session.run("'AUTORITE NT\\ANONYMOUS LOGON 📬'")).toBe('AUTORITE NT\\ANONYMOUS LOGON 📬');
  });

  it('returns large output intact', async () => {
    const output = await session.run("param($Lines) 1..$Lines | ForEach-Object { 'x' * 1000 + $_ }", {
      Lines: 2000,
    });
    const lines = output.split('\n');
    expect(lines).toHaveLength(2000);
    expect(lines[1999]).toBe(`${'x'.repeat(1000)}2000`);
  });

  it('hands warnings to onWarning and drops host, verbose and information output', async () => {
    warnings.length = 0;
    const output = await session.run(
      [
        "Write-Host 'Connecting to EX01.contoso.com ...'",
        "Write-Warning 'Object EX01\\Relay has been corrupted, and it''s in an inconsistent state.'",
        `'{"connectors":1}'`,
        "Write-Verbose 'detail' -Verbose",
        "Write-Information 'note'",
        'Write-Warning "Zweite Warnung für NT-AUTORITÄT`nüber zwei Zeilen"',
      ].join('\n'),
    );
    expect(output).toBe('{"connectors":1}');
    expect(warnings).toEqual([
      "Object EX01\\Relay has been corrupted, and it's in an inconsistent state.",
      'Zweite Warnung für NT-AUTORITÄT\nüber zwei Zeilen',
    ]);
  });

  it('turns an error the script writes into a CollectionError with its message and the label', async () => {
    const script = `param($Identity) Write-Error "The operation couldn't be performed because object '$Identity' couldn't be found."`;
    const failure = await collectionFailure(
      session.run(script, { Identity: 'EX01\\Relay' }, { label: 'reading receive connectors' }),
    );
    expect(failure.message).toBe(
      "PowerShell failed while reading receive connectors: The operation couldn't be performed because object 'EX01\\Relay' couldn't be found.",
    );
    expect(failure.exitCode).toBe(ExitCode.Collection);
  });

  it('fails on an error even when the script chose to continue after it', async () => {
    const failure = await collectionFailure(
      session.run("$ErrorActionPreference = 'Continue'; Write-Error 'soft failure'; 'partial'"),
    );
    expect(failure.message).toBe('PowerShell failed: soft failure');
  });

  it('keeps every line of a thrown error, hints included', async () => {
    const failure = await collectionFailure(
      session.run(
        'throw "Access is denied.`n`n   Hint: add the account to View-Only Organization Management."',
        {},
        {
          label: 'connecting to EX01',
        },
      ),
    );
    expect(failure.message).toBe(
      'PowerShell failed while connecting to EX01: Access is denied.\nHint: add the account to View-Only Organization Management.',
    );
  });

  it('reports a syntax error with its line', async () => {
    expect((await collectionFailure(session.run("'ok'\nif ("))).message).toBe(
      "PowerShell failed: syntax error at line 2: Missing condition in if statement after 'if ('.",
    );
  });

  it('stays usable after a script failed', async () => {
    await collectionFailure(session.run('throw "broken"'));
    expect(await session.run("'still here'")).toBe('still here');
  });

  it('queues concurrent runs so that each timeout covers its own script only', async () => {
    const [slow, quick] = await Promise.all([
      // The quick run's limit is shorter than the slow run it waits for, and long enough for a busy machine.
      session.run("Start-Sleep -Milliseconds 3000; 'slow'", {}, { timeoutMs: 10_000 }),
      session.run("'quick'", {}, { timeoutMs: 2500 }),
    ]);
    expect([slow, quick]).toEqual(['slow', 'quick']);
  });
});

describeWithPwsh('PowerShell runner lifecycle with pwsh', (pwsh) => {
  it('stops a run that takes too long, kills the shell and refuses later runs', async () => {
    const session = await startPowerShell({ executable: pwsh });
    const pid = Number(await session.run('$PID'));
    const started = Date.now();
    const failure = await collectionFailure(
      session.run('Start-Sleep -Seconds 60', {}, { timeoutMs: 1000, label: 'reading permissions' }),
    );
    expect(failure.message).toBe('PowerShell did not answer within 1 s while reading permissions');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(processIsAlive(pid)).toBe(false);
    expect((await collectionFailure(session.run("'again'"))).message).toBe(
      'cannot run PowerShell: the session is closed because an earlier command timed out',
    );
    await session.dispose();
  });

  it('uses the session time limit when a run sets none', async () => {
    // The limit also bounds starting PowerShell, which takes seconds on a busy 2-core machine: 10 s, not less.
    const session = await startPowerShell({ executable: pwsh, timeoutMs: 10_000 });
    expect(await session.run("Start-Sleep -Milliseconds 200; 'in time'")).toBe('in time');
    expect((await collectionFailure(session.run('Start-Sleep -Seconds 60'))).message).toBe(
      'PowerShell did not answer within 10 s',
    );
    await session.dispose();
  });

  it('reports a shell that exits during a run and refuses later runs', async () => {
    const session = await startPowerShell({ executable: pwsh });
    const failure = await collectionFailure(
      session.run('exit 3', {}, { label: 'loading the Exchange snap-in' }),
    );
    expect(failure.message).toBe(
      'PowerShell exited unexpectedly with exit code 3 while loading the Exchange snap-in',
    );
    expect((await collectionFailure(session.run("'again'"))).message).toBe(
      'cannot run PowerShell: the session is closed because the process exited unexpectedly with exit code 3',
    );
    await session.dispose();
  });

  it('disposes idempotently, ends the process and refuses later runs', async () => {
    const session = await startPowerShell({ executable: pwsh });
    const pid = Number(await session.run('$PID'));
    await session.dispose();
    await session.dispose();
    expect(processIsAlive(pid)).toBe(false);
    expect((await collectionFailure(session.run("'again'"))).message).toBe(
      'cannot run PowerShell: the session is closed because it was disposed',
    );
  });

  it('fails a run that is under way when the session is disposed', async () => {
    const session = await startPowerShell({ executable: pwsh });
    const running = session.run('Start-Sleep -Seconds 60', {}, { label: 'reading permissions' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await session.dispose();
    expect((await collectionFailure(running)).message).toBe(
      'the PowerShell session was disposed while reading permissions',
    );
  });

  it("keeps EXRELAY_PASSWORD out of PowerShell's environment: the password travels as run() data only", async () => {
    const previous = process.env.EXRELAY_PASSWORD;
    process.env.EXRELAY_PASSWORD = 'Sommer2024!Geheim';
    try {
      const session = await startPowerShell({ executable: pwsh });
      const pid = Number(await session.run('$PID'));
      expect(await session.run("@(Get-ChildItem env: | Where-Object Value -like '*Sommer2024*').Count")).toBe(
        '0',
      );
      if (process.platform === 'linux') {
        expect(readFileSync(`/proc/${pid}/environ`, 'latin1')).not.toContain('Sommer2024');
      }
      await session.dispose();
    } finally {
      if (previous === undefined) delete process.env.EXRELAY_PASSWORD;
      else process.env.EXRELAY_PASSWORD = previous;
    }
  });

  it('starts the executable it is given even when NODE_POWERSHELL names another', async () => {
    const previous = process.env.NODE_POWERSHELL;
    process.env.NODE_POWERSHELL = 'exrelay-no-such-pwsh';
    try {
      const session = await startPowerShell({ executable: pwsh });
      expect(await session.run("'started'")).toBe('started');
      await session.dispose();
    } finally {
      if (previous === undefined) delete process.env.NODE_POWERSHELL;
      else process.env.NODE_POWERSHELL = previous;
    }
  });

  // Reloads the modules with DEBUG=* in effect, so it runs last: node-powershell's `debug` loggers would print
  // every command, base64 arguments included.
  it('logs no command or argument even when DEBUG=* enables every logger', async () => {
    const previous = process.env.DEBUG;
    const logged: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
      logged.push(parts.join(' '));
    });
    process.env.DEBUG = '*';
    try {
      jest.resetModules();
      const runner = await import('../../src/collect/powershell-runner.js');
      const session = await runner.startPowerShell({ executable: pwsh });
      expect(await session.run('param($Password) $Password.Length', { Password: 'Sommer2024!' })).toBe('11');
      await session.dispose();
    } finally {
      spy.mockRestore();
      if (previous === undefined) delete process.env.DEBUG;
      else process.env.DEBUG = previous;
    }
    const encodedArguments = base64(JSON.stringify({ Password: 'Sommer2024!' }));
    expect(logged.some((line) => line.includes('shell process started'))).toBe(true);
    expect(
      logged.filter((line) => line.includes(encodedArguments) || line.includes('Invoke-ExrelayRun')),
    ).toEqual([]);
  });
});
