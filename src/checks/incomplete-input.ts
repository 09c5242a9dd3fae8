import type { Check, Finding } from './check.js';

export const incompleteInput: Check = {
  meta: {
    id: 'incomplete-input',
    title: 'Part of the organisation could not be read',
    severityRule: 'Low: the report is incomplete; connector-level gaps are reported by verdict-unknown.',
    explanation:
      'Collection or the exported files missed something other than a connector ACL (a server, the accepted domains): checks that need it did not run, and the report cannot say the organisation is clean.',
  },
  run(analysis) {
    const findings: Finding[] = [];
    const { snapshot } = analysis;
    if (snapshot.acceptedDomains === null) {
      findings.push({
        checkId: 'incomplete-input',
        severity: 'low',
        connector: null,
        message:
          'No accepted domains in the input: relay through accepted domains (e.g. "*.com") was not checked.',
        remediation: 'Get-AcceptedDomain | Export-Clixml -Path .\\AcceptedDomain.xml',
      });
    }
    for (const issue of snapshot.errors) {
      if (issue.scope === 'connector') continue;
      findings.push({
        checkId: 'incomplete-input',
        severity: 'low',
        connector: null,
        message: `${issue.target ? `${issue.target}: ` : ''}${issue.message}`,
        remediation: null,
      });
    }
    return findings;
  },
};
