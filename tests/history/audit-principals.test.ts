/**
 * --principal on audit applies to both sides of the comparison: a baseline exported from a server whose
 * language exrelay does not know is judged with the same names as today's snapshot, so naming the principals
 * turns neither side's verdict-unknown into a "new" anonymous-relay finding. Runs audit's own baseline and
 * report code (src/cli/audit-history.ts) in-process; collection is the pwsh tests' part. A bad value stops the
 * built CLI before anything happens.
 */

import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditReport, loadBaseline } from '../../src/cli/audit-history.js';
import { recordingContext as context } from '../support/command-context.js';
import { parsePrincipalOption } from '../../src/cli/principal-option.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { runCli } from '../support/run-cli.js';

const EXAMPLE = 'tests/docs/examples/verdict-unknown-unidentified.json';
const FINNISH = parsePrincipalOption([
  'NT-HALLINTA\\ANONYYMI KIRJAUTUMINEN=S-1-5-7',
  'NT-HALLINTA\\KAIKKI=S-1-1-0',
]);

async function audit(principals: typeof FINNISH) {
  const started = new Date('2025-03-05T06:00:00Z');
  const ctx = context();
  const baseline = await loadBaseline({
    snapshotDir: undefined,
    baseline: EXAMPLE,
    started,
    exceptions: undefined,
    principals,
    context: ctx,
  });
  const collected = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Snapshot;
  const report = auditReport({
    collected: { ...collected, collectedAt: started.toISOString() },
    kept: null,
    principals,
    listAll: false,
    exceptions: undefined,
    baseline,
    failOnChange: 'high',
    context: ctx,
  });
  return { baseline: baseline!.loaded!, report, warnings: ctx.warnings };
}

describe('audit --principal with a baseline', () => {
  it('identifies the names in the baseline as in today: relay on both sides, nothing new to alert on', async () => {
    const { baseline, report } = await audit(FINNISH);
    expect(baseline.evaluated.analysis.connectors[0]?.relay.verdict).toBe('relay');
    expect([...report.connectors][0]?.relay.verdict).toBe('relay');
    expect(report.findings.map((finding) => finding.checkId)).toContain('anonymous-relay');
    expect(report.changes?.diff?.findings.introduced).toEqual([]);
    expect(report.changes?.diff?.summary.connectorsChanged).toBe(0);
    expect(report.changes?.regressions).toBe(0);
  });

  it('without the names both sides stay unknown (fail closed), and agree', async () => {
    const { baseline, report } = await audit([]);
    expect(baseline.evaluated.analysis.connectors[0]?.relay.verdict).toBe('unknown');
    expect([...report.connectors][0]?.relay.verdict).toBe('unknown');
    expect(report.findings.map((finding) => finding.checkId)).toContain('verdict-unknown');
    expect(report.changes?.regressions).toBe(0);
  });
});

describe('exrelay audit --principal', () => {
  it('refuses a value that is not NAME=SID with exit 2 before it creates the snapshot folder or collects', () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'exrelay-audit-principal-')), 'snapshots');
    const result = runCli([
      'audit',
      '--principal',
      'nope',
      '--snapshot-dir',
      folder,
      '--shell',
      '/nonexistent/pwsh',
    ]);
    expect(result).toEqual({
      status: 2,
      stdout: '',
      stderr: `exrelay: --principal "nope": expected NAME=SID, e.g. 'NT-HALLINTA\\ANONYYMI KIRJAUTUMINEN=S-1-5-7'\n`,
    });
    expect(existsSync(folder)).toBe(false);
  });
});
