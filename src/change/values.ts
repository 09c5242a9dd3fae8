/**
 * The values a change script computes with, as far as exrelay follows them: PowerShell's scalars and
 * collections, the objects the Get- cmdlets return (a connector keeps its own copy of its properties, as a
 * deserialized object does), and `unknown` for anything it cannot know (a file's content, an unknown cmdlet's
 * output), which carries where it came from.
 */

import type { AccessControlEntry } from '../model/snapshot.js';
import type { ScriptNode } from './script-ast.js';

export interface SourceLocation {
  line: number;
  column: number;
}

export interface PsArray {
  kind: 'array';
  items: Value[];
  /** An Exchange MultiValuedProperty: .Add() and .Remove() change it in place. */
  multiValued: boolean;
  /** The object property this collection is, so that changing it in place marks the property changed. */
  owner?: { object: PsObject; property: string };
}

export interface PsHashtable {
  kind: 'hashtable';
  entries: Map<string, { key: string; value: Value }>;
}

/** What Get-ReceiveConnector, Get-ExchangeServer, Get-ADPermission and Get-AcceptedDomain return. */
export interface PsObject {
  kind: 'object';
  type: 'ReceiveConnector' | 'ExchangeServer' | 'ADPermission' | 'AcceptedDomain' | 'SecurityIdentifier';
  /** Properties by lower-case name. */
  props: Map<string, { name: string; value: Value }>;
  /** The working state's handle of the connector (for a connector, or the connector an ACE is on). */
  connector?: number;
  /** Properties the script changed on this copy: what piping it into Set-ReceiveConnector writes back. */
  modified?: Set<string>;
  /** For an ADPermission object: the ACE as read. */
  ace?: AccessControlEntry;
}

export interface PsScriptBlock {
  kind: 'scriptblock';
  body: ScriptNode;
}

export interface PsUnknown {
  kind: 'unknown';
  /** Why the value is unknown, as a phrase: "the content of a file read with Import-Csv". */
  reason: string;
  at: SourceLocation;
}

export type Value =
  string | number | boolean | null | PsArray | PsHashtable | PsObject | PsScriptBlock | PsUnknown;

export function psArray(items: Value[], multiValued = false): PsArray {
  return { kind: 'array', items, multiValued };
}

export function isArray(value: Value): value is PsArray {
  return typeof value === 'object' && value !== null && value.kind === 'array';
}

export function isUnknown(value: Value): value is PsUnknown {
  return typeof value === 'object' && value !== null && value.kind === 'unknown';
}

export function isObject(value: Value): value is PsObject {
  return typeof value === 'object' && value !== null && value.kind === 'object';
}

export function isHashtable(value: Value): value is PsHashtable {
  return typeof value === 'object' && value !== null && value.kind === 'hashtable';
}

export function psObject(type: PsObject['type'], props: Record<string, Value>, connector?: number): PsObject {
  const map = new Map<string, { name: string; value: Value }>();
  for (const [name, value] of Object.entries(props)) map.set(name.toLowerCase(), { name, value });
  return connector === undefined
    ? { kind: 'object', type, props: map }
    : { kind: 'object', type, props: map, connector };
}

/** The first unknown inside a value (arrays and hashtables searched), or null. */
export function findUnknown(value: Value): PsUnknown | null {
  if (isUnknown(value)) return value;
  if (isArray(value)) {
    for (const item of value.items) {
      const found = findUnknown(item);
      if (found) return found;
    }
  }
  if (isHashtable(value)) {
    for (const { value: item } of value.entries.values()) {
      const found = findUnknown(item);
      if (found) return found;
    }
  }
  return null;
}

/** PowerShell's enumeration: an array's items, $null as nothing, anything else as itself. */
export function enumerate(value: Value): Value[] {
  if (value === null) return [];
  return isArray(value) ? value.items : [value];
}

/** A pipeline's output as one value: nothing is $null, one item is itself, more are an array. */
export function collapse(items: Value[]): Value {
  if (items.length === 0) return null;
  if (items.length === 1) return items[0] as Value;
  return psArray(items);
}

/** PowerShell's conversion to string, for the values exrelay knows. */
export function toText(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  switch (value.kind) {
    case 'array':
      return value.items.map(toText).join(' ');
    case 'object': {
      const shown =
        value.props.get(value.type === 'SecurityIdentifier' ? 'value' : 'identity') ??
        value.props.get('name');
      return shown ? toText(shown.value) : value.type;
    }
    case 'hashtable':
      return 'System.Collections.Hashtable';
    case 'scriptblock':
      return '{…}';
    case 'unknown':
      return '';
  }
}

/** PowerShell's truthiness. */
export function isTrue(value: Value): boolean {
  if (value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value !== '';
  if (isArray(value)) {
    if (value.items.length === 0) return false;
    if (value.items.length === 1) return isTrue(value.items[0] as Value);
    return true;
  }
  return true;
}
