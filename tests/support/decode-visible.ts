/**
 * The inverse of untrusted-text.ts's `visible`, written independently from its description: if every rendering
 * decodes back to its original, no two names can look the same.
 */
export function decodeVisible(text: string): string {
  let decoded = '';
  let index = 0;
  while (index < text.length) {
    if (text[index] !== '\\') {
      decoded += text[index];
      index++;
      continue;
    }
    let end = index;
    while (text[end] === '\\') end++;
    const run = end - index;
    const rest = text.slice(end, end + 16);
    const escape = /^x([0-9a-f]{2})|^u\{([0-9a-f]+)\}/.exec(rest);
    if (!/^x[0-9A-Fa-f]|^u\{/.test(rest)) {
      decoded += '\\'.repeat(run);
    } else if (run % 2 === 0) {
      decoded += '\\'.repeat(run / 2);
    } else {
      if (!escape) throw new Error(`an odd run of backslashes before a broken escape at ${end}: ${rest}`);
      decoded +=
        '\\'.repeat((run - 1) / 2) + String.fromCodePoint(parseInt(escape[1] ?? escape[2] ?? '', 16));
      end += escape[0].length;
    }
    index = end;
  }
  return decoded;
}
