/**
 * `exrelay collect`: read the organisation through PowerShell and write a snapshot. Its options and the
 * collection itself are shared with `exrelay audit`.
 */

import { access, constants } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { ConnectionTarget } from '../collect/connection.js';
import { readPassword } from '../collect/password.js';
import { createProgress } from '../collect/progress.js';
import { CollectionError, UsageError } from '../errors.js';
import type { CollectionIssue, Snapshot } from '../model/snapshot.js';
import { writeOutput } from './atomic-write.js';
import type { CommandContext } from './context.js';
import { resolveOutput, type OutputTarget } from './output-path.js';
import { snapshotFileName } from '../history/snapshot-files.js';

/** The default snapshot name (shared with audit's snapshot folder). */
export { snapshotFileName };
import { terminalMessage } from '../report/untrusted-text.js';

/** System.Management.Automation.Runspaces.AuthenticationMechanism, which New-PSSession -Authentication takes. */
export const AUTH_METHODS = [
  'Kerberos',
  'Negotiate',
  'Basic',
  'Default',
  'Credssp',
  'Digest',
  'NegotiateWithImplicitCredential',
] as const;

/** Per PowerShell run: connecting to Exchange, or reading 25 ACLs over a slow link, takes tens of seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 120;
/** The longest limit a Node timer holds: 2^31 - 1 ms. */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

export interface CollectArgs {
  connectionUri?: string;
  local?: boolean;
  initScript?: string;
  auth: string;
  credentialUser?: string;
  allowPartial?: boolean;
  shell?: string;
  timeout: number;
  quiet?: boolean;
}

export function withCollectOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('connection-uri', {
      type: 'string',
      describe: 'Exchange remote PowerShell endpoint, e.g. http://ex01.contoso.com/PowerShell/',
    })
    .option('local', {
      type: 'boolean',
      describe: 'Use the Exchange Management Shell of this server',
    })
    .option('init-script', {
      type: 'string',
      describe: 'Your own PowerShell script that loads the Exchange cmdlets (dot-sourced)',
    })
    .option('auth', {
      choices: AUTH_METHODS,
      default: 'Kerberos' as (typeof AUTH_METHODS)[number],
      describe: 'Authentication for --connection-uri',
    })
    .option('credential-user', {
      type: 'string',
      describe: 'Connect as this user (--connection-uri); password from EXRELAY_PASSWORD or a hidden prompt',
    })
    .option('allow-partial', {
      type: 'boolean',
      default: false,
      describe: 'Accept a partial snapshot (some item could not be read) instead of exiting 3',
    })
    .option('shell', {
      type: 'string',
      describe: 'PowerShell executable (default: powershell.exe on Windows, pwsh elsewhere)',
    })
    .option('timeout', {
      type: 'number',
      default: DEFAULT_TIMEOUT_SECONDS,
      describe: 'Seconds each PowerShell step may take',
    })
    .option('quiet', {
      alias: 'q',
      type: 'boolean',
      default: false,
      describe: 'No progress display',
    });
}

export interface CollectionRequest {
  target: ConnectionTarget;
  executable: string | undefined;
  timeoutMs: number;
  quiet: boolean;
  allowPartial: boolean;
}

/** Checks the options and asks for the password, before any PowerShell starts. */
export async function collectionRequest(argv: CollectArgs): Promise<CollectionRequest> {
  const sources = [
    argv.connectionUri !== undefined && '--connection-uri',
    argv.local === true && '--local',
    argv.initScript !== undefined && '--init-script',
  ].filter((name): name is string => name !== false);
  if (sources.length === 0)
    throw new UsageError('say where to collect from: --connection-uri URI, --local or --init-script FILE');
  if (sources.length > 1) throw new UsageError(`use only one of ${sources.join(', ')}`);
  if (argv.connectionUri === undefined && argv.credentialUser !== undefined)
    throw new UsageError('--credential-user needs --connection-uri');
  if (!Number.isFinite(argv.timeout) || Math.round(argv.timeout * 1000) <= 0)
    throw new UsageError('--timeout must be a positive number of seconds');
  // Node's timers hold 32 bits of milliseconds and fire at once beyond that: a "very long" limit failed every step.
  if (argv.timeout > MAX_TIMEOUT_SECONDS)
    throw new UsageError(`--timeout must be at most ${MAX_TIMEOUT_SECONDS} seconds (24 days)`);
  if (argv.connectionUri !== undefined) assertConnectionUri(argv.connectionUri);
  if (argv.initScript !== undefined) await assertReadable(argv.initScript);
  return {
    target: await connectionTarget(argv),
    executable: argv.shell,
    timeoutMs: Math.round(argv.timeout * 1000),
    quiet: argv.quiet ?? false,
    allowPartial: argv.allowPartial ?? false,
  };
}

function assertConnectionUri(uri: string): void {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new UsageError(
      `--connection-uri must be a URI such as http://ex01.contoso.com/PowerShell/, not '${uri}'`,
    );
  }
  // The URI is written into the snapshot and shown in messages: a password in it would travel along.
  if (url.username !== '' || url.password !== '')
    throw new UsageError(
      '--connection-uri must not hold a user name or password: use --credential-user and EXRELAY_PASSWORD',
    );
}

async function connectionTarget(argv: CollectArgs): Promise<ConnectionTarget> {
  if (argv.initScript !== undefined) return { kind: 'init-script', path: resolve(argv.initScript) };
  if (argv.local) return { kind: 'local' };
  const userName = argv.credentialUser;
  return {
    kind: 'remote',
    connectionUri: argv.connectionUri as string,
    authentication: argv.auth,
    credential:
      userName === undefined
        ? null
        : { userName, password: await readPassword(userName, process.env, process.stdin, process.stderr) },
  };
}

async function assertReadable(file: string): Promise<void> {
  try {
    await access(file, constants.R_OK);
  } catch {
    throw new UsageError(`cannot read the init script ${file}`);
  }
}

export async function runCollection(request: CollectionRequest, context: CommandContext): Promise<Snapshot> {
  // Loaded here, not at start-up: analyze never needs PowerShell.
  const { collectLive } = await import('../collect/live-collection.js');
  return collectLive({
    target: request.target,
    executable: request.executable,
    timeoutMs: request.timeoutMs,
    tool: context.generator,
    progress: createProgress(process.stderr, request.quiet),
    warn: context.warn,
  });
}

export function snapshotText(snapshot: Snapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

export async function writeSnapshot(target: OutputTarget, snapshot: Snapshot): Promise<void> {
  await writeOutput(target, snapshotText(snapshot));
}

export function describeSnapshot(snapshot: Snapshot): string {
  const domains =
    snapshot.acceptedDomains === null
      ? 'accepted domains not read'
      : plural(snapshot.acceptedDomains.length, 'accepted domain');
  return `${plural(snapshot.connectors.length, 'receive connector')} on ${plural(snapshot.servers.length, 'server')}, ${domains}`;
}

/** The exit-3 error for a partial snapshot, naming what could not be read and why. */
export function partialSnapshotError(snapshot: Snapshot, written: string | null): CollectionError {
  return new CollectionError(
    `the snapshot is partial: ${describeIssues(snapshot.errors)}${written ? `; it was written to ${written}` : ''}; pass --allow-partial to accept partial snapshots`,
  );
}

/** Items listed by name in a message; the rest are counted. */
const LISTED = 3;

/**
 * "the permissions of 2 connectors could not be read: EX01\A, EX01\B (Get-ADPermission: Access is denied.);
 * the accepted domains could not be read (…)": issues of one kind and one reason together, each with its reason.
 */
function describeIssues(issues: readonly CollectionIssue[]): string {
  const groups = new Map<string, { scope: CollectionIssue['scope']; reason: string; targets: string[] }>();
  for (const issue of issues) {
    const key = `${issue.scope}\u0000${issue.message}`;
    const group = groups.get(key) ?? { scope: issue.scope, reason: issue.message, targets: [] };
    if (issue.target !== null) group.targets.push(issue.target);
    groups.set(key, group);
  }
  const parts = [...groups.values()].map(({ scope, reason, targets }) => {
    const listed = `${targets.slice(0, LISTED).join(', ')}${targets.length > LISTED ? ` and ${targets.length - LISTED} more` : ''}`;
    switch (scope) {
      case 'connector':
        return `the permissions of ${plural(targets.length, 'connector')} could not be read: ${listed} (${reason})`;
      case 'acceptedDomains':
        return `the accepted domains could not be read (${reason})`;
      case 'server':
        return `${targets.length === 1 ? 'server' : 'servers'} ${listed} could not be read (${reason})`;
      case 'input':
        return `${listed || 'an input'} could not be read (${reason})`;
      default:
        return `the organisation could not be read (${reason})`;
    }
  });
  if (parts.length === 0) return 'an item could not be read (no reason was recorded)';
  return parts.length > LISTED
    ? `${parts.slice(0, LISTED).join('; ')}; ${parts.length - LISTED} more (the snapshot's "errors" lists every one)`
    : parts.join('; ');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

interface CollectCommandArgs extends CollectArgs {
  out?: string;
}

export function collectCommand(context: CommandContext): CommandModule<object, CollectCommandArgs> {
  return {
    command: 'collect',
    describe: 'Read connectors, permissions and accepted domains through PowerShell and write a snapshot',
    builder: (yargs) =>
      withCollectOptions(yargs).option('out', {
        type: 'string',
        describe:
          'Snapshot file (default: exrelay-snapshot-<yyyyMMdd-HHmmss>.json, UTC, in the current folder)',
      }) as never,
    handler: async (argv) => {
      // Checked before the password prompt and the collection: a wrong path costs nothing.
      const path = argv.out ?? join('.', snapshotFileName(new Date()));
      const target = await resolveOutput(
        path,
        '--out',
        argv.initScript === undefined ? [] : [argv.initScript],
      );
      const request = await collectionRequest(argv);
      const snapshot = await runCollection(request, context);
      await writeSnapshot(target, snapshot);
      process.stdout.write(`Wrote ${terminalMessage(path)}: ${describeSnapshot(snapshot)}\n`);
      if (snapshot.partial && !request.allowPartial) throw partialSnapshotError(snapshot, null);
    },
  };
}
