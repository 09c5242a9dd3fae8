import { describe, expect, it } from '@jest/globals';
import { describeWithLabData, hasLabData, labBytes } from '../support/shared-data.js';
import { readFileSync } from 'node:fs';
import { ClixmlError, isClixml, parseClixml } from '../../src/ingest/clixml.js';
import { DecodeError, decodeText } from '../../src/ingest/encoding.js';
import { isPsObject, plainTypeNames, type PsObject, type PsValue } from '../../src/ingest/ps-value.js';

const OBJS_START = '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">';

function parseLab(file: string): PsObject[] {
  return parseClixml(decodeText(labBytes(file)).text).map(asObject);
}

/** A CLIXML document around the given top-level elements. */
function doc(body: string): string {
  return `${OBJS_START}\n${body}\n</Objs>`;
}

function asObject(value: PsValue | undefined): PsObject {
  if (!isPsObject(value)) throw new Error(`expected a PsObject, got ${JSON.stringify(value)}`);
  return value;
}

function prop(value: PsValue | undefined, name: string): PsValue | undefined {
  return asObject(value).properties.get(name);
}

function parseError(text: string): ClixmlError {
  try {
    parseClixml(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ClixmlError);
    return error as ClixmlError;
  }
  throw new Error('parseClixml accepted the input');
}

describeWithLabData('parseClixml on the real Exchange 2019 Get-ReceiveConnector export', () => {
  const connectors = parseLab('GetReceiveConnector.xml');
  const [hub, clientProxy, frontend, outboundProxy, clientFrontend] = connectors;

  it('returns the five connectors with their real Exchange type names and identities', () => {
    expect(connectors).toHaveLength(5);
    for (const connector of connectors) {
      expect(connector.typeNames[0]).toBe(
        'Microsoft.Exchange.Data.Directory.SystemConfiguration.ReceiveConnector',
      );
      expect(connector.typeNames.at(-1)).toBe('System.Object');
    }
    expect(connectors.map((connector) => connector.toStringText)).toEqual([
      'WIN-CTD3L0RGEN4\\Default WIN-CTD3L0RGEN4',
      'WIN-CTD3L0RGEN4\\Client Proxy WIN-CTD3L0RGEN4',
      'WIN-CTD3L0RGEN4\\Default Frontend WIN-CTD3L0RGEN4',
      'WIN-CTD3L0RGEN4\\Outbound Proxy Frontend WIN-CTD3L0RGEN4',
      'WIN-CTD3L0RGEN4\\Client Frontend WIN-CTD3L0RGEN4',
    ]);
  });

  it('reads Bindings as a list object whose items are IPBindings, in file order', () => {
    const bindings = asObject(prop(hub, 'Bindings'));
    expect(bindings.typeNames[1]).toBe('Microsoft.Exchange.Data.MultiValuedPropertyBase');
    const items = (bindings.items ?? []).map(asObject);
    expect(items.map((item) => item.toStringText)).toEqual(['0.0.0.0:2525', '[::]:2525']);
    // The second binding reuses the first one's type list through <TNRef RefId="3" />.
    expect(items[1]?.typeNames).toEqual(items[0]?.typeNames);
    expect(items[0]?.typeNames[0]).toBe('Microsoft.Exchange.Data.IPBinding');
    expect(prop(items[0], 'Port')).toBe(2525);
    expect(prop(items[1], 'AddressFamily')).toBe('InterNetworkV6');
    const address = asObject(prop(items[0], 'Address'));
    expect(address.toStringText).toBe('0.0.0.0');
    expect(prop(address, 'Address')).toBe(0);
    expect(prop(address, 'IPAddressToString')).toBe('0.0.0.0');
    expect(asObject(prop(frontend, 'Bindings')).items?.map((item) => asObject(item).toStringText)).toEqual([
      '[::]:25',
      '0.0.0.0:25',
    ]);
  });

  it('reads RemoteIPRanges items with LowerBound and UpperBound strings', () => {
    const ranges = (asObject(prop(hub, 'RemoteIPRanges')).items ?? []).map(asObject);
    expect(
      ranges.map((range) => [range.toStringText, prop(range, 'LowerBound'), prop(range, 'UpperBound')]),
    ).toEqual([
      ['::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
      ['0.0.0.0-255.255.255.255', '0.0.0.0', '255.255.255.255'],
    ]);
    expect(prop(ranges[0], 'RangeFormat')).toBe('LoHi');
  });

  it('reads enums as value plus ToString', () => {
    const auth = asObject(prop(hub, 'AuthMechanism'));
    expect(auth.value).toBe(31);
    expect(auth.toStringText).toBe('Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer');
    expect(auth.typeNames).toEqual([
      'Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthMechanisms',
      'System.Enum',
      'System.ValueType',
      'System.Object',
    ]);
    expect(asObject(prop(clientFrontend, 'AuthMechanism')).value).toBe(15);
    const hubRole = asObject(prop(hub, 'TransportRole'));
    expect([hubRole.value, hubRole.toStringText]).toEqual([32, 'HubTransport']);
    const frontendRole = asObject(prop(frontend, 'TransportRole'));
    expect([frontendRole.value, frontendRole.toStringText]).toEqual([16384, 'FrontendTransport']);
    expect(asObject(prop(hub, 'PermissionGroups')).value).toBe(14);
  });

  it('reads booleans, nulls, integers, doubles and bytes', () => {
    expect(prop(hub, 'Enabled')).toBe(true);
    expect(prop(hub, 'BareLinefeedRejectionEnabled')).toBe(false);
    expect(prop(hub, 'DefaultDomain')).toBeNull();
    expect(prop(hub, 'Banner')).toBe('');
    const timeout = asObject(prop(hub, 'ConnectionTimeout'));
    expect(timeout.toStringText).toBe('00:10:00');
    expect(prop(timeout, 'Ticks')).toBe(6_000_000_000);
    expect(prop(timeout, 'TotalDays')).toBe(0.0069444444444444441);
    expect(prop(prop(hub, 'ExchangeVersion'), 'Minor')).toBe(1);
  });

  it('puts adapted properties before the MS members PowerShell added', () => {
    const names = [...hub!.properties.keys()];
    expect(names[0]).toBe('AuthMechanism');
    expect(names.slice(-4)).toEqual([
      'PSComputerName',
      'RunspaceId',
      'PSShowComputerName',
      'SerializationData',
    ]);
    expect(prop(hub, 'PSComputerName')).toBe('win-ctd3l0rgen4.exlab.dom');
  });

  it('resolves <Ref> to the very same object, also across top-level objects', () => {
    expect(prop(hub, 'Id')).toBe(prop(hub, 'Identity'));
    expect(asObject(prop(hub, 'Identity')).toStringText).toBe('WIN-CTD3L0RGEN4\\Default WIN-CTD3L0RGEN4');
    const organization = prop(hub, 'OrganizationId');
    for (const other of [clientProxy, frontend, outboundProxy, clientFrontend]) {
      expect(prop(other, 'OrganizationId')).toBe(organization);
    }
  });
});

describeWithLabData('parseClixml on the other real exports', () => {
  it('reads the three accepted domains, including *.com as InternalRelay', () => {
    const domains = parseLab('GetAcceptedDomain.xml');
    expect(domains.map((domain) => domain.typeNames[0])).toEqual(
      Array(3).fill('Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain'),
    );
    expect(
      domains.map((domain) => {
        const type = asObject(prop(domain, 'DomainType'));
        return [
          domain.toStringText,
          asObject(prop(domain, 'DomainName')).toStringText,
          type.toStringText,
          type.value,
        ];
      }),
    ).toEqual([
      ['Solo.com', 'Solo.com', 'Authoritative', 0],
      ['Contoso Wild', '*.contoso.local', 'Authoritative', 0],
      ['Wild .com', '*.com', 'InternalRelay', 2],
    ]);
    expect(prop(prop(domains[2], 'DomainName'), 'IncludeSubDomains')).toBe(true);
  });

  it('reads the Exchange server object', () => {
    const [server, ...rest] = parseLab('GetExchangeServer.xml');
    expect(rest).toHaveLength(0);
    expect(server?.typeNames[0]).toBe('Microsoft.Exchange.Data.Directory.Management.ExchangeServer');
    expect(server?.toStringText).toBe('SOLO-E19A');
    expect(asObject(prop(server, 'AdminDisplayVersion')).toStringText).toBe('Version 15.2 (Build 986.5)');
  });
});

describe('parseClixml primitive elements', () => {
  it('maps every primitive of the serialization format', () => {
    const [list] = parseClixml(
      doc(`<Obj RefId="0"><TN RefId="0"><T>System.Object[]</T><T>System.Array</T><T>System.Object</T></TN><LST>
        <S>text</S><C>65</C><B>True</B><B>false</B><DT>2020-01-02T03:04:05Z</DT><TS>PT10M</TS>
        <By>255</By><SB>-5</SB><U16>65535</U16><I16>-7</I16><U32>4294967295</U32><I32>-2147483648</I32>
        <U64>18446744073709551615</U64><I64>9007199254740993</I64><I64> -9007199254740991 </I64>
        <Sg>1.25</Sg><Db>INF</Db><Db>5.7870370370370366E-05</Db><D>1.5</D><BA>AQID</BA>
        <G>75d6aeb5-6b1f-4e0a-9e53-4f8d5e0b6a11</G><URI>http://x/</URI><Nil /><Version>1.2.3</Version>
        <XD>&lt;a&gt;b&lt;/a&gt;</XD><SBK> Get-ReceiveConnector </SBK><SS>01000000d08c9ddf0115d1118c7a</SS>
      </LST></Obj>`),
    );
    expect(asObject(list).items).toEqual([
      'text',
      'A',
      true,
      false,
      '2020-01-02T03:04:05Z',
      'PT10M',
      255,
      -5,
      65535,
      -7,
      4294967295,
      -2147483648,
      '18446744073709551615',
      '9007199254740993',
      -9007199254740991,
      1.25,
      Infinity,
      5.7870370370370366e-5,
      1.5,
      'AQID',
      '75d6aeb5-6b1f-4e0a-9e53-4f8d5e0b6a11',
      'http://x/',
      null,
      '1.2.3',
      '<a>b</a>',
      ' Get-ReceiveConnector ',
      '<SecureString>',
    ]);
  });

  it('decodes _xHHHH_ escapes in content, N attributes, ToString and type names', () => {
    // As PowerShell 7 serializes [pscustomobject]@{ Name = "Relay_x0041_`nScan" } and friends.
    const [object] = parseClixml(
      doc(`<Obj RefId="0">
        <TN RefId="0"><T>My_x005F_xType_x0009_</T><T>System.Object</T></TN>
        <ToString>line1_x000A_line_x005F_x2</ToString>
        <MS>
          <S N="Name">Relay_x005F_x0041__x000A_Scan</S>
          <S N="Tab_x0009_Name">tab</S>
          <S N="Emoji">_xD83D__xDE00_</S>
          <S N="LowerHex">_x000a_</S>
          <S N="NotEscapes">_x41_ _X0041_ _x004G_ x000A_</S>
        </MS>
      </Obj>`),
    );
    const relay = asObject(object);
    expect(relay.typeNames[0]).toBe('My_xType\t');
    expect(relay.toStringText).toBe('line1\nline_x2');
    expect(prop(relay, 'Name')).toBe('Relay_x0041_\nScan');
    expect(prop(relay, 'Tab\tName')).toBe('tab');
    expect(prop(relay, 'Emoji')).toBe('😀');
    expect(prop(relay, 'LowerHex')).toBe('\n');
    expect(prop(relay, 'NotEscapes')).toBe('_x41_ _X0041_ _x004G_ x000A_');
  });

  it('keeps localized account names intact', () => {
    expect(parseClixml(doc('<S>NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG</S>'))).toEqual([
      'NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG',
    ]);
  });
});

describe('parseClixml objects', () => {
  it('reads a UTF-16LE file with BOM through decodeText', () => {
    const text = doc(`<Obj RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T>
      <T>System.Object</T></TN><MS><S N="Identity">EX01\\Relay Scanner</S><I32 N="Port">25</I32></MS></Obj>`);
    const decoded = decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect(decoded.encoding).toBe('utf-16le');
    const [object] = parseClixml(decoded.text);
    expect(prop(object, 'Identity')).toBe('EX01\\Relay Scanner');
    expect(prop(object, 'Port')).toBe(25);
  });

  it('reads a Deserialized.-typed object from an ANSI (windows-1252) file', () => {
    // Hand-written in the shape remoting gives Get-ADPermission output on a German server.
    const text = doc(`<Obj RefId="0">
      <TN RefId="0">
        <T>Deserialized.Microsoft.Exchange.Management.RecipientTasks.ADAcePresentationObject</T>
        <T>Deserialized.System.Object</T>
      </TN>
      <ToString>NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG</ToString>
      <Props>
        <S N="User">NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG</S>
        <Obj N="ExtendedRights" RefId="1">
          <TN RefId="1"><T>Deserialized.Microsoft.Exchange.Management.RecipientTasks.ExtendedRightIdParameter[]</T>
          <T>Deserialized.System.Array</T><T>Deserialized.System.Object</T></TN>
          <LST><S>ms-Exch-SMTP-Accept-Any-Recipient</S></LST>
        </Obj>
        <B N="Deny">false</B>
        <B N="IsInherited">false</B>
      </Props>
    </Obj>`);
    const decoded = decodeText(Buffer.from(text, 'latin1'));
    expect(decoded.encoding).toBe('windows-1252');
    const ace = asObject(parseClixml(decoded.text)[0]);
    expect(ace.typeNames[0]).toBe(
      'Deserialized.Microsoft.Exchange.Management.RecipientTasks.ADAcePresentationObject',
    );
    expect(plainTypeNames(ace)).toEqual([
      'Microsoft.Exchange.Management.RecipientTasks.ADAcePresentationObject',
      'System.Object',
    ]);
    expect(prop(ace, 'User')).toBe('NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG');
    expect(asObject(prop(ace, 'ExtendedRights')).items).toEqual(['ms-Exch-SMTP-Accept-Any-Recipient']);
  });

  it('reads a string with extra members as an object whose value is the string', () => {
    const [wrapped] = parseClixml(doc('<Obj RefId="4"><S>wrapped</S><MS><I32 N="Note">5</I32></MS></Obj>'));
    expect(asObject(wrapped).value).toBe('wrapped');
    expect(prop(wrapped, 'Note')).toBe(5);
    expect(asObject(wrapped).typeNames).toEqual([]);
  });

  it('reads dictionaries, stacks, queues and enumerables', () => {
    const [table, stack, queue, enumerable] = parseClixml(
      doc(`<Obj RefId="0"><TN RefId="0"><T>System.Collections.Hashtable</T><T>System.Object</T></TN>
        <DCT>
          <En><S N="Key">Port</S><I32 N="Value">25</I32></En>
          <En><I32 N="Key">2</I32><Nil N="Value" /></En>
        </DCT></Obj>
      <Obj RefId="1"><TN RefId="1"><T>System.Collections.Stack</T><T>System.Object</T></TN>
        <STK><I32>2</I32><I32>1</I32></STK></Obj>
      <Obj RefId="2"><TN RefId="2"><T>System.Collections.Queue</T><T>System.Object</T></TN>
        <QUE><S>x</S></QUE></Obj>
      <Obj RefId="3"><TNRef RefId="2" /><IE><B>true</B></IE></Obj>`),
    );
    expect(asObject(table).entries).toEqual([
      ['Port', 25],
      [2, null],
    ]);
    expect(asObject(stack).items).toEqual([2, 1]);
    expect(asObject(queue).items).toEqual(['x']);
    expect(asObject(enumerable).items).toEqual([true]);
    expect(asObject(enumerable).typeNames).toEqual(['System.Collections.Queue', 'System.Object']);
  });

  it('reads a progress record', () => {
    // PowerShell 7's PSSerializer output for a ProgressRecord with a CurrentOperation.
    const [record] = parseClixml(
      doc(`<PR><AV>Act_x005F_xiv</AV><AI>3</AI><S>op</S><PI>-1</PI><PC>-1</PC><T>Processing</T>
        <SR>-1</SR><SD>Stat</SD></PR>`),
    );
    const progress = asObject(record);
    expect(progress.typeNames[0]).toBe('System.Management.Automation.ProgressRecord');
    expect(Object.fromEntries(progress.properties)).toEqual({
      Activity: 'Act_xiv',
      ActivityId: 3,
      CurrentOperation: 'op',
      ParentActivityId: -1,
      PercentComplete: -1,
      RecordType: 'Processing',
      SecondsRemaining: -1,
      StatusDescription: 'Stat',
    });
  });

  // As Import-Clixml reads it (checked against pwsh in clixml-duplicate-members.test.ts): the last value of a name
  // written twice in one set, and the extended member over the adapted property.
  it('lists adapted properties first, and lets an extended member override one of its name', () => {
    const [object] = parseClixml(
      doc(`<Obj RefId="0">
        <MS><S N="B">extended</S><S N="A">extended</S></MS>
        <Props><S N="A">adapted</S><S N="A">second writer</S></Props>
      </Obj>`),
    );
    expect([...asObject(object).properties]).toEqual([
      ['A', 'extended'],
      ['B', 'extended'],
    ]);
  });

  it('resolves a <Ref> to an object that is still being built', () => {
    const [loop] = parseClixml(
      doc(`<Obj RefId="0"><MS><Ref N="Self" RefId="0" /><Obj N="Child" RefId="1">
        <LST><Ref RefId="0" /><Ref RefId="1" /></LST></Obj></MS></Obj>
        <Ref RefId="1" />`),
    );
    const parent = asObject(loop);
    expect(prop(parent, 'Self')).toBe(parent);
    const child = asObject(prop(parent, 'Child'));
    expect(child.items?.[0]).toBe(parent);
    expect(child.items?.[1]).toBe(child);
  });

  it('returns top-level references as the same instance (pipeline input seen twice)', () => {
    const values = parseClixml(
      doc(`<Obj RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T>
        </TN><MS><I32 N="A">1</I32></MS></Obj><Ref RefId="0" /><Nil />`),
    );
    expect(values).toHaveLength(3);
    expect(values[1]).toBe(values[0]);
    expect(values[2]).toBeNull();
  });

  it('keeps names like __proto__ and constructor as plain Map keys', () => {
    const [object] = parseClixml(
      doc(`<Obj RefId="0"><MS>
        <Obj N="__proto__" RefId="1"><MS><B N="polluted">true</B></MS></Obj>
        <S N="constructor">c</S><S N="hasOwnProperty">h</S>
      </MS><DCT><En><S N="Key">__proto__</S><B N="Value">true</B></En></DCT></Obj>`),
    );
    const target = asObject(object);
    expect([...target.properties.keys()]).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
    expect(prop(prop(target, '__proto__'), 'polluted')).toBe(true);
    expect(Object.getPrototypeOf(target.properties)).toBe(Map.prototype);
    expect(target.entries).toEqual([['__proto__', true]]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });

  it('skips unknown elements and elements of other namespaces', () => {
    const values = parseClixml(
      doc(`<Future><S>ignored</S></Future>
        <Obj RefId="0"><Future><S N="x">1</S></Future><x:Obj xmlns:x="urn:other" RefId="9"><x:S>y</x:S></x:Obj>
          <ToString>kept</ToString><Props><Future N="z" /><I32 N="Port">25</I32></Props></Obj>`),
    );
    expect(values).toHaveLength(1);
    expect(asObject(values[0]).toStringText).toBe('kept');
    expect([...asObject(values[0]).properties]).toEqual([['Port', 25]]);
  });
});

describe('isClixml', () => {
  it('recognises CLIXML by its root element and namespace', () => {
    expect(isClixml(decodeText(readFileSync('fixtures/orgs/tailspin-de/ReceiveConnector.xml')).text)).toBe(
      true,
    );
    expect(isClixml(`\uFEFF${doc('<Nil />')}`)).toBe(true);
    expect(isClixml(`<?xml version="1.0" encoding="utf-8"?>\r\n${doc('<Nil />')}`)).toBe(true);
    expect(
      isClixml(`<Objs xmlns='http://schemas.microsoft.com/powershell/2004/04' Version='1.1.0.1'/>`),
    ).toBe(true);
  });

  it('rejects JSON, other XML and <Objs> without the PowerShell namespace', () => {
    expect(isClixml('[{"Identity":"EX01\\\\Default EX01"}]')).toBe(false);
    expect(isClixml('<Objects><Object/></Objects>')).toBe(false);
    expect(isClixml('<Objs Version="1.1.0.1"><S>x</S></Objs>')).toBe(false);
    expect(isClixml('<Objs><S>xmlns="http://schemas.microsoft.com/powershell/2004/04"</S></Objs>')).toBe(
      false,
    );
    expect(isClixml('')).toBe(false);
  });
});

describe('parseClixml errors', () => {
  it('reports where an element holds the wrong kind of value', () => {
    const error = parseError(
      [
        OBJS_START,
        '  <Obj RefId="0">',
        '    <MS>',
        '      <I32 N="Port">25x</I32>',
        '    </MS>',
        '  </Obj>',
        '</Objs>',
      ].join('\n'),
    );
    expect(error.message).toBe(
      'malformed CLIXML at line 4, column 7: <I32> must hold a 32-bit integer, not "25x"',
    );
    expect([error.line, error.column]).toEqual([4, 7]);
  });

  it.each([
    ['an unclosed tag', `${OBJS_START}<Obj RefId="0"><MS>`, /unclosed tag/],
    ['text after the root', `${doc('<Nil />')}trailing`, /text data outside of root node/],
    ['a second root', `${doc('<Nil />')}<Objs />`, /only one root/],
    ['a mismatched close tag', doc('<Obj RefId="0"><MS></Obj>'), /unexpected close tag/],
    ['a Ref to an unknown id', doc('<Ref RefId="7" />'), /<Ref RefId="7"> refers to no earlier <Obj>/],
    ['a Ref without RefId', doc('<Ref />'), /<Ref> has no RefId attribute/],
    ['a forward Ref', doc('<Ref RefId="0" /><Obj RefId="0" />'), /refers to no earlier <Obj>/],
    [
      'a TNRef to an unknown id',
      doc('<Obj RefId="0"><TNRef RefId="3" /></Obj>'),
      /<TNRef RefId="3"> refers to/,
    ],
    [
      'a non-numeric I32',
      doc('<I32>twenty-five</I32>'),
      /<I32> must hold a 32-bit integer, not "twenty-five"/,
    ],
    ['an I32 out of range', doc('<I32>2147483648</I32>'), /<I32> must hold a 32-bit integer/],
    ['a negative byte', doc('<By>-1</By>'), /<By> must hold an integer from 0 to 255/],
    ['a word for a boolean', doc('<B>yes</B>'), /<B> must hold true or false, not "yes"/],
    ['a malformed double', doc('<Db>1.2.3</Db>'), /<Db> must hold a double/],
    ['a property without a name', doc('<Obj RefId="0"><Props><S>x</S></Props></Obj>'), /no N attribute/],
    [
      'an entry without a value',
      doc('<Obj RefId="0"><DCT><En><S N="Key">k</S></En></DCT></Obj>'),
      /N="Value"/,
    ],
    ['a root other than Objs', '<Objects><S>x</S></Objects>', /the root element is <Objects>, not <Objs>/],
    [
      'Objs outside the namespace',
      '<Objs Version="1.1.0.1"><S>x</S></Objs>',
      /not in the PowerShell namespace/,
    ],
    ['an undeclared entity', doc('<S>&nbsp;</S>'), /undefined entity/],
    ['a prototype-named entity', doc('<S>&constructor;</S>'), /undefined entity/],
    ['a NUL character', doc('<S>a\u0000b</S>'), /disallowed character/],
    ['an empty document', '', /root element/],
  ])('rejects %s', (_case, text, problem) => {
    const error = parseError(text);
    expect(error.message).toMatch(/^malformed CLIXML at line \d+, column \d+: /);
    expect(error.message).toMatch(problem);
    expect(error.message).not.toContain('\n');
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(error.column).toBeGreaterThanOrEqual(1);
  });

  it('rejects a billion-laughs DOCTYPE without expanding it', () => {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`);
    const bomb = `<?xml version="1.0"?><!DOCTYPE Objs [<!ENTITY lol0 "lol">${levels.join('')}]>${doc('<S>&lol9;</S>')}`;
    expect(parseError(bomb).message).toMatch(/DOCTYPE is not allowed/);
  });

  it('rejects an external-entity DOCTYPE without resolving it', () => {
    const xxe = `<!DOCTYPE Objs [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${doc('<S>&xxe;</S>')}`;
    expect(parseError(xxe).message).toMatch(/DOCTYPE is not allowed/);
    const parameter = `<!DOCTYPE Objs [<!ENTITY % remote SYSTEM "http://192.0.2.1/x.dtd"> %remote;]>${doc('<Nil />')}`;
    expect(parseError(parameter).message).toMatch(/DOCTYPE is not allowed/);
  });
});

/** A small seeded PRNG (mulberry32), so every run mutates the same way. */
function seededRandom(seed: number): (limit: number) => number {
  let state = seed >>> 0;
  return (limit) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * limit);
  };
}

/** Bytes that matter to XML, to the escapes and to the decoder, plus anything at all. */
const NASTY_BYTES = [...Buffer.from('<>/&;"=_x0 IN!?[]-'), 0xc4, 0xef, 0xff, 0x80];
const NASTY_SNIPPETS = [
  '<Ref RefId="9999" />',
  '<TNRef RefId="77" />',
  '<Obj RefId="0">',
  '</Obj>',
  '<![CDATA[',
  ']]>',
  '<!DOCTYPE Objs>',
  '&lol;',
  '<?xml version="1.0"?>',
  '_xD83D_',
  '<I32>',
  '<En>',
  '<Props>',
  '<DCT>',
  '<PR>',
].map((snippet) => Buffer.from(snippet));

function mutate(original: Buffer, random: (limit: number) => number): Buffer {
  let bytes = Buffer.from(original);
  const edits = 1 + random(3);
  for (let edit = 0; edit < edits; edit++) {
    const at = random(bytes.length + 1);
    const length = 1 + random(2000);
    switch (random(5)) {
      case 0:
        bytes = bytes.subarray(0, at);
        break;
      case 1:
        for (let flip = 0; flip < 1 + random(8); flip++) {
          bytes[random(bytes.length)] =
            random(4) === 0 ? random(256) : (NASTY_BYTES[random(NASTY_BYTES.length)] ?? 0);
        }
        break;
      case 2:
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + length)]);
        break;
      case 3:
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + length), bytes.subarray(at)]);
        break;
      default: {
        const snippet = NASTY_SNIPPETS[random(NASTY_SNIPPETS.length)] ?? Buffer.alloc(0);
        bytes = Buffer.concat([bytes.subarray(0, at), snippet, bytes.subarray(at)]);
      }
    }
  }
  return bytes;
}

describe('parseClixml robustness', () => {
  it('either parses or throws ClixmlError for hundreds of mutated real exports', () => {
    const random = seededRandom(0x5eed);
    // The real exports when they are here, else the project's own exports written by real PowerShell. The real
    // ones carry large base64 SerializationData blobs where many mutations land harmlessly, so more of them parse.
    const sources = hasLabData
      ? [labBytes('GetReceiveConnector.xml'), labBytes('GetAcceptedDomain.xml')]
      : [
          readFileSync('fixtures/orgs/woodgrove-extsec/ReceiveConnector.xml'),
          readFileSync('fixtures/orgs/fabrikam-2019/ExchangeServer.xml'),
        ];
    const minimumParsed = hasLabData ? 10 : 3;
    const outcomes = { parsed: 0, clixmlError: 0, decodeError: 0 };
    for (let round = 0; round < 300; round++) {
      const bytes = mutate(sources[round % sources.length] ?? Buffer.alloc(0), random);
      let text: string;
      try {
        text = decodeText(bytes).text;
      } catch (error) {
        expect(error).toBeInstanceOf(DecodeError);
        outcomes.decodeError++;
        continue;
      }
      try {
        expect(Array.isArray(parseClixml(text))).toBe(true);
        outcomes.parsed++;
      } catch (error) {
        if (!(error instanceof ClixmlError))
          throw new Error(`round ${round}: ${String(error)}`, { cause: error });
        outcomes.clixmlError++;
      }
    }
    // The mutations must exercise both outcomes, or this test proves nothing.
    expect(outcomes.parsed).toBeGreaterThan(minimumParsed);
    expect(outcomes.clixmlError).toBeGreaterThan(100);
  });
});
