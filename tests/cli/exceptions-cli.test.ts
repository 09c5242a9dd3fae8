/** --exceptions on analyze and diff (every format, HTML too), and exrelay exceptions init, as a user runs them. */

import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { PageData } from '../../src/report/html/page-types.js';
import type { Report } from '../../src/report/report.js';
import { afterSnapshot, beforeSnapshot, IDENTITY } from '../support/changing-orgs.js';
import { BIN, ROOT, runCli } from '../support/run-cli.js';

const folder = mkdtempSync(join(tmpdir(), 'exrelay-exceptions-'));
const write = (name: string, content: string) => {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
};
const before = write('before.json', JSON.stringify(beforeSnapshot()));
const after = write('after.json', JSON.stringify(afterSnapshot()));

function report(args: string[]): { status: number | null; report: Report } {
  const result = runCli(['analyze', ...args, '--format', 'json']);
  expect(result.stderr).toBe('');
  return { status: result.status, report: JSON.parse(result.stdout) as Report };
}

/** Accept every high or critical finding of `input` until `expires`, with its connector's scope today. */
function acceptAll(input: string, expires: string, name: string): string {
  const starter = join(folder, `${name}-starter.yaml`);
  expect(runCli(['exceptions', 'init', input, '--out', starter, '--min-severity', 'high']).status).toBe(0);
  const filled = readFileSync(starter, 'utf8')
    .replace(/reason: ""/g, 'reason: "Known; replaced in the 2025 migration"')
    .replace(/owner: ""/g, 'owner: "it-ops@contoso.com"')
    .replace(/expires: ""/g, `expires: "${expires}"`);
  return write(`${name}.yaml`, filled);
}

describe('exrelay exceptions init', () => {
  it('writes one entry per finding, to fill in, and refuses the file until it is', () => {
    const out = join(folder, 'starter.yaml');
    const result = runCli(['exceptions', 'init', before, '--out', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^Wrote .*starter\.yaml: \d+ entries \(findings at or above low\); fill in reason, owner and expires/,
    );
    const text = readFileSync(out, 'utf8');
    const findings = report([before]).report.findings.filter((finding) => finding.severity !== 'info');
    for (const finding of findings) expect(text).toContain(`fingerprint: "${finding.fingerprint}"`);
    // Each entry approves its finding at today's severity: a more severe one counts again.
    for (const finding of findings)
      expect(text).toMatch(
        new RegExp(
          `fingerprint: "${finding.fingerprint}"\n(?:    .*\n)*?    severity: ${finding.severity}\n`,
        ),
      );
    expect(text).toContain('      ranges: ["10.40.0.0/16"]');
    const refused = runCli(['analyze', before, '--exceptions', out]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(
      /^exrelay: .*starter\.yaml:\d+:13: reason is empty: say why this finding is accepted\n$/,
    );
    // Never over an existing file, filled in or not.
    const again = runCli(['exceptions', 'init', before, '--out', out]);
    expect(again.status).toBe(2);
    expect(again.stderr).toBe(
      `exrelay: --out: ${out} already exists; exrelay exceptions init never replaces a file: name a new one\n`,
    );
    expect(readFileSync(out, 'utf8')).toBe(text);
  });

  it('never writes a starter file larger than analyze reads, and leaves no file behind', () => {
    const organisation = join(folder, 'large-org.json');
    execFileSync(process.execPath, ['scripts/generate-org.mjs', '--scale', '0.6', '--out', organisation], {
      cwd: ROOT,
    });
    const out = join(folder, 'too-large.yaml');
    const result = runCli(['exceptions', 'init', organisation, '--out', out, '--min-severity', 'info']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^exrelay: the starter file would be 1\d MiB \(\d+ entries\), more than the 16 MiB an exceptions file may have: raise --min-severity/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('leaves no file, empty or cut off, when it is stopped while it works', async () => {
    // The file was created first and written last: a scheduler's SIGTERM (or Ctrl-C) in between left an empty
    // starter file, which the next init refused to replace ("already exists"). Then, stopped while it wrote the
    // hidden temporary file, it left that file behind (seen when a busy machine made the write slow).
    const organisation = join(folder, 'stopped-org.json');
    execFileSync(process.execPath, ['scripts/generate-org.mjs', '--scale', '0.3', '--out', organisation], {
      cwd: ROOT,
    });
    const work = mkdtempSync(join(folder, 'stopped-'));
    const out = join(work, 'stopped.yaml');
    const child = spawn(process.execPath, [BIN, 'exceptions', 'init', organisation, '--out', out], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_, signal) => resolve(signal)),
    );
    // Stopped as soon as its temporary file or the name appears, or after a while if neither does.
    const temporary = () => readdirSync(work).filter((name) => name.endsWith('.tmp'));
    for (let waited = 0; waited < 5000 && temporary().length === 0 && !existsSync(out); waited += 5)
      await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGTERM');
    const signal = await exited;
    expect(temporary()).toEqual([]);
    // Unless it had finished, the signal ended it (status 143 to a shell), as Node's default would have.
    if (!existsSync(out)) expect(signal).toBe('SIGTERM');
    // The name appears only when the file is whole: then it is the file an uninterrupted run writes.
    if (existsSync(out)) {
      const whole = join(folder, 'whole.yaml');
      expect(runCli(['exceptions', 'init', organisation, '--out', whole]).status).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(whole, 'utf8'));
    }
  });

  it('refuses a name that is taken by a link leading nowhere, a FIFO or a device', () => {
    const dangling = join(folder, 'dangling.yaml');
    symlinkSync(join(folder, 'no-such-target.yaml'), dangling);
    for (const out of [dangling, '/dev/null']) {
      const result = runCli(['exceptions', 'init', before, '--out', out]);
      expect(result.stderr).toBe(
        `exrelay: --out: ${out} already exists; exrelay exceptions init never replaces a file: name a new one\n`,
      );
      expect(result.status).toBe(2);
    }
    expect(existsSync(join(folder, 'no-such-target.yaml'))).toBe(false);
  });

  it('refuses a name in an input folder that analyze would read as an export', () => {
    const exports = join(folder, 'exports');
    cpSync(join(ROOT, 'fixtures', 'orgs', 'sample'), exports, { recursive: true });
    const out = join(exports, 'exceptions.json');
    const result = runCli(['exceptions', 'init', exports, '--out', out]);
    expect(result.stderr).toMatch(/^exrelay: --out: .*exceptions\.json is in the input folder /);
    expect(result.status).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});

describe('analyze --exceptions', () => {
  it('lists accepted findings, marked, and leaves them out of the exit code', () => {
    expect(runCli(['analyze', before]).status).toBe(1);
    const exceptions = acceptAll(before, '2099-12-31', 'all-before');
    const { status, report: accepted } = report([before, '--exceptions', exceptions]);
    expect(status).toBe(0);
    const high = accepted.findings.filter(
      (finding) => finding.severity === 'high' || finding.severity === 'critical',
    );
    expect(high.length).toBeGreaterThan(0);
    for (const finding of high)
      expect(finding.exception).toMatchObject({
        status: 'accepted',
        owner: 'it-ops@contoso.com',
        expires: '2099-12-31',
      });
    expect(accepted.exceptions).toMatchObject({
      file: exceptions,
      accepted: high.length,
      stale: 0,
      expired: 0,
    });
    const table = runCli(['analyze', before, '--exceptions', exceptions]);
    expect(table.stdout).toContain(`exceptions: ${high.length} accepted`);
    expect(table.stdout).toContain('Accepted until 2099-12-31 (it-ops@contoso.com):');
    const markdown = runCli(['analyze', before, '--exceptions', exceptions, '--format', 'markdown']).stdout;
    expect(markdown).toMatch(/### 1\. HIGH · anonymous-relay — `EX01\\Relay Apps` \(accepted\)/);
    expect(markdown).toContain(
      // The @ escaped: GitHub would otherwise make a mailto link of the address (untrusted-text.ts).
      '> Accepted until 2099-12-31 (it-ops\\@contoso.com): Known; replaced in the 2025 migration',
    );
    const csv = runCli(['analyze', before, '--exceptions', exceptions, '--format', 'csv']).stdout.split(
      '\r\n',
    );
    expect(csv[0]).toBe(
      'severity,checkId,connector,server,message,remediation,rollback,fingerprint,change,exception,exceptionOwner,exceptionTicket,exceptionExpires,exceptionReason',
    );
    expect(csv.filter((line) => line.includes(',accepted,it-ops@contoso.com,,2099-12-31,'))).toHaveLength(
      high.length,
    );
  });

  it('on the changed organisation: the widened connector and the expired entries count again', () => {
    const exceptions = acceptAll(before, '2099-12-31', 'widened');
    const { status, report: judged } = report([after, '--exceptions', exceptions]);
    expect(status).toBe(1);
    const exceeded = judged.findings.filter(
      (finding) => finding.checkId === 'exception' && finding.messageId === 'scope-exceeded',
    );
    expect(exceeded.map((finding) => finding.connector)).toContain(IDENTITY.apps);
    const printers = judged.findings.find(
      (finding) => finding.connector === IDENTITY.printers && finding.checkId === 'anonymous-relay',
    );
    expect(printers?.exception?.status).toBe('accepted');
    const expired = acceptAll(before, '2020-01-01', 'expired');
    const old = report([before, '--exceptions', expired]);
    expect(old.status).toBe(1);
    expect(old.report.exceptions?.expired).toBe(old.report.exceptions?.entries);
  });

  it('refuses a bad file with one line naming file, line and column (exit 2), before reading the inputs', () => {
    const bad = write(
      'bad.yaml',
      'version: 1\nexceptions:\n  - fingerprint: "003745f4bda7ed9b4568af59ce6d3784"\n    reason: r\n    owner: o\n    expires: 2025-13-01\n',
    );
    const result = runCli(['analyze', join(folder, 'missing.json'), '--exceptions', bad]);
    expect(result).toEqual({
      status: 2,
      stdout: '',
      stderr: `exrelay: ${bad}:6:14: expires must be a calendar date as YYYY-MM-DD, not '2025-13-01'\n`,
    });
    const missing = runCli(['analyze', before, '--exceptions', join(folder, 'nope.yaml')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`exrelay: ${join(folder, 'nope.yaml')}: no such file or folder\n`);
  });
});

describe('diff --exceptions', () => {
  it('marks accepted findings and does not count them; the widening beyond approval still fails', () => {
    expect(runCli(['diff', before, after]).status).toBe(1);
    const exceptions = acceptAll(after, '2099-12-31', 'after');
    const accepted = runCli(['diff', before, after, '--exceptions', exceptions, '--format', 'json']);
    const parsed = JSON.parse(accepted.stdout) as {
      summary: { regressions: number };
      findings: { widened: Array<{ connector: string; exception?: { status: string } }> };
    };
    expect(
      parsed.findings.widened.find((finding) => finding.connector === IDENTITY.apps)?.exception?.status,
    ).toBe('accepted');
    expect(parsed.summary.regressions).toBe(0);
    expect(accepted.status).toBe(0);
    expect(runCli(['diff', before, after, '--exceptions', exceptions]).stdout).toContain(
      `on ${IDENTITY.apps} (accepted by an exception)`,
    );
    const csv = runCli(['diff', before, after, '--exceptions', exceptions, '--format', 'csv']).stdout.split(
      '\r\n',
    );
    expect(csv[0]).toBe(
      'change,severityBefore,severityAfter,checkId,connector,fingerprint,detail,exception,exceptionOwner,exceptionTicket,exceptionExpires,exceptionReason',
    );
    const apps = csv.find((row) => row.startsWith(`widened,high,high,anonymous-relay,${IDENTITY.apps},`));
    expect(apps).toMatch(/,accepted,it-ops@contoso\.com,,2099-12-31,Known; replaced in the 2025 migration$/);
    expect(csv.filter((row) => row !== '').every((row) => row.split(',').length >= 12)).toBe(true);
    expect(runCli(['diff', before, after, '--format', 'csv']).stdout.split('\r\n')[0]).toBe(
      'change,severityBefore,severityAfter,checkId,connector,fingerprint,detail',
    );
    const narrow = acceptAll(before, '2099-12-31', 'narrow');
    expect(runCli(['diff', before, after, '--exceptions', narrow]).status).toBe(1);
  });

  it('marks them on the HTML page too, and analyze --format html lists them as accepted', () => {
    const exceptions = acceptAll(after, '2099-12-31', 'after-html');
    const diff = runCli(['diff', before, after, '--exceptions', exceptions, '--format', 'html']);
    expect(diff.status).toBe(0);
    const apps = pageData(diff.stdout).findings.find(
      (finding) => finding.connectorLabel === IDENTITY.apps && finding.mark === 'widened',
    );
    expect(apps?.exception).toEqual({
      status: 'accepted',
      text: 'Accepted until 2099-12-31 (it-ops@contoso.com): Known; replaced in the 2025 migration',
    });
    const analyze = runCli(['analyze', after, '--exceptions', exceptions, '--format', 'html']);
    expect(analyze.status).toBe(0);
    const accepted = pageData(analyze.stdout).findings.filter(
      (finding) => finding.exception?.status === 'accepted',
    );
    expect(accepted.length).toBe(report([after, '--exceptions', exceptions]).report.exceptions?.accepted);
    expect(analyze.stdout).toContain('accepted by an exception (not counted)</li>');
  });
});

/** The data element of an HTML report page. */
function pageData(html: string): PageData<unknown, unknown> {
  const match = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(match?.[1] ?? 'null') as PageData<unknown, unknown>;
}
