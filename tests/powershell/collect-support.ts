/**
 * Shared by the tests that collect through real pwsh from the Exchange stand-in (fixtures/ExchangeSim): init
 * scripts that load a scenario, and the comparison of two analyses by verdict, severity and finding.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from '@jest/globals';
import { quotePsString } from '../../src/powershell/quote.js';
import type { Report } from '../../src/report/report.js';
import { BIN, ROOT, runCli, type CliResult } from '../support/run-cli.js';

export const SIM_MODULE = join(ROOT, 'fixtures', 'ExchangeSim', 'ExchangeSim.psd1');
export const SNAPSHOT_SCRIPT = join(ROOT, 'scripts', 'Get-ExrelaySnapshot.ps1');

export function scenarioPath(org: string): string {
  return join(ROOT, 'fixtures', 'scenarios', `${org}.json`);
}

export function orgExports(org: string): string {
  return join(ROOT, 'fixtures', 'orgs', org);
}

const tempFolders: string[] = [];

// Registered when a test file imports this module, so it runs after that file's tests.
afterAll(() => {
  for (const folder of tempFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A fresh folder under the system's temp folder, removed after the test file. */
export function tempFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), `exrelay-${prefix}-`));
  tempFolders.push(folder);
  return folder;
}

/** PowerShell that loads the stand-in module and a scenario into the current session. */
export function loadScenarioCommands(scenario: string): string {
  return [
    `Import-Module ${quotePsString(SIM_MODULE)}`,
    `Import-ExchangeSimScenario -Path ${quotePsString(scenario)}`,
  ].join('\n');
}

/** An init script for --init-script that brings in the stand-in's cmdlets for `scenario`. */
export function writeSimInitScript(
  folder: string,
  scenario: string,
  name = 'Connect-ExchangeSim.ps1',
): string {
  const path = join(folder, name);
  writeFileSync(path, `${loadScenarioCommands(scenario)}\n`);
  return path;
}

/** The built CLI, given the time that starting pwsh and the stand-in (which compiles its types) takes. */
export function runSlowCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function analyzeJson(input: string): Report {
  const result = runCli(['analyze', input, '--format', 'json', '--fail-on', 'none']);
  expect(result.stderr).not.toMatch(/exrelay: (?!warning)/);
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Report;
}

/** What must agree between two analyses of one organisation, whatever the input's form. */
export function verdicts(report: Report) {
  return {
    connectors: report.connectors.map(
      (connector) =>
        `${connector.identity} | ${connector.relay.verdict} | ${connector.severity} | ${connector.score}`,
    ),
    findings: report.findings
      .map((finding) => `${finding.checkId} | ${finding.connector ?? '-'} | ${finding.severity}`)
      .sort(),
  };
}
