import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, gzipSync } from 'node:zlib';
import { readLogFile } from '../../src/logs/read-log-file.js';
import type { LogRecord } from '../../src/logs/receive-log-format.js';
import { HEADER, logFolder, quirk } from './support.js';

/**
 * A ZIP archive holding `content` as `name`, stored (method 0), as the format defines it: local header, data,
 * central directory, end record. Any unzip opens it; no zip program is needed to make it.
 */
function zipOf(name: string, content: Buffer): Buffer {
  const fileName = Buffer.from(name);
  const crc = crc32(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(content.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(content.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(local.length + fileName.length + content.length, 16);
  return Buffer.concat([local, fileName, content, central, fileName, end]);
}

function read(file: string, bufferSize?: number) {
  const records: LogRecord[] = [];
  const result = readLogFile(file, (record) => records.push(record), { bufferSize });
  return { ...result, records };
}

describe('readLogFile on the hand-written quirk files', () => {
  it('reads real CSV: a quoted connector name with a comma and doubled quotes, the decimal comma in 250 2.6.0', () => {
    const { records, problems, stats } = read(quirk('ex2016-frontend/RECV2026030208-1.LOG'));
    expect(problems).toEqual([]);
    expect(new Set(records.map((record) => record.connectorId))).toEqual(
      new Set(['EX16\\Default Frontend EX16', 'EX16\\Relay, Scanners "Lager"', 'EX16\\Default ']),
    );
    expect(records.find((record) => record.data.startsWith('250 2.6.0 <SCAN-0001'))?.data).toBe(
      '250 2.6.0 <SCAN-0001@scan-lager-01> [InternalId=42842298777605, Hostname=EX16.contoso.com] 112064 bytes in 1.102, 99,305 KB/sec Queued mail for delivery',
    );
    // The connector name's trailing space survives.
    expect(records.some((record) => record.connectorId === 'EX16\\Default ')).toBe(true);
    expect(stats).toMatchObject({
      versions: ['15.0.0.0'],
      firstTime: '2026-03-02T08:00:03.112Z',
      lastTime: '2026-03-02T08:59:59.260Z',
    });
  });

  it('honours a header block in the middle of the file (a service restart) and reads on after it', () => {
    const { records } = read(quirk('ex2016-frontend/RECV2026030208-1.LOG'));
    expect(records.filter((record) => record.sessionId === '08DE5A1B00000003').length).toBeGreaterThan(5);
  });

  it('leaves out the lines no session needs (reply continuations, TLS and tarpit notes) but counts them', () => {
    const { records, stats } = read(quirk('ex2016-frontend/RECV2026030208-1.LOG'));
    expect(records.some((record) => record.data.startsWith('250-'))).toBe(false);
    expect(records.some((record) => record.data.startsWith('Tarpit'))).toBe(false);
    expect(records.some((record) => record.context === 'Set Session Permissions')).toBe(true);
    expect(stats.records).toBeGreaterThan(records.length);
    expect(stats.lines).toBe(stats.records + 10);
  });

  it('reads Exchange 2010 logs (#Version 14.0.0.0, LF line ends)', () => {
    const { records, problems, stats } = read(quirk('ex2010/RECV20260302-1.LOG'));
    expect(problems).toEqual([]);
    expect(stats.versions).toEqual(['14.0.0.0']);
    expect(records.map((record) => record.data)).toContain('550 5.7.1 Unable to relay');
  });

  it('skips a UTF-8 byte order mark and keeps non-ASCII names', () => {
    const { records, problems } = read(quirk('utf8-bom/RECV2026030211-1.LOG'));
    expect(problems).toEqual([]);
    expect(records[0]?.connectorId).toBe('EX16DE01\\Empfang Drucker Büro');
    expect(records.map((record) => record.data)).toContain('RCPT TO:<buchhaltung@steuerbüro-müller.de>');
  });

  it('gives the same records whatever the buffer size (lines cut across reads)', () => {
    const file = quirk('ex2016-frontend/RECV2026030208-1.LOG');
    expect(read(file, 512).records).toEqual(read(file).records);
  });
});

describe('readLogFile on bad files: a clear problem naming file and line, the rest still read', () => {
  it('a last line cut off (a truncated copy, or a file still being written)', () => {
    const file = quirk('bad/RECV2026030307-1.LOG');
    const { records, problems } = read(file);
    expect(records.map((record) => record.event)).toEqual(['+', '<']);
    expect(problems).toEqual([
      {
        file,
        line: 8,
        message:
          'is cut off: the file ends without a line break (a truncated copy, or a file still being written); not used',
      },
    ]);
  });

  it('lines that are not log lines, each named by its number', () => {
    const file = quirk('bad/RECV2026030308-1.LOG');
    const { records, problems } = read(file);
    expect(problems).toEqual([
      { file, line: 7, message: '6 fields where the #Fields line names 9; not used' },
      { file, line: 8, message: 'date-time "03.03.2026 08:00:00" is not an ISO 8601 UTC time; not used' },
      { file, line: 9, message: 'a quoted field (column 8) is never closed; not used' },
      { file, line: 10, message: 'event "?" is none of + - < > *; not used' },
    ]);
    expect(records.map((record) => record.sequence)).toEqual([0, 5, 6, 7, 8, 9]);
  });

  it('impossible dates and dates no log can have are bad lines: they would stretch the window', () => {
    const line = (time: string, sequence: number) =>
      `${time},EX01\\Relay,08DE0000000000D1,${sequence},10.1.0.11:25,10.10.20.31:40004,<,HELO MFP-31,`;
    const folder = logFolder({
      'RECV2026030509-1.LOG': [
        ...HEADER,
        line('2026-02-30T09:00:00.000Z', 0),
        line('2026-03-05T24:00:00.000Z', 1),
        line('9999-12-31T23:59:59.999Z', 2),
        line('1970-01-01T00:00:00.000Z', 3),
        line('2028-02-29T09:00:00.000Z', 4),
        line('2026-03-05T09:00:00.000Z', 5),
      ],
    });
    const file = join(folder, 'RECV2026030509-1.LOG');
    const records: LogRecord[] = [];
    const { problems, stats } = readLogFile(file, (record) => records.push(record), {
      latestTime: '2028-03-01T00:00:00.000Z',
    });
    const outside =
      'lies before 2000 or after 2028-03-01 (a day after this run): a wrong clock or a damaged line; not used';
    expect(problems).toEqual([
      {
        file,
        line: 6,
        message: 'date-time "2026-02-30T09:00:00.000Z" is not a real date and time; not used',
      },
      {
        file,
        line: 7,
        message: 'date-time "2026-03-05T24:00:00.000Z" is not a real date and time; not used',
      },
      { file, line: 8, message: `date-time "9999-12-31T23:59:59.999Z" ${outside}` },
      { file, line: 9, message: `date-time "1970-01-01T00:00:00.000Z" ${outside}` },
    ]);
    // A leap day is a real date.
    expect(records.map((record) => record.sequence)).toEqual([4, 5]);
    expect([stats.firstTime, stats.lastTime]).toEqual([
      '2026-03-05T09:00:00.000Z',
      '2028-02-29T09:00:00.000Z',
    ]);
  });

  it('an SMTP Send log named like a receive log is refused as such', () => {
    const file = quirk('bad/RECV2026030309-1.LOG');
    const { records, problems } = read(file);
    expect(records).toEqual([]);
    expect(problems).toEqual([
      { file, line: 3, message: 'is a SMTP Send Protocol Log, not an SMTP Receive Protocol Log; not read' },
    ]);
  });

  it('NUL bytes at the end (the server stopped while writing)', () => {
    const file = quirk('bad/RECV2026030310-1.LOG');
    const { records, problems } = read(file);
    expect(records).toHaveLength(2);
    expect(problems).toEqual([
      { file, line: 8, message: 'ends in 512 NUL bytes (the server stopped while writing the file?)' },
    ]);
  });

  it('a file that cannot be opened', () => {
    const file = join(logFolder({}), 'RECV2026030311-1.LOG');
    expect(read(file).problems).toEqual([
      { file, line: null, message: 'cannot be read: no such file or folder' },
    ]);
  });

  it('a FIFO in the place of a log file is refused at once, not waited on', () => {
    const folder = mkdtempSync(join(tmpdir(), 'exrelay-log-fifo-'));
    const fifo = join(folder, 'RECV2026030300-1.LOG');
    execFileSync('mkfifo', [fifo]);
    // This test's own descriptor, open for reading and writing (Linux allows it on a FIFO without waiting), is
    // a writer: should the reader open it blocking again, the open returns and the test fails instead of hanging.
    const writer = openSync(fifo, 'r+');
    try {
      const { stats, problems } = read(fifo);
      expect(problems).toEqual([{ file: fifo, line: null, message: 'cannot be read: not a regular file' }]);
      expect(stats.bytes).toBe(0);
    } finally {
      closeSync(writer);
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a folder in the place of a log file is named as one', () => {
    const folder = mkdtempSync(join(tmpdir(), 'exrelay-log-folder-'));
    try {
      expect(read(folder).problems).toEqual([
        { file: folder, line: null, message: 'cannot be read: is a folder' },
      ]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a file that is no log at all gives up after five lines instead of reporting every line', () => {
    const folder = logFolder({
      'RECV-notes.LOG': Array.from({ length: 200 }, (_, index) => `note ${index}`),
    });
    const { problems } = read(join(folder, 'RECV-notes.LOG'));
    expect(problems).toHaveLength(6);
    expect(problems[5]).toEqual({
      file: join(folder, 'RECV-notes.LOG'),
      line: null,
      message:
        'has no #Fields header and its first lines are not log lines: not an SMTP Receive protocol log; not read',
    });
  });

  it.each([
    [
      'gzip-compressed',
      (log: Buffer) => gzipSync(log),
      'is gzip-compressed (decompress it and name the .LOG inside)',
    ],
    [
      'a ZIP archive',
      (log: Buffer) => zipOf('RECV2026030208-1.LOG', log),
      'is a ZIP archive (extract it and name the .LOG files inside)',
    ],
    [
      'UTF-16',
      (log: Buffer) =>
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(log.toString('utf8'), 'utf16le')]),
      'is UTF-16 text (save it as UTF-8, as Exchange wrote it)',
    ],
  ])('a log given %s is one problem naming what it is, not a page of broken lines', (_, pack, what) => {
    const folder = mkdtempSync(join(tmpdir(), 'exrelay-packed-log-'));
    try {
      const file = join(folder, 'RECV2026030208-1.LOG');
      writeFileSync(file, pack(readFileSync(quirk('ex2016-frontend/RECV2026030208-1.LOG'))));
      const { problems, records } = read(file);
      expect(records).toEqual([]);
      expect(problems).toEqual([
        { file, line: null, message: `${what}, not a protocol log as Exchange writes it; not read` },
      ]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('lists at most 20 problems of a file and counts the rest', () => {
    const bad = Array.from(
      { length: 30 },
      (_, index) => `2026-03-05T10:00:${String(index).padStart(2, '0')}.000Z,EX\\C,S1,${index},1.1.1.1:25`,
    );
    const folder = logFolder({ 'RECV1.LOG': [...HEADER, ...bad] });
    const { problems } = read(join(folder, 'RECV1.LOG'));
    expect(problems).toHaveLength(21);
    expect(problems[20]?.message).toBe(
      '10 more lines could not be used (only the first 20 problems of a file are listed)',
    );
  });

  it('a line longer than the buffer is reported and skipped; the next line is read', () => {
    const folder = logFolder({
      'RECV1.LOG': [
        ...HEADER,
        'x'.repeat(300),
        '2026-03-05T10:00:01.000Z,EX\\C,S1,0,1.1.1.1:25,2.2.2.2:999,+,,',
      ],
    });
    const { problems, records } = read(join(folder, 'RECV1.LOG'), 128);
    expect(problems).toEqual([
      {
        file: join(folder, 'RECV1.LOG'),
        line: 6,
        message: 'is longer than 128 bytes: not a log line; not used',
      },
    ]);
    expect(records).toHaveLength(1);
  });

  it('fields in another order, as a #Fields line declares them', () => {
    const folder = logFolder({
      'RECV1.LOG': [
        '#Log-type: SMTP Receive Protocol Log',
        '#Fields: session-id,date-time,connector-id,sequence-number,local-endpoint,remote-endpoint,event,data,context,extra',
        'S9,2026-03-05T10:00:01.000Z,EX\\C,0,1.1.1.1:25,2.2.2.2:999,+,,,x',
        'S9,2026-03-05T10:00:01.100Z,EX\\C,1,1.1.1.1:25,2.2.2.2:999,-,,Remote,x',
      ],
    });
    const { records, problems } = read(join(folder, 'RECV1.LOG'));
    expect(problems).toEqual([]);
    expect(records.map((record) => [record.sessionId, record.event, record.context])).toEqual([
      ['S9', '+', ''],
      ['S9', '-', 'Remote'],
    ]);
  });

  it('a #Fields line without a needed field stops the file with a problem', () => {
    const folder = logFolder({ 'RECV1.LOG': ['#Fields: date-time,connector-id,event,data', 'x'] });
    expect(read(join(folder, 'RECV1.LOG')).problems).toEqual([
      {
        file: join(folder, 'RECV1.LOG'),
        line: 1,
        message: 'the #Fields line has no session-id field; not read',
      },
    ]);
  });
});

describe('a log that grows while it is read', () => {
  it('is read up to the size it had when it was opened, and the reading ends', () => {
    const folder = mkdtempSync(join(tmpdir(), 'exrelay-growing-log-'));
    try {
      const file = join(folder, 'RECV2026030208-1.LOG');
      copyFileSync(quirk('ex2016-frontend/RECV2026030208-1.LOG'), file);
      const size = statSync(file).size;
      const lastLine = readFileSync(file, 'utf8').trimEnd().split('\n').pop() as string;
      const records: LogRecord[] = [];
      let appended = 0;
      // Each record read appends another line: read to the end of file, this never finished.
      const result = readLogFile(
        file,
        (record) => {
          records.push(record);
          // Bounded, so that a reader that follows the growth fails this test instead of never ending.
          if (appended < 2000) {
            appendFileSync(file, `${lastLine}\r\n`);
            appended++;
          }
        },
        { bufferSize: 256 },
      );
      expect(result.stats.bytes).toBe(size);
      expect(records.length).toBe(read(quirk('ex2016-frontend/RECV2026030208-1.LOG'), 256).records.length);
      // Guard: the file really grew while it was read.
      expect(appended).toBeGreaterThan(10);
      expect(statSync(file).size).toBeGreaterThan(size);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
