/**
 * Usage checks tested as the configuration checks are (tests/checks/rule-tester.ts): valid cases give no finding
 * of the check, invalid ones exactly the expected findings by messageId, severity, connector, subject and data.
 * Each case is a snapshot and a few sessions, written as protocol log lines and read by the real reader.
 */

import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { scanFiles } from '../../src/logs/scan-files.js';
import { stitchRuns } from '../../src/logs/stitch.js';
import type { AcceptedDomain, ReceiveConnector, Snapshot } from '../../src/model/snapshot.js';
import { evaluateUsage } from '../../src/usage/evaluate-usage.js';
import { DEFAULT_USAGE_OPTIONS, type UsageCheck, type UsageOptions } from '../../src/usage/usage-check.js';
import type { UsageReport } from '../../src/usage/usage-report.js';
import { snapshot } from '../support/builders.js';
import { expectEveryMessage, expectFindings, type ExpectedFinding } from '../checks/rule-tester.js';
import { HEADER, logFolder } from '../logs/support.js';

export const CONTOSO_DOMAINS: AcceptedDomain[] = [
  { name: 'contoso.com', domainName: 'contoso.com', domainType: 'Authoritative', isDefault: true },
];

export interface SessionSpec {
  connector: string;
  remote: string;
  /** Days after 2026-03-02 00:00 UTC (fractions allowed). */
  day?: number;
  helo?: string;
  auth?: string;
  /** RCPT TO addresses with their replies; default reply 250 2.1.5 Recipient OK. */
  rcpt?: (string | [string, string])[];
  localPort?: number;
  /** The client an Exchange server proxies in this session (XPROXYFROM, accepted): a Transport service's log. */
  proxyFor?: string;
  /** How many such sessions, a day apart. */
  repeat?: number;
  /** The log file its lines are in (default RECV2026030200-1.LOG): files of one service, with or without a gap. */
  file?: string;
}

const START = Date.UTC(2026, 2, 2);
let counter = 0;

/** The lines of one session, pipelined, as Exchange 2016+ writes them. */
export function sessionLines(spec: SessionSpec, at: number): string[] {
  const id = `08DE7E57${(++counter).toString(16).toUpperCase().padStart(8, '0')}`;
  const local = spec.remote.includes(':')
    ? `[2001:db8::1]:${spec.localPort ?? 25}`
    : `10.0.0.1:${spec.localPort ?? 25}`;
  const remote = spec.remote.includes(':') ? `[${spec.remote}]:40000` : `${spec.remote}:40000`;
  const connector = /[",]/.test(spec.connector) ? `"${spec.connector.replace(/"/g, '""')}"` : spec.connector;
  let sequence = 0;
  const line = (event: string, data = '', context = '') =>
    `${new Date(at + sequence * 10).toISOString()},${connector},${id},${sequence++},${local},${remote},${event},${data},${context}`;
  const recipients = (spec.rcpt ?? ['someone@contoso.com']).map((item) =>
    typeof item === 'string' ? ([item, '250 2.1.5 Recipient OK'] as const) : item,
  );
  const lines = [line('+'), line('<', `EHLO ${spec.helo ?? 'client.example'}`), line('>', '250 Hello')];
  if (spec.auth)
    lines.push(
      line('<', 'AUTH LOGIN'),
      line('>', '334 VXNlcm5hbWU6'),
      line('*', spec.auth, 'authenticated'),
      line('>', '235 2.7.0 Authentication successful'),
    );
  if (spec.proxyFor)
    lines.push(
      line('<', `XPROXYFROM SID=08DE000000000001 IP=${spec.proxyFor} PORT=40000 DOMAIN=client SEQNUM=1`),
      line('>', '250 XProxyFrom accepted'),
    );
  lines.push(line('<', 'MAIL FROM:<sender@contoso.com>'));
  for (const [address] of recipients) lines.push(line('<', `RCPT TO:<${address}>`));
  lines.push(line('>', '250 2.1.0 Sender OK'));
  for (const [, reply] of recipients) lines.push(line('>', reply));
  if (recipients.some(([, reply]) => reply.startsWith('250')))
    lines.push(
      line('<', 'DATA'),
      line('>', '354 Start mail input'),
      line('>', '250 2.6.0 <m@x> Queued mail for delivery'),
    );
  lines.push(line('-', '', 'Local'));
  return lines;
}

export interface UsageCase {
  name: string;
  connectors: ReceiveConnector[];
  sessions: SessionSpec[];
  acceptedDomains?: AcceptedDomain[] | null;
  snapshot?: Partial<Snapshot>;
  options?: Partial<UsageOptions>;
}

/** The report for a case: its sessions in one log file, read and analysed as `exrelay usage` does. */
export function usageReport(testCase: UsageCase): UsageReport {
  const files = new Map<string, string[][]>();
  for (const spec of testCase.sessions) {
    const name = spec.file ?? 'RECV2026030200-1.LOG';
    const sessions = Array.from({ length: spec.repeat ?? 1 }, (_, index) =>
      sessionLines(spec, START + ((spec.day ?? 0) + index) * 86_400_000),
    );
    files.set(name, [...(files.get(name) ?? []), ...sessions]);
  }
  const contents: Record<string, string[]> = {};
  for (const [name, lines] of files) {
    lines.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
    contents[name] = [...HEADER, ...lines.flat()];
  }
  const folder = logFolder(contents);
  const domains = testCase.acceptedDomains === undefined ? CONTOSO_DOMAINS : testCase.acceptedDomains;
  const run = scanFiles(
    [...files.keys()].sort().map((name) => join(folder, name)),
    domains,
  );
  const stitched = stitchRuns([run], domains);
  expect([...run.problems, ...stitched.problems]).toEqual([]);
  return evaluateUsage(
    snapshot(testCase.connectors, { acceptedDomains: domains, ...testCase.snapshot }),
    { tally: stitched.tally, files: run.files, problems: run.problems },
    'exrelay test',
    { ...DEFAULT_USAGE_OPTIONS, ...testCase.options },
  );
}

export function usageTester(
  check: UsageCheck,
  cases: { valid: UsageCase[]; invalid: (UsageCase & { errors: ExpectedFinding[] })[] },
): void {
  const findingsOf = (testCase: UsageCase) =>
    usageReport(testCase).findings.filter((finding) => finding.checkId === check.meta.id);
  describe(`${check.meta.id} (usage rule tester)`, () => {
    if (cases.valid.length > 0)
      it.each(cases.valid.map((testCase) => [testCase.name, testCase] as const))(
        'valid: %s',
        (_name, testCase) => {
          expect(findingsOf(testCase).map((finding) => finding.messageId)).toEqual([]);
        },
      );
    it.each(cases.invalid.map((testCase) => [testCase.name, testCase] as const))(
      'invalid: %s',
      (_name, testCase) => {
        expectFindings(findingsOf(testCase), testCase.errors);
      },
    );
    it('produces every message it declares in some invalid case', () => {
      expectEveryMessage(check.meta, cases.invalid);
    });
  });
}
