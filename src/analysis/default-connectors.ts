/**
 * The connectors Exchange setup creates (exchange-domain.md §3.4). A relay grant belongs on a dedicated
 * connector, never on one of these: their RemoteIPRanges is the whole Internet by design.
 */

const DEFAULT_NAME_PREFIXES = [
  'Default', // 2007/2010 Hub (port 25), 2013+ Transport service (2525)
  'Default Frontend',
  'Client', // 2007/2010 (587)
  'Client Frontend',
  'Client Proxy',
  'Outbound Proxy Frontend',
  'Default internal receive connector', // Edge
];

/** A default connector is named "<prefix> <server>" by setup. */
export function isDefaultConnector(name: string, server: string): boolean {
  const folded = name.trim().toLowerCase();
  const suffix = ` ${server.trim().toLowerCase()}`;
  if (!folded.endsWith(suffix)) return false;
  const prefix = folded.slice(0, -suffix.length);
  return DEFAULT_NAME_PREFIXES.some((candidate) => candidate.toLowerCase() === prefix);
}
