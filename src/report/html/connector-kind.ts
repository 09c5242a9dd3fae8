/// <reference lib="dom" />
/**
 * Browser code: a connector's details in the analyze and audit report (verdict and why, who holds the relay
 * right, every range, what it really receives and who takes addresses from it, its findings). Put into the page
 * as its own text (see page-script.ts), so it uses nothing from outside its body; its data is built by
 * connector-page.ts.
 */

import type { DetailContext, PageLibrary, PageRow, ReportKind } from './page-types.js';

export interface ConnectorDetail {
  identity: string;
  enabled: boolean;
  role: string | null;
  isDefault: boolean;
  bindings: string[];
  authMechanism: string[];
  permissionGroups: string[];
  verdict: 'relay' | 'no-relay' | 'unknown';
  latent: string | null;
  basis: string;
  /** Indexes into the shared principals. */
  principals: number[];
  ranges: Array<{
    text: string;
    family: string | null;
    /** Rounded when long (approximateCount). */
    addresses: string;
    scope: string | null;
    publicAddresses: string;
    unused: boolean;
    error: string | null;
  }>;
  moreRanges: number;
  receives: string;
  /** Exact and grouped. */
  addresses: string;
  single: boolean;
  publicAddresses: string;
  effectiveRanges: string[];
  moreEffectiveRanges: number;
  takenBy: Array<{ identity: string; addresses: string; ranges: string[]; more: number; tie: boolean }>;
  score: number;
  severity: string;
}

/** [user, sid, inherited, grantedBy, canSubmit]: principals repeat across thousands of connectors. */
export type PagePrincipal = [string, string | null, boolean, string, boolean];

export interface ConnectorShared {
  principals: PagePrincipal[];
}

export function connectorKind(lib: PageLibrary): ReportKind<ConnectorDetail, ConnectorShared> {
  const { el, text, badge, dataTable, facts, list, section, plural } = lib;

  const VERDICT_TEXT: Record<string, string> = {
    relay: 'relays without authentication',
    unknown: 'unknown: the ACL could not be read',
    'no-relay': 'no relay without authentication',
  };

  function details(
    row: PageRow<ConnectorDetail>,
    index: number,
    context: DetailContext<ConnectorShared>,
  ): HTMLElement {
    const connector = row.detail;
    const principals = context.shared.principals;
    const verdict = section(
      `Verdict: ${connector.verdict} (${VERDICT_TEXT[connector.verdict] ?? connector.verdict})`,
      text(connector.basis, 'p'),
      connector.latent === null
        ? null
        : el('p', {}, `Latent: the grant receives no mail today (${connector.latent}).`),
      facts([
        ['Identity', text(connector.identity)],
        ['Enabled', connector.enabled ? 'yes' : 'no'],
        ['Transport role', connector.role ?? 'not recorded (Exchange 2007/2010: HubTransport)'],
        ['Default connector', connector.isDefault ? 'yes' : 'no'],
        ['Bindings', text(connector.bindings.join(', ') || 'none')],
        ['AuthMechanism', text(connector.authMechanism.join(', ') || 'none')],
        ['PermissionGroups', text(connector.permissionGroups.join(', ') || 'none')],
        ['Score', el('span', {}, `${connector.score} of 100 · `, badge(connector.severity))],
      ]),
    );
    const receives = section(
      'What it really receives',
      el(
        'p',
        { class: 'text' },
        `After precedence: ${connector.addresses} ${connector.single ? 'address' : 'addresses'}, ${connector.publicAddresses} of them public.`,
      ),
      connector.effectiveRanges.length === 0
        ? el('p', {}, 'Nothing.')
        : list(
            connector.effectiveRanges.map((range) => el('code', {}, range)),
            connector.moreEffectiveRanges > 0
              ? `and ${plural(connector.moreEffectiveRanges, 'more range')} (the JSON report lists every one)`
              : null,
          ),
      el('h4', {}, 'Connectors that take addresses from it'),
      connector.takenBy.length === 0
        ? el('p', {}, 'None.')
        : list(
            connector.takenBy.map((taker) =>
              el(
                'span',
                {},
                context.link(taker.identity, taker.identity),
                ` takes ${taker.addresses} ${taker.addresses === '1' ? 'address' : 'addresses'}`,
                taker.tie ? ' (an exact tie: Active Directory order decides)' : '',
                `: ${taker.ranges.join(', ')}`,
                taker.more > 0 ? ` and ${plural(taker.more, 'more range')}` : '',
              ),
            ),
          ),
    );
    const holders = section(
      'Who holds the relay right',
      connector.principals.length === 0
        ? el(
            'p',
            {},
            connector.verdict === 'unknown'
              ? 'Not known: the ACL was not read.'
              : 'No principal holds ms-Exch-SMTP-Accept-Any-Recipient.',
          )
        : dataTable(
            'Principals holding ms-Exch-SMTP-Accept-Any-Recipient',
            ['Principal', 'SID', 'Granted by', 'ACE', 'Can submit'],
            connector.principals.map((position) => {
              const [user, sid, inherited, grantedBy, canSubmit] = principals[position] ?? [
                '',
                null,
                false,
                '',
                false,
              ];
              return [
                text(user),
                sid === null ? el('span', { class: 'muted' }, 'unknown') : el('code', {}, sid),
                grantedBy,
                inherited ? 'inherited' : 'explicit',
                canSubmit ? 'yes' : 'no',
              ];
            }),
          ),
    );
    const ranges = section(
      `RemoteIPRanges (${connector.ranges.length + connector.moreRanges})`,
      dataTable(
        'RemoteIPRanges entries',
        ['Entry', 'Family', 'Addresses', 'Scope', 'Public', 'Note'],
        connector.ranges.map((range) => [
          el('code', { class: 'text' }, range.text),
          range.family ?? '—',
          range.addresses,
          range.scope ?? '—',
          range.publicAddresses,
          range.error !== null
            ? text(`does not parse: ${range.error}`)
            : range.unused
              ? 'unused: no binding of its family'
              : '',
        ]),
        [2, 4],
      ),
      connector.moreRanges > 0
        ? el(
            'p',
            { class: 'muted' },
            `and ${plural(connector.moreRanges, 'more entry', 'more entries')} (the JSON report lists every one)`,
          )
        : null,
    );
    const own = context.findings(index);
    const findings = section(
      `Findings (${own.length})`,
      own.length === 0 ? el('p', {}, 'None.') : null,
      ...own,
    );
    return el('div', {}, el('div', { class: 'detail-top' }, verdict, receives), holders, ranges, findings);
  }

  function search(row: PageRow<ConnectorDetail>, shared: ConnectorShared): string {
    const connector = row.detail;
    return [
      connector.receives,
      connector.latent ?? '',
      ...connector.ranges.map((range) => range.text),
      ...connector.principals.map((position) => shared.principals[position]?.[0] ?? ''),
    ].join('\n');
  }

  return { details, search };
}
