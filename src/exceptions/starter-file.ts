/**
 * `exrelay exceptions init`: an exceptions file with one entry per finding, named by fingerprint, each with its
 * severity and its connector's scope today and empty reason, owner and expires. exrelay refuses the file until they are filled in,
 * so a starter file can never approve anything by itself.
 */

import { severityRank, type Severity } from '../analysis/severity.js';
import type { Finding } from '../checks/check.js';
import { scopeRanges } from '../checks/describe.js';
import { shorten, visible } from '../report/untrusted-text.js';
import type { ConnectorScope } from './apply-exceptions.js';
import { EXCEPTIONS_FORMAT_VERSION } from './parse-exceptions.js';

/** A YAML double-quoted scalar: JSON's string syntax is YAML's. */
function quoted(text: string): string {
  return JSON.stringify(text);
}

/** A comment line: one line whatever the text holds, of a sensible length. */
function comment(text: string): string {
  return `# ${visible(shorten(text, 300))}`;
}

export function starterFile(input: {
  findings: readonly Finding[];
  connectors: readonly ConnectorScope[];
  minSeverity: Severity;
  generator: string;
  source: string;
  today: string;
}): { text: string; entries: number } {
  const connectors = new Map(input.connectors.map((scope) => [scope.identity.toLowerCase(), scope]));
  const chosen = input.findings.filter(
    (finding) => severityRank(finding.severity) >= severityRank(input.minSeverity),
  );
  const lines = [
    '# exrelay approved exceptions (docs/scheduled-audits.md).',
    comment(`Written by ${input.generator} on ${input.today} from ${input.source}.`),
    '# For each finding you approve, fill in reason, owner and expires (YYYY-MM-DD, the last day it is approved);',
    '# delete the entries you do not approve. exrelay refuses this file while a reason, owner or expires is empty.',
    "# severity and scope are the finding's severity and the connector's scope today: the exception stops covering",
    '# its finding if the finding becomes more severe or the connector grows beyond that scope.',
    `version: ${EXCEPTIONS_FORMAT_VERSION}`,
    chosen.length === 0 ? 'exceptions: []' : 'exceptions:',
  ];
  for (const finding of chosen) {
    const where = finding.connector ?? '(organisation)';
    lines.push(
      '',
      `  ${comment(`${finding.severity} · ${finding.checkId} · ${where}${finding.subject ? ` · ${finding.subject}` : ''}`)}`,
      `  ${comment(finding.message)}`,
      `  - fingerprint: ${quoted(finding.fingerprint)}`,
      '    reason: ""',
      '    owner: ""',
      '    ticket: ""',
      '    expires: ""',
      `    severity: ${finding.severity}`,
    );
    const scope = finding.connector === null ? undefined : connectors.get(finding.connector.toLowerCase());
    if (scope) {
      const ranges = scopeRanges(scope.effective);
      const principals = [
        ...new Set(scope.relayPrincipals.map((principal) => principal.sid ?? principal.user)),
      ];
      lines.push(
        '    scope:',
        `      ranges: [${ranges.map(quoted).join(', ')}]`,
        `      principals: [${principals.map(quoted).join(', ')}]`,
      );
    }
  }
  return { text: `${lines.join('\n')}\n`, entries: chosen.length };
}
