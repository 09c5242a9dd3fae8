import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import { buildSnapshot } from '../../src/ingest/build-snapshot.js';
import type { ParsedInput } from '../../src/ingest/read-input.js';
import { DIFFERENT_ACLS } from '../../src/ingest/merge-copies.js';
import type { AccessControlEntry, ReceiveConnector } from '../../src/model/snapshot.js';
import { connector, grant, inheritedRead, RELAY, snapshot, SUBMIT } from '../support/builders.js';
import { evaluate } from '../../src/pipeline.js';

const DN =
  'CN=Relay,CN=SMTP Receive Connectors,CN=Protocols,CN=EX01,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com';

function connectorsFile(...names: Array<[string, string]>): ParsedInput {
  return {
    file: 'ReceiveConnector.xml',
    format: 'clixml',
    records: names.map(([server, name]) => ({
      kind: 'connector',
      value: connector({
        server,
        name,
        permissions: null,
        distinguishedName: name === 'Relay' && server === 'EX01' ? DN : null,
      }),
      warnings: [],
    })),
  };
}

/**
 * A Get-ADPermission export: one relay grant per target. Inherited, as if granted on a container: an export without
 * one inherited entry was filtered (incomplete-input).
 */
function acesFile(...targets: Array<{ text: string | null; distinguishedName: string | null }>): ParsedInput {
  return {
    file: 'ADPermission.xml',
    format: 'clixml',
    records: targets.map((target) => ({
      kind: 'ace',
      target,
      value: grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY, { inherited: true }),
      unreadable: null,
    })),
  };
}

describe('buildSnapshot', () => {
  it('attaches ACEs by DN, by identity, and by a name only one connector has, whatever the file order', () => {
    const { snapshot: merged, warnings } = buildSnapshot([
      acesFile(
        { text: 'Relay', distinguishedName: DN },
        { text: 'EX02\\Relay', distinguishedName: null },
        { text: 'Printers', distinguishedName: null },
      ),
      connectorsFile(['EX01', 'Relay'], ['EX02', 'Relay'], ['EX02', 'Printers']),
    ]);
    expect(warnings).toEqual([]);
    expect(merged.connectors.map((c) => [c.identity, c.permissions?.length ?? null])).toEqual([
      ['EX01\\Relay', 1],
      ['EX02\\Relay', 1],
      ['EX02\\Printers', 1],
    ]);
  });

  it('never guesses between connectors of the same name, and warns about entries it cannot place', () => {
    const { snapshot: merged, warnings } = buildSnapshot([
      connectorsFile(['EX01', 'Relay'], ['EX02', 'Relay']),
      acesFile(
        { text: 'Relay', distinguishedName: null },
        { text: 'Relay', distinguishedName: null },
        { text: 'EX09\\Gone', distinguishedName: null },
      ),
    ]);
    expect(merged.connectors.every((c) => c.permissions === null)).toBe(true);
    expect(warnings).toEqual([
      "ADPermission.xml: 2 permission entries for 'Relay', which is not among the connectors read; ignored",
      "ADPermission.xml: 1 permission entry for 'EX09\\Gone', which is not among the connectors read; ignored",
    ]);
  });

  it("never attaches another server's entries by the name alone: they are that server's connector's", () => {
    // An ACE export of two servers beside the connectors of one: EX02's deny must not decide EX01's verdict.
    const { snapshot: merged, warnings } = buildSnapshot([
      connectorsFile(['EX01', 'Printers']),
      acesFile(
        { text: 'EX02\\Printers', distinguishedName: null },
        { text: 'ex01.contoso.com\\Printers', distinguishedName: null },
        { text: 'EX01\\Printers', distinguishedName: null },
      ),
    ]);
    expect(merged.connectors.map((c) => [c.identity, c.permissions?.length ?? null])).toEqual([
      ['EX01\\Printers', 2],
    ]);
    expect(warnings).toEqual([
      "ADPermission.xml: 1 permission entry for 'EX02\\Printers', which is not among the connectors read; ignored",
    ]);
  });

  it('never attaches an ACE whose DN names another object, though its identity or name matches', () => {
    const otherOrganisation = DN.replace('DC=contoso,DC=com', 'DC=fabrikam,DC=com');
    const { snapshot: merged, warnings } = buildSnapshot([
      connectorsFile(['EX01', 'Relay'], ['EX02', 'Printers']),
      acesFile(
        { text: 'EX01\\Relay', distinguishedName: otherOrganisation },
        { text: 'Relay', distinguishedName: otherOrganisation },
        // EX02\Printers has no DN in its export: the identity is all there is to go on.
        { text: 'EX02\\Printers', distinguishedName: otherOrganisation.replace('CN=Relay,', 'CN=Printers,') },
      ),
    ]);
    expect(merged.connectors.map((c) => [c.identity, c.permissions?.length ?? null])).toEqual([
      ['EX01\\Relay', null],
      ['EX02\\Printers', 1],
    ]);
    expect(warnings).toEqual([
      "ADPermission.xml: 1 permission entry for 'EX01\\Relay', which is not among the connectors read; ignored",
      "ADPermission.xml: 1 permission entry for 'Relay', which is not among the connectors read; ignored",
    ]);
  });

  it('merges an organisation export with a separate Edge export and keeps accepted domains null when absent', () => {
    const { snapshot: merged } = buildSnapshot([
      connectorsFile(['EX01', 'Default Frontend EX01']),
      connectorsFile(['EDGE01', 'Default internal receive connector EDGE01']),
    ]);
    expect(merged.connectors.map((c) => c.server)).toEqual(['EX01', 'EDGE01']);
    expect(merged.acceptedDomains).toBeNull();
    expect(merged.source).toEqual({
      method: 'files',
      description: 'ReceiveConnector.xml, ReceiveConnector.xml',
      tool: null,
    });
  });

  it('keeps the first copy of a connector seen twice and warns when the copies differ', () => {
    const first = connectorsFile(['EX01', 'Relay']);
    const changed: ParsedInput = {
      file: 'later.json',
      format: 'json',
      records: [
        {
          kind: 'connector',
          value: connector({
            name: 'Relay',
            remoteIPRanges: ['10.0.0.0/8'],
            permissions: null,
            distinguishedName: DN,
          }),
          warnings: [],
        },
      ],
    };
    const { snapshot: merged, warnings } = buildSnapshot([first, first, changed]);
    expect(merged.connectors).toHaveLength(1);
    expect(warnings).toEqual([
      "later.json: connector 'EX01\\Relay' appears again with different settings; which copy is current is unknown, so both are analysed as one (the bindings, ranges and mechanisms of either)",
    ]);
  });

  it('analyses two different copies of a connector as the worst case of both, never as the first alone', () => {
    const copy = (overrides: Partial<ReceiveConnector>): ParsedInput => ({
      file: `${overrides.enabled === false ? 'old' : 'new'}.json`,
      format: 'snapshot',
      snapshot: snapshot([connector({ name: 'Relay', ...overrides })]),
    });
    const older = copy({
      enabled: false,
      remoteIPRanges: ['10.0.0.5'],
      authMechanism: ['Tls'],
      permissionGroups: ['ExchangeServers'],
      tlsDomainCapabilities: [],
      permissions: [grant('MS Exchange\\Externally Secured Servers', RELAY)],
    });
    const newer = copy({
      enabled: true,
      remoteIPRanges: ['0.0.0.0/0', '10.0.0.5'],
      authMechanism: ['Tls', 'ExternalAuthoritative'],
      permissionGroups: ['ExchangeServers'],
      tlsDomainCapabilities: ['NO-TLS:AcceptCrossForestMail'],
      permissions: [],
    });
    const [merged] = buildSnapshot([older, newer]).snapshot.connectors;
    expect(merged).toMatchObject({
      enabled: true,
      remoteIPRanges: ['10.0.0.5', '0.0.0.0/0'],
      authMechanism: ['Tls', 'ExternalAuthoritative'],
      tlsDomainCapabilities: ['NO-TLS:AcceptCrossForestMail'],
      permissions: null,
      permissionsError: DIFFERENT_ACLS,
    });
    expect(merged?.permissionCopies).toHaveLength(2);
    // A third copy is one more ACL to assess, never the answer: the ACL stays unknown.
    const [third] = buildSnapshot([older, newer, { ...older, file: 'third.json' }]).snapshot.connectors;
    expect(third).toMatchObject({ permissions: null, permissionsError: DIFFERENT_ACLS });
    expect(third?.permissionCopies).toHaveLength(2);
  });

  it('keeps a single snapshot input as it was collected', () => {
    const collected = snapshot([connector({ name: 'Relay' })], {
      collectedAt: '2026-11-27T02:00:00Z',
      source: { method: 'remote', description: 'http://ex01.contoso.com/PowerShell/', tool: 'exrelay 0.1.0' },
      partial: true,
      errors: [{ scope: 'connector', target: 'EX01\\Relay', message: 'access denied' }],
    });
    const { snapshot: merged } = buildSnapshot([
      { file: 'snap.json', format: 'snapshot', snapshot: collected },
    ]);
    expect(merged).toMatchObject({
      collectedAt: '2026-11-27T02:00:00Z',
      partial: true,
      source: collected.source,
      errors: collected.errors,
    });
  });

  it('makes a connector unknown when one of its permission entries lost its right names', () => {
    const lossy: ParsedInput = {
      file: 'ADPermission.json',
      format: 'json',
      records: [
        {
          kind: 'ace',
          target: { text: 'EX01\\Relay', distinguishedName: null },
          value: grant('S-1-5-7', RELAY, { inherited: true }),
          unreadable: null,
        },
        {
          kind: 'ace',
          target: { text: 'EX01\\Relay', distinguishedName: null },
          value: grant('S-1-5-7', RELAY),
          unreadable: {
            reason: 'lost',
            aclError: 'ConvertTo-Json dropped the names of its extended rights',
            advice: 'Export Get-ADPermission with Export-Clixml instead',
          },
        },
      ],
    };
    const { snapshot: merged, warnings } = buildSnapshot([connectorsFile(['EX01', 'Relay']), lossy]);
    expect(merged.connectors[0]?.permissions).toBeNull();
    expect(merged.connectors[0]?.permissionsError).toBe(
      'ConvertTo-Json dropped the names of its extended rights',
    );
    expect(warnings).toEqual([
      "ADPermission.json: 1 permission entry unusable: lost; their connectors' verdicts are unknown. Export Get-ADPermission with Export-Clixml instead",
    ]);
  });

  it('reports a permissions export without one inherited entry as filtered: incomplete, high', () => {
    const explicitOnly = (file: string, ...values: AccessControlEntry[]): ParsedInput => ({
      file,
      format: 'clixml',
      records: values.map((value) => ({
        kind: 'ace',
        target: { text: 'EX01\\Relay', distinguishedName: null },
        value,
        unreadable: null,
      })),
    });
    // As `Get-ADPermission -User 'NT AUTHORITY\ANONYMOUS LOGON'` writes it: Everyone's grant is not in it.
    const filtered = explicitOnly('Anonymous.xml', grant('NT AUTHORITY\\ANONYMOUS LOGON', SUBMIT));
    const whole = explicitOnly(
      'ADPermission.xml',
      grant('NT AUTHORITY\\ANONYMOUS LOGON', SUBMIT),
      inheritedRead(),
    );
    const { snapshot: merged, warnings } = buildSnapshot([
      connectorsFile(['EX01', 'Relay']),
      filtered,
      whole,
    ]);
    expect(merged.errors).toEqual([
      {
        scope: 'input',
        target: 'Anonymous.xml',
        message: expect.stringContaining('the export was filtered (Get-ADPermission -User, or Where-Object)'),
        kind: 'filtered-permissions',
      },
    ]);
    expect(merged.partial).toBe(true);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^ADPermission\.xml: permission entries for 'EX01\\Relay' come from 2 files \(Anonymous\.xml, ADPermission\.xml\)/,
      ),
      expect.stringMatching(/^Anonymous\.xml: the permission entries hold no inherited entry/),
    ]);
    const incomplete = evaluate(merged, 'exrelay test').findings.filter(
      (f) => f.checkId === 'incomplete-input' && f.messageId !== 'no-accepted-domains',
    );
    expect(incomplete).toEqual([
      expect.objectContaining({
        messageId: 'filtered-permissions',
        severity: 'high',
        data: { file: 'Anonymous.xml' },
      }),
    ]);
    const unfiltered = buildSnapshot([connectorsFile(['EX01', 'Relay']), whole]);
    expect(unfiltered.snapshot.errors).toEqual([]);
    expect(unfiltered.warnings).toEqual([]);
  });

  describe('with permission entries for one connector in two files', () => {
    const PUBLIC = ['94.130.88.0/24'];
    const aclFile = (file: string, ...values: AccessControlEntry[]): ParsedInput => ({
      file,
      format: 'clixml',
      records: values.map((value) => ({
        kind: 'ace',
        target: { text: 'EX01\\Relay', distinguishedName: null },
        value,
        unreadable: null,
      })),
    });
    const connectors: ParsedInput = {
      file: 'ReceiveConnector.xml',
      format: 'clixml',
      records: [
        {
          kind: 'connector',
          value: connector({ name: 'Relay', remoteIPRanges: PUBLIC, permissions: null }),
          warnings: [],
        },
      ],
    };
    // The older export denies ANONYMOUS LOGON the relay right explicitly; the newer one grants it.
    const older = aclFile(
      'ADPermission-old.xml',
      grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY, { deny: true }),
      grant('NT AUTHORITY\\ANONYMOUS LOGON', SUBMIT),
      inheritedRead(),
    );
    const newer = aclFile(
      'ADPermission-new.xml',
      grant('NT AUTHORITY\\ANONYMOUS LOGON', SUBMIT),
      grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY),
      inheritedRead(),
    );

    it.each([
      ['older first', [older, newer]],
      ['newer first', [newer, older]],
    ])(
      'never joins two different ACLs: unknown, critical where one alone is an open relay (%s)',
      (_order, files) => {
        const { snapshot: merged, warnings } = buildSnapshot([connectors, ...files]);
        const [relay] = merged.connectors;
        expect(relay).toMatchObject({ permissions: null, permissionsError: DIFFERENT_ACLS });
        expect(relay?.permissionCopies).toHaveLength(2);
        const [first, second] = files.map((input) => input.file);
        expect(warnings).toEqual([
          `${second}: permission entries for 'EX01\\Relay' come from 2 files (${first}, ${second}) that hold different ACLs for it: each export holds the whole ACL, so they are not joined; which is current is unknown, so the ACL is unknown and each is assessed alone`,
        ]);
        const findings = evaluate(merged, 'exrelay test').findings.filter(
          (finding) => finding.connector === 'EX01\\Relay' && finding.checkId === 'verdict-unknown',
        );
        expect(findings).toEqual([
          expect.objectContaining({
            messageId: 'acl-error',
            severity: 'critical',
            message: expect.stringContaining('this may be an open relay') as unknown,
          }),
        ]);
        expect(findings[0]?.message).not.toContain('canonical order');
      },
    );

    it('reads the same ACL in two files as one, without a warning', () => {
      const again = { ...newer, file: 'ADPermission-copy.xml' };
      const { snapshot: merged, warnings } = buildSnapshot([connectors, newer, again]);
      expect(warnings).toEqual([]);
      expect(merged.connectors[0]?.permissions).toHaveLength(3);
      expect(merged.connectors[0]?.permissionCopies).toBeUndefined();
    });

    it('scores different ACLs of which neither relays as an unread ACL: up to high', () => {
      const quiet = aclFile(
        'ADPermission-quiet.xml',
        grant('NT AUTHORITY\\ANONYMOUS LOGON', SUBMIT),
        inheritedRead(),
      );
      const { snapshot: merged } = buildSnapshot([connectors, older, quiet]);
      const findings = evaluate(merged, 'exrelay test').findings.filter(
        (finding) => finding.connector === 'EX01\\Relay' && finding.checkId === 'verdict-unknown',
      );
      expect(findings).toEqual([expect.objectContaining({ messageId: 'acl-error', severity: 'high' })]);
    });
  });

  it('refuses input without any connector', () => {
    expect(() => buildSnapshot([acesFile({ text: 'EX01\\Relay', distinguishedName: null })])).toThrow(
      InputError,
    );
  });
});
