/**
 * Endpoints as protocol logs write them (local-endpoint, remote-endpoint): "10.1.2.3:25", "[2001:db8::5]:25", and unbracketed
 * IPv6 "2001:db8::5:25" (no real IPv6 sample was found, so both are accepted; the port is after the *last* colon).
 * IPv4-mapped IPv6 ("[::ffff:10.1.2.3]:25") becomes the IPv4 address, as Exchange compares it with RemoteIPRanges.
 */

import { parseIpAddress, type IpAddress } from './ip-address.js';

export interface Endpoint {
  address: IpAddress;
  port: number;
}

export function parseEndpoint(text: string): Endpoint | null {
  const trimmed = text.trim();
  const colon = trimmed.lastIndexOf(':');
  if (colon <= 0) return null;
  const port = parsePort(trimmed.slice(colon + 1));
  if (port === null) return null;
  let host = trimmed.slice(0, colon);
  if (host.startsWith('[')) {
    if (!host.endsWith(']')) return null;
    host = host.slice(1, -1);
  }
  const address = parseIpAddress(host);
  return address === null ? null : { address, port };
}

function parsePort(text: string): number | null {
  if (!/^[0-9]{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port <= 65535 ? port : null;
}
