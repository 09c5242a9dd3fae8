/**
 * Scheduled audits over several nights, through real pwsh and the Exchange stand-in: history (a renamed connector
 * is renamed: the stand-in keeps its GUID, as Active Directory does), --fail-on-change,
 * exceptions, --keep, an unreadable baseline, later-dated snapshots, and exit 3 winning over a change alert.
 * Each night's organisation is the demo scenario, changed as the test says.
 */

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import type { Report } from '../../src/report/report.js';
import { describeWithPwsh } from '../helpers/pwsh.js';
import { BIN } from '../support/run-cli.js';
import { runSlowCli, scenarioPath, tempFolder, writeSimInitScript } from './collect-support.js';

const SLOW = 300_000;

interface Scenario {
  connectors: Array<Record<string, unknown> & { server: string; name: string }>;
  acceptedDomains: Array<Record<string, unknown> & { name: string }>;
}

/** The demo organisation, complete (its one unreadable ACL made readable), changed by `change`. */
function scenario(folder: string, name: string, change: (org: Scenario) => void = () => undefined): string {
  const org = JSON.parse(readFileSync(scenarioPath('sample'), 'utf8')) as Scenario;
  for (const connector of org.connectors) delete connector.aclError;
  change(org);
  const path = join(folder, `${name}.json`);
  writeFileSync(path, JSON.stringify(org));
  return path;
}

function connectorNamed(org: Scenario, server: string, name: string) {
  const found = org.connectors.find((connector) => connector.server === server && connector.name === name);
  if (!found) throw new Error(`no ${server}\\${name} in the scenario`);
  return found;
}

const BRANCH = 'PWEX01\\Relay Branch Offices';
const widen = (org: Scenario) => {
  connectorNamed(org, 'PWEX01', 'Relay Branch Offices').remoteIPRanges = ['172.0.0.0/8'];
};

describeWithPwsh('scheduled audits with history (real pwsh, Exchange stand-in)', (pwsh) => {
  function audit(folder: string, org: string, args: string[]) {
    const init = writeSimInitScript(folder, org, `Connect-${Date.now()}.ps1`);
    const result = runSlowCli(['audit', '--init-script', init, '--shell', pwsh, '--quiet', ...args], {
      cwd: folder,
    });
    return {
      ...result,
      report: result.stdout.startsWith('{') ? (JSON.parse(result.stdout) as Report) : null,
    };
  }

  it(
    'pages on a /16 widened to a /8, never on the unchanged known state; an exception covers a known finding until its scope grows',
    () => {
      const folder = tempFolder('audit-nights');
      const snapshots = join(folder, 'snapshots');
      const exceptions = join(folder, 'exceptions.yaml');
      writeFileSync(
        exceptions,
        [
          'version: 1',
          'exceptions:',
          '  - check: anonymous-relay',
          `    connector: ${BRANCH}`,
          '    subject: S-1-5-7',
          '    reason: Branch office copiers relay until the migration',
          '    owner: it-ops@proseware.com',
          '    ticket: CHG-4711',
          '    expires: 2099-06-30',
          '    scope:',
          '      ranges: [172.17.0.0/16]',
          '',
        ].join('\n'),
      );
      const args = [
        '--snapshot-dir',
        snapshots,
        '--fail-on-change',
        'high',
        '--exceptions',
        exceptions,
        '--keep',
        '2',
        '--format',
        'json',
      ];
      const before = scenario(folder, 'before');

      const first = audit(folder, before, args);
      expect(first.stderr).not.toMatch(/exrelay: (?!warning: PowerShell:)/);
      expect(first.status).toBe(1);
      expect(first.report?.changes).toMatchObject({
        since: null,
        baseline: null,
        diff: null,
        failOnChange: 'high',
      });
      expect(first.report?.changes?.notes[0]).toMatch(
        /^No earlier snapshot in .*: nothing says which findings are known/,
      );

      const second = audit(folder, before, args);
      expect(second.status).toBe(0);
      const known = second.report!;
      expect(known.changes).toMatchObject({ regressions: 0, baseline: { partial: false } });
      expect(known.changes?.diff?.summary).toMatchObject({
        findingsIntroduced: 0,
        findingsWidened: 0,
        connectorsChanged: 0,
      });
      // The known state still has critical findings: listed, but no page.
      expect(known.findings.some((finding) => finding.severity === 'critical' && !finding.exception)).toBe(
        true,
      );
      const branch = known.findings.find(
        (finding) => finding.connector === BRANCH && finding.checkId === 'anonymous-relay',
      );
      expect(branch?.exception).toMatchObject({
        status: 'accepted',
        owner: 'it-ops@proseware.com',
        ticket: 'CHG-4711',
      });

      const third = audit(folder, scenario(folder, 'widened', widen), args);
      expect(third.status).toBe(1);
      const changes = third.report!.changes!;
      expect(changes.since).toBe(known.source.collectedAt);
      const widened = changes.diff?.findings.widened.find(
        (finding) => finding.connector === BRANCH && finding.checkId === 'anonymous-relay',
      );
      expect(widened).toMatchObject({
        scope: { before: '65536', after: '16777216' },
        severity: { before: 'high', after: 'critical' },
      });
      expect(widened).not.toHaveProperty('exception.status', 'accepted');
      const exceeded = changes.diff?.findings.introduced.find((finding) => finding.checkId === 'exception');
      expect(exceeded?.message).toContain('has grown beyond the scope approved by the exception at line 3');
      expect(changes.regressionFingerprints).toEqual(
        expect.arrayContaining([widened!.fingerprint, exceeded!.fingerprint]),
      );
      expect(changes.regressions).toBe(2);

      const kept = readdirSync(snapshots).sort();
      expect(kept).toHaveLength(2);
      for (const name of kept) expect(name).toMatch(/^exrelay-snapshot-\d{8}-\d{6}(-\d+)?\.json$/);
    },
    SLOW,
  );

  it(
    'reports every kind of change in every text format, and --fail-on keeps paging on the known state when given too',
    () => {
      const folder = tempFolder('audit-changes');
      const snapshots = join(folder, 'snapshots');
      expect(
        audit(folder, scenario(folder, 'before'), [
          '--snapshot-dir',
          snapshots,
          '--format',
          'json',
          '--fail-on',
          'none',
        ]).status,
      ).toBe(0);
      const changed = scenario(folder, 'changed', (org) => {
        widen(org);
        org.connectors = org.connectors.filter((connector) => connector.name !== 'Relay Monitoring');
        connectorNamed(org, 'PWEX01', 'Relay Lab').enabled = false;
        connectorNamed(org, 'PWEX01', 'Relay Finance').extraAces = [
          { principal: 'everyone', rights: ['ms-Exch-SMTP-Accept-Any-Recipient'] },
        ];
        // Made externally secured, as Exchange requires: ExternalAuthoritative with the ExchangeServers group.
        Object.assign(connectorNamed(org, 'PWEX01', 'Inbound From Mail Filter'), {
          authMechanism: ['Tls', 'ExternalAuthoritative'],
          permissionGroups: ['AnonymousUsers', 'ExchangeServers'],
        });
        org.connectors.push({
          server: 'PWEX02',
          name: 'Relay New Scanner',
          transportRole: 'FrontendTransport',
          bindings: ['0.0.0.0:25'],
          remoteIPRanges: ['10.10.99.5'],
          authMechanism: ['Tls'],
          permissionGroups: ['AnonymousUsers'],
          extraAces: [{ principal: 'anonymous', rights: ['ms-Exch-SMTP-Accept-Any-Recipient'] }],
        });
        org.acceptedDomains.find((domain) => domain.name === 'proseware.com')!.domainType = 'InternalRelay';
        // Renamed with Set-ReceiveConnector -Name: Active Directory keeps its GUID.
        Object.assign(connectorNamed(org, 'PWEX01', 'Relay Marketing SaaS'), {
          name: 'Relay Newsletter SaaS',
          createdAs: 'Relay Marketing SaaS',
        });
      });
      const json = audit(folder, changed, [
        '--baseline',
        join(snapshots, readdirSync(snapshots)[0]!),
        '--format',
        'json',
        '--fail-on-change',
        'critical',
      ]);
      expect(json.status).toBe(1);
      const diff = json.report!.changes!.diff!;
      const status = new Map(
        diff.connectors.map((entry) => [entry.identity.after ?? entry.identity.before, entry]),
      );
      expect(status.get('PWEX02\\Relay New Scanner')?.status).toBe('added');
      expect(status.get('PWEX01\\Relay Monitoring')?.status).toBe('removed');
      expect(status.get('PWEX01\\Relay Lab')?.enabled).toEqual({ before: true, after: false });
      expect(status.get('PWEX01\\Relay Finance')?.aces?.added).toMatchObject([{ user: 'Everyone' }]);
      expect(status.get('PWEX01\\Inbound From Mail Filter')?.authMechanism).toEqual({
        before: ['Tls'],
        after: ['Tls', 'ExternalAuthoritative'],
      });
      expect(status.get(BRANCH)?.remoteIPRanges).toEqual({
        added: [{ text: '172.0.0.0/8', addresses: '16777216' }],
        removed: [{ text: '172.17.0.0/16', addresses: '65536' }],
      });
      expect(status.get('PWEX01\\Relay Newsletter SaaS')).toMatchObject({
        status: 'changed',
        renamed: true,
        matchedBy: 'guid',
        identity: { before: 'PWEX01\\Relay Marketing SaaS', after: 'PWEX01\\Relay Newsletter SaaS' },
      });
      expect(status.has('PWEX01\\Relay Marketing SaaS')).toBe(false);
      // Its findings keep their fingerprints: neither resolved under the old name nor new under the new one.
      expect(
        [...diff.findings.introduced, ...diff.findings.resolved].filter((finding) =>
          /Relay (Marketing|Newsletter) SaaS/.test(finding.connector ?? ''),
        ),
      ).toEqual([]);
      expect(diff.acceptedDomains?.retyped).toEqual([
        { domainName: 'proseware.com', before: 'Authoritative', after: 'InternalRelay' },
      ]);
      expect(diff.findings.introduced.map((finding) => finding.checkId)).toEqual(
        expect.arrayContaining(['everyone-relay', 'anonymous-relay']),
      );
      expect(diff.findings.resolved.length).toBeGreaterThan(0);

      const base = ['--baseline', join(snapshots, readdirSync(snapshots)[0]!)];
      const table = audit(folder, changed, [...base, '--fail-on-change', 'critical']);
      expect(table.stdout).toMatch(
        /\nChanges since \d{4}-\d\d-\d\dT[\d:.]+Z \(.*exrelay-snapshot-\d{8}-\d{6}\.json\)\n/,
      );
      expect(table.stdout).toContain('    HIGH → CRITICAL anonymous-relay on PWEX01\\Relay Branch Offices\n');
      expect(table.stdout).toContain('    PWEX02\\Relay New Scanner (new)\n');
      expect(table.stdout).toContain(
        '    PWEX01\\Relay Marketing SaaS → PWEX01\\Relay Newsletter SaaS (renamed)\n',
      );
      expect(table.stdout).toMatch(
        /Change alert: \d+ findings? new or widened since the baseline at or above critical, not accepted \(--fail-on-change\): exit 1\./,
      );
      const markdown = audit(folder, changed, [...base, '--format', 'markdown']);
      expect(markdown.stdout).toMatch(/\n## Changes since .*\n/);
      expect(markdown.stdout).toContain('### Findings widened');
      expect(markdown.stdout).toContain('Not checked for change alerts (no --fail-on-change).');
      const csv = audit(folder, changed, [...base, '--format', 'csv', '--fail-on', 'none']);
      expect(csv.status).toBe(0);
      const rows = csv.stdout.split('\r\n');
      expect(rows[0]).toContain(',fingerprint,change,exception,');
      expect(
        rows.some(
          (row) =>
            row.startsWith('critical,anonymous-relay,PWEX01\\Relay Branch Offices,') &&
            row.includes(',widened,'),
        ),
      ).toBe(true);
      expect(rows.some((row) => row.includes(',resolved,'))).toBe(true);

      // --fail-on given as well: the known state pages again (either condition exits 1).
      const unchanged = audit(folder, scenario(folder, 'before-again'), [
        ...base,
        '--fail-on-change',
        'critical',
        '--fail-on',
        'high',
        '--format',
        'json',
      ]);
      expect(unchanged.report?.changes?.regressions).toBe(0);
      expect(unchanged.status).toBe(1);
    },
    SLOW,
  );

  it(
    'an unreadable latest snapshot stops the audit before collecting (exit 2); later-dated ones are set aside',
    () => {
      const folder = tempFolder('audit-corrupt');
      const snapshots = join(folder, 'snapshots');
      const org = scenario(folder, 'before');
      expect(audit(folder, org, ['--snapshot-dir', snapshots, '--fail-on', 'none']).status).toBe(0);
      const [good] = readdirSync(snapshots);
      const corrupt = join(snapshots, good!.replace(/\.json$/, '-2.json'));
      writeFileSync(corrupt, '{"kind": "exrelay.snapshot", "connectors": [');
      const stopped = audit(folder, org, ['--snapshot-dir', snapshots, '--fail-on-change', 'high']);
      expect(stopped.status).toBe(2);
      expect(stopped.stderr).toMatch(
        new RegExp(
          `^exrelay: --snapshot-dir: the baseline ${corrupt.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')} cannot be read: .+; move it out of the folder .*\n$`,
        ),
      );
      expect(readdirSync(snapshots).sort()).toEqual([good, good!.replace(/\.json$/, '-2.json')].sort());

      // Moved away, as the message says. A snapshot dated in the future (the clock was set back) is neither the
      // baseline nor pruned; a file that only looks like a snapshot by its name is never removed.
      unlinkSync(corrupt);
      const future = join(snapshots, 'exrelay-snapshot-20991231-235959.json');
      writeFileSync(future, readFileSync(join(snapshots, good!)));
      const impostor = join(snapshots, 'exrelay-snapshot-20000101-000000.json');
      writeFileSync(impostor, 'my notes, not a snapshot');
      const aside = audit(folder, org, [
        '--snapshot-dir',
        snapshots,
        '--fail-on-change',
        'high',
        '--keep',
        '1',
        '--format',
        'json',
      ]);
      expect(aside.status).toBe(0);
      expect(aside.stderr).toMatch(
        /^exrelay: warning: 1 snapshot is dated at or after this audit's start \(exrelay-snapshot-20991231-235959\.json\): the clock was set back/,
      );
      expect(aside.stderr).toContain(
        `exrelay: warning: --keep: ${impostor} is named like an exrelay snapshot but does not hold one; it was left in place\n`,
      );
      expect(aside.report?.changes?.baseline?.file).toBe(join(snapshots, good!));
      expect(aside.report?.changes?.notes).toEqual([
        expect.stringContaining('They are neither compared with nor removed'),
      ]);
      const left = readdirSync(snapshots).sort();
      expect(left).toHaveLength(3);
      expect(left).toEqual(
        expect.arrayContaining([
          'exrelay-snapshot-20991231-235959.json',
          'exrelay-snapshot-20000101-000000.json',
        ]),
      );
      expect(left).not.toContain(good);
    },
    SLOW,
  );

  // /dev/full stands for a disk that fills while the report is written (Linux; CI runs there).
  (existsSync('/dev/full') ? it : it.skip)(
    'an audit whose report cannot be written sets its snapshot aside: the next audit still alerts on the change it collected',
    () => {
      const folder = tempFolder('audit-report-fails');
      const snapshots = join(folder, 'snapshots');
      const args = ['--snapshot-dir', snapshots, '--fail-on-change', 'high', '--format', 'json'];
      expect(audit(folder, scenario(folder, 'before'), args).status).toBe(1);
      const [monday] = readdirSync(snapshots);
      const widened = scenario(folder, 'widened', widen);
      const full = audit(folder, widened, [...args, '--output', '/dev/full']);
      expect(full.status).toBe(2);
      expect(full.stderr).toMatch(
        /exrelay: warning: this audit wrote no report: its snapshot is kept as .*exrelay-snapshot-\d{8}-\d{6}\.unreported\.json, which later audits do not compare with/,
      );
      expect(full.stderr).toContain('exrelay: cannot write /dev/full: no space left on the device');
      // Before, the widened snapshot stayed: the next audit took it for its baseline and exited 0.
      const [aside] = readdirSync(snapshots).filter((name) => name !== monday);
      expect(aside).toMatch(/^exrelay-snapshot-\d{8}-\d{6}\.unreported\.json$/);
      const next = audit(folder, widened, args);
      expect(next.status).toBe(1);
      expect(next.report?.changes?.baseline?.file).toBe(join(snapshots, monday!));
      expect(next.report?.changes?.diff?.findings.widened).toEqual(
        expect.arrayContaining([expect.objectContaining({ checkId: 'anonymous-relay', connector: BRANCH })]),
      );
    },
    SLOW,
  );

  (existsSync('/dev/full') ? it : it.skip)(
    'an audit whose standard output is a full disk exits 2 and sets its snapshot aside, as with --output',
    () => {
      const folder = tempFolder('audit-stdout-full');
      const snapshots = join(folder, 'snapshots');
      const args = ['--snapshot-dir', snapshots, '--fail-on-change', 'high', '--format', 'json'];
      expect(audit(folder, scenario(folder, 'before'), args).status).toBe(1);
      const [monday] = readdirSync(snapshots);
      const widened = scenario(folder, 'widened', widen);
      const full = openSync('/dev/full', 'w');
      let result;
      try {
        result = spawnSync(
          process.execPath,
          [
            BIN,
            'audit',
            '--init-script',
            writeSimInitScript(folder, widened),
            '--shell',
            pwsh,
            '--quiet',
            ...args,
          ],
          { cwd: folder, stdio: ['ignore', full, 'pipe'], encoding: 'utf8', timeout: 180_000 },
        );
      } finally {
        closeSync(full);
      }
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(
        'exrelay: cannot write to standard output: no space left on the device\n',
      );
      // Before, the error handler exited at once: the snapshot kept its name and was the next baseline.
      const [aside] = readdirSync(snapshots).filter((name) => name !== monday);
      expect(aside).toMatch(/^exrelay-snapshot-\d{8}-\d{6}\.unreported\.json$/);
      const next = audit(folder, widened, args);
      expect(next.status).toBe(1);
      expect(next.report?.changes?.baseline?.file).toBe(join(snapshots, monday!));
    },
    SLOW,
  );

  it(
    'an audit stopped (SIGTERM, SIGINT) while it writes its report sets its snapshot aside: the next audit still alerts',
    async () => {
      const folder = tempFolder('audit-stopped');
      const snapshots = join(folder, 'snapshots');
      const args = ['--snapshot-dir', snapshots, '--fail-on-change', 'high', '--format', 'json'];
      expect(audit(folder, scenario(folder, 'before'), args).status).toBe(1);
      const [monday] = readdirSync(snapshots);
      const widened = scenario(folder, 'widened', widen);
      // A FIFO nobody reads holds the report back for as long as the test likes: the stop comes in the middle.
      const fifo = join(folder, 'report.fifo');
      execFileSync('mkfifo', [fifo]);
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        const init = writeSimInitScript(folder, widened, `Connect-${signal}.ps1`);
        const child = spawn(
          process.execPath,
          [BIN, 'audit', '--init-script', init, '--shell', pwsh, ...args, '--output', fifo],
          { cwd: folder, stdio: ['ignore', 'ignore', 'pipe'] },
        );
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
        const exited = new Promise<NodeJS.Signals | null>((resolve) =>
          child.on('exit', (_, ended) => resolve(ended)),
        );
        const started = Date.now();
        while (!stderr.includes('exrelay: snapshot kept in ')) {
          if (Date.now() - started > 120_000) throw new Error(`no snapshot kept: ${stderr}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        child.kill(signal);
        // The signal's own ending (143, 130 in a shell), as before.
        expect(await exited).toBe(signal);
        expect(stderr).toMatch(
          /exrelay: warning: this audit wrote no report: its snapshot is kept as .*exrelay-snapshot-\d{8}-\d{6}(-\d+)?\.unreported(-\d+)?\.json, which later audits do not compare with/,
        );
      }
      // Before, each stopped audit's snapshot stayed under its own name: the next audit took it for its baseline,
      // found "0 introduced, 0 widened" and exited 0.
      const aside = readdirSync(snapshots).filter((name) => name !== monday);
      expect(aside).toHaveLength(2);
      for (const name of aside) expect(name).toMatch(/\.unreported(-\d+)?\.json$/);
      const next = audit(folder, widened, args);
      expect(next.status).toBe(1);
      expect(next.report?.changes?.baseline?.file).toBe(join(snapshots, monday!));
      expect(next.report?.changes?.diff?.findings.widened).toEqual(
        expect.arrayContaining([expect.objectContaining({ checkId: 'anonymous-relay', connector: BRANCH })]),
      );
    },
    SLOW,
  );

  it(
    'a partial collection exits 3 even when the change alert would say 1; --allow-partial lets the alert through',
    () => {
      const folder = tempFolder('audit-partial-history');
      const snapshots = join(folder, 'snapshots');
      expect(
        audit(folder, scenario(folder, 'before'), ['--snapshot-dir', snapshots, '--fail-on', 'none']).status,
      ).toBe(0);
      const original = JSON.parse(readFileSync(scenarioPath('sample'), 'utf8')) as Scenario;
      const partial = scenario(folder, 'partial', (org) => {
        widen(org);
        connectorNamed(org, 'PWEX02', 'Relay Archive').aclError = connectorNamed(
          original,
          'PWEX02',
          'Relay Archive',
        ).aclError;
      });
      const stopped = audit(folder, partial, [
        '--snapshot-dir',
        snapshots,
        '--fail-on-change',
        'high',
        '--format',
        'json',
      ]);
      expect(stopped.status).toBe(3);
      expect(stopped.report?.changes?.regressions).toBeGreaterThan(0);
      expect(stopped.stderr).toContain('exrelay: the snapshot is partial:');
      const allowed = audit(folder, partial, [
        '--snapshot-dir',
        snapshots,
        '--fail-on-change',
        'high',
        '--allow-partial',
        '--format',
        'json',
      ]);
      expect(allowed.status).toBe(1);
    },
    SLOW,
  );
});
