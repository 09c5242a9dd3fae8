/**
 * The command line as a careless user or a script meets it: faulty options, output paths that would lose data,
 * non-regular files, permissions, a reader that stops early. Every case runs the built CLI in its own process.
 */

import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/report/report.js';
import { BIN, ROOT, runCli, type CliResult } from '../support/run-cli.js';

const SAMPLE = 'fixtures/orgs/sample';
const folders: string[] = [];
const temp = () => {
  const folder = mkdtempSync(join(tmpdir(), 'exrelay-hostile-cli-'));
  folders.push(folder);
  return folder;
};
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A copy of the sample organisation's exports, to be written at. */
function sampleCopy(): string {
  const folder = join(temp(), 'export');
  cpSync(SAMPLE, folder, { recursive: true });
  return folder;
}

function expectUsageError(result: ReturnType<typeof runCli>, message: string): void {
  expect(result.stderr).toBe(`exrelay: ${message}\n`);
  expect(result.status).toBe(2);
  expect(result.stdout).toBe('');
}

const STDIN =
  "'-' (standard input) is not read: exrelay reads the files it is given by name; save the input to a file and name that";

describe('command-line faults are usage errors (exit 2, one plain line)', () => {
  it.each([
    [['analyze', SAMPLE, '--format'], '--format needs a value'],
    [['analyze', SAMPLE, '-f'], '-f needs a value'],
    [['analyze', SAMPLE, '--fail-on'], '--fail-on needs a value'],
    [['analyze', SAMPLE, '--output'], '--output needs a value'],
    [
      ['analyze', SAMPLE, '--output', '--format', 'json'],
      "--output needs a value (it is followed by '--format')",
    ],
    [['analyze', SAMPLE, '--output', ''], '--output needs a value, not an empty string'],
    [['analyze', SAMPLE, '--output='], '--output needs a value, not an empty string'],
    [['analyze', SAMPLE, '--format='], '--format needs a value, not an empty string'],
    // yargs reads a switch's value other than `true` as false: `--show-info=TRUE` hid the info findings asked for.
    [
      ['analyze', SAMPLE, '--show-info=TRUE'],
      "--show-info is a switch: give it alone, or as --show-info=true or --show-info=false (not 'TRUE')",
    ],
    [
      ['analyze', SAMPLE, '--verbose=1'],
      "--verbose is a switch: give it alone, or as --verbose=true or --verbose=false (not '1')",
    ],
    [
      ['usage', SAMPLE, '--showInfo=maybe'],
      "--showInfo is a switch: give it alone, or as --showInfo=true or --showInfo=false (not 'maybe')",
    ],
    [
      ['analyze', SAMPLE, '--output', 'a.json', '--output', 'b.json'],
      "--output is given 2 times ('a.json', 'b.json'); give it once",
    ],
    [
      ['analyze', SAMPLE, '-o', 'a.json', '--output=b.json'],
      "--output is given 2 times ('a.json', 'b.json'); give it once",
    ],
    [
      ['analyze', SAMPLE, '--format', 'json', '-f', 'csv'],
      "--format is given 2 times ('json', 'csv'); give it once",
    ],
    [
      ['analyze', SAMPLE, '--fail-on', 'high', '--fail-on', 'low'],
      "--fail-on is given 2 times ('high', 'low'); give it once",
    ],
    [
      ['analyze', SAMPLE, '--', 'other.xml'],
      "arguments after '--' are not read (got 'other.xml'): name files before it, a file whose name starts with '-' as ./-name.xml",
    ],
    [
      ['analyze', '--', SAMPLE],
      `arguments after '--' are not read (got '${SAMPLE}'): name files before it, a file whose name starts with '-' as ./-name.xml`,
    ],
    [['collect', '--local', '--timeout'], '--timeout needs a value'],
    [
      ['collect', '--local', '--timeout', '5', '--timeout', '9'],
      "--timeout is given 2 times ('5', '9'); give it once",
    ],
    [['collect', '--local', '--out', ''], '--out needs a value, not an empty string'],
    [['audit', '--local', '--snapshot-dir'], '--snapshot-dir needs a value'],
    [['checks', '--format'], '--format needs a value'],
    // yargs dropped a lone '-' without a word: `analyze - folder` analysed the folder alone (an export piped in
    // was never read), `--exceptions -` applied no exceptions.
    [['analyze', '-', SAMPLE], STDIN],
    [['analyze', SAMPLE, '-'], STDIN],
    [['diff', '-', SAMPLE], STDIN],
    [['usage', '-', '--against', SAMPLE], STDIN],
    [['analyze', SAMPLE, '--exceptions', '-'], `--exceptions ${STDIN}`],
    [['analyze', SAMPLE, '--exceptions=-'], `--exceptions ${STDIN}`],
    [['whatif', 'change.ps1', '--against', '-'], `--against ${STDIN}`],
    // An unset variable in a script ("$EXPORT"): the file was named in no message ("exrelay: no such file").
    [['analyze', ''], "an empty argument (''): name a file or folder"],
    [['diff', SAMPLE, ''], "an empty argument (''): name a file or folder"],
  ])('%j', (args, message) => {
    expectUsageError(runCli(args), message);
  });

  it('accepts a negative number as a value (and lets its own check refuse it)', () => {
    expectUsageError(
      runCli(['collect', '--local', '--timeout', '-5']),
      '--timeout must be a positive number of seconds',
    );
  });
});

describe('options pasted from a ticket or a mail, with typographic dashes', () => {
  it.each([
    [
      ['analyze', SAMPLE, '\u2013format', 'json'],
      "'\u2013format' starts with a typographic dash (U+2013), not '-': type it as --format",
    ],
    [
      ['analyze', SAMPLE, '\u2014fail-on=none'],
      "'\u2014fail-on=none' starts with a typographic dash (U+2014), not '-': type it as --fail-on",
    ],
    [
      ['analyze', SAMPLE, '\u2212\u2212show-info'],
      "'\u2212\u2212show-info' starts with a typographic dash (U+2212), not '-': type it as --show-info",
    ],
    [
      ['diff', SAMPLE, SAMPLE, '\u2013o', 'x.json'],
      "'\u2013o' starts with a typographic dash (U+2013), not '-': type it as -o",
    ],
  ])('%j', (args, message) => {
    expectUsageError(runCli(args), message);
  });

  it('a file whose name starts with such a dash is still a file', () => {
    const folder = temp();
    const named = join(folder, '\u2013export');
    cpSync(SAMPLE, named, { recursive: true });
    expect(runCli(['analyze', '\u2013export', '--fail-on', 'none'], { cwd: folder })).toMatchObject({
      status: 0,
      stderr: '',
    });
  });
});

describe('--output never loses an input', () => {
  it('refuses an input file, before reading or writing anything', () => {
    const folder = sampleCopy();
    const input = join(folder, 'ReceiveConnector.xml');
    const before = readFileSync(input);
    expectUsageError(
      runCli([
        'analyze',
        folder,
        input.replace('ReceiveConnector', 'AcceptedDomain'),
        '--format',
        'json',
        '--output',
        input,
      ]),
      `--output: ${input} is in the input folder ${folder}, where analyze would read it as an export; write the report elsewhere or under another extension`,
    );
    expectUsageError(
      runCli(['analyze', input, join(folder, 'ADPermission.xml'), '--output', input]),
      `--output: ${input} is one of the input files; write the report elsewhere`,
    );
    expect(readFileSync(input)).toEqual(before);
    expect(readdirSync(folder).sort()).toEqual([
      'ADPermission.xml',
      'AcceptedDomain.xml',
      'ExchangeServer.xml',
      'ReceiveConnector.xml',
    ]);
  });

  it('refuses a new file in an input folder under a name analyze reads, and allows another name', () => {
    const folder = sampleCopy();
    for (const name of ['report.json', 'REPORT.XML', 'report.clixml'])
      expect(runCli(['analyze', folder, '--output', join(folder, name)]).stderr).toContain(
        'where analyze would read it as an export',
      );
    const report = join(folder, 'report.md');
    const result = runCli(['analyze', folder, '--format', 'markdown', '--output', report]);
    expect(result).toMatchObject({ status: 1, stderr: '' });
    expect(readFileSync(report, 'utf8')).toMatch(/^# exrelay report/);
  });

  it('refuses a symbolic link to an input, and a link into an input folder', () => {
    const folder = sampleCopy();
    const elsewhere = temp();
    const link = join(elsewhere, 'report.json');
    symlinkSync(join(folder, 'ReceiveConnector.xml'), link);
    expect(
      runCli([
        'analyze',
        join(folder, 'ReceiveConnector.xml'),
        join(folder, 'ADPermission.xml'),
        '--output',
        link,
      ]).stderr,
    ).toBe(`exrelay: --output: ${link} is one of the input files; write the report elsewhere\n`);
    const dangling = join(elsewhere, 'new.json');
    symlinkSync(join(folder, 'Report.json'), dangling);
    expect(runCli(['analyze', folder, '--output', dangling]).stderr).toContain(
      'where analyze would read it as an export',
    );
    expect(readlinkSync(link)).toBe(join(folder, 'ReceiveConnector.xml'));
  });
});

describe('a run stopped while it writes its report', () => {
  it('leaves the previous report as it was and no temporary file', async () => {
    // The report is written to a hidden temporary file and then renamed: a SIGTERM in between left that file.
    const folder = temp();
    const organisation = join(folder, 'org.json');
    execFileSync(process.execPath, ['scripts/generate-org.mjs', '--scale', '0.3', '--out', organisation], {
      cwd: ROOT,
    });
    const work = mkdtempSync(join(folder, 'reports-'));
    const report = join(work, 'report.json');
    writeFileSync(report, 'old');
    const child = spawn(
      process.execPath,
      [BIN, 'analyze', organisation, '--format', 'json', '--output', report],
      {
        cwd: ROOT,
        stdio: 'ignore',
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_, signal) => resolve(signal)),
    );
    const temporary = () => readdirSync(work).filter((name) => name.endsWith('.tmp'));
    for (let waited = 0; waited < 10_000 && temporary().length === 0; waited += 5)
      await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGTERM');
    const signal = await exited;
    expect(temporary()).toEqual([]);
    const written = readFileSync(report, 'utf8');
    // Stopped before the rename (nearly always): the old report, and the signal's own ending.
    if (written === 'old') expect(signal).toBe('SIGTERM');
    else expect(JSON.parse(written)).toHaveProperty('connectors');
  });
});

describe('--output at what is not a regular file', () => {
  it('writes through a symbolic link: the link stays, its target gets the report', () => {
    const folder = temp();
    mkdirSync(join(folder, 'reports'));
    const target = join(folder, 'reports', 'latest.json');
    writeFileSync(target, 'old');
    const link = join(folder, 'report.json');
    symlinkSync('reports/latest.json', link);
    const result = runCli(['analyze', SAMPLE, '--format', 'json', '--output', link]);
    expect(result).toMatchObject({ status: 1, stderr: '' });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect((JSON.parse(readFileSync(target, 'utf8')) as Report).summary.connectors).toBe(27);
    expect(readdirSync(join(folder, 'reports'))).toEqual(['latest.json']);
  });

  it('writes into a FIFO in place, and it stays a FIFO', async () => {
    const folder = temp();
    const fifo = join(folder, 'report.fifo');
    execFileSync('mkfifo', [fifo]);
    const child = spawn(process.execPath, [BIN, 'analyze', SAMPLE, '--format', 'json', '--output', fifo], {
      cwd: ROOT,
    });
    const read = readFileSync(fifo, 'utf8');
    const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(status).toBe(1);
    expect((JSON.parse(read) as Report).summary.connectors).toBe(27);
    expect(statSync(fifo).isFIFO()).toBe(true);
  });

  it('writes to a character device in place and keeps the exit code of the findings', () => {
    expect(runCli(['analyze', SAMPLE, '--output', '/dev/null'])).toMatchObject({
      status: 1,
      stdout: '',
      stderr: '',
    });
    expect(runCli(['analyze', SAMPLE, '--output', '/dev/null', '--fail-on', 'none']).status).toBe(0);
    // /dev/zero, which no other program on a shared machine writes to: still the device afterwards.
    expect(runCli(['analyze', SAMPLE, '--output', '/dev/zero']).status).toBe(1);
    expect(statSync('/dev/zero').isCharacterDevice()).toBe(true);
  });

  it('reports a device that refuses the writes of a report many writes long, in one line', () => {
    const folder = temp();
    const file = join(folder, 'org.json');
    // ~6 MB of JSON: more than one 4 MB write, so a write fails while the next part is being rendered.
    execFileSync(process.execPath, ['scripts/generate-org.mjs', '--scale', '0.1', '--out', file], {
      cwd: ROOT,
    });
    expect(runCli(['analyze', file, '--format', 'json', '--output', '/dev/full'])).toMatchObject({
      status: 2,
      stderr: 'exrelay: cannot write /dev/full: no space left on the device\n',
    });
  });

  it('refuses a folder', () => {
    const folder = temp();
    expectUsageError(
      runCli(['analyze', SAMPLE, '--output', folder]),
      `--output: ${folder} is a folder; name a file to write the report to`,
    );
  });

  it.each([
    ['a file with a trailing slash', 'report.json/'],
    ['a missing name with a trailing slash', 'nodir/'],
    ['a file followed by /.', 'report.json/.'],
    ['a file followed by //', 'report.json//'],
  ])('refuses %s: it names a folder, and neither replaces the file nor creates one', (_, name) => {
    // Resolved, `report.json/` named report.json: the report replaced it (exit 0), and `nodir/` created a file.
    const folder = temp();
    writeFileSync(join(folder, 'report.json'), 'notes');
    expectUsageError(
      runCli(['analyze', join(ROOT, SAMPLE), '--output', name], { cwd: folder }),
      `--output: ${name} names a folder, not a file; name a file to write the report to`,
    );
    expect(readFileSync(join(folder, 'report.json'), 'utf8')).toBe('notes');
    expect(readdirSync(folder)).toEqual(['report.json']);
  });

  it('says plainly when the folder does not exist or cannot be written, naming no temporary file', () => {
    expectUsageError(
      runCli(['analyze', SAMPLE, '--output', '/no/such/dir/report.json']),
      '--output: cannot write /no/such/dir/report.json: the folder /no/such/dir does not exist',
    );
    if (process.getuid?.() === 0) return; // root writes anywhere
    const folder = temp();
    chmodSync(folder, 0o500);
    expectUsageError(
      runCli(['analyze', SAMPLE, '--output', join(folder, 'r.json')]),
      `--output: cannot write ${join(folder, 'r.json')}: no permission to write in the folder ${folder}`,
    );
  });
});

describe('--output with a name as long as the file system allows', () => {
  // The temporary file beside it is named after it: ".<name>.<random>.tmp" was too long for a name of 240 or
  // more bytes, and removing it after the failed create crashed (exit 4, ENAMETOOLONG).
  it.each([
    ['ASCII', 'r'.repeat(250)],
    ['two-byte characters', 'é'.repeat(127)],
    ['four-byte characters', '😀'.repeat(63)],
  ])('writes it (%s)', (_kind, name) => {
    const folder = temp();
    const result = runCli(['analyze', SAMPLE, '--fail-on', 'none', '--output', join(folder, name)]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readdirSync(folder)).toEqual([name]);
    expect(readFileSync(join(folder, name), 'utf8')).toMatch(/^27 connectors/);
  });
});

describe('output file permissions', () => {
  function withUmask(umask: string, args: string[]): void {
    const result = spawnSync(
      'sh',
      ['-c', `umask ${umask} && exec "$@"`, 'sh', process.execPath, BIN, ...args],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(result.stderr).toBe('');
  }

  it('creates a new report 0666 minus the umask, as a shell redirection does', () => {
    const folder = temp();
    withUmask('022', ['analyze', SAMPLE, '--fail-on', 'none', '--output', join(folder, 'a.txt')]);
    withUmask('077', ['analyze', SAMPLE, '--fail-on', 'none', '--output', join(folder, 'b.txt')]);
    withUmask('002', ['analyze', SAMPLE, '--fail-on', 'none', '--output', join(folder, 'c.txt')]);
    expect(statSync(join(folder, 'a.txt')).mode & 0o777).toBe(0o644);
    expect(statSync(join(folder, 'b.txt')).mode & 0o777).toBe(0o600);
    expect(statSync(join(folder, 'c.txt')).mode & 0o777).toBe(0o664);
  });

  it('keeps the permission bits of a report it replaces', () => {
    const folder = temp();
    const report = join(folder, 'report.json');
    writeFileSync(report, 'old');
    chmodSync(report, 0o640);
    withUmask('077', ['analyze', SAMPLE, '--fail-on', 'none', '--format', 'json', '--output', report]);
    expect(statSync(report).mode & 0o777).toBe(0o640);
    expect(readFileSync(report, 'utf8')).toMatch(/^\{\n {2}"schemaVersion": 1/);
  });
});

describe('collect and audit check their output paths before collecting', () => {
  // A PowerShell that does not exist: had collection started, the error would be about it.
  const noShell = ['--init-script', `${ROOT}package.json`, '--shell', '/nonexistent/pwsh'];

  it('refuses collect --out and audit --output with a trailing slash', () => {
    const folder = temp();
    expectUsageError(
      runCli(['collect', ...noShell, '--out', 'snapshot.json/'], { cwd: folder }),
      '--out: snapshot.json/ names a folder, not a file; name a file to write the report to',
    );
    expectUsageError(
      runCli(['audit', ...noShell, '--output', 'reports/'], { cwd: folder }),
      '--output: reports/ names a folder, not a file; name a file to write the report to',
    );
    expect(readdirSync(folder)).toEqual([]);
  });

  it('refuses collect --out at an existing folder', () => {
    const folder = temp();
    expectUsageError(
      runCli(['collect', ...noShell, '--out', folder]),
      `--out: ${folder} is a folder; name a file to write the report to`,
    );
  });

  it('refuses audit --snapshot-dir at a file, and audit --output at a missing folder', () => {
    const folder = temp();
    const file = join(folder, 'not-a-folder');
    writeFileSync(file, '');
    expectUsageError(
      runCli(['audit', ...noShell, '--snapshot-dir', file]),
      `--snapshot-dir: ${file} is a file, not a folder; name a folder to keep snapshots in`,
    );
    expectUsageError(
      runCli(['audit', ...noShell, '--output', join(folder, 'no', 'r.json')]),
      `--output: cannot write ${join(folder, 'no', 'r.json')}: the folder ${join(folder, 'no')} does not exist`,
    );
  });
});

describe('input files that are not regular files are refused, never waited on', () => {
  // A FIFO with no writer blocked each of these for ever; --exceptions /dev/zero filled memory (6.6 GB in 20 s).
  it.each([
    ['--exceptions', (fifo: string) => ['analyze', SAMPLE, '--exceptions', fifo]],
    ['a whatif change script', (fifo: string) => ['whatif', fifo, '--against', SAMPLE]],
    ['a usage log file', (fifo: string) => ['usage', fifo, '--against', SAMPLE]],
    // Large inputs were opened to be read in windows before they were looked at.
    ['an analyze input', (fifo: string) => ['analyze', fifo]],
    ['a diff input', (fifo: string) => ['diff', fifo, SAMPLE]],
  ])('%s that is a FIFO', (_, args) => {
    const fifo = join(temp(), 'RECV1.LOG');
    execFileSync('mkfifo', [fifo]);
    expectUsageError(runCli(args(fifo)), `${fifo}: not a regular file`);
  });

  it.each([
    ['--exceptions', ['analyze', SAMPLE, '--exceptions', '/dev/zero']],
    ['a usage log file', ['usage', '/dev/zero', '--against', SAMPLE]],
  ])('%s that is /dev/zero', (_, args) => {
    expectUsageError(runCli(args), '/dev/zero: not a regular file');
  });

  it('an exceptions file and a whole input too large to be one are refused before they are read', () => {
    // Sparse files: the size is what is checked, through the descriptor the file would be read by.
    const exceptions = join(temp(), 'exceptions.yaml');
    writeFileSync(exceptions, '');
    truncateSync(exceptions, 16 * 1024 * 1024 + 1);
    expectUsageError(
      runCli(['analyze', SAMPLE, '--exceptions', exceptions]),
      `${exceptions}: larger than 16 MiB; not an exceptions file`,
    );
    const snapshot = join(temp(), 'org.json');
    writeFileSync(snapshot, '');
    truncateSync(snapshot, 1024 * 1024 * 1024 + 1);
    expectUsageError(runCli(['analyze', snapshot]), `${snapshot}: larger than 1 GiB; not an Exchange export`);
  });

  it('--exceptions and a change script that are folders say so', () => {
    const folder = temp();
    expectUsageError(runCli(['analyze', SAMPLE, '--exceptions', folder]), `${folder}: is a folder`);
    expectUsageError(runCli(['whatif', folder, '--against', SAMPLE]), `${folder}: is a folder`);
  });
});

describe('a file name with a line break', () => {
  it('is written with the break escaped: the error stays one line', () => {
    const folder = temp();
    const file = join(folder, 'connectors\nexrelay: all clear.json');
    writeFileSync(file, '{"Name": ');
    expectUsageError(
      runCli(['analyze', file]),
      `${folder}/connectors\\x0aexrelay: all clear.json: malformed JSON at line 1, column 10: Unexpected end of JSON input`,
    );
  });
});

describe('an input folder that may be entered but not listed', () => {
  // readdir's EACCES escaped as an internal error (exit 4). Root lists any folder: the CLI then runs as nobody.
  const asRoot = process.getuid?.() === 0;
  const canDropRoot = asRoot && spawnSync('setpriv', ['--version']).status === 0;
  const run = (args: string[]) => {
    if (!asRoot) return runCli(args);
    const result = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: undefined } },
    );
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  (asRoot && !canDropRoot ? it.skip : it)(
    'is an input that cannot be read (exit 2): analyze, diff, exceptions init',
    () => {
      const parent = temp();
      chmodSync(parent, 0o777);
      const folder = join(parent, 'export');
      cpSync(SAMPLE, folder, { recursive: true });
      chmodSync(folder, 0o300);
      const message = `${folder}: permission denied`;
      try {
        expectUsageError(run(['analyze', folder]), message);
        expectUsageError(run(['diff', SAMPLE, folder]), message);
        expectUsageError(
          run(['exceptions', 'init', folder, '--out', join(parent, 'exceptions.yaml')]),
          message,
        );
      } finally {
        chmodSync(folder, 0o755); // for the clean-up
      }
    },
  );
});

describe('links in an input folder are followed, never silently left out', () => {
  const json = (args: string[]) => JSON.parse(runCli([...args, '--format', 'json']).stdout) as Report;

  /** A copy of the sample whose export `name` is a link to a copy of that file in another folder. */
  function sampleWithLinkedExport(name: string): { folder: string; elsewhere: string } {
    const folder = sampleCopy();
    const elsewhere = join(temp(), name);
    cpSync(join(folder, name), elsewhere);
    rmSync(join(folder, name));
    symlinkSync(elsewhere, join(folder, name));
    return { folder, elsewhere };
  }

  it('reads an export that is a link to a copy elsewhere, as if it were there', () => {
    const { folder } = sampleWithLinkedExport('ADPermission.xml');
    mkdirSync(join(folder, 'old.json'));
    const linked = json(['analyze', folder]);
    // Guard: without the permissions every verdict would be unknown; with them the sample's relays are found.
    expect(linked.summary.anonymousRelay).toBeGreaterThan(0);
    expect(linked.summary).toEqual(json(['analyze', SAMPLE]).summary);
  });

  it.each([
    [
      'a dangling link',
      (link: string) => symlinkSync(join(temp(), 'gone.xml'), link),
      'named like an export but cannot be read: no such file or folder',
    ],
    [
      'a link to a device',
      (link: string) => symlinkSync('/dev/zero', link),
      'named like an export but not a regular file',
    ],
    [
      'a FIFO',
      (link: string) => execFileSync('mkfifo', [link]),
      'named like an export but not a regular file',
    ],
  ])('refuses an export that is %s', (_, make, message) => {
    const folder = sampleCopy();
    const link = join(folder, 'ADPermission.xml');
    rmSync(link);
    make(link);
    expectUsageError(runCli(['analyze', folder]), `${link}: ${message}`);
  });

  it('refuses --output at an export-named link in the input folder, and leaves its target alone', () => {
    const { folder, elsewhere } = sampleWithLinkedExport('ReceiveConnector.xml');
    const before = readFileSync(elsewhere);
    const output = join(folder, 'ReceiveConnector.xml');
    expectUsageError(
      runCli(['analyze', folder, '--format', 'json', '--output', output]),
      `--output: ${output} is in the input folder ${folder}, where analyze would read it as an export; write the report elsewhere or under another extension`,
    );
    expect(readFileSync(elsewhere).equals(before)).toBe(true);
  });

  it('reads a protocol log that is a link, and refuses one that leads nowhere', () => {
    const logs = temp();
    const real = join(ROOT, 'fixtures/logs/sample/PWEX01/FrontEnd/RECV2026030207-1.LOG');
    symlinkSync(real, join(logs, 'RECV2026030207-1.LOG'));
    const usage = (path: string) => runCli(['usage', path, '--against', SAMPLE, '--format', 'json']);
    const direct = usage(real);
    const linked = usage(logs);
    expect(linked.status).toBe(direct.status);
    // Guard: the log holds sessions, and the linked copy counts the same ones.
    expect(direct.stdout).toMatch(/"sessions": [1-9]/);
    expect(JSON.parse(linked.stdout).summary).toEqual(JSON.parse(direct.stdout).summary);
    const dangling = join(logs, 'RECV2026030208-1.LOG');
    symlinkSync(join(logs, 'missing.LOG'), dangling);
    expect(usage(logs).status).toBe(2);
    expect(usage(logs).stderr).toMatch(/RECV2026030208-1\.LOG: no such file/);
  });
});

describe('a reader that stops early', () => {
  /** Runs the CLI and closes the pipe after the first bytes, as `| head -c 10` does. */
  function closeEarly(args: string[]): Promise<{ status: number | null; stderr: string; read: number }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
      let read = 0;
      let stderr = '';
      child.stdout.once('data', (chunk: Buffer) => {
        read = chunk.length;
        child.stdout.destroy();
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('exit', (status) => resolve({ status, stderr, read }));
    });
  }

  it.each(['json', 'table', 'csv', 'markdown'])('does not change the exit code (%s)', async (format) => {
    const failing = await closeEarly(['analyze', SAMPLE, '--format', format]);
    expect(failing).toMatchObject({ status: 1, stderr: '' });
    expect(failing.read).toBeGreaterThan(0);
    expect((await closeEarly(['analyze', SAMPLE, '--format', format, '--fail-on', 'none'])).status).toBe(0);
  });

  it('ends a large report early without hanging, with the findings exit code', async () => {
    const folder = temp();
    const file = join(folder, 'org.json');
    execFileSync(process.execPath, ['scripts/generate-org.mjs', '--scale', '0.1', '--out', file], {
      cwd: ROOT,
    });
    const result = await closeEarly(['analyze', file, '--format', 'json']);
    expect(result).toMatchObject({ status: 1, stderr: '' });
  });
});

describe('standard output that cannot be written', () => {
  /** Runs the CLI with its standard output on /dev/full, as `> report.json` on a full disk. */
  function toFullDisk(args: string[]): CliResult {
    const full = openSync('/dev/full', 'w');
    try {
      const result = spawnSync(process.execPath, [BIN, ...args], {
        cwd: ROOT,
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
        timeout: 60_000,
      });
      return { status: result.status, stdout: '', stderr: result.stderr };
    } finally {
      closeSync(full);
    }
  }

  // Was a stack trace with exit 1 (a report with findings) or 0 (--version): a truncated report read as done.
  it.each([[['--version']], [['--help']], [['checks']], [['analyze', SAMPLE, '--format', 'json']]])(
    'is one line on standard error and exit 2, not the findings exit code (%j)',
    (args) => {
      expect(toFullDisk(args)).toEqual({
        status: 2,
        stdout: '',
        stderr: 'exrelay: cannot write to standard output: no space left on the device\n',
      });
    },
  );
});

describe('standard output on a disk that fills part-way', () => {
  // A file-size limit makes write() take only the bytes that still fit and say so, as a full disk does; the next
  // write fails (EFBIG; Node ignores SIGXFSZ). Node's stream took that short write for the whole report: the
  // report was cut off at the limit, and the run exited 0 without a word.
  (process.platform === 'win32' ? it.skip : it)(
    'is exit 2 and one line, never a cut-off report with the findings exit code',
    () => {
      const folder = temp();
      const report = join(folder, 'report.json');
      const limited = spawnSync(
        '/bin/sh',
        [
          '-c',
          'ulimit -f 16 && exec "$0" "$@" > "$REPORT"',
          process.execPath,
          BIN,
          'analyze',
          SAMPLE,
          '--format',
          'json',
        ],
        { cwd: ROOT, env: { ...process.env, REPORT: report }, encoding: 'utf8', timeout: 60_000 },
      );
      expect(limited.stderr).toBe(
        'exrelay: cannot write to standard output: the file is larger than allowed\n',
      );
      expect(limited.status).toBe(2);
      // 16 blocks of 512 bytes: the limit, not the report, ended the file.
      expect(statSync(report).size).toBe(8192);
      expect(runCli(['analyze', SAMPLE, '--format', 'json']).stdout.length).toBeGreaterThan(8192);
    },
  );
});

describe('--verbose', () => {
  it('lists every permission entry whose connector is missing; without it, one summarised warning', () => {
    const folder = temp();
    const aces = Array.from({ length: 500 }, (_, index) => ({
      AccessRights: [256],
      ExtendedRights: [{ RawIdentity: 'ms-Exch-SMTP-Accept-Any-Recipient' }],
      Deny: { IsPresent: false },
      InheritanceType: 0,
      User: { RawIdentity: 'NT AUTHORITY\\ANONYMOUS LOGON' },
      Identity: { Name: `Gone ${index}`, DistinguishedName: `CN=Gone ${index},CN=Protocols,CN=EX9,DC=x` },
      IsInherited: false,
    }));
    writeFileSync(join(folder, 'ADPermission.json'), JSON.stringify(aces));
    const args = [
      'analyze',
      `${ROOT}${SAMPLE}/ReceiveConnector.xml`,
      join(folder, 'ADPermission.json'),
      '--fail-on',
      'none',
      '--format',
      'json',
    ];
    const summarised = runCli(args)
      .stderr.split('\n')
      .filter((line) => line.includes('not among the connectors read'));
    expect(summarised).toEqual([
      expect.stringMatching(
        /: 500 permission entries for 500 objects that are not among the connectors read \('Gone 0', 'Gone 1', 'Gone 2' and 497 more; --verbose lists them all\); ignored$/,
      ),
    ]);
    const verbose = runCli([...args, '--verbose'])
      .stderr.split('\n')
      .filter((line) => line.includes('not among the connectors read'));
    expect(verbose).toHaveLength(500);
  });
});
