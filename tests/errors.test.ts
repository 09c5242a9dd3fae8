import { describe, expect, it } from '@jest/globals';
import { ExitCode, InputError, UsageError } from '../src/errors.js';

describe('typed errors', () => {
  it('names the file and maps to the input exit code', () => {
    const error = new InputError('orgs/a.xml', 'not CLIXML, JSON or an exrelay snapshot');
    expect(error.message).toBe('orgs/a.xml: not CLIXML, JSON or an exrelay snapshot');
    expect(error.exitCode).toBe(ExitCode.Input);
    expect(error.name).toBe('InputError');
  });
  it('maps usage errors to exit code 2', () => {
    expect(new UsageError('--fail-on must be one of …').exitCode).toBe(2);
  });
});
