/** The exceptions file: what it accepts, and a line and column for everything it refuses. */

import { describe, expect, it } from '@jest/globals';
import { ExceptionsFileError } from '../../src/exceptions/exception-entry.js';
import { parseExceptions } from '../../src/exceptions/parse-exceptions.js';

const FINGERPRINT = '003745f4bda7ed9b4568af59ce6d3784';

function problem(text: string): string {
  try {
    parseExceptions(text);
  } catch (error) {
    if (!(error instanceof ExceptionsFileError)) throw error;
    return `${error.position.line}:${error.position.column}: ${error.message}`;
  }
  throw new Error('the file was accepted');
}

const entry = (lines: string[]) => ['version: 1', 'exceptions:', ...lines].join('\n') + '\n';

describe('exceptions file', () => {
  it('reads both ways of naming a finding, the scope, and a number as ticket', () => {
    const file = parseExceptions(
      entry([
        `  - fingerprint: ${FINGERPRINT.toUpperCase()}`,
        '    reason: Printers relay until the print server moves',
        '    owner: jane.doe@contoso.com',
        '    ticket: 4711',
        '    expires: 2025-09-30',
        '    scope:',
        '      ranges: [10.10.20.0/24, 10.10.21.7]',
        '      principals: [S-1-5-7]',
        '    severity: High',
        '  - check: accepted-domain-relay',
        '    connector: null',
        "    subject: '*'",
        '    reason: Partner relay',
        '    owner: Bob',
        '    expires: 2025-12-31',
      ]),
    );
    expect(file.entries).toEqual([
      {
        finding: { kind: 'fingerprint', fingerprint: FINGERPRINT },
        reason: 'Printers relay until the print server moves',
        owner: 'jane.doe@contoso.com',
        ticket: '4711',
        expires: '2025-09-30',
        scope: { ranges: ['10.10.20.0/24', '10.10.21.7'], principals: ['S-1-5-7'] },
        severity: 'high',
        position: { line: 3, column: 5 },
      },
      {
        finding: { kind: 'finding', checkId: 'accepted-domain-relay', connector: null, subject: '*' },
        reason: 'Partner relay',
        owner: 'Bob',
        ticket: null,
        expires: '2025-12-31',
        scope: { ranges: null, principals: null },
        severity: null,
        position: { line: 12, column: 5 },
      },
    ]);
  });

  it('refuses a severity that is none', () => {
    expect(
      problem(
        entry([
          `  - fingerprint: ${FINGERPRINT}`,
          '    reason: r',
          '    owner: o',
          '    expires: 2025-09-30',
          '    severity: severe',
        ]),
      ),
    ).toBe(
      "7:15: severity must be one of info, low, medium, high, critical (the most severe the finding is approved at), not 'severe'",
    );
  });

  it('keeps a numeric ticket as written: leading zeros and hex are part of a ticket number', () => {
    const tickets = ['00123', '0x1F', '4711'].map(
      (ticket) =>
        parseExceptions(
          entry([
            `  - fingerprint: ${FINGERPRINT}`,
            '    reason: r',
            '    owner: o',
            `    ticket: ${ticket}`,
            '    expires: 2025-09-30',
          ]),
        ).entries[0]?.ticket,
    );
    expect(tickets).toEqual(['00123', '0x1F', '4711']);
  });

  it('accepts JSON, with positions', () => {
    const file = parseExceptions(
      `{"version": 1, "exceptions": [\n  {"fingerprint": "${FINGERPRINT}", "reason": "r", "owner": "o", "expires": "2025-01-31"}\n]}\n`,
    );
    expect(file.entries[0]?.position).toEqual({ line: 2, column: 3 });
    expect(
      problem(
        `{"version": 1, "exceptions": [\n  {"fingerprint": "${FINGERPRINT}", "reason": "r", "owner": "o", "expires": "2025-01-31", "reason": "x"}\n]}\n`,
      ),
    ).toBe('2:109: a key is given twice in one mapping (keys must be unique)');
  });

  it.each([
    ['an empty file', '', '1:1: the file is empty'],
    ['a list at the top', '- a\n', '1:1: the file must be a mapping'],
    ['a wrong version', 'version: 2\nexceptions: []\n', '1:10: version must be 1, not 2'],
    ['no version', 'exceptions: []\n', "1:1: version is missing: write 'version: 1'"],
    [
      'an unknown top-level key',
      'version: 1\nexceptions: []\nowner: x\n',
      "3:1: the file: unknown key 'owner'",
    ],
    ['broken YAML', 'version: 1\nexceptions: [\n', '3:1: not valid YAML'],
    [
      'two documents',
      'version: 1\nexceptions: []\n---\nversion: 1\n',
      '3:1: the file holds several YAML documents',
    ],
    [
      'an unknown key in an entry',
      entry([
        `  - fingerprint: ${FINGERPRINT}`,
        '    reason: r',
        '    owner: o',
        '    expires: 2025-01-31',
        '    approvedBy: x',
      ]),
      "7:5: the entry at line 3: unknown key 'approvedBy'",
    ],
    [
      'a duplicate key',
      entry([`  - fingerprint: ${FINGERPRINT}`, '    reason: r', '    reason: s']),
      '5:5: a key is given twice in one mapping',
    ],
    [
      'an empty reason, as exceptions init writes it',
      entry([`  - fingerprint: ${FINGERPRINT}`, '    reason: ""', '    owner: o', '    expires: 2025-01-31']),
      '4:13: reason is empty: say why this finding is accepted',
    ],
    [
      'no owner',
      entry([`  - fingerprint: ${FINGERPRINT}`, '    reason: r', '    expires: 2025-01-31']),
      '3:5: owner is missing: name who answers for the exception',
    ],
    [
      'a date that does not exist',
      entry([`  - fingerprint: ${FINGERPRINT}`, '    reason: r', '    owner: o', '    expires: 2025-02-29']),
      "6:14: expires must be a calendar date as YYYY-MM-DD, not '2025-02-29'",
    ],
    [
      'a date in another format',
      entry([`  - fingerprint: ${FINGERPRINT}`, '    reason: r', '    owner: o', '    expires: 31.01.2025']),
      "6:14: expires must be a calendar date as YYYY-MM-DD, not '31.01.2025'",
    ],
    [
      'a short fingerprint',
      entry(['  - fingerprint: 003745f4', '    reason: r', '    owner: o', '    expires: 2025-01-31']),
      "3:18: fingerprint must be 32 hexadecimal digits, not '003745f4'",
    ],
    [
      'a finding named both ways',
      entry([`  - fingerprint: ${FINGERPRINT}`, '    check: anonymous-relay', '    reason: r']),
      '4:5: the entry at line 3 names its finding twice',
    ],
    [
      'a check without subject',
      entry([
        '  - check: anonymous-relay',
        '    connector: EX01\\Relay',
        '    reason: r',
        '    owner: o',
        '    expires: 2025-01-31',
      ]),
      '3:5: the entry at line 3 lacks subject',
    ],
    [
      'a range that does not parse',
      entry([
        `  - fingerprint: ${FINGERPRINT}`,
        '    reason: r',
        '    owner: o',
        '    expires: 2025-01-31',
        '    scope:',
        '      ranges: [10.0.0.0/8, 10.0.0.300]',
      ]),
      "8:28: scope.ranges: '10.0.0.300' is not an address range",
    ],
    [
      'an empty scope',
      entry([
        `  - fingerprint: ${FINGERPRINT}`,
        '    reason: r',
        '    owner: o',
        '    expires: 2025-01-31',
        '    scope: {}',
      ]),
      '7:12: scope is empty',
    ],
    [
      'a number where text belongs',
      entry([`  - fingerprint: ${FINGERPRINT}`, '    reason: 42', '    owner: o', '    expires: 2025-01-31']),
      "4:13: reason must be text: quote it ('42')",
    ],
    [
      'a fingerprint of digits only, which YAML reads as a number',
      entry([
        '  - fingerprint: 00000000000000000000000000001234',
        '    reason: r',
        '    owner: o',
        '    expires: 2025-01-31',
      ]),
      "3:18: fingerprint must be text: quote it ('00000000000000000000000000001234')",
    ],
    [
      'the same finding twice',
      entry([
        `  - fingerprint: ${FINGERPRINT}`,
        '    reason: r',
        '    owner: o',
        '    expires: 2025-01-31',
        `  - fingerprint: ${FINGERPRINT.toUpperCase()}`,
        '    reason: r',
        '    owner: o',
        '    expires: 2026-01-31',
      ]),
      '7:5: this entry names the same finding as the entry at line 3: keep one',
    ],
    [
      'an alias',
      entry([
        '  - &one',
        `    fingerprint: ${FINGERPRINT}`,
        '    reason: r',
        '    owner: o',
        '    expires: 2025-01-31',
        '  - *one',
      ]),
      '8:5: the entry at line 8: aliases (*name) are not accepted',
    ],
  ])('refuses %s with its line and column', (_what, text, expected) => {
    expect(problem(text)).toMatch(new RegExp(`^${expected.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}`));
  });
});
