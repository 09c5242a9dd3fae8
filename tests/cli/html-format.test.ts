/** `--format html` on the command line: where a report is written, the page is; the browser tests show it works. */

import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
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
