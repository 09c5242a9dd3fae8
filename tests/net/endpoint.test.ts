import { describe, expect, it } from '@jest/globals';
import { parseEndpoint } from '../../src/net/endpoint.js';
import { formatIpAddress } from '../../src/net/ip-address.js';

function parse(text: string): string | null {
  const endpoint = parseEndpoint(text);
  return endpoint === null
    ? null
    : `${formatIpAddress(endpoint.address)} ${endpoint.port} v${endpoint.address.family}`;
}

describe('parseEndpoint', () => {
  it.each([
    ['10.1.2.3:25', '10.1.2.3 25 v4'],
    ['[2001:db8::5]:25', '2001:db8::5 25 v6'],
    // Unbracketed IPv6: the port is after the last colon.
    ['2001:db8:16::10:25', '2001:db8:16::10 25 v6'],
    ['2a02:8108:1140:5d00::25:61077', '2a02:8108:1140:5d00::25 61077 v6'],
    // IPv4-mapped IPv6 is the IPv4 address, as Exchange compares it with RemoteIPRanges.
    ['[::ffff:10.1.2.3]:2525', '10.1.2.3 2525 v4'],
    ['[fe80::1%12]:25', 'fe80::1 25 v6'],
  ])('%s', (text, expected) => {
    expect(parse(text)).toBe(expected);
  });

  it.each(['', '10.1.2.3', '10.1.2.3:', 'x.example:25', '[2001:db8::5:25', '10.1.2.3:70000', ':25'])(
    'refuses %j',
    (text) => {
      expect(parse(text)).toBeNull();
    },
  );
});
