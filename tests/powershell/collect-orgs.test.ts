import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import type { Snapshot } from '../../src/model/snapshot.js';
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

/**
 * Organisations exported as CLIXML (which keeps all the data; the JSON export loses the ACL names), one per
 * shape: two 2019 servers, German names without SIDs, the 2010 object model, French names through a remoting
 * round trip, an Edge server's local shell. The sample is tested on its own below.
 */
const ORGS = [
  'fabrikam-2019',
  'tailspin-de',
  'contoso-2010',
  'woodgrove-extsec',
  'litware-edge',
  'nordvik-sv',
];

function readSnapshot(path: string): Snapshot {
  return JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
}

describeWithPwsh('exrelay collect from the Exchange stand-in through real pwsh', (pwsh) => {
  it.each(ORGS)(
    '%s: the collected snapshot gives the same verdicts and findings as the CLIXML export',
    (org) => {
      const folder = tempFolder('collect');
      const out = join(folder, 'snapshot.json');
      const result = runSlowCli(
        [
          'collect',
          '--init-script',
          writeSimInitScript(folder, scenarioPath(org)),
          '--out',
          out,
          '--shell',
          pwsh,
        ],
        { cwd: folder },
      );
      expect(result.stderr).not.toMatch(/^exrelay: (?!warning)/m);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(
        new RegExp(
          `^Wrote ${out.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}: \\d+ receive connectors? on \\d+ servers?, \\d+ accepted domains?\\n$`,
        ),
      );

      const snapshot = readSnapshot(out);
      expect(snapshot).toMatchObject({ kind: 'exrelay.snapshot', partial: false, errors: [] });
      expect(snapshot.source).toMatchObject({
        method: 'local',
        tool: expect.stringMatching(/^exrelay \d+\.\d+\.\d+/),
      });
      expect(Date.parse(snapshot.collectedAt ?? '')).toBeGreaterThan(Date.now() - SLOW);
      expect(verdicts(analyzeJson(out))).toEqual(verdicts(analyzeJson(orgExports(org))));
    },
    SLOW,
  );

  it(
    'sample: the connector whose ACL cannot be read makes the snapshot partial: written, exit 3; --allow-partial exits 0',
    () => {
      const folder = tempFolder('collect-sample');
      const init = writeSimInitScript(folder, scenarioPath('sample'));
      const out = join(folder, 'snapshot.json');
      const strict = runSlowCli(['collect', '--init-script', init, '--out', out, '--shell', pwsh], {
        cwd: folder,
      });
      expect(strict.status).toBe(3);
      // What could not be read, and why: PowerShell's own words.
      expect(strict.stderr).toMatch(
        /\nexrelay: the snapshot is partial: the permissions of 1 connector could not be read: PWEX02\\Relay Archive \(Get-ADPermission: Active Directory operation failed on PWDC01\.proseware\.com\. .*INSUFF_ACCESS_RIGHTS.*\); pass --allow-partial to accept partial snapshots\n$/,
      );
      // The stand-in warns about the corrupt range of Relay Legacy App, as Exchange does.
      expect(strict.stderr).toContain(
        "exrelay: warning: PowerShell: The object PWEX01\\Relay Legacy App has been corrupted, and it's in an inconsistent state.",
      );

      const snapshot = readSnapshot(out);
      const archive = snapshot.connectors.find((connector) => connector.identity === 'PWEX02\\Relay Archive');
      expect(archive).toMatchObject({ permissions: null });
      expect(archive?.permissionsError).toMatch(
        /^Get-ADPermission: Active Directory operation failed on PWDC01\.proseware\.com\. .*INSUFF_ACCESS_RIGHTS/,
      );
      expect(snapshot.partial).toBe(true);
      expect(snapshot.errors).toEqual([
        { scope: 'connector', target: 'PWEX02\\Relay Archive', message: archive?.permissionsError },
      ]);
      expect(verdicts(analyzeJson(out))).toEqual(verdicts(analyzeJson(orgExports('sample'))));

      const lenient = runSlowCli(
        [
          'collect',
          '--init-script',
          init,
          '--out',
          join(folder, 'lenient.json'),
          '--shell',
          pwsh,
          '--allow-partial',
          '--quiet',
        ],
        { cwd: folder },
      );
      expect(lenient.status).toBe(0);
      expect(readSnapshot(join(folder, 'lenient.json')).partial).toBe(true);
    },
    SLOW,
  );

  it(
    'nordvik-sv: a Swedish server without SIDs tells how it names the well-known principals; the open relay is critical',
    () => {
      const folder = tempFolder('collect-swedish');
      const out = join(folder, 'snapshot.json');
      const init = writeSimInitScript(folder, scenarioPath('nordvik-sv'));
      const result = runSlowCli(['collect', '--init-script', init, '--out', out, '--shell', pwsh], {
        cwd: folder,
      });
      expect(result.status).toBe(0);
      const snapshot = readSnapshot(out);
      // The stand-in prints names the Swedish way and, like remote collection, gives no SIDs.
      expect(
        snapshot.connectors
          .flatMap((connector) => connector.permissions ?? [])
          .every((ace) => ace.sid === null),
      ).toBe(true);
      // Asked with Get-ADPermission -User <SID> (Everyone holds no ACE there, so it has no name to learn).
      expect(snapshot.principalNames?.map(({ name, sid }) => `${sid}=${name}`)).toEqual([
        'S-1-5-7=NT INSTANS\\ANONYM INLOGGNING',
        'S-1-5-11=NT INSTANS\\Autentiserade användare',
        'S-1-9-1419165041-1139599005-3936102811-1022490595-23=MS Exchange\\Externally Secured Servers',
      ]);
      expect(snapshot.principalNames?.every((known) => known.server === 'exse01.ad.nordvik.se')).toBe(true);
      const report = analyzeJson(out);
      expect(report.connectors.find((connector) => connector.name === 'Relä Skrivare')).toMatchObject({
        severity: 'critical',
        relay: { verdict: 'relay', anonymous: true },
      });
    },
    SLOW,
  );

  it(
    'writes the snapshot to exrelay-snapshot-<UTC time>.json in the current folder by default',
    () => {
      const folder = tempFolder('collect-default-name');
      const result = runSlowCli(
        [
          'collect',
          '--init-script',
          writeSimInitScript(folder, scenarioPath('litware-edge')),
          '--shell',
          pwsh,
        ],
        { cwd: folder },
      );
      expect(result.status).toBe(0);
      const name = /^Wrote (exrelay-snapshot-\d{8}-\d{6}\.json): /.exec(result.stdout)?.[1];
      expect(name).toBeDefined();
      expect(readSnapshot(join(folder, name as string)).connectors).toHaveLength(2);
    },
    SLOW,
  );
});
