/** ConvertTo-Json output as PsValue trees, so one mapping serves CLIXML and JSON alike. */

import { shownName } from './json-members.js';
import { firstCaseVariant } from './property-names.js';
import type { PsObject, PsValue } from './ps-value.js';

/** Deeper than any Exchange export (ConvertTo-Json caps at 100); protects the recursion below. */
const MAX_DEPTH = 200;

export class JsonDepthError extends Error {}

/**
 * Two members of one object whose names differ only in case ("RemoteIPRanges" and "remoteIPRanges"). PowerShell
 * names are case-insensitive, so ConvertTo-Json never writes such an object, and ConvertFrom-Json refuses it:
 * which of the two Exchange meant cannot be told, and guessing could read a wide range as a narrow one.
 */
export class JsonCaseError extends Error {}

export function jsonToPsValue(value: unknown, depth = 0): PsValue {
  if (depth > MAX_DEPTH) throw new JsonDepthError(`nested more than ${MAX_DEPTH} levels deep`);
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (Array.isArray(value)) return value.map((item) => jsonToPsValue(item, depth + 1));
  const enumValue = wrappedEnum(value as Record<string, unknown>);
  if (enumValue) return enumValue;
  const properties = new Map<string, PsValue>();
  const entries = Object.entries(value as Record<string, unknown>);
  refuseNamesDifferingInCase(entries.map(([key]) => key));
  for (const [key, item] of entries) properties.set(key, jsonToPsValue(item, depth + 1));
  const object: PsObject = { kind: 'object', typeNames: [], toStringText: null, properties };
  return object;
}

function refuseNamesDifferingInCase(names: readonly string[]): void {
  const variant = firstCaseVariant(names);
  if (variant === null) return;
  const [earlier, later] = variant;
  throw new JsonCaseError(
    `object with members ${shownName(earlier)} and ${shownName(later)}, whose names differ only in case (PowerShell's ConvertFrom-Json refuses it too)`,
  );
}

/**
 * An enum as ConvertTo-Json writes it after a remoting round trip (Import-Clixml, Invoke-Command, Windows
 * PowerShell 5.1): {"value": 33, "Value": "Tls, ExternalAuthoritative"}, its number and its names under two keys
 * that differ only in case. Read as a plain object it had neither, and AuthMechanism, PermissionGroups and
 * TransportRole came out empty: an externally secured open relay read as no-relay. It becomes what CLIXML gives
 * for an enum, a number with its ToString.
 */
function wrappedEnum(object: Record<string, unknown>): PsObject | null {
  const keys = Object.keys(object);
  if (keys.length !== 2 || !keys.includes('value') || !keys.includes('Value')) return null;
  const number = object.value;
  const names = object.Value;
  if (typeof number !== 'number' || typeof names !== 'string') return null;
  return { kind: 'object', typeNames: [], toStringText: names, value: number, properties: new Map() };
}
