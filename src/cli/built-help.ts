/**
 * `exrelay --help` answered from a page written at build time beside the bundle (scripts/build-bundle.mjs), so
 * that the bundle, which holds every command's description, need not load. The file names the build it was made
 * with: bin.js uses it only for its own bundle's build, and otherwise lets the bundle answer as before.
 */

import { readFileSync } from 'node:fs';
import type { HelpPage } from './help.js';

export const HELP_PAGE_NAME = 'exrelay.help.json';

interface BuiltHelp {
  build: string;
  page: HelpPage;
}

/** The file's content for `page` of bundle build `build`. */
export function builtHelpText(page: HelpPage, build: string): string {
  const built: BuiltHelp = { build, page };
  return `${JSON.stringify(built, null, 2)}\n`;
}

/** The page written for `build`; null when there is none, it is of another build, or it cannot be read. */
export function readBuiltHelp(file: string, build: string): HelpPage | null {
  let built: Partial<BuiltHelp>;
  try {
    built = JSON.parse(readFileSync(file, 'utf8')) as Partial<BuiltHelp>;
  } catch {
    return null;
  }
  if (built?.build !== build || !isHelpPage(built.page)) return null;
  return built.page;
}

function isHelpPage(page: unknown): page is HelpPage {
  const candidate = page as Partial<HelpPage> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.usage === 'string' &&
    typeof candidate.epilogue === 'string' &&
    Array.isArray(candidate.commands) &&
    Array.isArray(candidate.options)
  );
}
