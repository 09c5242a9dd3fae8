import type { AccessControlEntry } from './snapshot.js';

/**
 * Whether `value` is an ACE that SharedValues.ace shared: the only frozen objects among parsed and checked ACEs
 * (JSON.parse never freezes), so it was checked once already and stands for every ACE with its values.
 */
export function isSharedAce(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.isFrozen(value);
}

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
   * The first ACE seen with the same values as `entry`, frozen; else `entry` itself, its strings and lists replaced
   * by the shared ones (and frozen when it is the first of its values). Equal entries are found before their own
   * strings are shared: most of a large organisation's ACEs are repeats, and cost two list look-ups and the trie.
   */
  ace(entry: AccessControlEntry): AccessControlEntry {
    const accessRights = this.list(entry.accessRights);
    const extendedRights = this.list(entry.extendedRights);
    // Past the limit the levels stop growing: only entries already shared are found.
    const grow = this.#aceCount < MAX_SHARED_ACES;
    // One level per field but the last, keyed by the value itself (strings by their text, lists by identity).
    let level = branch(this.#aces, entry.user, grow);
    level = branch(level, entry.sid, grow);
    level = branch(level, entry.deny, grow);
    level = branch(level, entry.inherited, grow);
    level = branch(level, accessRights, grow);
    level = branch(level, extendedRights, grow);
    const known = level?.get(entry.inheritanceType) as AccessControlEntry | undefined;
    if (known !== undefined) return known;
    entry.user = this.string(entry.user);
    if (entry.sid !== null) entry.sid = this.string(entry.sid);
    if (entry.inheritanceType !== null) entry.inheritanceType = this.string(entry.inheritanceType);
    entry.accessRights = accessRights;
    entry.extendedRights = extendedRights;
    if (level === undefined || !grow) return entry;
    this.#aceCount++;
    // Frozen: writing to a shared ACE throws instead of changing other connectors' ACLs.
    level.set(entry.inheritanceType, Object.freeze(entry));
    return entry;
  }
}

/** The level below `level` for `key`; made when missing if `grow`, else undefined. */
function branch(level: AceTrie | undefined, key: unknown, grow: boolean): AceTrie | undefined {
  let next = level?.get(key) as AceTrie | undefined;
  if (next === undefined && level !== undefined && grow) {
    next = new Map();
    level.set(key, next);
  }
  return next;
}
