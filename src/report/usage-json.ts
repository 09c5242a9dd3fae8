/**
 * The usage report as JSON, in pieces: an Internet-facing connector can have tens of thousands of clients. Laid
 * out like JSON.stringify(report, null, 2), except that each client and each finding sits on one line.
 */

import type { UsageReport } from '../usage/usage-report.js';
import { jsonEscapeHidden } from './untrusted-text.js';

/** The report in pieces; printing it on a terminal is safe (see jsonEscapeHidden). */
export function* renderUsageJsonChunks(report: UsageReport): Generator<string> {
  for (const chunk of usageJsonChunks(report)) yield jsonEscapeHidden(chunk);
}

function* usageJsonChunks(report: UsageReport): Generator<string> {
  const entries = Object.entries(report).filter(([, value]) => value !== undefined);
  yield '{';
  for (const [position, [key, value]] of entries.entries()) {
    yield `${position === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `;
    if (key === 'connectors') yield* connectors(report.connectors);
    else if (key === 'findings') yield* lines(report.findings, '    ', '  ');
    else yield JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
  }
  yield '\n}\n';
}

function* connectors(list: UsageReport['connectors']): Generator<string> {
  if (list.length === 0) {
    yield '[]';
    return;
  }
  for (const [index, connector] of list.entries()) {
    const { clients, ...rest } = connector;
    const head = JSON.stringify(rest);
    yield `${index === 0 ? '[' : ','}\n    ${head.slice(0, -1)},"clients":`;
    yield* lines(clients, '      ', '    ');
    yield '}';
  }
  yield '\n  ]';
}

function* lines(items: readonly unknown[], indent: string, closing: string): Generator<string> {
  if (items.length === 0) {
    yield '[]';
    return;
  }
  for (const [index, item] of items.entries())
    yield `${index === 0 ? '[' : ','}\n${indent}${JSON.stringify(item)}`;
  yield `\n${closing}]`;
}
