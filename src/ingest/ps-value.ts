/**
 * A format-neutral view of what PowerShell serialised: CLIXML (Export-Clixml) and ConvertTo-Json both become
 * PsValue trees, and the mapping to our model reads only this shape.
 */

export type PsPrimitive = string | number | boolean | null;

export type PsValue = PsPrimitive | PsObject | PsValue[];

export interface PsObject {
  readonly kind: 'object';
  /** Type names, most derived first, exactly as written (they may start with "Deserialized."). Empty for JSON. */
  readonly typeNames: readonly string[];
  /** The object's <ToString>, when the serializer wrote one. */
  readonly toStringText: string | null;
  /** Primitive payload of an enum (I32 beside ToString) or of a wrapped primitive. */
  readonly value?: PsPrimitive;
  /** Elements of a collection (LST, IE, STK, QUE). */
  readonly items?: PsValue[];
  /** Entries of a dictionary (DCT). */
  readonly entries?: Array<[PsValue, PsValue]>;
  /** Adapted properties (Props) then extended ones (MS); the first writer of a name wins. Names as written. */
  readonly properties: Map<string, PsValue>;
}

export function isPsObject(value: PsValue | undefined): value is PsObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'object';
}

/** Type names without the "Deserialized." prefix that remoting and Import-Clixml add. */
export function plainTypeNames(object: PsObject): string[] {
  return object.typeNames.map(plainTypeName);
}

export function plainTypeName(name: string): string {
  return name.startsWith('Deserialized.') ? name.slice(13) : name;
}

/** PowerShell property names are case-insensitive. */
export function getProperty(object: PsObject, name: string): PsValue | undefined {
  const exact = object.properties.get(name);
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  for (const [key, value] of object.properties) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
}
