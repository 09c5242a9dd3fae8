/**
 * Receive connector Bindings as Exchange prints them (IPEndPoint.ToString): "0.0.0.0:25", "[::]:25",
 * "10.1.1.5:2525", "[fe80::1%3]:25".
 */
import { parseIpv4Text, parseIpv6Text, type IpFamily } from './ip-address.js';

export interface Binding {
  /** The binding as it was written (whitespace trimmed). */
  text: string;
  /** The socket's family: bracketed addresses are IPv6 even when they embed IPv4, as .NET reports them. */
  family: IpFamily;
  address: bigint;
  port: number;
  /** Bound to every local address of its family (0.0.0.0 or [::]). */
  wildcard: boolean;
}

// Ports as .NET prints them: decimal, no sign, no leading zeros.
const PORT = /^[1-9][0-9]{0,4}$/;
const MAX_PORT = 65535;

/** Parses one binding; null for anything that is not "ipv4:port" or "[ipv6]:port" with a port 1-65535. */
export function parseBinding(text: string): Binding | null {
  const trimmed = text.trim();
  const colon = trimmed.lastIndexOf(':');
  if (colon < 0) return null;
  const port = parsePort(trimmed.slice(colon + 1));
  if (port === null) return null;
  const host = trimmed.slice(0, colon);
  const endpoint = host.startsWith('[') && host.endsWith(']') ? ipv6Host(host.slice(1, -1)) : ipv4Host(host);
  if (endpoint === null) return null;
  return { text: trimmed, ...endpoint, port, wildcard: endpoint.address === 0n };
}

function ipv6Host(text: string): { family: IpFamily; address: bigint } | null {
  const address = parseIpv6Text(text);
  return address === null ? null : { family: 6, address };
}

function ipv4Host(text: string): { family: IpFamily; address: bigint } | null {
  const address = parseIpv4Text(text);
  return address === null ? null : { family: 4, address };
}

function parsePort(text: string): number | null {
  if (!PORT.test(text)) return null;
  const port = Number(text);
  return port <= MAX_PORT ? port : null;
}
