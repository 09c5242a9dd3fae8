/** Which files in a folder analyze reads as exports (no other dependency: the CLI checks output paths with it). */

const EXPORT_EXTENSIONS = /\.(xml|clixml|json)$/i;

/** Whether analyze reads a file of this name from a folder it is given; README, LICENSE and reports are left alone. */
export function isExportFileName(name: string): boolean {
  return EXPORT_EXTENSIONS.test(name);
}
