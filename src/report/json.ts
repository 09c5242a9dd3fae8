/**
 * The JSON report, produced in pieces: a large organisation's report is larger than the longest string V8 can
 * hold, so it is written connector by connector. The layout is indented like JSON.stringify(report, null, 2),
 * except that each connector and each finding sits on one line: easy to grep and to diff between audits, and
 * cheap to write.
 */

import type { Report, ReportStream } from './report.js';
import { jsonEscapeHidden } from './untrusted-text.js';

const STREAMED_ARRAYS = new Set(['connectors', 'findings']);

function indent(text: string, prefix: string): string {
  return text.replace(/\n/g, `\n${prefix}`);
}

/** The JSON report in pieces; printing it on a terminal is safe (see jsonEscapeHidden). */
export function* renderJsonChunks(report: ReportStream): Generator<string> {
  for (const chunk of jsonChunks(report)) yield jsonEscapeHidden(chunk);
}

function* jsonChunks(report: ReportStream): Generator<string> {
  const entries = Object.entries(report).filter(([, value]) => value !== undefined);
  yield '{';
  for (const [position, [key, value]] of entries.entries()) {
    yield `${position === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `;
    if (STREAMED_ARRAYS.has(key)) {
      let count = 0;
      // The separator and the item are separate chunks: joined, they would be copied once more before the scan
      // for hidden characters and once more into a batch (a connector with 100,000 ranges is 35 MB of JSON).
      for (const item of value as Iterable<unknown>) {
        yield count++ === 0 ? '[\n    ' : ',\n    ';
        yield JSON.stringify(item);
      }
      yield count === 0 ? '[]' : '\n  ]';
    } else {
      yield indent(JSON.stringify(value, null, 2), '  ');
    }
  }
  yield '\n}\n';
}

export function renderJson(report: Report): string {
  return [...renderJsonChunks(report)].join('');
}
