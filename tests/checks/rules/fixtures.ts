/** Connectors shared by the per-check rule tests. */

import { anonymousUsersGroup, connector, grant, RELAY, SUBMIT } from '../../support/builders.js';

export const ANONYMOUS = 'NT AUTHORITY\\ANONYMOUS LOGON';
export const ESS = 'MS Exchange\\Externally Secured Servers';
export const anonymousRelayAcl = [...anonymousUsersGroup(), grant(ANONYMOUS, RELAY)];

/** Default Frontend as installed: anonymous submission, no relay. */
export const defaultFrontend = connector({
  name: 'Default Frontend EX01',
  bindings: ['0.0.0.0:25', '[::]:25'],
  remoteIPRanges: ['0.0.0.0-255.255.255.255', '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  permissions: anonymousUsersGroup(),
});

/** A dedicated relay connector with anonymous relay on the given ranges. */
export function relayConnector(
  remoteIPRanges: string[],
  extra: Partial<Parameters<typeof connector>[0]> = {},
) {
  return connector({ name: 'Relay', remoteIPRanges, permissions: anonymousRelayAcl, ...extra });
}

export const externallySecuredAcl = [grant(ESS, SUBMIT), grant(ESS, RELAY)];
