import { readFileSync } from 'node:fs';

/** "exrelay 0.1.0", read from the package.json shipped beside dist/ and src/. */
export function generatorName(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return `exrelay ${(JSON.parse(text) as { version: string }).version}`;
}

/** What `exrelay --version` prints: "0.1.0". */
export function versionOf(generator: string): string {
  return generator.replace(/^exrelay /, '');
}
