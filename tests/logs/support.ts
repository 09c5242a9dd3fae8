/** Shared by the log reader's tests: the hand-written quirk files and a way to write small logs on the fly. */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from '@jest/globals';
import type { AcceptedDomain } from '../../src/model/snapshot.js';

export const QUIRKS = fileURLToPath(new URL('../../fixtures/logs/quirks/', import.meta.url));

export function quirk(path: string): string {
  return join(QUIRKS, path);
}

export const CONTOSO: AcceptedDomain[] = [
  { name: 'contoso.com', domainName: 'contoso.com', domainType: 'Authoritative', isDefault: true },
];

export const HEADER = [
  '#Software: Microsoft Exchange Server',
  '#Version: 15.0.0.0',
  '#Log-type: SMTP Receive Protocol Log',
  '#Date: 2026-03-05T10:00:00.000Z',
  '#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context',
];

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Writes `files` (name → lines or raw text) into a fresh folder, removed after the test file. */
export function logFolder(files: Record<string, string[] | string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'exrelay-logs-'));
  folders.push(folder);
  for (const [name, content] of Object.entries(files))
    writeFileSync(
      join(folder, name),
      typeof content === 'string' ? content : content.map((line) => `${line}\r\n`).join(''),
    );
  return folder;
}
