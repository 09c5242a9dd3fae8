/**
 * The change scripts in fixtures/changes, parsed by real PowerShell and evaluated against fixture organisations:
 * every pattern admins write (read–modify–write, @{Add;Remove}, plain replacement, pipelines through
 * Where-Object, SIDs in variables, curly quotes, loops, localized principals, accepted domains, refusals and what
 * cannot be evaluated).
 */

import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { ParsedScript } from '../../src/change/script-ast.js';
import { whatIf, type WhatIfResult } from '../../src/change/whatif.js';
import { regressions } from '../../src/diff/diff.js';
import { buildSnapshot } from '../../src/ingest/build-snapshot.js';
import { loadInputs } from '../../src/ingest/load-files.js';
import { describeWithPwsh } from '../helpers/pwsh.js';
import { openScriptReader, type OpenReader } from '../helpers/script-reader.js';

describeWithPwsh(
  'change scripts from the field, parsed by PowerShell and applied to fixture organisations',
  (pwsh) => {
    let open: OpenReader;

    beforeAll(async () => {
      open = await openScriptReader(pwsh);
    });
    afterAll(async () => {
      await open.close();
    });

    async function review(
      script: string,
      org: string,
      connectedServer: string | null = null,
    ): Promise<WhatIfResult> {
      const parsed: ParsedScript = await open.reader.parseFile(`fixtures/changes/${script}`);
      expect(parsed.parseErrors).toEqual([]);
      const { snapshot } = buildSnapshot(await loadInputs([`fixtures/orgs/${org}`]));
      return whatIf(snapshot, parsed.body!, { connectedServer });
    }

    const connector = (result: WhatIfResult, identity: string) =>
      result.after.analysis.connectors.find((entry) => entry.connector.identity === identity);

    it("Microsoft's documented dedicated relay connector: relay for two hosts, nothing at high or above", async () => {
      const result = await review('dedicated-relay-connector.ps1', 'fabrikam-2019');
      expect(result.complete).toBe(true);
      expect(result.evaluation.outcomes.map((outcome) => outcome.status)).toEqual([
        'applied',
        'applied',
        'applied',
      ]);
      const created = connector(result, 'EX02\\Relay Copiers');
      expect(created?.relay.verdict).toBe('relay');
      expect(created?.connector.permissionGroups).toEqual(['AnonymousUsers', 'Custom']);
      expect(
        result.diff.findings.introduced.map((finding) => [
          finding.checkId,
          finding.connector,
          finding.severity.after,
        ]),
      ).toContainEqual(['anonymous-relay', 'EX02\\Relay Copiers', 'low']);
      expect(regressions(result.diff, 'high')).toEqual([]);
      // Default Frontend EX02 loses the two copiers through precedence, without being named in the script.
      const frontend = result.diff.connectors.find(
        (entry) => entry.identity.after === 'EX02\\Default Frontend EX02',
      );
      expect(frontend?.effectiveScope).toMatchObject({ cause: 'other-connectors', lost: { addresses: '2' } });
    });

    it('the bad variant (Where-Object *Default*) opens Default Frontend to the Internet: critical, exit 1', async () => {
      const result = await review('default-frontend-opened.ps1', 'fabrikam-2019');
      expect(result.evaluation.outcomes.map((outcome) => outcome.target)).toEqual([
        'EX02\\Default EX02',
        'EX02\\Default Frontend EX02',
      ]);
      const critical = regressions(result.diff, 'high');
      expect(critical.map((finding) => [finding.checkId, finding.connector, finding.severity.after])).toEqual(
        [['default-connector-relay', 'EX02\\Default Frontend EX02', 'critical']],
      );
    });

    it('read–modify–write (+=, .Add, -=) appends; a plain list replaces and names what it drops', async () => {
      const result = await review('read-modify-write.ps1', 'sample');
      expect(connector(result, 'PWEX01\\Relay Printers')?.connector.remoteIPRanges).toEqual([
        '10.10.20.31',
        '10.10.20.45',
        '10.10.20.46',
        '10.10.20.47',
      ]);
      const replaced = result.evaluation.outcomes.find(
        (outcome) => outcome.target === 'PWEX02\\Relay Printers',
      );
      expect(replaced?.effects.find((effect) => effect.kind === 'ranges-dropped')?.values).toEqual([
        '10.10.20.0/24',
      ]);
    });

    it('@{Add; Remove}, splatting and abbreviated parameters', async () => {
      const result = await review('add-remove-hashtable.ps1', 'sample');
      expect(result.complete).toBe(true);
      expect(connector(result, 'PWEX01\\Relay Branch Offices')?.connector.remoteIPRanges).toEqual([
        '172.17.4.10',
        '172.17.4.11',
      ]);
      expect(connector(result, 'PWEX02\\Relay Archive')?.connector.remoteIPRanges).toEqual(['10.10.95.21']);
      expect(connector(result, 'PWEX01\\Relay Lab')?.connector.enabled).toBe(false);
      expect(connector(result, 'PWEX01\\Relay Finance')?.connector.remoteIPRanges).toEqual(['10.10.90.0/25']);
      expect(result.diff.findings.narrowed.map((finding) => finding.connector)).toContain(
        'PWEX01\\Relay Branch Offices',
      );
    });

    it('variables, arrays, a SID translated into a variable, curly quotes and a loop over servers', async () => {
      const result = await review('variables-and-loops.ps1', 'sample');
      expect(result.evaluation.notEvaluated).toEqual([]);
      for (const server of ['PWEX01', 'PWEX02']) {
        const created = connector(result, `${server}\\Relay Badge Readers`);
        expect(created?.connector.bindings).toEqual(['0.0.0.0:25']);
        expect(created?.connector.remoteIPRanges).toEqual(['10.10.77.10', '10.10.77.11']);
        expect(created?.relay.anonymous).toBe(true);
      }
      expect(connector(result, 'PWEX02\\Relay Badge Readers')?.connector.protocolLoggingLevel).toBe(
        'Verbose',
      );
      expect(connector(result, 'PWEX01\\Relay Badge Readers')?.connector.protocolLoggingLevel).toBe('None');
    });

    it('PermissionGroups ExchangeServers after AnonymousUsers removes the anonymous group; Exchange refuses ExternalAuthoritative alone', async () => {
      const result = await review('permission-groups-swap.ps1', 'sample');
      const monitoring = connector(result, 'PWEX01\\Relay Monitoring');
      expect(monitoring?.relay.externallySecured).toBe(true);
      expect(monitoring?.relay.anonymousSubmit).toBe(false);
      const refused = result.evaluation.outcomes.find((outcome) => outcome.status === 'refused');
      expect(refused).toMatchObject({
        line: 7,
        target: 'PWEX01\\Relay Lab',
        reason: 'AuthMechanism ExternalAuthoritative requires the ExchangeServers permission group',
      });
    });

    it('on a German organisation the English ANONYMOUS LOGON name is not found; the German one is (and an explicit deny still wins)', async () => {
      const result = await review('localized-principal.ps1', 'tailspin-de');
      expect(result.evaluation.outcomes.map((outcome) => outcome.status)).toEqual([
        'refused',
        'applied',
        'applied',
      ]);
      expect(result.evaluation.outcomes[0]?.reason).toContain('NT-AUTORITÄT\\ANONYMOUS-ANMELDUNG');
      expect(result.evaluation.outcomes[2]?.effects[0]?.text).toContain(
        "'NT-Authority\\Anonymous-Logon' is not a principal exrelay has seen",
      );
      // The connector carries an explicit deny for the relay right: the added allow does not open relay.
      expect(connector(result, 'EX16DE01\\Relais Altanwendung')?.relay.anonymous).toBe(false);
      // But exrelay cannot tell who the granted name is (no name of this server's language): it fails closed
      // (issue #6 §1), and the review says so instead of calling the change harmless.
      expect(regressions(result.diff, 'low').map((finding) => [finding.checkId, finding.subject])).toEqual([
        ['verdict-unknown', 'NT-Authority\\Anonymous-Logon'],
      ]);
    });

    it('accepted domains: a *.com relay domain is an open relay; an invalid type is refused', async () => {
      const result = await review('accepted-domains.ps1', 'sample');
      expect(
        result.diff.acceptedDomains?.added.map((domain) => [domain.domainName, domain.domainType]),
      ).toEqual([
        ['contoso.com', 'ExternalRelay'],
        ['*.com', 'ExternalRelay'],
      ]);
      expect(result.evaluation.outcomes.at(-1)).toMatchObject({ status: 'refused', line: 5 });
      expect(regressions(result.diff, 'critical').map((finding) => finding.checkId)).toEqual([
        'accepted-domain-relay',
      ]);
    });

    it('a rename is a rename; Remove-ADPermission piped from Get-ADPermission; a refusal under Stop ends the script', async () => {
      const result = await review('retire-and-rename.ps1', 'sample');
      expect(result.evaluation.stoppedAt?.line).toBe(8);
      const renamed = result.diff.connectors.find((entry) => entry.renamed);
      expect(renamed?.identity).toEqual({
        before: 'PWEX01\\Relay Monitoring',
        after: 'PWEX01\\Monitoring Submit',
      });
      expect(renamed?.matchedBy).toBe('guid');
      expect(result.diff.connectors.find((entry) => entry.status === 'removed')?.identity.before).toBe(
        'PWEX01\\Old Fax Relay',
      );
      expect(connector(result, 'PWEX01\\Relay Lab')?.relay.verdict).toBe('no-relay');
      expect(result.evaluation.outcomes.find((outcome) => outcome.line === 6)?.status).toBe('skipped');
      expect(connector(result, 'PWEX01\\Relay Marketing SaaS')?.connector.enabled).toBe(true);
    });

    it('lists what it cannot evaluate, with line and column, and says the review is incomplete', async () => {
      const result = await review('not-evaluated.ps1', 'sample');
      expect(result.complete).toBe(false);
      expect(result.evaluation.notEvaluated.map((item) => [item.line, item.column])).toEqual([
        [3, 1],
        [4, 1],
        [6, 1],
        [7, 1],
      ]);
      expect(result.evaluation.notEvaluated[0]?.reason).toBe(
        'its -RemoteIPRanges is the output of Import-Csv (line 2)',
      );
      expect(connector(result, 'PWEX02\\Relay Archive')?.connector.enabled).toBe(false);
    });
  },
);
