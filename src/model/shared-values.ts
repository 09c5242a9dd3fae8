/**
 * One copy of each distinct string and string list among many records: the ACEs of a large organisation repeat
 * the same few principals and rights (a 100,000-connector snapshot has two million ACEs, and their repeated
 * strings and one-element lists were ~40 % of its memory). Lists are frozen, since records now share them.
 */
export class SharedValues {
  readonly #strings = new Map<string, string>();
  readonly #lists = new Map<string, readonly string[]>();
  /** One-item lists by their item: nearly every ACE's rights, looked up without building a key. */
  readonly #singles = new Map<string, readonly string[]>();

  string(value: string): string {
    const known = this.#strings.get(value);
    if (known !== undefined) return known;
    this.#strings.set(value, value);
    return value;
  }

  /** A frozen list equal to `values` (the same one for every equal list). */
  list(values: readonly string[]): string[] {
    const single = values.length === 1;
    // JSON text of a longer list: unambiguous whatever characters the items hold.
    const key = single ? (values[0] as string) : JSON.stringify(values);
    const lists = single ? this.#singles : this.#lists;
    let known = lists.get(key);
    if (known === undefined) {
      known = Object.freeze(values.map((value) => this.string(value)));
      lists.set(key, known);
    }
    // Typed as the records' mutable lists: writing to a shared list throws instead of changing other records.
    return known as string[];
  }
}
