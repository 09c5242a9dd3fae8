/**
 * What the findings of the exceptions layer are, described as a check's are (they are reported as check
 * `exception`, though no registered check runs them): for pages and lists that explain each finding's check.
 */

import type { CheckMeta } from '../checks/check.js';
import { EXCEPTION_CHECK_ID } from './apply-exceptions.js';

export const EXCEPTION_META: CheckMeta = {
  id: EXCEPTION_CHECK_ID,
  title: 'Approved exception out of date',
  severityRule:
    'That of the finding the exception named (expired, scope-exceeded); low for an entry that matches nothing (stale).',
  explanation:
    'An approved exception (--exceptions) accepts one finding: listed, but not counted toward the exit code. It stops covering on the day after it expires, and as soon as the finding is more severe than the severity it approved, or the connector receives addresses or lets principals relay beyond the scope it approved; the finding then counts again and this finding says why. An entry that matches no finding is stale: the finding was fixed, or it is named wrongly.',
  messages: {
    stale: { description: 'The entry matches no finding.', data: ['line', 'owner', 'expires'] },
    expired: {
      description: 'The entry expired: its finding counts again.',
      data: ['line', 'owner', 'expires', 'finding', 'checkId'],
    },
    'scope-exceeded': {
      description:
        'The finding grew more severe than the entry approves, or its connector beyond the scope it approves: the finding counts again.',
      data: [
        'line',
        'owner',
        'expires',
        'finding',
        'checkId',
        'addresses',
        'ranges',
        'principals',
        'approvedSeverity',
      ],
    },
  },
};

/** Where the exceptions file and these findings are documented. */
export const EXCEPTION_DOCS = 'docs/scheduled-audits.md';
