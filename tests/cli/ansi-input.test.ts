import { describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/report/report.js';
import { runCli } from '../support/run-cli.js';

/**
 * Exports that Windows PowerShell 5.1's Set-Content or Out-File -Encoding Default wrote in the system's ANSI code
 * page. exrelay reads them as Windows-1252, which is wrong for every other code page: it must say so.
 */

const ORG = 'fixtures/orgs/fabrikam-2019';
const POLISH = 'Przekaźnik Drukarki';

/** A fixture file (ASCII after its BOM) with 'App Relay' renamed. */
function renamed(file: string, name: string): string {
  const text = readFileSync(join(ORG, file), 'utf8').replace(/^\uFEFF/, '');
  return text.replaceAll('App Relay', name);
}

/** Code page 1250 (Central European) for the few letters used here; the rest is ASCII. */
function cp1250(text: string): Buffer {
  return Buffer.from(text.replaceAll('ź', '\x9f'), 'latin1');
}

/** Code page 1252 for ASCII and Latin-1 letters. */
function cp1252(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

function exportFolder(connectors: Buffer | string, permissions: Buffer | string): string {
  const dir = mkdtempSync(join(tmpdir(), 'exrelay-ansi-'));
  writeFileSync(join(dir, 'ReceiveConnector.xml'), connectors);
  writeFileSync(join(dir, 'ADPermission.xml'), permissions);
  copyFileSync(join(ORG, 'AcceptedDomain.xml'), join(dir, 'AcceptedDomain.xml'));
  return dir;
}

function warnings(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('exrelay: warning: '));
}

describe('analyze on exports read as Windows-1252 (ANSI)', () => {
  it('warns once per file, in one line, and shows a name that another code page likely wrote', () => {
    const dir = exportFolder(
      cp1250(renamed('ReceiveConnector.xml', POLISH)),
      cp1250(renamed('ADPermission.xml', POLISH)),
    );
    const result = runCli(['analyze', dir, '--format', 'json']);
    expect(result.status).toBe(1);
    const ansi = warnings(result.stderr).filter((line) => line.includes('read as Windows-1252'));
    expect(ansi).toHaveLength(2);
    for (const file of ['ADPermission.xml', 'ReceiveConnector.xml']) {
      const line = ansi.find((warning) => warning.startsWith(`exrelay: warning: ${join(dir, file)}: `));
      expect(line).toContain('read as Windows-1252 (ANSI');
      expect(line).toContain('if it was written in another code page');
      expect(line).toContain(
        "PrzekaŸnik Drukarki' holds characters a Windows-1252 name rarely holds, so it likely was",
      );
      expect(line).toContain('Export-Clixml, or write the file with -Encoding UTF8');
    }
    // Read consistently wrong, both files still agree: the analysis itself is not lost.
    const report = JSON.parse(result.stdout) as Report;
    expect(report.connectors.find((c) => c.identity === 'EX01\\PrzekaŸnik Drukarki')?.relay.verdict).toBe(
      'relay',
    );
  });

  it('warns too when nothing in the file looks wrong, without claiming it likely is', () => {
    const name = 'Empfang für Geräte';
    const dir = exportFolder(
      cp1252(renamed('ReceiveConnector.xml', name)),
      cp1252(renamed('ADPermission.xml', name)),
    );
    const result = runCli(['analyze', dir, '--format', 'json']);
    const ansi = warnings(result.stderr).filter((line) => line.includes('read as Windows-1252'));
    expect(ansi).toHaveLength(2);
    for (const line of ansi) expect(line).not.toContain('rarely holds');
    const report = JSON.parse(result.stdout) as Report;
    expect(report.connectors.some((c) => c.identity === `EX01\\${name}`)).toBe(true);
  });

  it('names the decoding as the likely cause when permission entries match no connector', () => {
    const dir = exportFolder(
      renamed('ReceiveConnector.xml', POLISH),
      cp1250(renamed('ADPermission.xml', POLISH)),
    );
    const result = runCli(['analyze', dir, '--format', 'json']);
    const lines = warnings(result.stderr);
    expect(lines.filter((line) => line.includes('read as Windows-1252 (ANSI, '))).toHaveLength(1);
    const unmatched = lines.filter((line) => line.includes('not among the connectors read'));
    expect(unmatched).toHaveLength(1);
    expect(unmatched[0]).toContain(
      "for 'EX01\\PrzekaŸnik Drukarki', which is not among the connectors read; ignored; ",
    );
    expect(unmatched[0]).toContain(
      `${join(dir, 'ADPermission.xml')} was read as Windows-1252 (ANSI), likely why: a name beyond ASCII written in another code page is read wrong`,
    );
  });

  it('says nothing of code pages about UTF-8 exports with the same names', () => {
    const dir = exportFolder(renamed('ReceiveConnector.xml', POLISH), renamed('ADPermission.xml', POLISH));
    const result = runCli(['analyze', dir, '--format', 'json']);
    expect(result.stderr).not.toContain('Windows-1252');
    const report = JSON.parse(result.stdout) as Report;
    expect(report.connectors.find((c) => c.identity === `EX01\\${POLISH}`)?.relay.verdict).toBe('relay');
  });
});
