/**
 * Extended-right names exrelay cannot trust to grant nothing. Get-ADPermission prints each right by its schema
 * name; a name no Exchange transport right has, but that is not plainly some other right either, may stand for
 * the relay right itself (exchange-domain.md §1.3).
 */

/** What Externally Secured Servers and ExchangeLegacyInterop hold (exchange-domain.md §1.2). */
export const TRUSTED_SOURCE_RIGHTS: readonly string[] = [
  'ms-Exch-SMTP-Submit',
  'ms-Exch-SMTP-Accept-Any-Recipient',
  'ms-Exch-SMTP-Accept-Authentication-Flag',
  'ms-Exch-SMTP-Accept-Any-Sender',
  'ms-Exch-SMTP-Accept-Authoritative-Domain-Sender',
  'ms-Exch-Bypass-Anti-Spam',
  'ms-Exch-Bypass-Message-Size-Limit',
  'ms-Exch-SMTP-Accept-Exch50',
  'ms-Exch-Accept-Headers-Routing',
];

/** The header rights ExchangeLegacyInterop is denied, and Exchange's own servers hold. */
export const LEGACY_DENIED_RIGHTS: readonly string[] = [
  'ms-Exch-Accept-Headers-Forest',
  'ms-Exch-Accept-Headers-Organization',
];

/** The internal rights Exchange 2013 and later add to its servers' (2010 added XShadow alone). */
export const E15_INTERNAL_RIGHTS: readonly string[] = [
  'ms-Exch-SMTP-Accept-XProxyFrom',
  'ms-Exch-SMTP-Accept-XSessionParams',
  'ms-Exch-SMTP-Accept-XMessageContext-ADRecipientCache',
  'ms-Exch-SMTP-Accept-XMessageContext-ExtendedProperties',
  'ms-Exch-SMTP-Accept-XMessageContext-FastIndex',
  'ms-Exch-SMTP-Accept-XAttr',
  'ms-Exch-SMTP-Accept-XSysProbe',
];

export const XSHADOW_RIGHT = 'ms-Exch-SMTP-Accept-XShadow';

/**
 * Every Exchange transport right on a Receive connector, lower-cased: the permission groups' rights, and the
 * spelling S-RP13 gives Accept-Exch50 (exchange-domain.md §1.3).
 */
const TRANSPORT_RIGHTS: ReadonlySet<string> = new Set(
  [
    ...TRUSTED_SOURCE_RIGHTS,
    ...LEGACY_DENIED_RIGHTS,
    ...E15_INTERNAL_RIGHTS,
    XSHADOW_RIGHT,
    'ms-Exch-Accept-Exch50',
  ].map((name) => name.toLowerCase()),
);

/** A right's GUID (rightsGuid), with or without braces: the name the server could not resolve. */
const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;

/** Words only an Exchange transport right's name holds; a name with one that is none of them was mangled. */
const TRANSPORT_WORDS = /ms-?exch|smtp|recipient/i;

/**
 * Whether an extended right's name may hide the relay right: a GUID (the server printed the right unresolved), an
 * empty or space-padded name (no schema name is either), or a name that reads like an Exchange transport right but
 * is none of them (altered or damaged in the file). Any other name, such as Send-As, is some other right.
 */
export function isUnresolvedRight(name: string): boolean {
  if (TRANSPORT_RIGHTS.has(name.toLowerCase())) return false;
  const trimmed = name.trim();
  return trimmed === '' || trimmed !== name || GUID.test(trimmed) || TRANSPORT_WORDS.test(trimmed);
}
