/**
 * Entries of the --snapshot-dir folder that carry a kept snapshot's name but are not regular files: a link to a
 * snapshot is one (it is followed), and anything else (a link that leads nowhere, a folder, a FIFO) stops the
 * audit as an unreadable baseline does. Skipped, it would pass for "no baseline", or let an older snapshot stand
 * in for the latest one and hide what changed since.
 */

import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadBaseline } from '../../src/cli/audit-history.js';
import { recordingContext as context } from '../support/command-context.js';
import { pruneSnapshots } from '../../src/cli/snapshot-history.js';
import { InputError } from '../../src/errors.js';

const EXAMPLE = resolve('tests/docs/examples/anonymous-relay-hosts.json');
const OLDER = 'exrelay-snapshot-20250301-060000.json';
const LATEST = 'exrelay-snapshot-20250304-060000.json';
const STARTED = new Date('2025-03-05T06:00:00Z');

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A snapshot folder holding a regular older snapshot; `latest` puts something under the latest name. */
function snapshotDir(latest: (path: string) => void): string {
  const folder = mkdtempSync(join(tmpdir(), 'exrelay-snapshot-dir-'));
  folders.push(folder);
  copyFileSync(EXAMPLE, join(folder, OLDER));
  latest(join(folder, LATEST));
  return folder;
}

const baselineOf = (folder: string) =>
  loadBaseline({
    snapshotDir: folder,
    baseline: undefined,
    started: STARTED,
    exceptions: undefined,
    principals: [],
    context: context(),
  });

describe('--snapshot-dir entries that are not regular files', () => {
  it('follows a link to a snapshot: it is the latest baseline', async () => {
    const folder = snapshotDir((path) => symlinkSync(EXAMPLE, path));
    const baseline = await baselineOf(folder);
    expect(baseline?.loaded?.info.file).toBe(join(folder, LATEST));
  });

  it.each([
    ['a link that leads nowhere', (path: string) => symlinkSync(join(path, '..', 'gone.json'), path)],
    ['a folder', (path: string) => mkdirSync(path)],
    ['a FIFO', (path: string) => execFileSync('mkfifo', [path])],
  ])('stops at %s under the latest name instead of comparing with the older snapshot', async (_, make) => {
    const folder = snapshotDir(make);
    const loading = baselineOf(folder);
    await expect(loading).rejects.toThrow(InputError);
    await expect(loading).rejects.toThrow(`the baseline ${join(folder, LATEST)} cannot be read`);
  });

  it('--keep leaves a FIFO named like an old snapshot in place, without reading it', async () => {
    const folder = snapshotDir((path) => execFileSync('mkfifo', [path]));
    const today = join(folder, 'exrelay-snapshot-20250305-060000.json');
    copyFileSync(EXAMPLE, today);
    const warnings: string[] = [];
    const removed = await pruneSnapshots(folder, 1, new Date('2025-03-05T07:00:00Z'), (message) =>
      warnings.push(message),
    );
    expect(removed).toEqual([OLDER]);
    expect(existsSync(join(folder, LATEST))).toBe(true);
    expect(existsSync(today)).toBe(true);
  });
});
