/**
 * The page's Content-Security-Policy, in a <meta> element (a file opened from disk or a share has no response
 * headers): nothing may load from anywhere, and only the page's own script and stylesheet run, allowed by the
 * SHA-256 of their exact text, computed when the page is written. A hash rather than a nonce: the file is static,
 * so a nonce would be a constant written next to the content it is meant to protect.
 */

import { createHash } from 'node:crypto';

function sourceHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

export function contentSecurityPolicy(inline: { script: string; style: string }): string {
  return [
    "default-src 'none'",
    `script-src ${sourceHash(inline.script)}`,
    `style-src ${sourceHash(inline.style)}`,
    "base-uri 'none'",
    "form-action 'none'",
    // The script builds the page with DOM methods only; any string-to-markup sink would throw.
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');
}
