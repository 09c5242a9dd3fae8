/** Text from a file quoted for an error message: escaped as JSON, and cut after `limit` characters. */
export function quotedExcerpt(text: string, limit: number): string {
  return JSON.stringify(text.length > limit ? `${text.slice(0, limit)}…` : text);
}
