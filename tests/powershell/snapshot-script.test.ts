import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import type { Snapshot } from '../../src/model/snapshot.js';
import { quotePsString } from '../../src/powershell/quote.js';
import { describeWithPwsh } from '../helpers/pwsh.js';
import {
  analyzeJson,
  loadScenarioCommands,
  orgExports,
  runSlowCli,
  scenarioPath,
  SNAPSHOT_SCRIPT,
  tempFolder,
  verdicts,
  writeSimInitScript,
} from './collect-support.js';

const SLOW = 180_000;

function readSnapshot(path: string): Snapshot {
  return JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
}

describeWithPwsh('Get-ExrelaySnapshot.ps1 run by hand, as an administrator would', (pwsh) => {
  function runScript(org: string, scriptArguments: string, folder: string) {
    const command = `${loadScenarioCommands(scenarioPath(org))}\n& ${quotePsString(SNAPSHOT_SCRIPT)} ${scriptArguments}`;
    return spawnSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', command], {
      cwd: folder,
      encoding: 'utf8',
      timeout: SLOW,
    });
  }

  it(
    'writes a snapshot (-OutFile) that matches what exrelay collect writes, apart from time and source',
    () => {
      const folder = tempFolder('script-by-hand');
      const byHand = runScript(
        'fabrikam-2019',
        `-OutFile ${quotePsString(join(folder, 'by-hand.json'))}`,
        folder,
      );
      expect(byHand.stderr).toBe('');
      expect(byHand.status).toBe(0);
      expect(byHand.stdout).toMatch(
        /^Wrote .*by-hand\.json: 15 receive connector\(s\) on 2 server\(s\)\. Analyse it with: exrelay analyze/,
      );
      const collected = runSlowCli(
        [
          'collect',
          '--init-script',
          writeSimInitScript(folder, scenarioPath('fabrikam-2019')),
          '--out',
          join(folder, 'collected.json'),
          '--shell',
          pwsh,
        ],
        { cwd: folder },
      );
      expect(collected.status).toBe(0);

      const raw = readFileSync(join(folder, 'by-hand.json'));
      expect([...raw.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
      const script = JSON.parse(raw.toString('utf8')) as Snapshot;
      const tool = readSnapshot(join(folder, 'collected.json'));
      expect(script.source).toEqual({
        method: 'script',
        description: expect.any(String),
        tool: 'Get-ExrelaySnapshot.ps1 1',
      });
      expect(script.collectedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect({ ...script, collectedAt: null, source: null }).toEqual({
        ...tool,
        collectedAt: null,
        source: null,
      });
    },
    SLOW,
  );

  it(
    'writes Export-Clixml files instead with -AsClixml (what PowerShell 2.0 gets), which analyze reads the same way',
    () => {
      const folder = tempFolder('script-clixml');
      const exports = join(folder, 'sample-export');
      const result = runScript('sample', `-AsClixml -OutFolder ${quotePsString(exports)}`, folder);
      expect(result.status).toBe(0);
      // The unreadable ACL is left out of ADPermission.xml, with a warning.
      expect(result.stdout + result.stderr).toMatch(
        /Get-ADPermission PWEX02\\Relay Archive: Active Directory operation failed/,
      );
      expect(verdicts(analyzeJson(exports))).toEqual(verdicts(analyzeJson(orgExports('sample'))));
    },
    SLOW,
  );
  it(
    'never reads a null Enabled, Bindings or RemoteIPRanges, null server flags or a text IsPresent as safe',
    () => {
      // Each once made a live relay latent (disabled, listening nowhere), skipped a server, or turned every allow
      // into a deny, with the snapshot still complete.
      const folder = tempFolder('script-nulls');
      const wrappers = String.raw`
function Get-ReceiveConnector {
    [CmdletBinding()] param([object] $Server, [string] $Identity)
    foreach ($c in @(ExchangeSim\Get-ReceiveConnector -Server $Server)) {
        $o = $c | Select-Object *
        if ($o.Name -eq 'App Relay') { $o.Enabled = $null; $o.RemoteIPRanges = $null }
        if ($o.Name -eq 'Default Frontend EX01') { $o.Bindings = $null }
        $o
    }
}
function Get-ADPermission {
    [CmdletBinding()] param([Parameter(Position = 0)][object] $Identity, [object] $User)
    foreach ($a in @(ExchangeSim\Get-ADPermission -Identity $Identity)) {
        $o = $a | Select-Object *
        $o.Deny = [pscustomobject]@{ IsPresent = [string]$a.Deny.IsPresent }
        $o
    }
}
function Get-ExchangeServer {
    [CmdletBinding()] param([Parameter(Position = 0)][string] $Identity)
    foreach ($s in @(ExchangeSim\Get-ExchangeServer)) {
        $o = $s | Select-Object *
        if ($o.Name -eq 'EX02') { $o.IsHubTransportServer = $null; $o.IsFrontendTransportServer = $null }
        $o
    }
}`;
      const out = join(folder, 'nulls.json');
      const command = `${loadScenarioCommands(scenarioPath('fabrikam-2019'))}\n${wrappers}\n& ${quotePsString(SNAPSHOT_SCRIPT)} -OutFile ${quotePsString(out)}`;
      const result = spawnSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', command], {
        cwd: folder,
        encoding: 'utf8',
        timeout: SLOW,
      });
      expect(result.status).toBe(0);
      const snapshot = readSnapshot(out);
      const relay = snapshot.connectors.find((connector) => connector.name === 'App Relay');
      expect(relay).toMatchObject({ enabled: true, remoteIPRanges: ['(value lost by the export)'] });
      const frontend = snapshot.connectors.find((connector) => connector.name === 'Default Frontend EX01');
      expect(frontend?.bindings).toEqual(['(value lost by the export)']);
      expect(snapshot.connectors.filter((connector) => connector.server === 'EX02').length).toBeGreaterThan(
        0,
      );
      // IsPresent 'False' as text: the allow entries stay allow entries.
      const anonymous = (relay?.permissions ?? []).filter((ace) => ace.sid === 'S-1-5-7');
      expect(anonymous.length).toBeGreaterThan(0);
      expect(anonymous.every((ace) => !ace.deny)).toBe(true);
    },
    SLOW,
  );
});
