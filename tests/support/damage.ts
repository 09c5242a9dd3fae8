/**
 * Damage for fuzz tests of the readers: a text cut short, with a stretch taken out, or with a snippet put in
 * (in place of a stretch or not), at a random place.
 */
export function damaged(text: string, snippets: readonly string[], random: () => number): string {
  const at = Math.floor(random() * text.length);
  const length = Math.floor(random() * 40);
  const snippet = snippets[Math.floor(random() * snippets.length)] as string;
  const kinds = [
    () => text.slice(0, at),
    () => text.slice(0, at) + text.slice(at + length),
    () => text.slice(0, at) + snippet + text.slice(at),
    () => text.slice(0, at) + snippet + text.slice(at + length),
  ];
  return (kinds[Math.floor(random() * kinds.length)] as () => string)();
}
