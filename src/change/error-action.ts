/**
 * Whether a refused command stops the script: PowerShell's ActionPreference, from the command's own -ErrorAction or
 * else $ErrorActionPreference. An Exchange cmdlet's refusal ("couldn't be found") is a non-terminating error, which
 * only Stop turns into one that ends the script.
 */

import { findUnknown, type Value } from './values.js';

export type ErrorAction = 'stop' | 'continue' | { unknown: string };

/** System.Management.Automation.ActionPreference, by number. */
const BY_NUMBER = ['silentlycontinue', 'stop', 'continue', 'inquire', 'ignore', 'suspend', 'break'];

/** `source` names where the value came from, for the reason: "its -ErrorAction", "$ErrorActionPreference". */
export function errorActionOf(value: Value, source: string): ErrorAction {
  const unknown = findUnknown(value);
  if (unknown) return { unknown: `${source} is ${unknown.reason}` };
  const text = typeof value === 'string' ? value.trim().toLowerCase() : null;
  const name =
    typeof value === 'number'
      ? BY_NUMBER[value]
      : text !== null && /^\d+$/.test(text)
        ? BY_NUMBER[Number(text)]
        : text;
  switch (name) {
    case 'stop':
      return 'stop';
    case 'continue':
    case 'silentlycontinue':
    case 'ignore':
      return 'continue';
    case 'inquire':
    case 'break':
      return { unknown: `${source} is ${name}: whoever runs the script decides whether it goes on` };
    default:
      return { unknown: `${source} is not an action exrelay knows` };
  }
}
