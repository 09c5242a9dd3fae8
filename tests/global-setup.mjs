// End-to-end tests run the built CLI (dist/), exactly as `npx exrelay` does: build it first so it is never stale,
// bundle and code cache included (scripts/build-bundle.mjs), so that the tests run what a user installs.
import { execFileSync } from 'node:child_process';

export default function buildOnce() {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
  execFileSync(process.execPath, ['scripts/build-bundle.mjs'], { stdio: 'inherit' });
}
