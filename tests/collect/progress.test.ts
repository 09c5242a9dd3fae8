import { describe, expect, it } from '@jest/globals';
import { createProgress } from '../../src/collect/progress.js';

function stream(isTTY: boolean, columns = 100) {
  const written: string[] = [];
  return { isTTY, columns, written, write: (text: string) => written.push(text) };
}

function drive(progress: ReturnType<typeof createProgress>) {
  progress.phase('Connecting to http://ex01.contoso.com/PowerShell/');
  progress.permissions(0, 80);
  progress.permissions(25, 80);
  progress.permissions(80, 80);
  progress.finish();
}

describe('createProgress', () => {
  it('draws one status line in place on a terminal and clears it at the end', () => {
    const terminal = stream(true);
    drive(createProgress(terminal, false));
    expect(terminal.written).toEqual([
      '\rConnecting to http://ex01.contoso.com/PowerShell/ …\u001b[K',
      `\rReading connector permissions [${'-'.repeat(24)}] 0/80\u001b[K`,
      `\rReading connector permissions [${'#'.repeat(8)}${'-'.repeat(16)}] 25/80\u001b[K`,
      `\rReading connector permissions [${'#'.repeat(24)}] 80/80\u001b[K`,
      '\r\u001b[K',
    ]);
  });

  it('shortens the line to the terminal width', () => {
    const narrow = stream(true, 30);
    createProgress(narrow, false).phase('Connecting to http://ex01.contoso.com/PowerShell/');
    expect(narrow.written).toEqual(['\rConnecting to http://ex01.co…\u001b[K']);
  });

  it('assumes 80 columns on a terminal that reports none (a pseudo-terminal without a size)', () => {
    const sizeless = stream(true, 0);
    createProgress(sizeless, false).permissions(25, 80);
    expect(sizeless.written).toEqual([
      `\rReading connector permissions [${'#'.repeat(8)}${'-'.repeat(16)}] 25/80\u001b[K`,
    ]);
  });

  it('writes nothing when stderr is not a terminal (a log file, a pipe)', () => {
    const log = stream(false);
    drive(createProgress(log, false));
    expect(log.written).toEqual([]);
  });

  it('writes nothing with --quiet', () => {
    const terminal = stream(true);
    drive(createProgress(terminal, true));
    expect(terminal.written).toEqual([]);
  });
});
