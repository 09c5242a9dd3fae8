/** ConvertTo-Json output as PsValue trees, so one mapping serves CLIXML and JSON alike. */

import type { PsObject, PsValue } from './ps-value.js';

/** Deeper than any Exchange export (ConvertTo-Json caps at 100); protects the recursion below. */
const MAX_DEPTH = 200;

export class JsonDepthError extends Error {}

export function jsonToPsValue(value: unknown, depth = 0): PsValue {
  if (depth > MAX_DEPTH) throw new JsonDepthError(`nested more than ${MAX_DEPTH} levels deep`);
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (Array.isArray(value)) return value.map((item) => jsonToPsValue(item, depth + 1));
  const properties = new Map<string, PsValue>();
  for (const [key, item] of Object.entries(value as Record<string, unknown>))
    properties.set(key, jsonToPsValue(item, depth + 1));
  const object: PsObject = { kind: 'object', typeNames: [], toStringText: null, properties };
  return object;
}
