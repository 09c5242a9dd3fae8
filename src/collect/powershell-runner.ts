/**
 * The process layer for live collection: one long-lived PowerShell, driven through node-powershell (the only
 * module that imports it). Scripts and their arguments travel base64-encoded inside a fixed one-line command, so
 * argument values are data and never command text, and nothing here logs them (they may hold a password).
 *
 * What a run returns is the script's success output as text (trimmed, as node-powershell delivers it). Warnings go
 * to `onWarning` instead, so Exchange's chatter cannot corrupt JSON the script prints; verbose, debug and
 * information output (Write-Host) is dropped; any error fails the run. Each run executes in its own child scope:
 * state meant for later runs must be stored with `$global:` (and `Import-PSSession` wrapped in
 * `Import-Module -Global`).
 */
import { randomBytes } from 'node:crypto';
import { PowerShell, ProcessError } from 'node-powershell';
import { CollectionError } from '../errors.js';
import { PASSWORD_VARIABLE } from './password.js';

export interface PowerShellSession {
  /** Run a script with named arguments; returns the script's stdout text. */
  run(script: string, args?: Record<string, unknown>, options?: RunOptions): Promise<string>;
  dispose(): Promise<void>;
}

export interface RunOptions {
  /** Time limit for this run; the session's limit otherwise. */
  timeoutMs?: number;
  /** What the script does, as a phrase that follows "while" in error messages: 'reading receive connectors'. */
  label?: string;
}

export interface RunnerOptions {
  /** Executable name or path (the CLI's --shell); `defaultExecutable()` otherwise. */
  executable?: string;
  /** Time limit for starting the shell and for each run that sets none; 30 s otherwise. */
  timeoutMs?: number;
  /** Receives each warning a script writes, one message per call. */
  onWarning?: (message: string) => void;
}

/** Exchange's snap-ins and remoting module need Windows PowerShell 5.1 on Windows; elsewhere only pwsh exists. */
export function defaultExecutable(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? 'powershell.exe' : 'pwsh';
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** How long PowerShell gets to exit on SIGTERM (it needs about a second when busy) before it is killed. */
const EXIT_GRACE_MS = 2_000;

/** Starts one PowerShell process and prepares it for runs; the caller must dispose the session. */
export async function startPowerShell(options: RunnerOptions = {}): Promise<PowerShellSession> {
  const executable = options.executable ?? defaultExecutable();
  const warningPrefix = `exrelay-warning-${randomBytes(8).toString('hex')}:`;
  const session = new Session(spawnShell(executable), executable, warningPrefix, options);
  try {
    await session.prepare(setupCommand(warningPrefix));
  } catch (error) {
    await session.dispose();
    throw error;
  }
  return session;
}

/** node-powershell state that its typings mark private but that a safe wrapper needs (checked for 5.0.1). */
interface ShellInternals {
  /** Settles when the process ends; rejects with a ProcessError on spawn failure or a non-zero exit. */
  exitPromise: Promise<void>;
  /** `debug` loggers that would print every command, arguments included, when DEBUG matches. */
  debuggers: Record<string, { enabled: boolean }>;
}

/** node-powershell honours NODE_POWERSHELL over the executable it is given; --shell must win. */
class ExactExecutablePowerShell extends PowerShell {
  protected override setExecutable({ executable }: { executable?: string }): string {
    return executable ?? defaultExecutable();
  }
}

function spawnShell(executable: string): PowerShell {
  try {
    const shell = new ExactExecutablePowerShell({
      executable,
      executableOptions: { '-NoProfile': true, '-NonInteractive': true },
      // TERM=dumb stops .NET and pwsh from writing terminal control sequences into the output.
      spawnOptions: { env: shellEnvironment(process.env), windowsHide: true },
    });
    for (const logger of Object.values((shell as unknown as ShellInternals).debuggers)) {
      logger.enabled = false;
    }
    // The process failing or ending is reported by the exit watcher: a broken pipe must not crash Node.
    shell.streams.stdin.on('error', () => undefined);
    return shell;
  } catch (error) {
    const message = `PowerShell executable '${executable}' could not be started: ${messageOf(error)}`;
    throw new CollectionError(message, { cause: error });
  }
}

/**
 * PowerShell's environment: exrelay's, without the password. The password reaches PowerShell as run() data only;
 * in the environment it would be readable by the init script, every process PowerShell starts, and anyone who may
 * read the long-lived shell's environment (/proc/<pid>/environ, process explorers).
 */
export function shellEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // Windows reads variable names in any case: Exrelay_Password is the password there too.
  const kept = Object.entries(env).filter(([name]) => name.toUpperCase() !== PASSWORD_VARIABLE);
  return { ...Object.fromEntries(kept), TERM: 'dumb' };
}

type ShellEnd = { readonly error: unknown };

class Session implements PowerShellSession {
  /** Why runs are refused, as a phrase; null while the shell is usable. */
  private closedReason: string | null = null;
  private ended: ShellEnd | null = null;
  private readonly exited: Promise<void>;
  private disposal: Promise<void> | null = null;
  /** PowerShell's own process id, which differs from the spawned one when the executable is a launcher. */
  private powerShellPid: number | null = null;
  /** Runs wait for each other so that a timeout measures one script, not the queue before it. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly defaultTimeoutMs: number;
  private readonly onWarning: ((message: string) => void) | undefined;

  constructor(
    private readonly shell: PowerShell,
    private readonly executable: string,
    private readonly warningPrefix: string,
    options: RunnerOptions,
  ) {
    this.defaultTimeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.onWarning = options.onWarning;
    // Handled at once: node-powershell rejects this promise on its own when the process cannot be spawned or
    // dies between runs, and an unhandled rejection would take Node down.
    this.exited = (shell as unknown as ShellInternals).exitPromise.then(
      () => this.markEnded({ error: undefined }),
      (error: unknown) => this.markEnded({ error }),
    );
  }

  /** Sends the set-up command, which must run before `Invoke-ExrelayRun` exists and answers with $PID. */
  async prepare(setup: string): Promise<void> {
    const pid = Number(await this.enqueue(setup, { label: 'preparing the session' }));
    this.powerShellPid = Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  }

  run(script: string, args: Record<string, unknown> = {}, options: RunOptions = {}): Promise<string> {
    return this.enqueue(invocationCommand(script, args), options);
  }

  dispose(): Promise<void> {
    this.closedReason ??= 'it was disposed';
    this.disposal ??= this.stopShell();
    return this.disposal;
  }

  private enqueue(command: string, options: RunOptions): Promise<string> {
    const result = this.queue.then(() => this.execute(command, options));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async execute(command: string, options: RunOptions): Promise<string> {
    if (this.closedReason !== null) {
      throw new CollectionError(`cannot run PowerShell: the session is closed because ${this.closedReason}`);
    }
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const during = options.label ? ` while ${options.label}` : '';
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([this.shell.invoke(command), deadline]);
      if (outcome === 'timeout') {
        // The shell may still be busy or half-way through output: it cannot serve another run.
        this.closedReason ??= 'an earlier command timed out';
        await this.dispose();
        throw new CollectionError(`PowerShell did not answer within ${formatSeconds(timeoutMs)}${during}`);
      }
      if (this.ended) throw this.endedError(during);
      return this.separateWarnings(outcome.raw);
    } catch (error) {
      if (error instanceof CollectionError) throw error;
      if (this.ended) throw this.endedError(during);
      const message = `PowerShell failed${during}: ${nonEmptyLines(messageOf(error))}`;
      throw new CollectionError(message, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  private markEnded(end: ShellEnd): void {
    this.ended = end;
    // Output nobody reads any more would keep its pipe, and so Node, alive.
    for (const stream of Object.values(this.shell.streams)) stream.destroy();
    this.closedReason ??= spawnFailure(end.error)
      ? 'the process never started'
      : `the process exited unexpectedly${describeExit(end.error)}`;
  }

  private endedError(during: string): CollectionError {
    const error = this.ended?.error;
    const failure = spawnFailure(error);
    if (failure === 'ENOENT') {
      const message = `PowerShell executable '${this.executable}' was not found; install PowerShell 7 or pass --shell`;
      return new CollectionError(message, { cause: error });
    }
    if (failure) {
      const message = `PowerShell executable '${this.executable}' could not be started (${failure})`;
      return new CollectionError(message, { cause: error });
    }
    if (this.disposal) return new CollectionError(`the PowerShell session was disposed${during}`);
    const message = `PowerShell exited unexpectedly${describeExit(error)}${during}`;
    return new CollectionError(message, { cause: error });
  }

  private async stopShell(): Promise<void> {
    this.signalPowerShell('SIGTERM');
    if (!(await settlesWithin(this.exited, EXIT_GRACE_MS))) {
      this.signalPowerShell('SIGKILL');
      this.shell.dispose('SIGKILL').catch(() => undefined);
      await this.exited;
    }
  }

  /**
   * Signals PowerShell itself once its process id is known: a launcher such as the dotnet tool shim for pwsh
   * neither forwards signals nor stops its child, which would live on (a hung command included). The launcher
   * exits when its child does.
   */
  private signalPowerShell(signal: NodeJS.Signals): void {
    if (this.ended) return;
    if (this.powerShellPid === null) {
      // node-powershell's dispose returns its exit promise; the exit watcher already handles the outcome.
      this.shell.dispose(signal).catch(() => undefined);
      return;
    }
    try {
      process.kill(this.powerShellPid, signal);
    } catch {
      // Already gone; the exit watcher sees the launcher end.
    }
  }

  private separateWarnings(output: string): string {
    const kept: string[] = [];
    for (const line of output.split('\n')) {
      if (line.startsWith(this.warningPrefix)) {
        const encoded = line.slice(this.warningPrefix.length).trimEnd();
        this.onWarning?.(Buffer.from(encoded, 'base64').toString('utf8'));
      } else {
        kept.push(line);
      }
    }
    return kept.join('\n').trim();
  }
}

/** node-powershell resolves the exit of a clean shutdown and rejects with a ProcessError otherwise. */
function describeExit(error: unknown): string {
  if (!(error instanceof ProcessError)) return '';
  if (error.exitCode !== null) return ` with exit code ${error.exitCode}`;
  return error.signalCode ? ` on ${error.signalCode}` : '';
}

/** The errno code when the process never started; node-powershell wraps the spawn error or passes it raw. */
function spawnFailure(error: unknown): string | null {
  const cause = error instanceof ProcessError ? error.originalError : error;
  if (typeof cause !== 'object' || cause === null) return null;
  const { code, syscall } = cause as Partial<NodeJS.ErrnoException>;
  return typeof code === 'string' && typeof syscall === 'string' && syscall.startsWith('spawn') ? code : null;
}

function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([promise.then(() => true), expired]).finally(() => clearTimeout(timer));
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** PowerShell's whole error text, hint lines included; the CLI indents the lines after the first. */
function nonEmptyLines(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.length > 0 ? lines.join('\n') : 'no error text';
}

function toBase64Utf8(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/**
 * The one line sent per run. Base64 keeps it a single ASCII line whatever the script holds (multi-line input to
 * `-Command -` misbehaves) and keeps argument values out of anything PowerShell parses.
 */
function invocationCommand(script: string, args: Record<string, unknown>): string {
  return `Invoke-ExrelayRun '${toBase64Utf8(script)}' '${toBase64Utf8(JSON.stringify(args))}'`;
}

/** Dot-sources the set-up script into the global scope, as one line like every other command. */
function setupCommand(warningPrefix: string): string {
  const encoded = toBase64Utf8(setupScript(warningPrefix));
  return `. ([ScriptBlock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${encoded}'))))`;
}

/** Defines the per-run entry point and the session-wide preferences; runs in the global scope once. */
function setupScript(warningPrefix: string): string {
  return String.raw`
# Non-ASCII names (the German NT AUTHORITY prefix, for one) arrive garbled in any other encoding.
[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false
$OutputEncoding = [Console]::OutputEncoding
$ProgressPreference = 'SilentlyContinue'
# A failed cmdlet stops its script instead of letting it print partial data; scripts opt out per command.
$ErrorActionPreference = 'Stop'

# pwsh 7 turns date-like strings into DateTime unless told otherwise (-DateKind exists from 7.5 on).
$global:ExrelayJsonOptions = @{}
if ((Get-Command ConvertFrom-Json).Parameters.ContainsKey('DateKind')) { $global:ExrelayJsonOptions.DateKind = 'String' }

# ConvertFrom-Json -AsHashtable is missing from Windows PowerShell 5.1, and splatting needs a hashtable.
function ConvertTo-ExrelayArgument($Value) {
    if ($Value -is [System.Management.Automation.PSCustomObject]) {
        $table = @{}
        foreach ($property in $Value.PSObject.Properties) { $table[$property.Name] = ConvertTo-ExrelayArgument $property.Value }
        return $table
    }
    if ($Value -is [System.Array]) { return ,@(foreach ($item in $Value) { ConvertTo-ExrelayArgument $item }) }
    return $Value
}

function Invoke-ExrelayRun([string] $ScriptBase64, [string] $ArgumentsBase64) {
    $private:utf8 = New-Object System.Text.UTF8Encoding $false
    $private:text = $utf8.GetString([Convert]::FromBase64String($ScriptBase64))
    $private:json = $utf8.GetString([Convert]::FromBase64String($ArgumentsBase64))
    $private:parseErrors = $null
    $private:ast = [System.Management.Automation.Language.Parser]::ParseInput($text, [ref] $null, [ref] $parseErrors)
    if ($parseErrors) {
        [Console]::Error.WriteLine(('syntax error at line {0}: {1}' -f $parseErrors[0].Extent.StartLineNumber, $parseErrors[0].Message))
        return
    }
    $private:arguments = ConvertTo-ExrelayArgument (ConvertFrom-Json $json @ExrelayJsonOptions)
    try {
        $private:output = & ($ast.GetScriptBlock()) @arguments 2>&1 3>&1 4>$null 5>$null 6>$null
    } catch {
        [Console]::Error.WriteLine($_.ToString())
        return
    }
    foreach ($private:item in $output) {
        if ($item -is [System.Management.Automation.WarningRecord]) {
            '${warningPrefix}' + [Convert]::ToBase64String($utf8.GetBytes($item.Message))
        } elseif ($item -is [System.Management.Automation.ErrorRecord]) {
            [Console]::Error.WriteLine($item.ToString())
        } else {
            $item
        }
    }
}

# The answer to the set-up command: the process to signal when the session stops.
$PID
`;
}
