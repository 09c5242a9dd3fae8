import { expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describeWithPwsh } from '../helpers/pwsh.js';

const SCRIPT = fileURLToPath(new URL('./ExchangeSim.Tests.ps1', import.meta.url));

describeWithPwsh('the Exchange stand-in module (ExchangeSim.Tests.ps1)', (pwsh) => {
  it('passes its PowerShell tests, including fixtures being what the generator writes', () => {
    const result = spawnSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', SCRIPT], {
      encoding: 'utf8',
      timeout: 240_000,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(output).toMatch(/\b\d+ passed, 0 failed\b/);
    expect(result.status).toBe(0);
  }, 240_000);
});
