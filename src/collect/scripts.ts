/**
 * The PowerShell scripts shipped in scripts/. exrelay reads them as text and hands them to the runner, which
 * sends them as data: nothing is ever pasted into command text.
 */

import { readFile } from 'node:fs/promises';

export const SNAPSHOT_SCRIPT = 'Get-ExrelaySnapshot.ps1';
export const CONNECT_SCRIPT = 'Connect-ExrelayExchange.ps1';
/** Parses a change script without running it (exrelay whatif). */
export const CHANGE_SCRIPT_READER = 'Read-ExrelayChangeScript.ps1';

export type ShippedScript = typeof SNAPSHOT_SCRIPT | typeof CONNECT_SCRIPT | typeof CHANGE_SCRIPT_READER;

/** Resolves from src/collect and from dist/collect alike: both sit two levels below the package root. */
export function scriptPath(name: ShippedScript): URL {
  return new URL(`../../scripts/${name}`, import.meta.url);
}

export function loadScript(name: ShippedScript): Promise<string> {
  return readFile(scriptPath(name), 'utf8');
}
