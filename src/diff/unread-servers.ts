/**
 * Servers whose connectors the later input did not read: it lists the server (Get-ExchangeServer still returns
 * it, so it was not removed) but holds none of the connectors the earlier input had on it, as an export of one
 * server's connectors or a collection that failed on one server gives. Their connectors and findings are not
 * compared: gone from the input is not gone from Exchange, and a relay there must not read as resolved.
 */

import type { OrganizationAnalysis } from '../analysis/analyze.js';

/** Lower-cased names of the servers the later side lists without any of the earlier side's connectors on them. */
export function unreadServers(before: OrganizationAnalysis, after: OrganizationAnalysis): Set<string> {
  const listed = new Set(after.snapshot.servers.map((server) => server.name.toLowerCase()));
  const withConnectors = new Set(
    after.snapshot.connectors.map((connector) => connector.server.toLowerCase()),
  );
  const unread = new Set<string>();
  for (const connector of before.snapshot.connectors) {
    const server = connector.server.toLowerCase();
    if (listed.has(server) && !withConnectors.has(server)) unread.add(server);
  }
  return unread;
}
