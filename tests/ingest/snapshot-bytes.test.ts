/**
 * Snapshots read element by element from their bytes (readSnapshotBytes) must give exactly what the whole-text
 * reader gives, results and errors alike, while never building the whole text or the whole parsed tree.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import {
  decodeInput,
  readInput,
  readInputText,
  readSnapshotBytes,
  readSnapshotInWindows,
  type ParsedInput,
} from '../../src/ingest/read-input.js';
import { utf8Body } from '../../src/ingest/encoding.js';
import { lineAndColumnAt } from '../../src/ingest/json-elements.js';
import { seededRandom } from '../net/seeded-random.js';
import type { AccessControlEntry } from '../../src/model/snapshot.js';
import { anonymousUsersGroup, connector, grant, RELAY, snapshot, SUBMIT } from '../support/builders.js';

const utf8 = (text: string) => Buffer.from(text, 'utf8') as Uint8Array;

const SNAPSHOT = snapshot(
  [
    connector({
      name: 'Relay',
      remoteIPRanges: ['10.0.0.0/8', 'fd00::/64', '10.1.1.1-10.1.1.9'],
      permissions: [...anonymousUsersGroup(), grant('S-1-5-7', RELAY)],
    }),
    connector({ name: 'Default Frontend EX01', bindings: ['0.0.0.0:25', '[::]:25'], permissions: null }),
    connector({ name: 'Büro «Ost»', permissions: [grant('NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG', SUBMIT)] }),
  ],
  {
    collectedAt: '2026-11-28T02:00:00Z',
    servers: [{ name: 'EX01', version: null, roles: ['Mailbox'], isEdge: false }],
    acceptedDomains: [{ name: 'c', domainName: 'contoso.com', domainType: 'Authoritative', isDefault: true }],
    errors: [{ scope: 'server', target: 'EX02', message: 'unreachable' }],
    principalNames: [{ name: 'NT AUTHORITY\\ANONYMOUS LOGON', sid: 'S-1-5-7', server: null }],
  },
);
const TEXT = JSON.stringify(SNAPSHOT, null, 1);

/** What the whole-text reader makes of the bytes: the input, or the error message. */
function wholeText(file: string, bytes: Uint8Array): ParsedInput | string {
  try {
    const { text, ansi } = decodeInput(file, bytes);
    return readInputText(file, text, ansi);
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
}

function either(file: string, bytes: Uint8Array): ParsedInput | string {
  try {
    return readInput(file, bytes);
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
}

function mutate(text: string, random: () => number): string {
  const at = Math.floor(random() * text.length);
  const length = 1 + Math.floor(random() * 40);
  const snippets = ['{', '}', '[', ']', '"', ',', ':', 'null', '7', '"x"', '\\', '\u0000', ' ', '\u00e9'];
  switch (Math.floor(random() * 4)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + text.slice(at + length);
    case 2:
      return text.slice(0, at) + snippets[Math.floor(random() * snippets.length)] + text.slice(at);
    default:
      return text.slice(0, at) + text.slice(at, at + length) + text.slice(at);
  }
}

/** What a read gives: its result, or the message of the InputError it throws. */
function outcome(read: () => ParsedInput | null): ParsedInput | null | string {
  try {
    return read();
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
}

/**
 * The bytes read as load-files.ts reads a large file: forward, in windows of `windowBytes`, after the BOM. Also
 * the largest read asked for, which tells how large the window grew.
 */
function readInWindowsOf(bytes: Uint8Array, windowBytes: number, longestText?: number) {
  const body = utf8Body(bytes)!;
  let position = 0;
  let largestRead = 0;
  const result = outcome(() =>
    readSnapshotInWindows(
      's.json',
      {
        readMore: (target, offset, length) => {
          largestRead = Math.max(largestRead, length);
          const read = Math.min(length, body.length - position);
          target.set(body.subarray(position, position + read), offset);
          position += read;
          return read;
        },
        windowBytes,
        size: bytes.length,
        locate: (offset) => lineAndColumnAt(body, offset),
      },
      longestText,
    ),
  );
  return { result, largestRead };
}

/** Read in windows of every size from 16 to 16 + `sizes` bytes, the bytes give what they give read whole. */
function expectSameInWindows(bytes: Uint8Array, sizes: number, longestText?: number): void {
  const whole = outcome(() => readSnapshotBytes('s.json', bytes, longestText));
  for (let windowBytes = 16; windowBytes < 16 + sizes; windowBytes++)
    expect({ windowBytes, result: readInWindowsOf(bytes, windowBytes, longestText).result }).toEqual({
      windowBytes,
      result: whole,
    });
}

/**
 * 600 damaged copies of a snapshot text: the element reader gives what the whole-text reader gives, and read as
 * too long to be one string (a 16-character limit), the same result or an error of one line. Read in windows (of
 * a size that changes from round to round), either gives exactly what it gives read whole.
 */
function expectMutationsReadAsWholeText(seed: number, textOf: (round: number) => string): void {
  const random = seededRandom(seed);
  const outcomes = { read: 0, refused: 0 };
  for (let round = 0; round < 600; round++) {
    const bytes = utf8(mutate(textOf(round), random));
    const expected = wholeText('s.json', bytes);
    expect(either('s.json', bytes)).toEqual(expected);
    outcomes[typeof expected === 'string' ? 'refused' : 'read']++;
    try {
      const long = readSnapshotBytes('s.json', bytes, 16);
      if (long !== null) expect(long).toEqual(expected);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect(typeof expected).toBe('string');
      expect((error as Error).message).not.toContain('\n');
    }
    const windowBytes = 16 + ((round * 37) % 300);
    expect({ round, windowBytes, read: readInWindowsOf(bytes, windowBytes).result }).toEqual({
      round,
      windowBytes,
      read: outcome(() => readSnapshotBytes('s.json', bytes)),
    });
    expect({ round, windowBytes, long: readInWindowsOf(bytes, windowBytes, 16).result }).toEqual({
      round,
      windowBytes,
      long: outcome(() => readSnapshotBytes('s.json', bytes, 16)),
    });
  }
  expect(outcomes.read).toBeGreaterThan(50);
  expect(outcomes.refused).toBeGreaterThan(50);
}

describe('reading a snapshot element by element', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('reads it from the bytes, the same snapshot as from the whole text', () => {
    for (const bytes of [utf8(TEXT), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(TEXT)])]) {
      const input = readSnapshotBytes('s.json', bytes);
      expect(input).not.toBeNull();
      expect(input).toEqual(wholeText('s.json', bytes));
    }
  });

  it('parses one element at a time: no text as long as the file is ever decoded or parsed', () => {
    const many = snapshot(
      Array.from({ length: 200 }, (_, index) =>
        connector({ name: `Relay ${index}`, permissions: anonymousUsersGroup() }),
      ),
    );
    const bytes = utf8(JSON.stringify(many));
    const longestElement = Math.max(...many.connectors.map((item) => JSON.stringify(item).length));
    const parse = jest.spyOn(JSON, 'parse');
    const decode = jest.spyOn(TextDecoder.prototype, 'decode');
    const input = readSnapshotBytes('s.json', bytes);
    expect(input?.format === 'snapshot' && input.snapshot.connectors).toHaveLength(200);
    const parsed = parse.mock.calls.map(([text]) => text.length);
    const decoded = decode.mock.results.map((result) => (result.value as string).length);
    expect(parsed.length).toBeGreaterThan(200);
    // A connector is parsed without its ACEs, which are parsed on their own (once for equal bytes).
    expect(Math.max(...parsed)).toBeLessThanOrEqual(longestElement);
    expect(Math.max(...decoded)).toBeLessThanOrEqual(longestElement);
  });

  it('gives the same result or the same error as the whole text for 600 mutated snapshots', () => {
    expectMutationsReadAsWholeText(20261130, () => TEXT);
  });

  it('reports problems in the order the whole snapshot is checked, after any malformed JSON', () => {
    const badConnector = { ...SNAPSHOT.connectors[0], enabled: 'yes' };
    const cases = [
      // A later list's problem and an earlier field's: the field comes first, as always.
      { ...SNAPSHOT, errors: [{ scope: 'nowhere' }], collectedAt: 'soon' },
      // Only the first bad element of a list counts.
      { ...SNAPSHOT, connectors: [SNAPSHOT.connectors[0], badConnector, { identity: 7 }] },
      { ...SNAPSHOT, connectors: [badConnector], servers: [{ name: 1 }] },
      { ...SNAPSHOT, connectors: 'none' },
      { ...SNAPSHOT, connectors: [7] },
      { ...SNAPSHOT, acceptedDomains: null, principalNames: null },
      { ...SNAPSHOT, kind: 'something else' },
      { ...SNAPSHOT, schemaVersion: 2, connectors: [badConnector] },
    ];
    for (const value of cases) {
      const bytes = utf8(JSON.stringify(value));
      expect(either('s.json', bytes)).toEqual(wholeText('s.json', bytes));
    }
    expect(either('s.json', utf8(JSON.stringify(cases[0])))).toBe(
      's.json: invalid exrelay snapshot: collectedAt must be an ISO 8601 time such as 2025-03-04T09:15:00Z, or null (not "soon")',
    );
    expect(either('s.json', utf8(JSON.stringify(cases[1])))).toBe(
      's.json: invalid exrelay snapshot: connectors[1].enabled must be true or false',
    );
    const malformedLater = `${JSON.stringify(cases[1]).slice(0, -1)},"x":[1,]}`;
    expect(either('s.json', utf8(malformedLater))).toMatch(/^s\.json: malformed JSON at line 1, column \d+/);
  });

  it('takes nesting of 200 levels and refuses 201, as the whole text does', () => {
    const nested = (levels: number) =>
      TEXT.replace('"partial"', `"extra":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)},"partial"`);
    expect(readSnapshotBytes('s.json', utf8(nested(200)))).toEqual(wholeText('s.json', utf8(nested(200))));
    expect(either('s.json', utf8(nested(201)))).toBe('s.json: JSON nested more than 200 levels deep');
  });
});

describe('reading a snapshot in windows', () => {
  it('gives what the whole bytes give, wherever the windows end', () => {
    for (const bytes of [utf8(TEXT), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(TEXT)])]) {
      expect(readInWindowsOf(bytes, 64).result).not.toBeNull();
      expectSameInWindows(bytes, 240);
    }
    // Malformed, with its error from here (too long to be one string) and from the whole text.
    const broken = utf8(TEXT.replace('"Büro', '"Büro\n'));
    expectSameInWindows(broken, 120, 16);
    expect(readInWindowsOf(broken, 40, 16).result).toMatch(
      /^s\.json: malformed JSON at line \d+, column \d+: /,
    );
    expectSameInWindows(utf8(`${TEXT.slice(0, -2)}  7}`), 60);
  });

  it('keeps its window small: whitespace is let go of, and a window grows only for a longer value', () => {
    const many = snapshot(
      Array.from({ length: 200 }, (_, index) =>
        connector({ name: `Relay ${index}`, permissions: anonymousUsersGroup() }),
      ),
    );
    const spaced = JSON.stringify(many).replace('"connectors"', `${' '.repeat(100_000)}"connectors"`);
    const read = readInWindowsOf(utf8(spaced), 4096);
    expect(read.result).toEqual(outcome(() => readSnapshotBytes('s.json', utf8(spaced))));
    expect(read.result).toMatchObject({ format: 'snapshot' });
    expect(read.largestRead).toBeLessThanOrEqual(4096);

    const ranges = Array.from({ length: 2000 }, (_, index) => `10.${index >> 8}.${index & 255}.1`);
    const long = JSON.stringify(snapshot([connector({ name: 'Wide', remoteIPRanges: ranges })]));
    const element = JSON.stringify(JSON.parse(long).connectors[0]).length;
    const grown = readInWindowsOf(utf8(long), 1024);
    expect(grown.result).toEqual(outcome(() => readSnapshotBytes('s.json', utf8(long))));
    expect(grown.largestRead).toBeGreaterThan(1024);
    expect(grown.largestRead).toBeLessThanOrEqual(4 * element);
  });

  it('reads repeated ACEs across windows as the whole bytes do, shared the same way', () => {
    const acl = [...anonymousUsersGroup(), grant('S-1-5-7', RELAY, { sid: 'S-1-5-7' })];
    const repeats = JSON.stringify(
      snapshot(Array.from({ length: 30 }, (_, index) => connector({ name: `C${index}`, permissions: acl }))),
    );
    for (const windowBytes of [16, 100, 700, 5000]) {
      const { result } = readInWindowsOf(utf8(repeats), windowBytes);
      expect(result).toEqual(outcome(() => readSnapshotBytes('s.json', utf8(repeats))));
      const connectors =
        typeof result === 'object' && result?.format === 'snapshot' ? result.snapshot.connectors : [];
      expect(connectors).toHaveLength(30);
    }
  });
});

describe('a snapshot too long to be one string', () => {
  /** As if the file were longer than V8's longest string: `longestText` is lowered below its length. */
  const readLong = (text: string) => {
    try {
      return readSnapshotBytes('big.json', utf8(text), 16);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return (error as InputError).message;
    }
  };

  it('is read all the same', () => {
    expect(readLong(TEXT)).toEqual(wholeText('big.json', utf8(TEXT)));
  });

  it('names the line and column of malformed JSON, as the whole text would, or the nesting', () => {
    const position = (message: unknown) =>
      /^big\.json: malformed JSON at line \d+, column \d+: /.exec(String(message));
    for (const broken of [
      TEXT.replace('"Relay"', '"Relay" 7'),
      TEXT.replace('"Büro', '"Büro\n'),
      TEXT.replace('"errors"', '"errors" "x"'),
      TEXT.replace('"partial"', '"partial" 7'),
      `${TEXT} ]`,
      TEXT.slice(0, -20),
    ]) {
      expect(position(readLong(broken))?.[0]).toBeDefined();
      expect(position(readLong(broken))?.[0]).toBe(position(wholeText('big.json', utf8(broken)))?.[0]);
    }
    // Within an element, V8's own words; between the root's members, the reader's.
    expect(readLong(TEXT.replace('"Büro', '"Büro\n'))).toBe(
      wholeText('big.json', utf8(TEXT.replace('"Büro', '"Büro\n'))),
    );
    expect(readLong(TEXT.replace('"Relay"', '"Relay" 7'))).toMatch(
      /^big\.json: malformed JSON at line \d+, column 20: Expected ',' or '}' after property value$/,
    );
    expect(readLong(TEXT.replace('"partial"', `"x":${'['.repeat(300)},"partial"`))).toBe(
      'big.json: JSON nested more than 200 levels deep',
    );
  });
});

describe('ACEs whose bytes repeat', () => {
  /** An ACE with its fields in the order exrelay writes them: only such entries are shared, and so reused. */
  const inOrder = (entry: AccessControlEntry): AccessControlEntry => ({
    user: entry.user,
    sid: entry.sid,
    deny: entry.deny,
    inherited: entry.inherited,
    accessRights: entry.accessRights,
    extendedRights: entry.extendedRights,
    inheritanceType: entry.inheritanceType,
  });
  const ACL = [...anonymousUsersGroup(), grant('S-1-5-7', RELAY, { sid: 'S-1-5-7' })].map(inOrder);
  const REPEATS = snapshot([
    connector({ name: 'One', permissions: ACL }),
    connector({ name: 'Two', permissions: ACL }),
    // The same ACEs at other places: found by their bytes, not by their place.
    connector({ name: 'Three', permissions: [...ACL].reverse() }),
    connector({ name: 'Four', permissions: [ACL[2]!, grant('Other', SUBMIT), ACL[2]!].map(inOrder) }),
  ]);
  const COMPACT = JSON.stringify(REPEATS);
  const ACE_TEXT = JSON.stringify(ACL[0]);

  /** `text` with the `nth` (from 0) occurrence of `search` replaced. */
  const replaceNth = (text: string, search: string, replacement: string, nth: number) => {
    let at = -1;
    for (let count = 0; count <= nth; count++) at = text.indexOf(search, at + 1);
    expect(at).toBeGreaterThanOrEqual(0);
    return text.slice(0, at) + replacement + text.slice(at + search.length);
  };

  const sameAsWholeText = (text: string) => {
    const bytes = utf8(text);
    const expected = wholeText('s.json', bytes);
    expect(either('s.json', bytes)).toEqual(expected);
    return expected;
  };

  it('parses each distinct ACE once, and gives every connector the same shared ACEs as the whole text', () => {
    const parse = jest.spyOn(JSON, 'parse');
    const input = readSnapshotBytes('s.json', utf8(COMPACT));
    const aceTexts = parse.mock.calls.map(([text]) => text).filter((text) => text.startsWith('{"user"'));
    expect(aceTexts).toHaveLength(ACL.length + 1);
    parse.mockRestore();
    expect(input).toEqual(wholeText('s.json', utf8(COMPACT)));
    const connectors = input?.format === 'snapshot' ? input.snapshot.connectors : [];
    expect(connectors[1]!.permissions![0]).toBe(connectors[0]!.permissions![0]);
    expect(connectors[2]!.permissions![0]).toBe(connectors[0]!.permissions![ACL.length - 1]);
    expect(connectors[3]!.permissions![2]).toBe(connectors[0]!.permissions![2]);
    expect(Object.isFrozen(connectors[3]!.permissions![0])).toBe(true);
  });

  it('takes an ACE list whose bytes equal an earlier list as that list, but not one that only starts as it', () => {
    const list = JSON.stringify(ACL);
    const extra = JSON.stringify(inOrder(grant('Other', SUBMIT)));
    const cases = [
      COMPACT,
      // Two's list: one ACE more, one less, the last one other, or its closing bracket not the end of the value.
      replaceNth(COMPACT, list, `${list.slice(0, -1)},${extra}]`, 1),
      replaceNth(COMPACT, list, `${JSON.stringify(ACL.slice(0, -1))}`, 1),
      replaceNth(COMPACT, list, `${JSON.stringify(ACL.slice(0, -1)).slice(0, -1)},${extra}]`, 1),
      replaceNth(COMPACT, list, `${list}7`, 1),
      replaceNth(COMPACT, list, `${list}]`, 1),
    ];
    const read = cases.map(sameAsWholeText);
    expect(read.map((result) => typeof result)).toEqual([
      'object',
      'object',
      'object',
      'object',
      'string',
      'string',
    ]);
    for (const result of read.slice(0, 4)) {
      const connectors =
        typeof result === 'object' && result.format === 'snapshot' ? result.snapshot.connectors : [];
      // Each connector has its own array, of the shared ACEs.
      expect(connectors[1]!.permissions).not.toBe(connectors[0]!.permissions);
      expect(connectors[1]!.permissions![0]).toBe(connectors[0]!.permissions![0]);
    }
  });

  it('gives the errors of the whole text where a repeated ACE stands in a connector that is wrong', () => {
    const cases = [
      // A connector wrong before its ACEs, whose ACEs are all repeats.
      replaceNth(COMPACT, '"identity":"EX01\\\\Two"', '"identity":7', 0),
      // Wrong after them.
      replaceNth(COMPACT, '"name":"Three"', '"name":"Three","permissionsError":7', 0),
      // The same bytes where no ACE belongs: among a connector's bindings, or as a server.
      replaceNth(COMPACT, '"bindings":["0.0.0.0:25"]', `"bindings":[${ACE_TEXT}]`, 1),
      replaceNth(COMPACT, '"servers":[]', `"servers":[${ACE_TEXT}]`, 0),
      replaceNth(COMPACT, '"errors":[]', `"errors":[${ACE_TEXT}]`, 0),
      // An ACE wrong the first time: its bytes are never reused, and its first place is named.
      replaceNth(COMPACT, '"deny":false', '"deny":"no"', 0),
      replaceNth(COMPACT, '"deny":false', '"deny":"no"', ACL.length),
      // The ACE array a second time, or under a key spelt with an escape: refused, whichever comes first.
      replaceNth(COMPACT, '"name":"Two"', '"name":"Two","permissions":null', 0),
      replaceNth(COMPACT, '"name":"Two"', '"name":"Two","permission\\u0073":null', 0),
      replaceNth(COMPACT, '"permissions":[', '"permission\\u0073":7,"permissions":[', 1),
      // Not an array, an empty one, or ACEs nested one level deeper.
      replaceNth(
        COMPACT,
        `"permissions":[${ACE_TEXT}`,
        `"permissions":{"x":[${ACE_TEXT}]},"p":[${ACE_TEXT}`,
        1,
      ),
      replaceNth(COMPACT, `"permissions":[${ACE_TEXT}`, `"permissions":[ ],"p":[${ACE_TEXT}`, 1),
      replaceNth(COMPACT, `"permissions":[${ACE_TEXT}`, `"permissions":[[${ACE_TEXT}]`, 1),
    ];
    const valid = cases.map((text) => typeof sameAsWholeText(text) === 'object');
    // Only the empty array makes a valid snapshot.
    expect(valid.flatMap((read, index) => (read ? [index] : []))).toEqual([11]);
    expect(sameAsWholeText(cases[0]!)).toBe(
      's.json: invalid exrelay snapshot: connectors[1].identity must be a string',
    );
    expect(sameAsWholeText(cases[2]!)).toBe(
      's.json: invalid exrelay snapshot: connectors[1].bindings must be an array of strings',
    );
    expect(sameAsWholeText(cases[6]!)).toBe(
      's.json: invalid exrelay snapshot: connectors[1].permissions[0].deny must be true or false',
    );
    // The second name is the one named, as a file too long for one string names it too.
    for (const [index, text] of [cases[7]!, cases[8]!, cases[9]!].entries()) {
      const names = /"permission(?:s|\\u0073)"/g;
      names.lastIndex = text.indexOf('"identity":"EX01\\\\Two"');
      names.exec(text);
      const second = names.exec(text)!.index;
      const message = `s.json: invalid exrelay snapshot: the member "permissions" is written twice in one object (line 1, column ${second + 1})`;
      expect({ index, message: sameAsWholeText(text) }).toEqual({ index, message });
      expect(() => readSnapshotBytes('s.json', utf8(text), 16)).toThrow(message);
    }
  });

  it('is read the same with whitespace, or bytes that start as a repeated ACE and go on', () => {
    const pretty = JSON.stringify(REPEATS, null, 2);
    expect(typeof sameAsWholeText(pretty)).toBe('object');
    const broken = [
      replaceNth(COMPACT, `${ACE_TEXT},`, `${ACE_TEXT}7,`, 1),
      replaceNth(COMPACT, `${ACE_TEXT},`, `${ACE_TEXT.slice(0, -1)},"x":1},`, 1),
      replaceNth(COMPACT, `${ACE_TEXT},`, `${ACE_TEXT} ,`, 1),
      replaceNth(pretty, '"deny": false', '"deny": false,', 6),
    ];
    for (const text of broken) sameAsWholeText(text);
    expect(typeof sameAsWholeText(broken[0]!)).toBe('string');
    expect(typeof sameAsWholeText(broken[2]!)).toBe('object');
    // A file too long for one string: the same error, at the same line and column, as the whole text gives.
    for (const text of [broken[0]!, broken[3]!]) {
      const long = () => readSnapshotBytes('s.json', utf8(text), 16);
      expect(long).toThrow(String(wholeText('s.json', utf8(text))));
    }
  });

  it('gives the same result or the same error as the whole text for 600 mutated snapshots with repeats', () => {
    expectMutationsReadAsWholeText(20261201, (round) =>
      round % 2 === 0 ? COMPACT : JSON.stringify(REPEATS, null, 1),
    );
  });
});
