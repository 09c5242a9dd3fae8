/**
 * Fenced blocks right below a `<!-- NAME: COMMAND[; exit: N] -->` comment in a Markdown page: how the guides
 * (usage.md, scheduled-audits.md) mark the output they quote, for tests that run the command again.
 */

export interface MarkedFence {
  /** 1-based line of the marker comment, for test names. */
  line: number;
  /** What follows `NAME:` up to the first `;` ('' for a bare `<!-- NAME -->`). */
  command: string;
  /** The `exit: N` option, or null. */
  exit: number | null;
  /** The block's lines, without its fences. */
  lines: string[];
}

export function markedFences(text: string, name: string, page: string): MarkedFence[] {
  const marker = new RegExp(`^<!--\\s*${name}(?::\\s*(.*?))?\\s*-->$`);
  const lines = text.split('\n');
  const found: MarkedFence[] = [];
  lines.forEach((line, index) => {
    const match = marker.exec(line.trim());
    if (!match) return;
    const [command = '', ...options] = (match[1] ?? '').split(';').map((part) => part.trim());
    const exit = options.find((option) => option.startsWith('exit:'));
    const open = lines.findIndex((candidate, at) => at > index && candidate.startsWith('```'));
    const close = lines.findIndex((candidate, at) => at > open && candidate.startsWith('```'));
    if (open < 0 || close < 0 || lines.slice(index + 1, open).some((between) => between.trim() !== ''))
      throw new Error(`${page}:${index + 1}: a ${name} marker needs a fenced block right below it`);
    found.push({
      line: index + 1,
      command,
      exit: exit ? Number(exit.slice('exit:'.length)) : null,
      lines: lines.slice(open + 1, close),
    });
  });
  return found;
}
