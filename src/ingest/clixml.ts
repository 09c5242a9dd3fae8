/**
 * Reads PowerShell CLIXML (Export-Clixml, PSSerializer) into PsValue trees, following the serialization format
 * of MS-PSRP section 2.2.5. A fast scanner reads what PowerShell writes, and top-level objects in Export-Clixml's
 * usual shape it reads in one pass (clixml-plain-objects.ts); whatever it declines (unusual XML, and every
 * malformed document) is read again by the strict parser, which gives the exact line and column of a problem.
 * Top-level objects are handed on one by one, so a large export never exists as one tree; a large file need not
 * exist as one string either (clixml-windows.ts).
 */

import { scanClixml, scanClixmlWindows, wholeText, type ClixmlWindows } from './clixml-scanner.js';
import { parseClixmlStrictly } from './clixml-strict.js';
import type { PsValue } from './ps-value.js';

export { ClixmlError } from './clixml-error.js';
export { MAX_XML_DEPTH } from './clixml-values.js';

/** Optional BOM and XML declaration, then an <Objs> start tag that declares the PowerShell namespace. */
const CLIXML_START =
  /^\uFEFF?[ \t\r\n]*(?:<\?xml[^>]*\?>[ \t\r\n]*)?<Objs[ \t\r\n][^>]*\bxmlns[ \t\r\n]*=[ \t\r\n]*(["'])http:\/\/schemas\.microsoft\.com\/powershell\/2004\/04\1/;

/** Only the start of the text is examined, so sniffing a large file costs nothing. */
const SNIFF_CHARS = 4096;

/** A cheap sniff: is the first element <Objs> in the PowerShell 2004/04 namespace? */
export function isClixml(text: string): boolean {
  return CLIXML_START.test(text.slice(0, SNIFF_CHARS));
}

/** Parses a CLIXML document and returns the top-level items of <Objs>. Throws only ClixmlError. */
export function parseClixml(text: string): PsValue[] {
  let values: PsValue[] = [];
  readClixml(text, () => {
    values = [];
    return (value) => values.push(value);
  });
  return values;
}

/**
 * Reads a CLIXML document and hands each top-level item of <Objs> to a consumer as soon as it is complete.
 * `begin` makes the consumer; it is called again when the reading starts over with the strict parser, and the
 * first consumer's work is then to be discarded. A problem in the XML is reported before any error the consumer
 * threw, as if the whole document had been parsed first. Throws ClixmlError for malformed CLIXML.
 */
export function readClixml(text: string, begin: () => (value: PsValue) => void): void {
  if (readClixmlWindows(wholeText(text), begin())) return;
  const values = parseClixmlStrictly(text);
  const again = begin();
  for (const value of values) again(value);
}

/**
 * readClixml for a document given in windows of its text (clixml-windows.ts), by the fast scanner alone. False
 * when the scanner declines the document: the caller reads it again whole, and what `consume` did is to be
 * discarded.
 */
export function readClixmlWindows(document: ClixmlWindows, consume: (value: PsValue) => void): boolean {
  let failure: { error: unknown } | null = null;
  const scanned = scanClixmlWindows(document, (value) => {
    if (failure !== null) return;
    try {
      consume(value);
    } catch (error) {
      failure = { error };
    }
  });
  if (scanned && failure !== null) throw (failure as { error: unknown }).error;
  return scanned;
}

/** For tests: is this document read by the fast scanner (true) or handed to the strict parser (false)? */
export function isScannedFast(text: string): boolean {
  return scanClixml(text, () => undefined);
}
