/**
 * One corpus of hostile names for every report format (table, Markdown, CSV, JSON, and any added later, such as
 * HTML): each must show every one of them visibly and unambiguously, and none may change the report's structure.
 * A name here is what an audited organisation (or a hand-edited export) can put into a connector's Name.
 */

export interface HostileName {
  /** What the name attacks, for test titles. */
  label: string;
  name: string;
}

export const HOSTILE_NAMES: readonly HostileName[] = [
  { label: 'plain', name: 'Relay Printers' },
  { label: 'TAB', name: 'Relay\tPrinters' },
  { label: 'CR overwrites the line', name: 'Relay Fake\rEX01\\Relay Safe' },
  { label: 'LF and a forged Markdown row', name: 'Relay\nEX01\\Relay | no | no-relay | 0 | info |' },
  { label: 'CRLF', name: 'Relay\r\nSecond line' },
  { label: 'VT, BS, U+0001', name: 'Relay\u000b\b\u0001' },
  { label: 'NUL', name: 'Relay\u0000Null' },
  { label: 'ESC: clear screen and colour', name: '\u001b[2J\u001b[31mRelay Red\u001b[0m' },
  { label: 'ESC: title change', name: '\u001b]0;pwned\u0007Relay Title' },
  { label: 'OSC 8 hyperlink', name: '\u001b]8;;https://evil.example/\u0007click me\u001b]8;;\u0007' },
  { label: 'BEL', name: 'Relay\u0007Bell' },
  { label: 'DEL', name: 'Relay\u007fDel' },
  { label: 'C1 CSI', name: 'Relay\u009b31mC1' },
  { label: 'NEL', name: 'Relay\u0085Next' },
  { label: 'right-to-left override', name: 'Relay \u202eyaleR\u202c Safe' },
  { label: 'bidirectional isolates and marks', name: '\u2067Relay\u2069 \u200fmark\u200e' },
  { label: 'zero-width and BOM', name: 'Re\u200blay\u200d\ufeffZero' },
  { label: 'line and paragraph separators', name: 'Relay\u2028Line\u2029Para' },
  { label: 'no-break and ideographic spaces', name: 'Relay\u00a0Nbsp\u3000Wide' },
  { label: 'Markdown row forgery', name: 'EX01\\Relay | no | no-relay | 0 | info |' },
  { label: 'backslash before a pipe', name: 'Relay \\| pipe \\\\| two' },
  { label: 'backticks', name: 'Relay `code` ``double`` ```triple```' },
  { label: 'leading and trailing backtick', name: '`Relay`' },
  { label: 'HTML', name: '<img src=x onerror=alert(1)><script>alert(2)</script>' },
  { label: 'HTML entity', name: 'Relay &lt;b&gt; &amp;' },
  // HTML report: each would run code, load something or change the page if it reached markup unescaped; the
  // code would set window.__exrelayInjected, log, or open a dialog (tests/browser/html-report.test.ts).
  { label: 'HTML script end', name: '</script><script>window.__exrelayInjected = "script end"</script>' },
  { label: 'HTML style end', name: '</style><script>window.__exrelayInjected = "style end"</script>' },
  { label: 'HTML comment and CDATA', name: '<!-- <![CDATA[ Relay ]]> --><!--' },
  { label: 'HTML attribute break, double quote', name: '" onmouseover="window.__exrelayInjected = 1" x="' },
  {
    label: 'HTML attribute break, single quote',
    name: "' autofocus onfocus='window.__exrelayInjected = 2' x='",
  },
  { label: 'javascript: URL', name: 'javascript:window.__exrelayInjected="url"' },
  {
    label: 'HTML elements that load',
    name: '<img src="http://127.0.0.1:9/pixel"><link rel="stylesheet" href="http://127.0.0.1:9/x.css"><iframe src="javascript:parent.__exrelayInjected=3"></iframe>',
  },
  { label: 'SVG handler', name: '<svg onload="window.__exrelayInjected = \'svg\'"></svg>' },
  {
    label: 'JSON break in script data',
    name: '\u2028"]}</script><script>window.__exrelayInjected="json"</script>',
  },
  { label: 'logs to the console', name: '<script>console.log("INJECTED")</script>' },
  { label: 'Markdown heading', name: '# Relay heading' },
  { label: 'Markdown list', name: '- Relay list' },
  { label: 'Markdown ordered list', name: '1. Relay ordered' },
  { label: 'Markdown emphasis and link', name: '**Relay** _x_ [link](https://evil.example/) ![i](x)' },
  { label: 'Markdown quote and rule', name: '> Relay quote ---' },
  // GitHub makes links of these in plain text (GFM autolink literals), with no Markdown syntax around them.
  { label: 'GFM autolink: URL', name: 'Relay https://evil.example/login' },
  { label: 'GFM autolink: www', name: 'Relay www.evil.example' },
  { label: 'GFM autolink: e-mail', name: 'admin@evil.example' },
  { label: 'box drawing', name: 'Relay │ yes │ relay ┼──' },
  { label: 'CSV formula', name: '=HYPERLINK("https://evil.example/","Relay")' },
  { label: 'CSV plus', name: '+1+cmd|"/c calc"!A0' },
  { label: 'CSV minus', name: '-2+3 Relay' },
  { label: 'CSV at', name: '@SUM(A1:A2)' },
  { label: 'CSV full-width equals', name: '\uff1d1+1' },
  { label: 'CSV quote and comma', name: 'Relay "quoted", comma' },
  { label: 'PowerShell quotes', name: "Relay 'single' \u2018smart\u2019 $(whoami)" },
  { label: 'escape look-alike', name: 'Relay \\x1b[31m and \\u{202e}' },
  { label: 'escape look-alike before a hidden character', name: 'Relay \\\u001b and \\\\x1b' },
  { label: 'emoji', name: 'Relay 📠 Fax' },
  { label: 'lone surrogate', name: 'Relay \ud800 Lone' },
  { label: 'combining marks', name: 'Re\u0301\u0301\u0301lay' },
  {
    label: 'combining marks stacked over other lines',
    name: `Re${'\u0336\u0301\u0317\u035a'.repeat(25)}lay`,
  },
  { label: 'combining mark with nothing before it', name: '\u20dd\u0301Relay' },
  { label: 'very long', name: `Relay ${'x'.repeat(100_000)} end` },
];

/** RemoteIPRanges entries with the same tricks: they reach messages (unparseable-range) and the JSON report. */
export const HOSTILE_RANGES: readonly string[] = [
  '10.0.0.1\t',
  '10.0.0.2\u001b[2J',
  '10.0.0.3\r\n10.0.0.4',
  '10.0.0.5 | 10.0.0.6',
  '10.0.0.7\u202e',
];

/**
 * A character that must never reach a terminal or a document raw. Line feeds are allowed (documents have lines);
 * each format's test says where else a character is allowed.
 */
export const RAW_HIDDEN =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The first raw hidden character of `text` and what surrounds it, or null: a readable failure message. */
export function firstRawHidden(text: string, allowed: RegExp | null = null): string | null {
  const pattern = new RegExp(RAW_HIDDEN.source, 'g');
  for (const match of text.matchAll(pattern)) {
    if (allowed?.test(match[0])) continue;
    const at = match.index;
    return `U+${match[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 30), at + 30))}`;
  }
  // More than two combining marks in a row draw over the lines around them.
  const stack = /\p{M}{3}/u.exec(text);
  if (stack)
    return `a stack of combining marks at ${stack.index}: ${JSON.stringify(text.slice(Math.max(0, stack.index - 30), stack.index + 30))}`;
  return null;
}

/**
 * Columns a terminal gives a line: combining marks and zero-width characters take none, East Asian wide
 * characters and emoji two. Enough for the corpus; the table writer's own measure comes from its dependency.
 */
export function displayWidth(line: string): number {
  let width = 0;
  for (const character of line) {
    if (/\p{M}|[\u200b-\u200f\ufeff]/u.test(character)) continue;
    width +=
      /\p{Extended_Pictographic}|[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        character,
      )
        ? 2
        : 1;
  }
  return width;
}
