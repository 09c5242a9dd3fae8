/**
 * Template literals written as one flat string. V8 concatenates by linking the parts (a "cons string" node for
 * each `+` or `${}`), and a finding keeps its message for the whole run: on the 10k snapshot the checks left
 * ~400,000 such nodes (12.8 MB) for every garbage collection to copy and mark, and the report flattened each
 * message again when writing it. Array join writes the text once, into a string of its final length.
 */

/** The value kinds a template literal and a join turn into the same text (join writes null as '', not "null"). */
export type TextPart = string | number | bigint;

/** flat`a ${b} c`: the same text as the template literal without the tag, made flat. */
export function flat(strings: TemplateStringsArray, ...values: readonly TextPart[]): string {
  if (values.length === 0) return strings[0] as string;
  const parts: TextPart[] = [strings[0] as string];
  for (let index = 0; index < values.length; index++)
    parts.push(values[index] as TextPart, strings[index + 1] as string);
  return parts.join('');
}
