/** `--format html` on the command line: where a report is written, the page is; the browser tests show it works. */

import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { describeWithPwsh } from '../helpers/pwsh.js';
import { ROOT, runCli } from '../support/run-cli.js';

describe('--format html', () => {
  it('writes the page to standard output for analyze, with the exit code of the findings', () => {
    const result = runCli(['analyze', 'fixtures/orgs/sample', '--format', 'html']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('');
    expect(
      result.stdout.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'),
    ).toBe(true);
    expect(result.stdout.endsWith('</script>\n</body>\n</html>\n')).toBe(true);
  });

  it('is offered by audit', () => {
    expect(runCli(['audit', '--help']).stdout).toMatch(/--format.*"html"/s);
  });

  it('writes the usage page too', () => {
    const result = runCli([
      'usage',
      join(ROOT, 'fixtures', 'logs', 'sample'),
      '--against',
      join(ROOT, 'fixtures', 'orgs', 'sample'),
      '--format',
      'html',
      '--fail-on',
      'none',
    ]);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toMatch(
      /^<!DOCTYPE html>\n[\s\S]*<h1>Receive connector usage report<\/h1>[\s\S]*<\/html>\n$/,
    );
  });
});

describeWithPwsh('--format html for a pre-change review (through real PowerShell)', (pwsh) => {
  it('writes the what-if page: the script, its commands, what it does to relay', () => {
    const result = runCli([
      'whatif',
      'fixtures/changes/not-evaluated.ps1',
      '--against',
      'fixtures/orgs/sample',
      '--format',
      'html',
      '--shell',
      pwsh,
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/could not be evaluated: the review is incomplete/);
    expect(result.stdout).toContain('<h1>Pre-change review: what the script does to relay</h1>');
    expect(result.stdout).toContain('<strong>Incomplete evaluation.</strong>');
    expect(result.stdout).toContain('<h2 id="script-heading">The change script</h2>');
    expect(result.stdout).toContain('<code class="text">fixtures/changes/not-evaluated.ps1</code>');
    expect(result.stdout.endsWith('</html>\n')).toBe(true);
  });

  it('is offered by diff and whatif', () => {
    for (const command of ['diff', 'whatif'])
      expect([command, runCli([command, '--help']).stdout]).toEqual([
        command,
        expect.stringMatching(/--format.*"html"/s),
      ]);
  });
});
