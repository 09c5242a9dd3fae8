import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BIN, ROOT } from '../support/run-cli.js';

// util-linux `script` gives the CLI a real pseudo-terminal, as an admin's console would.
const canUsePty = existsSync('/usr/bin/script');
const SAMPLE = `${ROOT}fixtures/orgs/sample`;
const describePty = canUsePty ? describe : describe.skip;

function runInTerminal(columns: number, env: Record<string, string> = {}): string {
  const command = `stty cols ${columns} rows 50; '${process.execPath}' '${BIN}' analyze '${SAMPLE}' --fail-on none`;
  return execFileSync('/usr/bin/script', ['-q', '-e', '-c', command, '/dev/null'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', ...env },
  });
}

const ANSI = /\u001b\[[0-9;]*m/g;

describePty('the table report on a terminal', () => {
  it('colours severities and fits the tables to the terminal width', () => {
    const output = runInTerminal(90);
    expect(output).toContain('\u001b[');
    const tableLines = output
      .replace(ANSI, '')
      .split(/\r?\n/)
      .filter((line) => /^[┌│├└]/.test(line));
    expect(tableLines.length).toBeGreaterThan(10);
    for (const line of tableLines) expect([...line].length).toBeLessThanOrEqual(90);
  });

  it('never colours with NO_COLOR set', () => {
    expect(runInTerminal(120, { NO_COLOR: '1' })).not.toMatch(ANSI);
  });
});
