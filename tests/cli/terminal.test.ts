/**
 * The CLI on a real pseudo-terminal (util-linux `script`, Debian's bsdutils), as an administrator's console sees
 * it. Skipped with a note where `script` is missing; required in CI (EXRELAY_REQUIRE_TERMINAL=1, .ci/run).
 */

import { afterAll, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT } from '../support/run-cli.js';
import { anonymousUsersGroup, connector, grant, RELAY, snapshot } from '../support/builders.js';
import { displayWidth, firstRawHidden, HOSTILE_NAMES } from '../support/hostile-names.js';
import { describeRequiring, type Requirement } from '../support/required.js';

const SCRIPT = '/usr/bin/script';
const TERMINAL: Requirement = {
  what: `a pseudo-terminal through ${SCRIPT} (Debian package bsdutils)`,
  available: existsSync(SCRIPT),
  requiredBy: 'EXRELAY_REQUIRE_TERMINAL',
};
const SAMPLE = `${ROOT}fixtures/orgs/sample`;

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function runInTerminal(columns: number, args: string[], env: Record<string, string> = {}): string {
  const quoted = args.map((arg) => `'${arg.replace(/'/g, "'\\''")}'`).join(' ');
  const command = `stty cols ${columns} rows 50; '${process.execPath}' '${BIN}' ${quoted}`;
  return execFileSync(SCRIPT, ['-q', '-e', '-c', command, '/dev/null'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

const SGR = /\u001b\[[0-9;]*m/g;

/** The lines of the two tables (connectors and findings), colour removed. */
function tableLines(output: string): string[] {
  return output
    .replace(SGR, '')
    .split(/\r?\n/)
    .filter((line) => /^[┌│├└]/.test(line));
}

describeRequiring(TERMINAL, 'the table report on a terminal', () => {
  it.each([40, 64])(
    'lists connectors and findings as blocks on a %i-column terminal: no table, and no line wraps',
    (columns) => {
      const output = runInTerminal(columns, ['analyze', SAMPLE, '--fail-on', 'none']).replace(SGR, '');
      expect(tableLines(output)).toEqual([]);
      const lines = output.split(/\r?\n/);
      const listed = lines.slice(lines.indexOf('Connectors') + 1, lines.indexOf('Findings'));
      expect(listed.filter((line) => /^ {2}(enabled|disabled), /.test(line))).toHaveLength(27);
      for (const line of listed) expect([line, displayWidth(line) <= columns]).toEqual([line, true]);
    },
  );

  it.each([72, 80, 90, 120])('fits the tables to a %i-column terminal exactly: no line wraps', (columns) => {
    const output = runInTerminal(columns, ['analyze', SAMPLE, '--fail-on', 'none']);
    const lines = tableLines(output);
    expect(lines.length).toBeGreaterThan(30);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(columns);
    // The tables use the room they have: a wide terminal gets a wide connectors table.
    expect(Math.max(...lines.map(displayWidth))).toBeGreaterThan(columns - 10);
  });

  it('colours severities, and never with NO_COLOR set', () => {
    expect(runInTerminal(120, ['analyze', SAMPLE, '--fail-on', 'none'])).toMatch(SGR);
    expect(runInTerminal(120, ['analyze', SAMPLE, '--fail-on', 'none'], { NO_COLOR: '1' })).not.toContain(
      '\u001b',
    );
  });

  it('shows every hostile name escaped and lets nothing raw reach the terminal, warnings included', () => {
    const folder = mkdtempSync(join(tmpdir(), 'exrelay-terminal-'));
    folders.push(folder);
    const acl = [...anonymousUsersGroup(), grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY, { sid: 'S-1-5-7' })];
    const connectors = HOSTILE_NAMES.map(({ name }, index) =>
      connector({ name, remoteIPRanges: [`10.0.${index}.0/24`], permissions: acl }),
    );
    writeFileSync(join(folder, 'a.json'), JSON.stringify(snapshot(connectors)));
    // The same connectors again with other settings: one warning each (--verbose), names in them.
    writeFileSync(
      join(folder, 'b.json'),
      JSON.stringify(snapshot(connectors.map((entry) => ({ ...entry, enabled: false })))),
    );
    const output = runInTerminal(
      100,
      [
        'analyze',
        join(folder, 'a.json'),
        join(folder, 'b.json'),
        '--verbose',
        '--show-info',
        '--fail-on',
        'none',
      ],
      { NO_COLOR: '1' },
    );
    // The terminal turns each line feed into CR LF; anything else hidden would be the name's own.
    expect(firstRawHidden(output.replace(/\r\n/g, '\n'))).toBeNull();
    expect(output).toContain('\\x1b[2J\\x1b[31mRelay Red\\x1b[0m');
    expect(output).toContain('Relay \\u{202e}yaleR\\u{202c} Safe');
    // One warning per connector; a line break in a name starts an indented line, never a message of its own.
    const lines = output.split(/\r?\n/);
    expect(lines.filter((line) => line.startsWith('exrelay: warning: '))).toHaveLength(HOSTILE_NAMES.length);
    expect(output.match(/appears again with different settings/g)).toHaveLength(HOSTILE_NAMES.length);
    const summary = lines.findIndex((line) => /^\d+ connectors, /.test(line));
    for (const line of lines.slice(0, summary)) expect(line).toMatch(/^(exrelay: warning: |  )/);
    for (const line of tableLines(output)) expect(displayWidth(line)).toBeLessThanOrEqual(100);
  });
});
