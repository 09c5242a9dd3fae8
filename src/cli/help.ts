/**
 * `exrelay --help` without loading yargs (about 60 ms of start-up here): the top-level page laid out exactly as
 * yargs lays it out through cliui and wrap-ansi, for the plain text our help holds. tests/cli/help.test.ts
 * compares it with yargs' own page at every width, so the two cannot drift apart.
 */

export interface HelpEntry {
  /** The left column: a command line or the option switches. */
  left: string;
  /** Extra indentation of the left column (long switches line up behind "-x, "). */
  indent?: number;
  text: string;
  /** Right-aligned hints such as "[boolean]". */
  hint?: string;
}

export interface HelpPage {
  usage: string;
  commands: readonly HelpEntry[];
  options: readonly HelpEntry[];
  epilogue: string;
}

/** A cell of a laid-out row: its text, its width with padding, and its left/right padding. */
interface Cell {
  text: string;
  width: number;
  left: number;
  right: number;
  alignRight?: boolean;
}

interface Line {
  text: string;
  /** A line of a two-column entry, which a following hint may join. */
  joinable: boolean;
  hidden?: boolean;
}

/** Help is wrapped to the terminal (`columns`, when standard output is one), but never wider than 110 columns. */
export function helpWidth(columns: number | undefined): number {
  return Math.min(110, columns ?? 110);
}

export function renderHelp(page: HelpPage, width: number): string {
  const lines: Line[] = [];
  const row = (cells: Cell[], joinable = false) => addRow(lines, cells, joinable);
  const whole = (text: string, left = 0): Cell => ({ text, width, left, right: 0 });
  const blank = () => row([whole('')]);

  row([whole(page.usage)]);
  blank();
  row([whole('Commands:')]);
  const commandWidth = leftColumnWidth(page.commands, width);
  for (const entry of page.commands) {
    twoColumns(row, entry, commandWidth, width);
    blank();
  }
  blank();
  row([whole('Options:')]);
  const optionWidth = leftColumnWidth(page.options, width);
  for (const entry of page.options) {
    twoColumns(row, entry, optionWidth, width);
    if (entry.hint) row([{ text: entry.hint, width, left: 2, right: 0, alignRight: true }]);
    else blank();
  }
  blank();
  for (const text of `${page.epilogue}\n`.split('\n')) {
    const indent = /^\s*/.exec(text)?.[0].length ?? 0;
    const trailing = /\s*$/.exec(text)?.[0].length ?? 0;
    row([{ text: text.trim(), width, left: indent, right: trailing }]);
  }
  return lines
    .filter((line) => !line.hidden)
    .map((line) => line.text)
    .join('\n')
    .replace(/\s*$/, '');
}

/** The widest left column plus padding, at most half the page (as yargs sizes it). */
function leftColumnWidth(entries: readonly HelpEntry[], width: number): number {
  const widest = Math.max(0, ...entries.map((entry) => textWidth(entry.left) + (entry.indent ?? 0)));
  return Math.min(widest, Math.floor(width * 0.5)) + 4;
}

function twoColumns(
  row: (cells: Cell[], joinable?: boolean) => void,
  entry: HelpEntry,
  leftWidth: number,
  width: number,
): void {
  row(
    [
      { text: entry.left, width: leftWidth, left: 2 + (entry.indent ?? 0), right: 2 },
      { text: entry.text, width: Math.max(width - leftWidth, 1), left: 0, right: 0 },
    ],
    true,
  );
}

function addRow(lines: Line[], cells: readonly Cell[], joinable: boolean): void {
  const wrapped = cells.map((cell) => wrap(cell.text, innerWidth(cell)).split('\n'));
  const height = Math.max(...wrapped.map((parts) => parts.length));
  for (let r = 0; r < height; r++) {
    let text = '';
    cells.forEach((cell, c) => {
      const inner = innerWidth(cell);
      let part = wrapped[c]?.[r] ?? '';
      if (inner > textWidth(part)) part += ' '.repeat(inner - textWidth(part));
      if (cell.alignRight) {
        const trimmed = part.trim();
        part = textWidth(trimmed) < inner ? ' '.repeat(inner - textWidth(trimmed)) + trimmed : trimmed;
      }
      text += ' '.repeat(cell.left) + part + ' '.repeat(cell.right);
      if (r === 0) text = joinPrevious(text, lines);
    });
    lines.push({ text: text.replace(/ +$/, ''), joinable });
  }
}

/** A row that starts with enough blanks is written onto the previous two-column line (a hint beside it). */
function joinPrevious(text: string, lines: Line[]): string {
  const previous = lines[lines.length - 1];
  if (!previous?.joinable) return text;
  const leading = /^ */.exec(text)?.[0].length ?? 0;
  const used = textWidth(previous.text.trimEnd());
  if (leading < used) return text;
  previous.hidden = true;
  return previous.text.trimEnd() + ' '.repeat(leading - used) + text.trimStart();
}

function innerWidth(cell: Cell): number {
  return cell.width - cell.left - cell.right;
}

function textWidth(text: string): number {
  return [...text].length;
}

/** Word wrap with long words broken at the column, as wrap-ansi's hard mode does for plain text. */
export function wrap(text: string, columns: number): string {
  return text
    .split('\n')
    .map((line) => wrapLine(line, columns))
    .join('\n');
}

function wrapLine(line: string, columns: number): string {
  if (line.trim() === '') return '';
  const words = line.split(' ');
  const rows = [''];
  const last = () => rows[rows.length - 1] as string;
  words.forEach((word, index) => {
    rows[rows.length - 1] = last().trimStart();
    let used = textWidth(last());
    if (index !== 0 && used > 0) {
      rows[rows.length - 1] += ' ';
      used++;
    }
    const length = textWidth(word);
    if (length > columns) {
      const thisLine = 1 + Math.floor((length - (columns - used) - 1) / columns);
      const nextLine = Math.floor((length - 1) / columns);
      if (nextLine < thisLine) rows.push('');
      breakWord(rows, word, columns);
      return;
    }
    if (used + length > columns && used > 0 && length > 0) rows.push('');
    rows[rows.length - 1] += word;
  });
  return rows.map(trimEndSpaces).join('\n');
}

function breakWord(rows: string[], word: string, columns: number): void {
  const characters = [...word];
  let visible = textWidth(rows[rows.length - 1] as string);
  characters.forEach((character, index) => {
    if (visible + 1 <= columns) rows[rows.length - 1] += character;
    else {
      rows.push(character);
      visible = 0;
    }
    visible++;
    if (visible === columns && index < characters.length - 1) {
      rows.push('');
      visible = 0;
    }
  });
}

/** Trailing blanks go, but blanks between words stay (a row ending in "a  " keeps "a"). */
function trimEndSpaces(row: string): string {
  return row.replace(/ +$/, '');
}
