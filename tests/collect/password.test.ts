import { EventEmitter } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import { readPassword } from '../../src/collect/password.js';
import { UsageError } from '../../src/errors.js';

/** A terminal that types `keys` once the prompt listens; it records raw mode and what was echoed. */
class FakeTerminal extends EventEmitter {
  isTTY = true;
  rawModes: boolean[] = [];
  echoed: string[] = [];
  constructor(private readonly keys: string[]) {
    super();
  }
  setRawMode(raw: boolean) {
    this.rawModes.push(raw);
  }
  resume() {
    setImmediate(() => this.keys.forEach((key) => this.emit('data', Buffer.from(key, 'utf8'))));
  }
  pause() {}
  write(text: string) {
    this.echoed.push(text);
  }
}

describe('readPassword', () => {
  it('takes EXRELAY_PASSWORD without prompting', async () => {
    const terminal = new FakeTerminal([]);
    await expect(
      readPassword('CONTOSO\\svc-exrelay', { EXRELAY_PASSWORD: 'Sommer2024!' }, terminal, terminal),
    ).resolves.toBe('Sommer2024!');
    expect(terminal.echoed).toEqual([]);
  });

  it('prompts in raw mode on a terminal and echoes nothing typed', async () => {
    const terminal = new FakeTerminal(['Somm', 'erxy', '\u007f', '\u007f', '2024!', '\r']);
    await expect(readPassword('CONTOSO\\svc-exrelay', {}, terminal, terminal)).resolves.toBe('Sommer2024!');
    expect(terminal.echoed).toEqual(['Password for CONTOSO\\svc-exrelay: ', '\n']);
    expect(terminal.rawModes).toEqual([true, false]);
    expect(terminal.listenerCount('data')).toBe(0);
  });

  it('keeps non-ASCII characters and ends at a line feed too', async () => {
    const terminal = new FakeTerminal(['Kennwort-Größe€\n']);
    await expect(readPassword('admin@contoso.com', {}, terminal, terminal)).resolves.toBe('Kennwort-Größe€');
  });

  it('stops on Ctrl-C and restores the terminal', async () => {
    const terminal = new FakeTerminal(['secr', '\u0003']);
    await expect(readPassword('admin', {}, terminal, terminal)).rejects.toThrow('password prompt cancelled');
    expect(terminal.rawModes).toEqual([true, false]);
  });

  it('refuses an empty password', async () => {
    const terminal = new FakeTerminal(['\r']);
    await expect(readPassword('admin', {}, terminal, terminal)).rejects.toThrow(
      'no password was entered for admin',
    );
  });

  it('asks for EXRELAY_PASSWORD when there is no terminal to prompt on', async () => {
    const pipe = new FakeTerminal([]);
    pipe.isTTY = false;
    const failure = readPassword('CONTOSO\\svc-exrelay', {}, pipe, pipe);
    await expect(failure).rejects.toThrow(UsageError);
    await expect(failure).rejects.toThrow(
      '--credential-user CONTOSO\\svc-exrelay needs a password: set EXRELAY_PASSWORD or run exrelay in a terminal to be asked for it',
    );
  });
});
