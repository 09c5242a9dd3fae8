/**
 * AuthMechanism and PermissionGroups of a snapshot written as a number ("33") or as their ToString text
 * ("Tls, ExternalAuthoritative"), as a converter of its own may write them (TlsDomainCapabilities flattened to
 * one string: end of file). Kept whole they named no mechanism:
 * an externally secured open relay on the Internet read as `unknown` (medium, exit 0) instead of `relay`
 * (critical). They are read as the names they stand for, as the export reader reads them.
 */

import { describe, expect, it } from '@jest/globals';
import { analyseConverterSnapshot } from '../support/converter-snapshot.js';

const SECURED = {
  user: 'MS Exchange\\Externally Secured Servers',
  sid: 'S-1-9-1419165041-1139599005-3936102811-1022490595-23',
  deny: false,
  inherited: false,
  accessRights: ['ExtendedRight'],
  inheritanceType: 'None',
};
/** An ACL that grants nobody relay: the entry every connector inherits for SYSTEM. */
const SYSTEM_ONLY = [
  {
    user: 'NT AUTHORITY\\SYSTEM',
    sid: 'S-1-5-18',
    deny: false,
    inherited: true,
    accessRights: ['GenericAll'],
    extendedRights: [],
    inheritanceType: 'All',
  },
];
const SECURED_RELAY = ['ms-Exch-SMTP-Submit', 'ms-Exch-SMTP-Accept-Any-Recipient'].map((right) => ({
  ...SECURED,
  extendedRights: [right],
}));

function analyse(
  authMechanism: string[],
  permissionGroups: string[],
  permissions: unknown[] | null,
  tlsDomainCapabilities: string[] = [],
) {
  const connector = analyseConverterSnapshot({
    name: 'Partners In',
    remoteIPRanges: ['0.0.0.0-255.255.255.255'],
    authMechanism,
    permissionGroups,
    permissions,
    tlsDomainCapabilities,
  });
  return { verdict: connector?.relay.verdict, severity: connector?.severity };
}

describe('AuthMechanism and PermissionGroups of a snapshot', () => {
  it('reads a number or ToString text as the flag names it stands for', () => {
    const relay = { verdict: 'relay', severity: 'critical' };
    expect(analyse(['33'], ['ExchangeServers'], SECURED_RELAY)).toEqual(relay);
    expect(analyse(['Tls, ExternalAuthoritative'], ['ExchangeServers'], SECURED_RELAY)).toEqual(relay);
    expect(analyse(['Tls ExternalAuthoritative'], ['ExchangeServers'], SECURED_RELAY)).toEqual(relay);
    // Without the ACL, ExternalAuthoritative with the ExchangeServers group is the proof.
    expect(analyse(['Tls', 'ExternalAuthoritative'], ['ExchangeServers, Partners'], null)).toEqual(relay);
    expect(analyse(['Tls', 'ExternalAuthoritative'], ['20'], null)).toEqual(relay);
  });

  it('keeps names as written, and a value no mechanism stands for still makes the verdict unknown', () => {
    expect(analyse(['Tls'], ['ExchangeServers'], SECURED_RELAY).verdict).toBe('no-relay');
    expect(analyse(['Tls', '64'], ['ExchangeServers'], SECURED_RELAY).verdict).toBe('unknown');
    expect(analyse(['Tls', 'ExternallySecured'], ['ExchangeServers'], SECURED_RELAY).verdict).toBe('unknown');
  });
});

describe('TlsDomainCapabilities of a snapshot', () => {
  // The hybrid entry and relay for every session without TLS, as one string (a list flattened by a converter).
  // Read whole, NO-TLS became a capability name nobody knows: info, exit 0, for an open relay.
  const flattened = 'mail.protection.outlook.com:AcceptCloudServicesMail, NO-TLS:AcceptCrossForestMail';

  it('splits one string holding several entries as the export reader does', () => {
    const relay = { verdict: 'relay', severity: 'critical' };
    expect(analyse(['Tls'], [], SYSTEM_ONLY, [flattened])).toEqual(relay);
    expect(analyse(['Tls'], [], SYSTEM_ONLY, [`{${flattened}}`])).toEqual(relay);
  });

  it('keeps entries with several capabilities, or spaces around the colon, as they are', () => {
    expect(analyse(['Tls'], [], SYSTEM_ONLY, ['partner.example:AllowSubmit,AcceptCrossForestMail'])).toEqual({
      verdict: 'no-relay',
      severity: 'medium',
    });
    expect(analyse(['Tls'], [], SYSTEM_ONLY, [' no-tls : AcceptCrossForestMail '])).toEqual({
      verdict: 'relay',
      severity: 'critical',
    });
  });
});
