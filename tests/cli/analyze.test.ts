import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/report/report.js';
import { runCli } from '../support/run-cli.js';
import { describeWithLabData, LAB_DIRECTORY, labFile } from '../support/shared-data.js';

const temp = () => mkdtempSync(join(tmpdir(), 'exrelay-cli-'));

describe('exrelay --help and usage errors', () => {
  it('documents the commands and every exit code', () => {
    const result = runCli(['--help']);
    expect(result.status).toBe(0);
    for (const text of [
      'analyze <files..>',
      'checks',
      'Exit codes:',
      '0  no finding',
      '1  findings',
      '2  usage error',
      '3  collection failed',
    ]) {
      expect(result.stdout).toContain(text);
    }
  });

  it('documents the report options of analyze', () => {
    const result = runCli(['analyze', '--help']);
    expect(result.stdout).toMatch(/--format.*\[choices: "table", "json", "csv", "markdown", "html"\]/s);
    expect(result.stdout).toMatch(/--fail-on.*\[default: "high"\]/s);
  });

  it.each([
    [['analyze'], /Not enough non-option arguments/],
    [['frobnicate'], /Unknown argument: frobnicate/],
    [['analyze', 'x.xml', '--format', 'pdf'], /Invalid values/],
    [['analyze', 'x.xml', '--fail-on', 'urgent'], /Invalid values/],
  ])('exits 2 with one line for %j', (args, pattern) => {
    const result = runCli(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
  });
});

describe('exrelay analyze on bad input', () => {
  it('exits 2 naming a missing file', () => {
    const result = runCli(['analyze', 'no/such/file.xml']);
    expect(result).toMatchObject({ status: 2, stdout: '' });
    expect(result.stderr).toBe('exrelay: no/such/file.xml: no such file or folder\n');
  });

  it('exits 2 without a stack trace on garbage, and shows the stack only with --debug', () => {
    const dir = temp();
    const file = join(dir, 'garbage.xml');
    writeFileSync(
      file,
      '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj RefId="0"><I32>x</I32>',
    );
    const plain = runCli(['analyze', file]);
    expect(plain.status).toBe(2);
    expect(plain.stderr.trim().split('\n')).toHaveLength(1);
    expect(plain.stderr).toContain(`${file}: malformed CLIXML at line 1`);
    const debug = runCli(['analyze', file, '--debug']);
    expect(debug.status).toBe(2);
    expect(debug.stderr).toMatch(/\n\s+at /);
    // Lines of exrelay's TypeScript, through the source maps, not of the bundle the other runs use.
    expect(debug.stderr).toMatch(/\n\s+at .*[/\\]src[/\\]ingest[/\\][a-z-]+\.ts:\d+:\d+\)/);
    expect(debug.stderr).not.toContain('exrelay.bundle');
  });

  it('exits 2 on a folder without exports', () => {
    const result = runCli(['analyze', temp()]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/the directory holds no \.xml, \.clixml or \.json files/);
  });
});

describeWithLabData('exrelay analyze on the real Exchange 2019 lab export', () => {
  it('reports the five default connectors as unknown, never safe, and *.com as critical (exit 1)', () => {
    const result = runCli(['analyze', LAB_DIRECTORY, '--format', 'json']);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.summary).toMatchObject({
      connectors: 5,
      anonymousRelay: 0,
      unknownVerdict: 5,
      highestSeverity: 'critical',
    });
    expect(
      report.connectors.map((connector) => [connector.name, connector.relay.verdict, connector.bindings]),
    ).toEqual([
      ['Default WIN-CTD3L0RGEN4', 'unknown', ['0.0.0.0:2525', '[::]:2525']],
      ['Client Proxy WIN-CTD3L0RGEN4', 'unknown', ['[::]:465', '0.0.0.0:465']],
      ['Default Frontend WIN-CTD3L0RGEN4', 'unknown', ['[::]:25', '0.0.0.0:25']],
      ['Outbound Proxy Frontend WIN-CTD3L0RGEN4', 'unknown', ['[::]:717', '0.0.0.0:717']],
      ['Client Frontend WIN-CTD3L0RGEN4', 'unknown', ['[::]:587', '0.0.0.0:587']],
    ]);
    for (const connector of report.connectors) {
      expect(connector.remoteIPRanges.map((range) => [range.scope, range.public, range.addresses])).toEqual(
        expect.arrayContaining([
          ['internet', true, '340282366920938463463374607431768211456'],
          ['internet', true, '4294967296'],
        ]),
      );
      // Without their ACL, connectors the whole Internet reaches cannot be shown safe: high (medium before).
      expect(connector.severity).toBe('high');
    }
    const domainFinding = report.findings.find((finding) => finding.checkId === 'accepted-domain-relay');
    expect(domainFinding).toMatchObject({ severity: 'critical', connector: null });
    expect(domainFinding?.message).toContain("'*.com' (InternalRelay)");
  });

  it('exits 0 with --fail-on none and 1 with --fail-on critical', () => {
    expect(runCli(['analyze', LAB_DIRECTORY, '--fail-on', 'none', '--format', 'json']).status).toBe(0);
    expect(runCli(['analyze', LAB_DIRECTORY, '--fail-on', 'critical', '--format', 'json']).status).toBe(1);
  });

  it('reads files named one by one as well as a folder', () => {
    const result = runCli([
      'analyze',
      labFile('GetReceiveConnector.xml'),
      '--format',
      'json',
      '--fail-on',
      'none',
    ]);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.acceptedDomains).toBeNull();
    expect(report.findings.map((finding) => finding.checkId)).toContain('incomplete-input');
  });

  it('fails a run of the connectors alone at the default --fail-on: their ACL is not in it', () => {
    const result = runCli(['analyze', labFile('GetReceiveConnector.xml'), '--format', 'json']);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.summary.highestSeverity).toBe('high');
    expect(
      report.findings
        .filter((finding) => finding.checkId === 'verdict-unknown')
        .map((finding) => finding.severity),
    ).toEqual(['high', 'high', 'high', 'high', 'high']);
  });

  it('writes --output atomically and prints nothing on stdout', () => {
    const dir = temp();
    const output = join(dir, 'report.json');
    const result = runCli(['analyze', LAB_DIRECTORY, '--format', 'json', '--output', output]);
    expect(result).toMatchObject({ status: 1, stdout: '', stderr: '' });
    expect((JSON.parse(readFileSync(output, 'utf8')) as Report).summary.connectors).toBe(5);
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('exits 2 when --output cannot be written', () => {
    const result = runCli(['analyze', LAB_DIRECTORY, '--output', '/no/such/dir/report.json']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'exrelay: --output: cannot write /no/such/dir/report.json: the folder /no/such/dir does not exist\n',
    );
  });

  it('prints a table without colour when stdout is not a terminal', () => {
    const result = runCli(['analyze', LAB_DIRECTORY]);
    expect(result.stdout).toMatch(
      /^5 connectors, 0 relay without authentication, 5 unknown; findings: 1 critical, 5 high, 2 low, \d+ info\n/,
    );
    expect(result.stdout).not.toContain('\u001b[');
    expect(result.stdout).toContain("Remove-AcceptedDomain -Identity 'Wild .com' -Confirm:$false");
  });

  it('writes CSV with one row per finding and Markdown with fenced fixes', () => {
    const csv = runCli(['analyze', LAB_DIRECTORY, '--format', 'csv']).stdout.split('\r\n');
    expect(csv[0]).toBe('severity,checkId,connector,server,message,remediation,rollback');
    expect(csv[1]).toMatch(/^critical,accepted-domain-relay,,,/);
    const markdown = runCli(['analyze', LAB_DIRECTORY, '--format', 'markdown']).stdout;
    expect(markdown).toContain('# exrelay report');
    expect(markdown).toContain('```powershell\nRemove-AcceptedDomain');
  });
});

describe('exrelay checks', () => {
  it('lists every check with its docs page', () => {
    const result = runCli(['checks', '--format', 'json']);
    expect(result.status).toBe(0);
    const checks = JSON.parse(result.stdout) as Array<{ id: string; docs: string }>;
    expect(checks.map((check) => check.id)).toContain('anonymous-relay');
    for (const check of checks) expect(check.docs).toBe(`docs/checks/${check.id}.md`);
  });
});

describe('the JSON report written in pieces', () => {
  it('is indented JSON with one line per connector and per finding', async () => {
    const { renderJson } = await import('../../src/report/json.js');
    const result = runCli(['analyze', 'fixtures/orgs/sample', '--format', 'json', '--fail-on', 'none']);
    const report = JSON.parse(result.stdout) as Report;
    const lines = result.stdout.split('\n');
    for (const connector of report.connectors)
      expect(lines).toContain(
        `    ${JSON.stringify(connector)},`.replace(
          /,$/,
          lines.includes(`    ${JSON.stringify(connector)}`) ? '' : ',',
        ),
      );
    expect(lines.filter((line) => line.startsWith('    {"checkId":'))).toHaveLength(report.findings.length);
    expect(result.stdout.startsWith('{\n  "schemaVersion": 1,\n')).toBe(true);
    const empty = { ...report, connectors: [], findings: [] };
    expect(renderJson(empty)).toBe(`${JSON.stringify(empty, null, 2)}\n`);
  });
});

describeWithLabData('the real export carries TlsDomainCapabilities on Default Frontend', () => {
  it('reads fabrikam.com:AcceptCloudServicesMail as the hybrid capability for another domain: low, not relay', () => {
    const report = JSON.parse(
      runCli(['analyze', LAB_DIRECTORY, '--format', 'json', '--fail-on', 'none']).stdout,
    ) as Report;
    const finding = report.findings.find((entry) => entry.checkId === 'certificate-relay');
    expect(finding).toMatchObject({
      messageId: 'submit-as-internal',
      severity: 'low',
      connector: 'WIN-CTD3L0RGEN4\\Default Frontend WIN-CTD3L0RGEN4',
      subject: 'fabrikam.com',
      data: { capabilities: ['AcceptCloudServicesMail'] },
    });
    expect(finding?.rollback).toBe(
      "Set-ReceiveConnector -Identity 'WIN-CTD3L0RGEN4\\Default Frontend WIN-CTD3L0RGEN4' -TlsDomainCapabilities 'fabrikam.com:AcceptCloudServicesMail'",
    );
  });
});

describeWithLabData('the real export names a server whose connectors it does not hold', () => {
  it('reports SOLO-E19A, the server object exported from another lab machine, as incomplete input', () => {
    const report = JSON.parse(
      runCli(['analyze', LAB_DIRECTORY, '--format', 'json', '--fail-on', 'none']).stdout,
    ) as Report;
    const finding = report.findings.find((entry) => entry.checkId === 'incomplete-input');
    expect(finding?.message).toBe(
      'Server SOLO-E19A (Mailbox) has receive connectors, but none are in the input.',
    );
  });
});

describe('exrelay analyze --principal', () => {
  const example = 'tests/docs/examples/verdict-unknown-unidentified.json';

  it('identifies a name the built-in table lacks, as NAME=SID', () => {
    const before = JSON.parse(runCli(['analyze', example, '--format', 'json']).stdout) as Report;
    const after = runCli([
      'analyze',
      example,
      '--format',
      'json',
      '--principal',
      'NT-HALLINTA\\ANONYYMI KIRJAUTUMINEN=S-1-5-7',
      '--principal',
      'NT-HALLINTA\\KAIKKI=S-1-1-0',
    ]);
    expect(before.connectors[0]?.relay.verdict).toBe('unknown');
    expect(after.status).toBe(1);
    expect((JSON.parse(after.stdout) as Report).connectors[0]?.relay).toMatchObject({
      verdict: 'relay',
      anonymous: true,
    });
  });

  it.each([['no-equals-sign'], ['=S-1-5-7'], ['NAME=not-a-sid']])(
    'refuses %j with exit 2 and one line',
    (value) => {
      const result = runCli(['analyze', example, '--principal', value]);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(
        `exrelay: --principal ${JSON.stringify(value)}: expected NAME=SID, e.g. 'NT-HALLINTA\\ANONYYMI KIRJAUTUMINEN=S-1-5-7'\n`,
      );
    },
  );
});
