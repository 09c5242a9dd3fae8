import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import type { Snapshot } from '../../src/model/snapshot.js';
import type { Report } from '../../src/report/report.js';
import { runCli } from '../support/run-cli.js';
import { describeWithPwsh } from '../helpers/pwsh.js';
import {
  analyzeJson,
  orgExports,
  runSlowCli,
  scenarioPath,
  tempFolder,
  verdicts,
  writeSimInitScript,
} from './collect-support.js';

const SLOW = 180_000;

describeWithPwsh('exrelay audit against the Exchange stand-in (real pwsh)', (pwsh) => {
  it(
    'writes the report and keeps the snapshot; a partial collection exits 3 even with findings',
    () => {
      const folder = tempFolder('audit-partial');
      const report = join(folder, 'report.json');
      const snapshots = join(folder, 'snapshots', 'proseware');
      const result = runSlowCli(
        [
          'audit',
          '--init-script',
          writeSimInitScript(folder, scenarioPath('sample')),
          '--format',
          'json',
          '--output',
          report,
          '--snapshot-dir',
          snapshots,
          '--shell',
          pwsh,
        ],
        { cwd: folder },
      );
      expect(result.status).toBe(3);
      expect(result.stdout).toBe('');

      const [kept, ...others] = readdirSync(snapshots);
      expect(others).toEqual([]);
      expect(kept).toMatch(/^exrelay-snapshot-\d{8}-\d{6}\.json$/);
      const keptPath = join(snapshots, kept as string);
      expect(result.stderr).toContain(`exrelay: snapshot kept in ${keptPath}\n`);
      expect(result.stderr).toMatch(
        new RegExp(
          `exrelay: the snapshot is partial: the permissions of 1 connector could not be read: PWEX02\\\\Relay Archive \\(Get-ADPermission: .*INSUFF_ACCESS_RIGHTS.*\\); it was written to ${keptPath.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}; pass --allow-partial`,
        ),
      );

      const written = JSON.parse(readFileSync(report, 'utf8')) as Report;
      expect(written.source).toMatchObject({ method: 'local', partial: true });
      expect(verdicts(written)).toEqual(verdicts(analyzeJson(orgExports('sample'))));
      expect((JSON.parse(readFileSync(keptPath, 'utf8')) as Snapshot).partial).toBe(true);
      // The kept snapshot analyses to the same report.
      expect(verdicts(analyzeJson(keptPath))).toEqual(verdicts(written));
    },
    SLOW,
  );

  it(
    'exits by findings like analyze once the collection is complete (or --allow-partial accepts its gaps)',
    () => {
      const folder = tempFolder('audit-findings');
      const result = runSlowCli(
        [
          'audit',
          '--init-script',
          writeSimInitScript(folder, scenarioPath('fabrikam-2019')),
          '--fail-on',
          'critical',
          '--allow-partial',
          '--shell',
          pwsh,
        ],
        { cwd: folder },
      );
      const analyzed = runCli(['analyze', orgExports('fabrikam-2019'), '--fail-on', 'critical']);
      expect(analyzed.status).toBe(1);
      expect(result.status).toBe(analyzed.status);
      expect(result.stdout).toMatch(/^15 connectors, .*\n\nConnectors\n/);
      expect(result.stdout).toContain('EX01\\App Relay');
      expect(readdirSync(folder)).toEqual(['Connect-ExchangeSim.ps1']);
    },
    SLOW,
  );
});
