import { describe, expect, it } from '@jest/globals';
import { itWithLabData, labBytes } from '../support/shared-data.js';
import { parseBinding } from '../../src/net/binding.js';
import { parseIpAddress } from '../../src/net/ip-address.js';

describe('parseBinding', () => {
  it('reads IPv4 and IPv6 wildcard bindings', () => {
    expect(parseBinding('0.0.0.0:25')).toEqual({
      text: '0.0.0.0:25',
      family: 4,
      address: 0n,
      port: 25,
      wildcard: true,
    });
    expect(parseBinding('[::]:25')).toEqual({
      text: '[::]:25',
      family: 6,
      address: 0n,
      port: 25,
      wildcard: true,
    });
  });

  it('reads bindings to one local address', () => {
    expect(parseBinding('10.1.1.5:2525')).toEqual({
      text: '10.1.1.5:2525',
      family: 4,
      address: parseIpAddress('10.1.1.5')!.value,
      port: 2525,
      wildcard: false,
    });
    expect(parseBinding('[2001:db8::5]:587')).toMatchObject({
      family: 6,
      address: parseIpAddress('2001:db8::5')!.value,
      port: 587,
      wildcard: false,
    });
    expect(parseBinding('[fe80::1%3]:25')).toMatchObject({
      text: '[fe80::1%3]:25',
      family: 6,
      address: parseIpAddress('fe80::1')!.value,
      port: 25,
    });
    expect(parseBinding(' 10.1.1.5:465 ')).toMatchObject({ text: '10.1.1.5:465', port: 465 });
  });

  it('keeps a bracketed IPv4-mapped address in the IPv6 family, as the socket reports it', () => {
    expect(parseBinding('[::ffff:10.1.1.5]:25')).toMatchObject({ family: 6, address: 0xffff0a010105n });
  });

  it('accepts the port range 1-65535', () => {
    expect(parseBinding('0.0.0.0:1')?.port).toBe(1);
    expect(parseBinding('0.0.0.0:65535')?.port).toBe(65535);
  });

  it.each([
    '',
    '0.0.0.0',
    '0.0.0.0:',
    '0.0.0.0:0',
    '0.0.0.0:65536',
    '0.0.0.0:025',
    '0.0.0.0:-25',
    '0.0.0.0:2 5',
    '0.0.0.0:25x',
    ':25',
    '::1:25', // IPv6 must be bracketed
    '[::1]',
    '[::1]25',
    '[::1:25',
    '[10.1.1.5]:25',
    '[::1]:',
    '10.1.1:25',
    '10.1.1.5%3:25',
    'server01:25',
    '0.0.0.0:25:25',
  ])('returns null for %j', (text) => {
    expect(parseBinding(text)).toBeNull();
  });

  itWithLabData('reads every binding of the real Exchange 2019 export', () => {
    const xml = labBytes('GetReceiveConnector.xml').toString('utf8');
    // IPBinding objects: a ToString followed by Props that start with the Port.
    const texts = [...xml.matchAll(/<ToString>([^<]*)<\/ToString>\s*<Props>\s*<I32 N="Port">/g)].map(
      (match) => match[1]!,
    );
    expect(texts).toHaveLength(10);
    const bindings = texts.map(parseBinding);
    expect(bindings.every((binding) => binding?.wildcard === true)).toBe(true);
    expect(new Set(bindings.map((binding) => binding!.port))).toEqual(new Set([25, 465, 587, 717, 2525]));
    expect(bindings.filter((binding) => binding!.family === 6)).toHaveLength(5);
  });
});
