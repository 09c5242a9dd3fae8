/**
 * A finding's stable identity (docs/diff.md): check id + the connector's stable identity (AD object GUID, else DN,
 * else SERVER\Name) + the subject (principal, accepted domain, range, other connector). Independent of wording,
 * order and exrelay version. `fingerprint` is the first 16 hex digits of SHA-256 over those three, one per line.
 */

import { createHash } from 'node:crypto';
import type { Finding } from '../checks/check.js';

/** The Finding fields the verdicts work adds; read when present, so the diff works before and after it lands. */
interface IdentifiedFinding extends Finding {
  fingerprint?: string | null;
  subject?: unknown;
}

export function subjectOf(finding: Finding): string | null {
  const subject = (finding as IdentifiedFinding).subject;
  if (subject === undefined || subject === null) return null;
  return typeof subject === 'string' ? subject : canonicalJson(subject);
}

export function fingerprintOf(finding: Finding, connectorKey: string | null): string {
  const given = (finding as IdentifiedFinding).fingerprint;
  if (typeof given === 'string' && given !== '') return given;
  return computeFingerprint(finding.checkId, connectorKey, subjectOf(finding));
}

export function computeFingerprint(
  checkId: string,
  connectorKey: string | null,
  subject: string | null,
): string {
  return createHash('sha256')
    .update(`${checkId}\n${connectorKey ?? ''}\n${subject ?? ''}`)
    .digest('hex')
    .slice(0, 16);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
