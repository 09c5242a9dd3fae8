import { describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.js';

/** A folder is read for its .xml, .clixml and .json files; any other file in it must not vanish without a word. */

const ORG = 'fixtures/orgs/fabrikam-2019';
const CSV =
  '"Identity","User","ExtendedRights","Deny","IsInherited"\n"EX01\\App Relay","NT AUTHORITY\\ANONYMOUS LOGON","ms-Exch-SMTP-Accept-Any-Recipient","False","False"\n';

function folder(...extra: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'exrelay-skipped-'));
  for (const file of ['ReceiveConnector.xml', 'AcceptedDomain.xml'])
    copyFileSync(join(ORG, file), join(dir, file));
  for (const name of extra) writeFileSync(join(dir, name), name.endsWith('.csv') ? CSV : 'notes\n');
  return dir;
}

function warnings(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('exrelay: warning: '));
}

describe('analyze on a folder with files it does not read', () => {
  it('names them in one warning line, and says why a CSV export is not read', () => {
    const dir = folder('ADPermission.csv', 'notes.txt', '.DS_Store', 'README.md', 'LICENSE', 'Thumbs.db');
    const result = runCli(['analyze', dir, '--format', 'json']);
    expect(result.status).toBe(1);
    const skipped = warnings(result.stderr).filter((line) => line.includes('not read'));
    expect(skipped).toEqual([
      `exrelay: warning: ${dir}: 2 files not read ('ADPermission.csv', 'notes.txt'): only the .xml, .clixml and .json files of a folder are read; a CSV export (Export-Csv) loses the values exrelay needs: export with Export-Clixml`,
    ]);
  });

  it('counts them past the first three, and gives no CSV advice without a CSV file', () => {
    const dir = folder('a.txt', 'b.log', 'c.ps1', 'd.txt', 'e.txt');
    const result = runCli(['analyze', dir, '--format', 'json']);
    expect(warnings(result.stderr).filter((line) => line.includes('not read'))).toEqual([
      `exrelay: warning: ${dir}: 5 files not read ('a.txt', 'b.log', 'c.ps1' and 2 more): only the .xml, .clixml and .json files of a folder are read`,
    ]);
  });

  it('says nothing when the folder holds only exports', () => {
    const result = runCli(['analyze', folder(), '--format', 'json']);
    expect(result.stderr).not.toContain('not read');
  });

  it('names the CSV in the error of a folder with nothing else, and still refuses a CSV named directly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exrelay-skipped-'));
    writeFileSync(join(dir, 'ADPermission.csv'), CSV);
    const onlyCsv = runCli(['analyze', dir]);
    expect(onlyCsv).toMatchObject({ status: 2, stdout: '' });
    expect(onlyCsv.stderr).toBe(
      `exrelay: ${dir}: the directory holds no .xml, .clixml or .json files, only 'ADPermission.csv'; a CSV export (Export-Csv) loses the values exrelay needs: export with Export-Clixml\n`,
    );
    const named = runCli(['analyze', join(dir, 'ADPermission.csv')]);
    expect(named).toMatchObject({ status: 2, stdout: '' });
    expect(named.stderr.trim().split('\n')).toHaveLength(1);
  });
});
