/**
 * What each TlsDomainCapabilities entry of a connector opens, and how bad that is (tls-capabilities.ts has the
 * documented and observed semantics; docs/checks/certificate-relay.md the reasoning):
 *
 * - AcceptCrossForestMail for a domain: every host with a valid certificate of that domain relays with the
 *   rights of Externally Secured Servers. For Exchange Online's shared certificate (*.outlook.com) that is any
 *   tenant of the service: scored as unauthenticated relay over the connector's scope. For another domain it is
 *   relay for whoever holds that domain's certificate: medium. A wildcard over a public suffix ("*.com") is
 *   scored like the shared certificate: anyone can get a certificate under it. (For "NO-TLS" it is
 *   unauthenticated relay, part of the relay verdict: relay.ts.)
 * - AcceptCloudServicesMail / AllowSubmit: submission with the sender checks off, not relay. Info for the
 *   Hybrid Configuration Wizard's own entry (Exchange Online's certificate), low for another domain, medium
 *   without TLS.
 * - AcceptOrgHeaders: organisation headers kept (the header firewall off): low, medium without TLS.
 * - AcceptOorgProtocol, the internal protocol capabilities, unknown names: info (low without TLS).
 * Certificate entries need STARTTLS: without Tls in AuthMechanism they are latent, as on a connector that
 * receives nothing.
 */

import type { ReceiveConnector } from '../model/snapshot.js';
import type { LatentReason } from './analyze.js';
import { BAND_FLOOR } from './severity.js';
import { LATENT_SCORE } from './scoring.js';
import type { TlsCapabilityEntry } from './tls-capabilities.js';

export interface CertificatePath {
  entry: TlsCapabilityEntry;
  /** Why the entry opens nothing today; null when it is live. */
  latent: LatentReason | null;
  score: number;
}

const SCORES = {
  relayPrivateDomain: 50,
  withoutTls: 45,
  otherDomain: BAND_FLOOR.low,
  informational: 5,
} as const;

export function assessCertificatePaths(
  connector: ReceiveConnector,
  entries: readonly TlsCapabilityEntry[],
  receiving: LatentReason | null,
  liveExposure: number,
): CertificatePath[] {
  const tlsOffered = connector.authMechanism.some((name) => name.toLowerCase() === 'tls');
  // An entry the export lost has no domain to name: verdict-unknown reports it (lost-tls-capability).
  return entries
    .filter((entry) => !(entry.noTls && entry.effect === 'relay') && entry.domain !== null)
    .map((entry) => {
      const latent = receiving ?? (entry.noTls || tlsOffered ? null : 'no-tls');
      return {
        entry,
        latent,
        score: entry.ignored
          ? 0
          : latent
            ? Math.min(LATENT_SCORE, liveScore(entry, liveExposure))
            : liveScore(entry, liveExposure),
      };
    });
}

function liveScore(entry: TlsCapabilityEntry, liveExposure: number): number {
  switch (entry.effect) {
    case 'relay':
      return entry.sharedService || entry.anyCertificate ? liveExposure : SCORES.relayPrivateDomain;
    case 'submit-as-internal':
      return entry.noTls || entry.anyCertificate
        ? SCORES.withoutTls
        : entry.sharedService
          ? SCORES.informational
          : SCORES.otherDomain;
    case 'organization-headers':
      return entry.noTls || entry.anyCertificate ? SCORES.withoutTls : SCORES.otherDomain;
    default:
      return entry.noTls || entry.anyCertificate ? SCORES.otherDomain : SCORES.informational;
  }
}
