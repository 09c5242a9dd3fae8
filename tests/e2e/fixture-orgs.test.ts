/**
 * The scenario organisations in fixtures/orgs, exported by real PowerShell from the Exchange stand-in, analysed
 * end to end: what an auditor must conclude for each (fixtures/README.md describes them).
 */
import { describe, expect, it } from '@jest/globals';
import { buildSnapshot } from '../../src/ingest/build-snapshot.js';
import { loadInputs } from '../../src/ingest/load-files.js';
import { evaluate } from '../../src/pipeline.js';
import type { Report } from '../../src/report/report.js';

async function analyse(org: string): Promise<{ report: Report; warnings: string[] }> {
  const { snapshot, warnings } = buildSnapshot(await loadInputs([`fixtures/orgs/${org}`]));
  return { report: evaluate(snapshot, 'exrelay test').report, warnings };
}

function connector(report: Report, identity: string) {
  const found = report.connectors.find((entry) => entry.identity === identity);
  if (!found) throw new Error(`no connector ${identity}`);
  return found;
}

function verdicts(report: Report): Record<string, string> {
  return Object.fromEntries(
    report.connectors.map((entry) => [entry.identity, `${entry.relay.verdict}/${entry.severity}`]),
  );
}

function checkIds(report: Report, identity: string | null): string[] {
  return report.findings
    .filter((finding) => finding.connector === identity)
    .map((finding) => finding.checkId);
}

describe('contoso-2010: anonymous relay on the Default connector of an Exchange 2010 hub', () => {
  it('is critical, on a connector without TransportRole, and the fix removes the grant', async () => {
    const { report } = await analyse('contoso-2010');
    const hub = connector(report, 'EX2010\\Default EX2010');
    expect(hub).toMatchObject({
      transportRole: null,
      isDefault: true,
      severity: 'critical',
      receives: '0.0.0.0/0',
    });
    expect(hub.relay).toMatchObject({ verdict: 'relay', anonymous: true });
    const finding = report.findings.find((entry) => entry.checkId === 'default-connector-relay');
    expect(finding?.remediation?.split('\n')[0]).toBe(
      "Get-ReceiveConnector -Identity 'EX2010\\Default EX2010' | Remove-ADPermission -User 'S-1-5-7' -ExtendedRights ms-Exch-SMTP-Accept-Any-Recipient -Confirm:$false",
    );
    expect(connector(report, 'EX2010\\Client EX2010').relay.verdict).toBe('no-relay');
  });
});

describe('fabrikam-2019: dedicated relay connectors done right and wrong on two servers', () => {
  it('grades each relay connector by its scope', async () => {
    const { report } = await analyse('fabrikam-2019');
    expect(verdicts(report)).toMatchObject({
      'EX01\\Relay Printers': 'relay/low',
      'EX02\\Relay Printers': 'relay/medium',
      'EX01\\App Relay': 'relay/high',
      'EX01\\Old Scanner Relay': 'relay/low',
      'EX01\\Partner Inbound Litware': 'no-relay/info',
      'EX01\\Default Frontend EX01': 'no-relay/info',
    });
    expect(connector(report, 'EX01\\Old Scanner Relay').relay.latent).toBe('disabled');
    expect(checkIds(report, 'EX01\\App Relay')).toEqual(
      expect.arrayContaining(['anonymous-relay', 'relay-capture']),
    );
    expect(checkIds(report, 'EX02\\Relay Printers')).toContain('inconsistent-relay-scope');
  });

  it('reports the *.com InternalRelay domain as critical and lists the partner domain', async () => {
    const { report } = await analyse('fabrikam-2019');
    const domains = report.findings.filter((finding) => finding.checkId === 'accepted-domain-relay');
    expect(domains.map((finding) => finding.severity)).toEqual(['critical', 'info']);
    expect(domains[1]?.message).toContain('fabrikam-partner.net (InternalRelay)');
  });
});

describe('tailspin-de: German server, UTF-16LE export, names without SIDs', () => {
  it('finds relay by the German principal name and honours deny ACEs', async () => {
    const { report } = await analyse('tailspin-de');
    expect(verdicts(report)).toMatchObject({
      'EX16DE01\\Empfang Drucker Büro': 'relay/medium',
      'EX16DE01\\Relais Scanner Lager': 'no-relay/info', // explicit deny beats explicit allow
      'EX16DE01\\Relais Altanwendung': 'no-relay/info', // explicit deny beats inherited allow
      'EX16DE01\\Empfang Kopierer Verwaltung': 'relay/low', // explicit allow beats inherited deny
    });
    const principal = connector(report, 'EX16DE01\\Empfang Drucker Büro').relay.principals[0];
    // The export has no SIDs: the German name is identified, and the report gives the SID it stands for.
    expect(principal).toMatchObject({ user: 'NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG', sid: 'S-1-5-7' });
  });
});

describe('woodgrove-extsec: externally secured connectors, Deserialized type names, a French server', () => {
  it('finds relay through ExternalAuthoritative, critical where public addresses are in scope', async () => {
    const { report } = await analyse('woodgrove-extsec');
    expect(verdicts(report)).toMatchObject({
      'WGEX01\\Externally Secured Mainframe': 'relay/medium',
      'WGEX01\\Externally Secured Scan Partner': 'relay/critical',
      'WGPAR-EX01\\Relais Anonyme Imprimantes': 'relay/low',
    });
    expect(connector(report, 'WGEX01\\Externally Secured Scan Partner').relay).toMatchObject({
      externallySecured: true,
      anonymous: false,
    });
  });
});

describe('northwind-ipv6: ConvertTo-Json exports', () => {
  it('reads IPv6 ranges, the zone id and the netmask syntax, and refuses to trust permissions JSON lost', async () => {
    const { report, warnings } = await analyse('northwind-ipv6');
    const relay = connector(report, 'NWEX01\\IPv6 Relay');
    expect(
      relay.remoteIPRanges.map((range) => [range.text, range.family, range.scope, range.public]),
    ).toEqual(
      expect.arrayContaining([
        ['fd12:3456:789a:1::/64', 'IPv6', 'network', false],
        ['2a02:8108:1140:5d00::25', 'IPv6', 'host', true],
        ['10.50.0.0/16', 'IPv4', 'network', false],
      ]),
    );
    expect(report.connectors.every((entry) => entry.relay.verdict === 'unknown')).toBe(true);
    expect(warnings.some((warning) => warning.includes('lost the extended right names'))).toBe(true);
    expect(connector(report, 'NWEX01\\Legacy Apps IPv6 Listener').receives).toBe('nothing');
    expect(checkIds(report, 'NWEX01\\Legacy Apps IPv6 Listener')).toContain('unused-range-family');
  });

  it('reads the Windows PowerShell 5.1 variant with {"value": [...], "Count": n} wrappers', async () => {
    const { report } = await analyse('northwind-ipv6-ps51');
    expect(connector(report, 'NWEX01\\IPv6 Relay').remoteIPRanges.length).toBe(4);
  });
});

describe('adatum-overlap: precedence puzzles on one server', () => {
  it('resolves nesting, the specific binding, the tie, a shadowed relay and a malformed entry', async () => {
    const { report } = await analyse('adatum-overlap');
    expect(connector(report, 'EXO1\\Relay B').receives).toBe('10.1.0.0/16');
    expect(connector(report, 'EXO1\\Relay Lab').relay.latent).toBe('shadowed');
    expect(connector(report, 'EXO1\\Tie 2').receives).toBe('nothing');
    expect(report.findings.filter((finding) => finding.checkId === 'ambiguous-precedence')).toHaveLength(1);
    expect(checkIds(report, 'EXO1\\Relay Legacy')).toContain('unparseable-range');
    expect(connector(report, 'EXO1\\Relay A').severity).toBe('high');
  });
});

describe('litware-edge: an Edge Transport server exported on its own', () => {
  it('is merged with an organisation export', async () => {
    const { snapshot } = buildSnapshot(
      await loadInputs(['fixtures/orgs/litware-edge', 'fixtures/orgs/contoso-2010']),
    );
    const { report } = evaluate(snapshot, 'exrelay test');
    expect(report.connectors.map((entry) => entry.server)).toEqual(
      expect.arrayContaining(['EDGE01', 'EX2010']),
    );
    expect(connector(report, 'EDGE01\\Relay DMZ Applications').relay.verdict).toBe('relay');
  });
});

describe('sample: the README demonstration', () => {
  it('makes every check fire', async () => {
    const { report } = await analyse('sample');
    const { CHECKS } = await import('../../src/checks/registry.js');
    const fired = new Set(report.findings.map((finding) => finding.checkId));
    const silent = CHECKS.map((check) => check.meta.id).filter((id) => !fired.has(id));
    expect(silent).toEqual([]);
  });
});

describe('nordvik-sv: Swedish server, names without SIDs, certificate paths', () => {
  it('finds the open relay of the issue by its Swedish name, keeps its live severity in a tie, and reads the certificate paths', async () => {
    const { report, warnings } = await analyse('nordvik-sv');
    expect(warnings).toEqual([]);
    const open = connector(report, 'EXSE01\\Relä Skrivare');
    expect(open).toMatchObject({
      severity: 'critical',
      relay: { verdict: 'relay', anonymous: true, latent: null },
    });
    expect(checkIds(report, 'EXSE01\\Relä Skrivare')).toContain('anonymous-relay');
    const certificate = report.findings.filter((finding) => finding.checkId === 'certificate-relay');
    expect(certificate.map((finding) => [finding.connector, finding.messageId, finding.severity])).toEqual([
      ['EXSE01\\Partner Inkommande', 'relay-domain', 'medium'],
      ['EXSE01\\Default Frontend EXSE01', 'hybrid', 'info'],
    ]);
  });
});
