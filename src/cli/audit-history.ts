/**
 * The heavy half of `exrelay audit` (loaded when it runs): the baseline, found and analysed before the collection
 * so that an unreadable one stops the audit before it costs anything; the report with its changes section; and
 * `--keep` pruning.
 */

import { basename } from 'node:path';
import type { Severity } from '../analysis/severity.js';
import { buildSnapshot } from '../ingest/build-snapshot.js';
import { loadInputs } from '../ingest/load-files.js';
import type { PrincipalName, Snapshot } from '../model/snapshot.js';
import { buildChanges, type BaselineInfo, type ChangesSection } from '../history/changes.js';
import { evaluateFindings, reportOf, type Evaluated, type ExceptionsInput } from '../pipeline.js';
import type { ReportStream } from '../report/report.js';
import type { CommandContext } from './context.js';
import { localDate } from './exceptions-option.js';
import { withPrincipalNames } from './principal-option.js';
import { withExceptionsFile } from './load-exceptions.js';
import {
  findBaseline,
  partialByHead,
  pruneSnapshots,
  requireSnapshotFile,
  unreadableBaseline,
} from './snapshot-history.js';

export interface AuditBaseline {
  /** null: history was asked for, but there is no earlier snapshot. */
  loaded: { evaluated: Evaluated; info: BaselineInfo } | null;
  notes: string[];
}

/** The baseline to compare with; undefined when neither --snapshot-dir nor --baseline was given. */
export async function loadBaseline(input: {
  snapshotDir: string | undefined;
  baseline: string | undefined;
  started: Date;
  exceptions: ExceptionsInput | undefined;
  /** --principal names, for the baseline as for today's snapshot. */
  principals: readonly PrincipalName[];
  context: CommandContext;
}): Promise<AuditBaseline | undefined> {
  const { snapshotDir, started, context } = input;
  if (snapshotDir === undefined && input.baseline === undefined) return undefined;
  const notes: string[] = [];
  const option = input.baseline === undefined ? '--snapshot-dir' : '--baseline';
  let chosen: { path: string; time: number | null; snapshot: Snapshot } | null = null;
  if (input.baseline !== undefined) {
    chosen = {
      path: input.baseline,
      time: null,
      snapshot: await readBaseline(input.baseline, option, context),
    };
  } else if (snapshotDir !== undefined) {
    const found = await findBaseline(snapshotDir, started);
    if (found.later.length > 0) {
      const note = `${found.later.length} snapshot${found.later.length === 1 ? ' is' : 's are'} dated at or after this audit's start (${found.later.slice(0, 3).join(', ')}${found.later.length > 3 ? ', …' : ''}): the clock was set back, or the files came from elsewhere. They are neither compared with nor removed; move them out of ${snapshotDir} once the clock is right.`;
      notes.push(note);
      context.warn(note);
    }
    // The latest complete snapshot: a partial one (an audit that exited 3) must not make its changes "known".
    // Only when every earlier snapshot is partial (an organisation audited with --allow-partial) is one used.
    // Each is told partial by its first bytes where they say so: after months of partial nights, finding the
    // complete snapshot before them reads a few kilobytes of each, not every file whole.
    const skipped: string[] = [];
    let newestPartial: { path: string; time: number; snapshot: Snapshot | null } | null = null;
    for (const candidate of found.candidates) {
      const byHead = await partialByHead(candidate.path).catch((error: unknown) => {
        throw unreadableBaseline(candidate.path, option, error);
      });
      const snapshot = byHead ? null : await readBaseline(candidate.path, option, context, true);
      if (snapshot && !snapshot.partial) {
        chosen = { ...candidate, snapshot };
        break;
      }
      newestPartial ??= { ...candidate, snapshot };
      skipped.push(basename(candidate.path));
    }
    if (!chosen && newestPartial)
      chosen = {
        ...newestPartial,
        snapshot: newestPartial.snapshot ?? (await readBaseline(newestPartial.path, option, context, true)),
      };
    if (chosen && !chosen.snapshot.partial && skipped.length > 0)
      notes.push(
        `Compared with the latest complete snapshot; ${skipped.length} later partial snapshot${skipped.length === 1 ? ' was' : 's were'} passed over (${skipped.slice(0, 3).join(', ')}${skipped.length > 3 ? ', …' : ''}).`,
      );
    if (!chosen)
      notes.push(
        `No earlier snapshot in ${snapshotDir}: nothing says which findings are known, so each one counts as new for --fail-on-change. The next audit compares with this one.`,
      );
  }
  if (chosen === null) return { loaded: null, notes };
  const { path, time: nameTime } = chosen;
  const snapshot = withPrincipalNames(chosen.snapshot, input.principals);
  const collectedAt = snapshot.collectedAt ?? (nameTime === null ? null : new Date(nameTime).toISOString());
  // The baseline's exceptions are judged on its own day: an entry that expired since then is a change.
  const exceptions = input.exceptions && {
    ...input.exceptions,
    today: collectedAt === null ? input.exceptions.today : localDate(new Date(collectedAt)),
  };
  const evaluated = withExceptionsFile(exceptions, () => evaluateFindings(snapshot, exceptions));
  return { loaded: { evaluated, info: { file: path, collectedAt, partial: snapshot.partial } }, notes };
}

/** A baseline, read and built as analyze would; unreadable, it stops the audit (exit 2). */
async function readBaseline(
  path: string,
  option: string,
  context: CommandContext,
  keptSnapshot = false,
): Promise<Snapshot> {
  try {
    if (keptSnapshot) await requireSnapshotFile(path);
    const built = buildSnapshot(await loadInputs([path]));
    for (const warning of built.warnings) context.warn(`baseline: ${warning}`);
    return built.snapshot;
  } catch (error) {
    throw unreadableBaseline(path, option, error);
  }
}

export function auditReport(input: {
  collected: Snapshot;
  kept: string | null;
  principals: readonly PrincipalName[];
  listAll: boolean;
  exceptions: ExceptionsInput | undefined;
  baseline: AuditBaseline | undefined;
  failOnChange: string | undefined;
  context: CommandContext;
}): ReportStream & { changes?: ChangesSection } {
  const { context, exceptions, baseline } = input;
  // The same path as `exrelay analyze <snapshot>`, so an audit and a later analysis agree.
  const { snapshot, warnings } = buildSnapshot(
    [{ file: input.kept ?? 'collected snapshot', format: 'snapshot', snapshot: input.collected }],
    { listAll: input.listAll },
  );
  for (const warning of warnings) context.warn(warning);
  const named = withPrincipalNames(snapshot, input.principals);
  const current = withExceptionsFile(exceptions, () => evaluateFindings(named, exceptions));
  const report = reportOf(current, context.generator);
  if (!baseline) return report;
  return {
    ...report,
    changes: buildChanges({
      baseline: baseline.loaded,
      current,
      failOnChange: (input.failOnChange ?? 'none') as Severity | 'none',
      generator: context.generator,
      notes: baseline.notes,
    }),
  };
}

/**
 * `--keep`: removes all but the `keep` newest snapshots, and never the file named by --baseline (`named`): that is
 * the user's choice of what to compare with, often the state signed off, and pruned the next night's audit would
 * stop on a baseline it cannot read. When this audit's own snapshot is partial, the one it compared with stays
 * too: it is the next audit's baseline, since a partial snapshot is passed over. Pruned, a run of partial nights
 * as long as --keep would leave only partial snapshots, and the next complete audit would compare with one of
 * them, taking as known what a run that exited 3 collected.
 */
export async function prune(
  folder: string,
  keep: number,
  now: Date,
  quiet: boolean,
  context: CommandContext,
  run: { partial: boolean; baseline: AuditBaseline | undefined; named?: string | undefined },
): Promise<void> {
  const compared = run.baseline?.loaded?.info;
  const spare = [
    ...(run.named === undefined ? [] : [run.named]),
    ...(run.partial && compared && !compared.partial ? [compared.file] : []),
  ];
  const removed = await pruneSnapshots(folder, keep, now, context.warn, spare);
  if (!quiet && removed.length > 0)
    process.stderr.write(
      `exrelay: --keep ${keep}: removed ${removed.length} older snapshot${removed.length === 1 ? '' : 's'}\n`,
    );
}
