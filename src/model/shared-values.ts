import type { AccessControlEntry } from './snapshot.js';

/** Nested maps, one level for each field of an ACE but the last. */
type AceTrie = Map<unknown, unknown>;

/** Distinct ACEs shared at most: a hostile snapshot can hold millions, each costing a few maps here. */
const MAX_SHARED_ACES = 10_000;

/**
 * One copy of each distinct string, string list and ACE among many records: the ACEs of a large organisation
 * repeat the same few principals and rights (a 100,000-connector snapshot has two million ACEs, and their repeated
 * strings and one-element lists were ~40 % of its memory), and mostly the same few dozen entries on every
 * connector. Lists and ACEs are frozen, since records now share them.
 */
export class SharedValues {
  readonly #strings = new Map<string, string>();
  readonly #lists = new Map<string, readonly string[]>();
  /** One-item lists by their item: nearly every ACE's rights, looked up without building a key. */
  readonly #singles = new Map<string, readonly string[]>();
  readonly #aces: AceTrie = new Map();
  #aceCount = 0;

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

  /**
   * The first ACE seen with the same values as `entry`, frozen; `entry` itself (frozen) when it is the first.
   * Its strings and lists must come from this object already: they are compared by identity.
   */
  ace(entry: AccessControlEntry): AccessControlEntry {
    const { user, sid, deny, inherited, accessRights, extendedRights, inheritanceType } = entry;
    // A level per field, keyed by the value itself: no key string for each of millions of ACEs.
    const leaves = branch(
      branch(branch(branch(branch(branch(this.#aces, user), sid), deny), inherited), accessRights),
      extendedRights,
    );
    const known = leaves.get(inheritanceType) as AccessControlEntry | undefined;
    if (known !== undefined) return known;
    if (this.#aceCount >= MAX_SHARED_ACES) return entry;
    this.#aceCount++;
    // Typed as a mutable record, as the lists are: writing to a shared ACE throws instead of changing others.
    leaves.set(inheritanceType, Object.freeze(entry));
    return entry;
  }
}

function branch(level: AceTrie, key: unknown): AceTrie {
  let next = level.get(key) as AceTrie | undefined;
  if (next === undefined) {
    next = new Map();
    level.set(key, next);
  }
  return next;
}
