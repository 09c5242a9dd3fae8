/**
 * Escaping for the two places the HTML report puts text from the input: element content or a double-quoted
 * attribute value, and JSON data inside a non-executable <script type="application/json"> element.
 */

const HTML_SPECIAL = /[&<>"']/g;
const HTML_ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for element content or a quoted attribute value: nothing in it can open or close markup. */
export function escapeHtml(text: string): string {
  return text.replace(HTML_SPECIAL, (character) => HTML_ENTITY[character] as string);
}

/**
 * `<`, `>` and `&` could end the script element (`</script>`) or open a comment (`<!--`) in which the parser
 * would look for one; U+2028 and U+2029 ended string literals before ES2019. Inside JSON they occur only in
 * strings, so the escapes leave every value as it was.
 */
const SCRIPT_DATA_SPECIAL = /[<>&\u2028\u2029]/g;

/** A value as JSON that can sit inside <script type="application/json"> whatever its strings hold. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    SCRIPT_DATA_SPECIAL,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
