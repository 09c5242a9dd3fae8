/** The real Exchange 2019 lab exports in ../shared/data (read in place, never copied into the project). */

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const LAB_DIRECTORY = fileURLToPath(
  new URL('../../../shared/data/exchange2019-lab/', import.meta.url),
);
export const hasLabData = existsSync(LAB_DIRECTORY);

export function labFile(name: string): string {
  return `${LAB_DIRECTORY}${name}`;
}

export function labBytes(name: string): Uint8Array {
  return readFileSync(labFile(name));
}
