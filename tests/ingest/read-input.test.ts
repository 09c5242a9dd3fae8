import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import { readInput } from '../../src/ingest/read-input.js';
import { LOST_VALUE } from '../../src/net/ip-range.js';
import { describeWithLabData, labBytes } from '../support/shared-data.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

function utf16le(text: string): Uint8Array {
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes.set([0xff, 0xfe]);
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    bytes[2 + index * 2] = code & 0xff;
    bytes[3 + index * 2] = code >> 8;
  }
  return bytes;
}

function records(file: string, bytes: Uint8Array) {
  const input = readInput(file, bytes);
  if (input.format === 'snapshot') throw new Error('unexpected snapshot');
  return input.records;
}

describeWithLabData('the real Exchange 2019 exports', () => {
  it('maps the five default connectors with their bindings, ranges and flags', () => {
    const connectors = records('GetReceiveConnector.xml', labBytes('GetReceiveConnector.xml')).map(
      (record) => {
        if (record.kind !== 'connector') throw new Error(record.kind);
        return record.value;
      },
    );
    expect(connectors.map((connector) => connector.name)).toEqual([
      'Default WIN-CTD3L0RGEN4',
      'Client Proxy WIN-CTD3L0RGEN4',
      'Default Frontend WIN-CTD3L0RGEN4',
      'Outbound Proxy Frontend WIN-CTD3L0RGEN4',
      'Client Frontend WIN-CTD3L0RGEN4',
    ]);
    const hub = connectors[0];
    expect(hub).toMatchObject({
      identity: 'WIN-CTD3L0RGEN4\\Default WIN-CTD3L0RGEN4',
      server: 'WIN-CTD3L0RGEN4',
      enabled: true,
      transportRole: 'HubTransport',
      bindings: ['0.0.0.0:2525', '[::]:2525'],
      remoteIPRanges: ['::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '0.0.0.0-255.255.255.255'],
      authMechanism: ['Tls', 'Integrated', 'BasicAuth', 'BasicAuthRequireTLS', 'ExchangeServer'],
      permissionGroups: ['ExchangeUsers', 'ExchangeServers', 'ExchangeLegacyServers'],
      permissions: null,
    });
    expect(hub?.distinguishedName).toMatch(
      /^CN=Default WIN-CTD3L0RGEN4,CN=SMTP Receive Connectors,CN=Protocols,CN=WIN-CTD3L0RGEN4,/,
    );
    const frontend = connectors[2];
    expect(frontend).toMatchObject({
      transportRole: 'FrontendTransport',
      bindings: ['[::]:25', '0.0.0.0:25'],
      permissionGroups: ['AnonymousUsers', 'ExchangeServers', 'ExchangeLegacyServers'],
    });
  });

  it('maps the accepted domains, including the *.com InternalRelay entry', () => {
    const domains = records('GetAcceptedDomain.xml', labBytes('GetAcceptedDomain.xml')).map(
      (record) => record.value,
    );
    expect(domains).toEqual([
      expect.objectContaining({ domainName: 'Solo.com', domainType: 'Authoritative', isDefault: true }),
      expect.objectContaining({ domainName: '*.contoso.local', domainType: 'Authoritative' }),
      expect.objectContaining({ domainName: '*.com', domainType: 'InternalRelay' }),
    ]);
  });

  it('maps the server object', () => {
    expect(records('GetExchangeServer.xml', labBytes('GetExchangeServer.xml'))).toEqual([
      {
        kind: 'server',
        value: {
          name: 'SOLO-E19A',
          version: 'Version 15.2 (Build 986.5)',
          roles: ['Mailbox'],
          isEdge: false,
        },
      },
    ]);
  });
});

describe('ConvertTo-Json exports', () => {
  // Shapes as pwsh 7 writes them: enums as numbers, IPRange/IPBinding as property bags, IdParameters with RawIdentity.
  const connectorJson = {
    Name: 'Relay Printers',
    Identity: {
      Name: 'Relay Printers',
      DistinguishedName:
        'CN=Relay Printers,CN=SMTP Receive Connectors,CN=Protocols,CN=EX01,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Fabrikam,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=fabrikam,DC=com',
    },
    Server: { Name: 'EX01' },
    Enabled: true,
    TransportRole: 16384,
    Bindings: [
      { Address: { IPAddressToString: '0.0.0.0' }, Port: 25, AddressFamily: 2 },
      { Address: '::', Port: 25 },
    ],
    RemoteIPRanges: [
      { LowerBound: '10.10.20.31', UpperBound: '10.10.20.31', RangeFormat: 4 },
      { LowerBound: '10.10.21.0', UpperBound: '10.10.21.255', RangeFormat: 1 },
      { LowerBound: '10.10.22.5', UpperBound: '10.10.22.9', RangeFormat: 'LoHi' },
    ],
    AuthMechanism: 33,
    PermissionGroups: 37,
    TlsDomainCapabilities: [],
  };

  it('reads an ACE whose Identity is a distinguished name in any case as the DN, and any other text as identity', () => {
    const ace = (identity: string) => ({
      Identity: identity,
      User: 'NT AUTHORITY\\ANONYMOUS LOGON',
      ExtendedRights: ['ms-Exch-SMTP-Submit'],
      AccessRights: 256,
    });
    const targets = records(
      'ADPermission.json',
      utf8(JSON.stringify([ace('cN=Relay,CN=Protocols'), ace('CN=Relay,CN=Protocols'), ace('EX01\\CN=x')])),
    ).map((record) => (record.kind === 'ace' ? record.target : null));
    expect(targets).toEqual([
      { text: null, distinguishedName: 'cN=Relay,CN=Protocols' },
      { text: null, distinguishedName: 'CN=Relay,CN=Protocols' },
      { text: 'EX01\\CN=x', distinguishedName: null },
    ]);
  });

  it('maps a single connector object, enums as numbers', () => {
    const [record] = records('rc.json', utf8(JSON.stringify(connectorJson)));
    expect(record).toEqual({
      kind: 'connector',
      value: expect.objectContaining({
        identity: 'EX01\\Relay Printers',
        server: 'EX01',
        transportRole: 'FrontendTransport',
        bindings: ['0.0.0.0:25', '[::]:25'],
        remoteIPRanges: ['10.10.20.31', '10.10.21.0/24', '10.10.22.5-10.10.22.9'],
        authMechanism: ['Tls', 'ExternalAuthoritative'],
        permissionGroups: ['AnonymousUsers', 'ExchangeServers', 'Custom'],
      }),
      warnings: [],
    });
  });

  it('keeps an AuthMechanism the export lost (missing, null, empty) as a lost value, with a warning', () => {
    const { AuthMechanism: _dropped, ...selected } = connectorJson;
    const mapped = records(
      'auth.json',
      utf8(
        JSON.stringify([
          selected,
          { ...connectorJson, AuthMechanism: null },
          { ...connectorJson, AuthMechanism: ' ' },
        ]),
      ),
    );
    for (const record of mapped)
      expect(record).toMatchObject({
        value: { authMechanism: [LOST_VALUE] },
        warnings: [
          'AuthMechanism is missing or empty: it may include ExternalAuthoritative, so the verdict cannot be no-relay',
        ],
      });
    expect(mapped).toHaveLength(3);
  });

  // Select-Object without TlsDomainCapabilities: "NO-TLS:AcceptCrossForestMail", relay for every session without
  // TLS, read as no capability (no-relay, exit 0).
  it('keeps TlsDomainCapabilities a Select-Object subset lost as a lost value, never as none', () => {
    const { TlsDomainCapabilities: _dropped, ...selected } = connectorJson;
    const [subset] = records('subset.json', utf8(JSON.stringify([selected])));
    expect(subset).toMatchObject({
      value: { tlsDomainCapabilities: [LOST_VALUE] },
      warnings: [expect.stringContaining('TlsDomainCapabilities is missing')],
    });
    // A whole object without it (Exchange 2007 has no such property): none, without a warning.
    const whole = {
      ...selected,
      Fqdn: 'ex01.fabrikam.com',
      MaxMessageSize: '36 MB',
      ConnectionTimeout: '00:10:00',
    };
    const [old] = records('whole.json', utf8(JSON.stringify([whole])));
    expect(old).toMatchObject({ value: { tlsDomainCapabilities: null }, warnings: [] });
    // Written empty, or null, it holds no capability.
    const [empty] = records(
      'empty.json',
      utf8(JSON.stringify([{ ...connectorJson, TlsDomainCapabilities: null }])),
    );
    expect(empty).toMatchObject({ value: { tlsDomainCapabilities: [] }, warnings: [] });
  });

  it('decodes enums written as numbers in text like numbers, never as unknown names', () => {
    const asText = [
      { ...connectorJson, AuthMechanism: '33', PermissionGroups: '37' },
      { ...connectorJson, AuthMechanism: 'Tls, 32', PermissionGroups: ['1', 'ExchangeServers'] },
    ];
    expect(records('text.json', utf8(JSON.stringify(asText))).map((record) => record.value)).toMatchObject([
      {
        authMechanism: ['Tls', 'ExternalAuthoritative'],
        permissionGroups: ['AnonymousUsers', 'ExchangeServers', 'Custom'],
      },
      {
        authMechanism: ['Tls', 'ExternalAuthoritative'],
        permissionGroups: ['AnonymousUsers', 'ExchangeServers'],
      },
    ]);
  });

  it('keeps a binding or range whose value the export lost as an entry that does not parse, never drops it', () => {
    const lossy = {
      ...connectorJson,
      Bindings: [{ Port: 25 }, { Address: { AddressFamily: 2 }, Port: 587 }, {}],
      RemoteIPRanges: [{ LowerBound: '10.0.0.0', RangeFormat: 'LoHi' }, { Size: '::1:0:0' }],
    };
    const withoutLists = { ...connectorJson, Bindings: null, RemoteIPRanges: null };
    const mapped = records('lossy.json', utf8(JSON.stringify([lossy, withoutLists])));
    expect(mapped.map((record) => record.value)).toMatchObject([
      {
        bindings: [LOST_VALUE, LOST_VALUE, LOST_VALUE],
        remoteIPRanges: [LOST_VALUE, LOST_VALUE],
      },
      { bindings: [LOST_VALUE], remoteIPRanges: [LOST_VALUE] },
    ]);
    // A lost upper bound with the original text still at hand: the text, not the lower bound alone.
    const withExpression = {
      ...connectorJson,
      RemoteIPRanges: [{ LowerBound: '10.0.0.0', RangeFormat: 'CIDR', Expression: '10.0.0.0/8' }],
    };
    expect(records('expr.json', utf8(JSON.stringify(withExpression)))[0]?.value).toMatchObject({
      remoteIPRanges: ['10.0.0.0/8'],
    });
  });

  it('unwraps Windows PowerShell 5.1 {"value": [...], "Count": n} collections, in UTF-16LE', () => {
    const wrapped = {
      ...connectorJson,
      Bindings: { value: ['0.0.0.0:25'], Count: 1 },
      RemoteIPRanges: { value: ['10.10.20.31', '10.10.20.32'], Count: 2 },
    };
    const [record] = records('rc51.json', utf16le(JSON.stringify([wrapped])));
    expect(record?.value).toMatchObject({
      bindings: ['0.0.0.0:25'],
      remoteIPRanges: ['10.10.20.31', '10.10.20.32'],
    });
  });

  it('maps Get-ADPermission entries with switch objects, rights numbers and RawIdentity', () => {
    const aceJson = [
      {
        Identity: { Name: 'Relay Printers', DistinguishedName: connectorJson.Identity.DistinguishedName },
        User: { RawIdentity: 'NT AUTHORITY\\ANONYMOUS LOGON', SecurityIdentifier: { Value: 'S-1-5-7' } },
        Deny: { IsPresent: false },
        AccessRights: [256],
        ExtendedRights: [{ RawIdentity: 'ms-Exch-SMTP-Accept-Any-Recipient' }],
        IsInherited: false,
        InheritanceType: 0,
      },
      {
        Identity: 'EX01\\Relay Printers',
        User: 'CONTOSO\\Enterprise Admins',
        Deny: false,
        AccessRights: [983551],
        ExtendedRights: null,
        IsInherited: true,
        InheritanceType: 1,
      },
    ];
    const mapped = records('perm.json', utf8(JSON.stringify(aceJson)));
    expect(mapped).toEqual([
      {
        kind: 'ace',
        target: { text: 'Relay Printers', distinguishedName: connectorJson.Identity.DistinguishedName },
        value: {
          user: 'NT AUTHORITY\\ANONYMOUS LOGON',
          sid: 'S-1-5-7',
          deny: false,
          inherited: false,
          accessRights: ['ExtendedRight'],
          extendedRights: ['ms-Exch-SMTP-Accept-Any-Recipient'],
          inheritanceType: 'None',
        },
        unreadable: null,
      },
      {
        kind: 'ace',
        target: { text: 'EX01\\Relay Printers', distinguishedName: null },
        value: {
          user: 'CONTOSO\\Enterprise Admins',
          sid: null,
          deny: false,
          inherited: true,
          accessRights: ['GenericAll'],
          extendedRights: [],
          inheritanceType: 'All',
        },
        unreadable: null,
      },
    ]);
  });

  // Export-Csv writes a multi-valued property as its type name; Import-Csv | ConvertTo-Json (or Export-Clixml)
  // carries that text on. Read as an entry that does not parse, it drew a fix to rewrite every connector's
  // RemoteIPRanges, default connectors included, where the export, not Exchange, lost them.
  it('reads a type name where a multi-valued property should be (Export-Csv) as values the export lost', () => {
    const fromCsv = {
      ...connectorJson,
      Bindings: 'Microsoft.Exchange.Data.MultiValuedProperty`1[Microsoft.Exchange.Data.IPBinding]',
      RemoteIPRanges: [
        'System.Object[]',
        'Microsoft.Exchange.Data.MultiValuedProperty`1[Microsoft.Exchange.Data.IPRange]',
      ],
    };
    expect(records('rc.json', utf8(JSON.stringify([fromCsv])))[0]?.value).toMatchObject({
      bindings: [LOST_VALUE],
      remoteIPRanges: [LOST_VALUE, LOST_VALUE],
    });
    const ace = {
      Identity: 'EX01\\Relay Printers',
      User: 'NT AUTHORITY\\ANONYMOUS LOGON',
      AccessRights: 'ExtendedRight',
      ExtendedRights: 'Microsoft.Exchange.Configuration.Tasks.ExtendedRightIdParameter[]',
      Deny: 'False',
      IsInherited: 'False',
    };
    const [record] = records('perm.json', utf8(JSON.stringify([ace])));
    // Read as a right name, the type name granted nothing: the connector looked safe.
    expect(record).toMatchObject({
      kind: 'ace',
      unreadable: { reason: expect.stringContaining('type name') },
    });
  });

  // Select-Object without AccessRights: GenericAll held by ANONYMOUS LOGON on a public /24 read as granting
  // nothing, no-relay, exit 0, no warning. A deny entry without what it denies could hide a grant the same way.
  it('never reads an entry without AccessRights, or a deny entry without its scope, as granting or denying nothing', () => {
    const full = {
      Identity: 'EX01\\Relay GA',
      User: 'NT AUTHORITY\\ANONYMOUS LOGON',
      AccessRights: 'GenericAll',
      ExtendedRights: null,
      Deny: false,
      IsInherited: false,
      InheritanceType: 'None',
    };
    const unreadable = (entry: object) =>
      records('perm.json', utf8(JSON.stringify([entry])))[0] as { unreadable: { reason: string } | null };
    expect(unreadable(full).unreadable).toBeNull();
    const { AccessRights: _rights, ...withoutRights } = full;
    for (const entry of [withoutRights, { ...full, AccessRights: null }, { ...full, AccessRights: [] }])
      expect(unreadable(entry).unreadable?.reason).toContain('lost their AccessRights');
    const deny = {
      ...full,
      Deny: true,
      AccessRights: 'ExtendedRight',
      ExtendedRights: 'ms-Exch-SMTP-Submit',
    };
    expect(unreadable(deny).unreadable).toBeNull();
    const { ExtendedRights: _names, ...denyWithoutNames } = deny;
    const { InheritanceType: _type, ...denyWithoutType } = deny;
    for (const entry of [denyWithoutNames, denyWithoutType])
      expect(unreadable(entry).unreadable?.reason).toContain('deny entries');
    // An allow entry without them can only over-report (every extended right, on the connector itself).
    const { ExtendedRights: _allowNames, ...allowWithoutNames } = { ...deny, Deny: false };
    expect(unreadable(allowWithoutNames).unreadable).toBeNull();
  });

  // ConvertTo-Json -Depth 3 or more writes each SmtpReceiveDomainCapabilities as its properties, which were
  // dropped: "NO-TLS:AcceptCrossForestMail", relay for every session, read as no capability at all.
  it('reads TlsDomainCapabilities written as {Domain, Capabilities} objects or as one flattened string', () => {
    const capabilities = (value: unknown) =>
      records('rc.json', utf8(JSON.stringify([{ ...connectorJson, TlsDomainCapabilities: value }])))[0]
        ?.value;
    expect(
      capabilities([
        { Domain: 'NO-TLS', Capabilities: 'AcceptCrossForestMail', SmtpX509Identifier: null },
        {
          Domain: 'mail.protection.outlook.com',
          Capabilities: 'AcceptCloudServicesMail, AcceptOorgProtocol',
        },
        { Capabilities: 'AcceptCrossForestMail' },
      ]),
    ).toMatchObject({
      tlsDomainCapabilities: [
        'NO-TLS:AcceptCrossForestMail',
        'mail.protection.outlook.com:AcceptCloudServicesMail, AcceptOorgProtocol',
        LOST_VALUE,
      ],
    });
    // Beyond ConvertTo-Json's depth the list is one string; an entry of a list stays whole.
    expect(
      capabilities('a.example:AcceptCrossForestMail, AcceptOrgHeaders NO-TLS:AllowSubmit'),
    ).toMatchObject({
      tlsDomainCapabilities: ['a.example:AcceptCrossForestMail, AcceptOrgHeaders', 'NO-TLS:AllowSubmit'],
    });
    expect(capabilities(['a.example:AcceptCrossForestMail, AcceptOrgHeaders'])).toMatchObject({
      tlsDomainCapabilities: ['a.example:AcceptCrossForestMail, AcceptOrgHeaders'],
    });
    expect(
      capabilities(
        'Microsoft.Exchange.Data.MultiValuedProperty`1[Microsoft.Exchange.Data.SmtpReceiveDomainCapabilities]',
      ),
    ).toMatchObject({ tlsDomainCapabilities: [LOST_VALUE] });
  });

  // Export-Clixml -Depth 1 writes every value beyond the depth as its text alone, <Obj><S>…</S></Obj>. Read as
  // objects that lost their properties, the bindings and ranges became lost values, every permission entry
  // named no connector (all verdicts unknown), and the accepted domains file was refused.
  it('reads values Export-Clixml -Depth 1 wrote as their text alone', () => {
    const text = (name: string, value: string) => `<Obj N="${name}"><S>${value}</S></Obj>`;
    const list = (name: string, ...values: string[]) =>
      `<Obj N="${name}"><TN><T>System.Object[]</T></TN><LST>${values.map((value) => `<Obj><S>${value}</S></Obj>`).join('')}</LST></Obj>`;
    const object = (type: string, props: string) =>
      `<Obj><TN><T>${type}</T><T>System.Object</T></TN><Props>${props}</Props></Obj>`;
    const clixml = [
      '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">',
      object(
        'Microsoft.Exchange.Data.Directory.SystemConfiguration.ReceiveConnector',
        list('Bindings', '0.0.0.0:25') +
          list('RemoteIPRanges', '0.0.0.0-255.255.255.255') +
          list('TlsDomainCapabilities', 'NO-TLS:AcceptCrossForestMail') +
          text('Server', 'EX01') +
          '<S N="Name">Relay</S>' +
          text('Identity', 'EX01\\Relay'),
      ),
      object(
        'Microsoft.Exchange.Management.RecipientTasks.ADAcePresentationObject',
        list('AccessRights', 'ExtendedRight') +
          list('ExtendedRights', 'ms-Exch-SMTP-Accept-Any-Recipient') +
          text('User', 'NT AUTHORITY\\ANONYMOUS LOGON') +
          text('Identity', 'EX01\\Relay'),
      ),
      object(
        'Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain',
        text('DomainName', 'contoso.com') + '<S N="DomainType">Authoritative</S>',
      ),
      '</Objs>',
    ].join('');
    expect(records('depth1.xml', utf8(clixml))).toMatchObject([
      {
        kind: 'connector',
        value: {
          bindings: ['0.0.0.0:25'],
          remoteIPRanges: ['0.0.0.0-255.255.255.255'],
          tlsDomainCapabilities: ['NO-TLS:AcceptCrossForestMail'],
        },
      },
      {
        kind: 'ace',
        target: { text: 'EX01\\Relay', distinguishedName: null },
        value: { extendedRights: ['ms-Exch-SMTP-Accept-Any-Recipient'] },
      },
      { kind: 'acceptedDomain', value: { domainName: 'contoso.com' } },
    ]);
  });

  // pwsh 7 (and Windows PowerShell 5.1) write an enum that came through remoting or Import-Clixml as
  // {"value": n, "Value": "names"}; read as a plain object it was empty, and an externally secured open relay
  // (AuthMechanism 33, PermissionGroups ExchangeServers) read as no-relay.
  it('reads enums ConvertTo-Json wrote as {"value": n, "Value": "names"}', () => {
    const wrapped = {
      ...connectorJson,
      TransportRole: { value: 16384, Value: 'FrontendTransport' },
      AuthMechanism: { value: 33, Value: 'Tls, ExternalAuthoritative' },
      PermissionGroups: { value: 4, Value: 'ExchangeServers' },
    };
    const ace = {
      Identity: 'EX01\\Relay Printers',
      User: 'NT AUTHORITY\\ANONYMOUS LOGON',
      AccessRights: [{ value: 256, Value: 'ExtendedRight' }],
      ExtendedRights: null,
      InheritanceType: { value: 0, Value: 'None' },
    };
    expect(records('rc.json', utf8(JSON.stringify([wrapped, ace])))).toMatchObject([
      {
        value: {
          transportRole: 'FrontendTransport',
          authMechanism: ['Tls', 'ExternalAuthoritative'],
          permissionGroups: ['ExchangeServers'],
        },
      },
      // ExtendedRight with no right named: every extended right, the relay right among them.
      {
        kind: 'ace',
        value: { accessRights: ['ExtendedRight'], extendedRights: [], inheritanceType: 'None' },
      },
    ]);
  });

  it('maps accepted domains written by ConvertTo-Json', () => {
    const mapped = records(
      'ad.json',
      utf8(
        JSON.stringify([
          {
            Name: 'Wild',
            DomainName: { Domain: 'com', IncludeSubDomains: true, IsStar: false },
            DomainType: 2,
            Default: false,
          },
        ]),
      ),
    );
    expect(mapped).toEqual([
      {
        kind: 'acceptedDomain',
        value: { name: 'Wild', domainName: '*.com', domainType: 'InternalRelay', isDefault: false },
      },
    ]);
  });
});

describe('bad input', () => {
  const expectInputError = (file: string, bytes: Uint8Array, pattern: RegExp) => {
    let caught: unknown;
    try {
      readInput(file, bytes);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).message).toMatch(pattern);
    expect((caught as InputError).message).not.toContain('\n');
    expect((caught as InputError).exitCode).toBe(2);
  };

  it('names the file and the problem, on one line', () => {
    expectInputError('empty.xml', new Uint8Array(), /^empty\.xml: empty file/);
    expectInputError('notes.txt', utf8('hello'), /^notes\.txt: unknown kind of file/);
    expectInputError('other.xml', utf8('<html><body/></html>'), /XML but not PowerShell CLIXML/);
    expectInputError('broken.json', utf8('{"Name": '), /^broken\.json: malformed JSON/);
    expectInputError(
      'cut.xml',
      utf8('<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj RefId="0">'),
      /^cut\.xml: malformed CLIXML/,
    );
    expectInputError('numbers.json', utf8('[1, 2, 3]'), /no Exchange objects found/);
    expectInputError(
      'none.xml',
      utf8('<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"></Objs>'),
      /contains no objects/,
    );
    expectInputError('deep.json', utf8('['.repeat(5000) + ']'.repeat(5000)), /nested more than/);
    expectInputError('binary.xml', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2, 3]), /binary/);
  });

  it('rejects a connector without a name', () => {
    expectInputError(
      'rc.json',
      utf8(JSON.stringify({ Bindings: ['0.0.0.0:25'], RemoteIPRanges: ['10.0.0.1'] })),
      /object 1: has no Name/,
    );
  });

  it('rejects a snapshot that is not valid, naming the field', () => {
    const snapshot = {
      kind: 'exrelay.snapshot',
      schemaVersion: 1,
      collectedAt: null,
      source: { method: 'files', description: 'x' },
      partial: false,
      servers: [],
      connectors: [{ identity: 'EX01\\A' }],
      acceptedDomains: null,
      errors: [],
    };
    expectInputError(
      'snap.json',
      utf8(JSON.stringify(snapshot)),
      /invalid exrelay snapshot: connectors\[0\]\.server must be a string/,
    );
    expectInputError(
      'future.json',
      utf8(JSON.stringify({ ...snapshot, schemaVersion: 9 })),
      /newer than this exrelay understands/,
    );
  });

  it('takes collectedAt only as an ISO 8601 time on a real day: a baseline is judged on that day', () => {
    const snapshot = {
      kind: 'exrelay.snapshot',
      schemaVersion: 1,
      source: { method: 'files', description: 'x' },
      partial: false,
      servers: [],
      connectors: [],
      acceptedDomains: null,
      errors: [],
    };
    const collectedAt = (value: unknown) => {
      const input = readInput('snap.json', utf8(JSON.stringify({ ...snapshot, collectedAt: value })));
      return input.format === 'snapshot' ? input.snapshot.collectedAt : undefined;
    };
    // What collect, Get-ExrelaySnapshot.ps1 and .NET's round-trip format write, and a local offset.
    for (const value of [
      '2026-11-28T02:00:00.123Z',
      '2026-11-28T02:00:00Z',
      '2026-11-28T02:00:00.1234567Z',
      '2026-11-28T03:00:00+01:00',
      null,
    ])
      expect(collectedAt(value)).toBe(value);
    for (const value of ['not a date', '2026-02-30T00:00:00Z', '2026-11-28', '2026-11-28T25:00:00Z', ''])
      expectInputError(
        'snap.json',
        utf8(JSON.stringify({ ...snapshot, collectedAt: value })),
        /invalid exrelay snapshot: collectedAt must be an ISO 8601 time such as 2025-03-04T09:15:00Z, or null/,
      );
  });
});

describe('JSON limits and positions', () => {
  const messageOf = (file: string, text: string): string => {
    try {
      readInput(file, utf8(text));
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return (error as InputError).message;
    }
    throw new Error('readInput accepted the input');
  };

  it.each([
    ['{"Name": ', 'malformed JSON at line 1, column 10: Unexpected end of JSON input'],
    ['[\n  {"a": 1,}\n]', 'malformed JSON at line 2, column 11: Expected double-quoted property name'],
    // V8 words this one with a quote of the whole text and no position.
    ['[\n  1,\n  x\n]', "malformed JSON at line 3, column 3: Unexpected token 'x'"],
    ['{"a": "b\u0001"}', 'malformed JSON at line 1, column 9: Bad control character in string literal'],
    ['[1]]', 'malformed JSON at line 1, column 4: Unexpected non-whitespace character after JSON'],
  ])('reports malformed JSON %j on one line with its line and column', (text, message) => {
    expect(messageOf('broken.json', text)).toBe(`broken.json: ${message}`);
  });

  it('refuses a snapshot whose unknown field nests 100,000 levels deep, before anything walks it', () => {
    const connector = {
      identity: 'EX01\\Relay',
      server: 'EX01',
      name: 'Relay',
      enabled: true,
      transportRole: 'FrontendTransport',
      bindings: ['0.0.0.0:25'],
      remoteIPRanges: ['10.0.0.0/8'],
      authMechanism: ['Tls'],
      permissionGroups: ['AnonymousUsers'],
      permissions: [],
      extra: 'DEEP',
    };
    const snapshot = JSON.stringify({
      kind: 'exrelay.snapshot',
      schemaVersion: 1,
      collectedAt: null,
      source: { method: 'files', description: 'x', tool: null },
      partial: false,
      servers: [],
      // Listed twice: merging compares the copies.
      connectors: [connector, connector],
      acceptedDomains: null,
      errors: [],
    }).replaceAll('"DEEP"', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(messageOf('deep.json', snapshot)).toBe('deep.json: JSON nested more than 200 levels deep');
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__'])(
    'refuses DomainType %j, which is a property of every JavaScript object but no domain type',
    (domainType) => {
      const text = JSON.stringify([{ Name: 'x', DomainName: 'contoso.com', DomainType: domainType }]);
      expect(messageOf('ad.json', text)).toBe(
        `ad.json: object 1: accepted domain 'contoso.com' has unknown DomainType '${domainType}'`,
      );
    },
  );
});

describe('snapshot validation messages', () => {
  const base = {
    kind: 'exrelay.snapshot',
    schemaVersion: 1,
    collectedAt: null,
    source: { method: 'files', description: 'x' },
    partial: false,
    servers: [],
    connectors: [],
    acceptedDomains: null,
    errors: [],
  };
  const good = {
    identity: 'EX01\\A',
    server: 'EX01',
    name: 'A',
    distinguishedName: null,
    enabled: true,
    transportRole: null,
    bindings: ['0.0.0.0:25'],
    remoteIPRanges: ['10.0.0.1'],
    authMechanism: [],
    permissionGroups: [],
    permissions: [],
  };
  const messageFor = (value: unknown) => {
    try {
      readInput('s.json', new TextEncoder().encode(JSON.stringify(value)));
    } catch (error) {
      return (error as Error).message;
    }
    return 'accepted';
  };

  it('names the exact field at any depth', () => {
    expect(messageFor({ ...base, partial: 'no' })).toBe(
      's.json: invalid exrelay snapshot: partial must be true or false',
    );
    expect(messageFor({ ...base, source: { method: 'carrier pigeon', description: 'x' } })).toBe(
      's.json: invalid exrelay snapshot: source.method must be one of remote, local, script, files',
    );
    expect(messageFor({ ...base, connectors: [good, { ...good, remoteIPRanges: ['10.0.0.1', 7] }] })).toBe(
      's.json: invalid exrelay snapshot: connectors[1].remoteIPRanges must be an array of strings',
    );
    expect(
      messageFor({
        ...base,
        connectors: [{ ...good, permissions: [{ user: 'x', sid: null, deny: 'yes' }] }],
      }),
    ).toBe('s.json: invalid exrelay snapshot: connectors[0].permissions[0].deny must be true or false');
    expect(messageFor({ ...base, connectors: [good] })).toBe('accepted');
  });
});

describe('bindings written by ConvertTo-Json -Depth 4', () => {
  it('reads IPv4 from the numeric Address and assumes [::] for IPv6 for its own reach only, with a warning', () => {
    const json = [
      {
        Name: 'IPv6 Relay',
        Server: { Name: 'NWEX01' },
        // Without Enabled, AuthMechanism or TlsDomainCapabilities the reader adds a warning of its own (above).
        Enabled: true,
        AuthMechanism: 'Tls',
        TlsDomainCapabilities: [],
        Bindings: [
          { AddressFamily: 23, Address: { AddressFamily: 23, ScopeId: 0, Address: null }, Port: 25 },
          { AddressFamily: 2, Address: { AddressFamily: 2, ScopeId: null, Address: 84017162 }, Port: 2525 },
        ],
        RemoteIPRanges: [{ LowerBound: 'fd12::', UpperBound: 'fd12::ffff', RangeFormat: 'LoHi' }],
      },
    ];
    const [record] = records('rc.json', utf8(JSON.stringify(json)));
    if (record?.kind !== 'connector') throw new Error('expected a connector');
    expect(record.value.bindings).toEqual(['[::]:25', '10.0.2.5:2525']);
    expect(record.warnings).toEqual([
      'the export lost the address of IPv6 bindings: [::] is assumed for what the connector receives, and on IPv6 it is taken to receive no sender from another connector',
    ]);
    // What it may take from other connectors: its IPv4 binding only (analysis/contested-scope.ts).
    expect(record.value.agreed).toEqual({
      enabled: true,
      bindings: ['10.0.2.5:2525'],
      remoteIPRanges: record.value.remoteIPRanges,
    });
  });
});
