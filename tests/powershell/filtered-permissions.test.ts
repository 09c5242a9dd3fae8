/**
 * A permissions export filtered the way the usual one-line check filters it (only ANONYMOUS LOGON's entries), made
 * by real pwsh from the sample's Export-Clixml: the grants it left out are unseen, so the run must not pass.
 */

import { afterAll, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/report/report.js';
import { describeWithPwsh } from '../helpers/pwsh.js';
import { ROOT, runCli } from '../support/run-cli.js';

const SAMPLE = join(ROOT, 'fixtures/orgs/sample');
const folder = mkdtempSync(join(tmpdir(), 'exrelay-filtered-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describeWithPwsh('a Get-ADPermission export filtered to ANONYMOUS LOGON', (pwsh) => {
  it('is incomplete input (high): the Everyone grant it left out is unseen, and the run fails', () => {
    for (const name of ['ReceiveConnector.xml', 'AcceptedDomain.xml', 'ExchangeServer.xml'])
      copyFileSync(join(SAMPLE, name), join(folder, name));
    // The paths travel as environment variables, never pasted into the command.
    const filter = spawnSync(
      pwsh,
      [
        '-NoLogo',
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        'Import-Clixml -LiteralPath $env:FILTER_FROM | Where-Object { [string]$_.User -like "*\\ANONYMOUS LOGON" } | Export-Clixml -LiteralPath $env:FILTER_TO',
      ],
      {
        encoding: 'utf8',
        timeout: 120_000,
        env: {
          ...process.env,
          FILTER_FROM: join(SAMPLE, 'ADPermission.xml'),
          FILTER_TO: join(folder, 'ADPermission.xml'),
        },
      },
    );
    expect(filter.stderr).toBe('');

    const whole = JSON.parse(runCli(['analyze', SAMPLE, '--format', 'json']).stdout) as Report;
    const monitoring = (report: Report) =>
      report.findings
        .filter((finding) => finding.connector === 'PWEX01\\Relay Monitoring')
        .map((f) => f.checkId);
    // The whole export shows Everyone's relay right on Relay Monitoring; the filtered one cannot.
    expect(monitoring(whole)).toContain('everyone-relay');
    expect(whole.findings.some((finding) => finding.messageId === 'filtered-permissions')).toBe(false);

    const result = runCli(['analyze', folder, '--format', 'json']);
    expect(result.status).toBe(1);
    const filtered = JSON.parse(result.stdout) as Report;
    expect(monitoring(filtered)).not.toContain('everyone-relay');
    expect(filtered.findings.filter((finding) => finding.messageId === 'filtered-permissions')).toEqual([
      expect.objectContaining({ checkId: 'incomplete-input', severity: 'high', connector: null }),
    ]);
    expect(filtered.source.partial).toBe(true);
    expect(result.stderr).toContain('ADPermission.xml: the permission entries hold no inherited entry');
  });
});
