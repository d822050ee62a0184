/** One entry as the quota and the lookup see it. */
export interface IndexedEntry {
  readonly id: number;
  /** Its scope and snapshot id, as one string (see CacheStore's entryKey): what a lookup names. */
  readonly key: string;
  readonly size: number;
  readonly lastUsedAt: number;
}

/** A list node: changed in place, so a read's touch allocates nothing that lives on. */
interface Node {
  readonly id: number;
  readonly key: string;
  readonly size: number;
  lastUsedAt: number;
  prev: Node | undefined;
  next: Node | undefined;
}

const after = (a: Node, time: number, id: number) =>
  a.lastUsedAt > time || (a.lastUsedAt === time && a.id > id);

/**
 * The cache's totals, least-recently-used order and lookup (scope and snapshot id to row id), kept in
 * memory instead of in the file: a totals row, an index on last-used time and an index on snapshot id would
 * each add a page to every put's write. Loaded from the entries table when the store opens (so after a
 * crash it is rebuilt from what committed) and changed only by the store, after its transactions commit.
 * One key names at most one entry: setting an entry under a key another holds replaces that one.
 *
 * The list runs in eviction order, (last-used time, id) ascending, as long as `ordered` holds: an entry
 * added or touched with the newest (time, id) moves to the tail. One that is not the newest (a clock that
 * went back, two reads in the same millisecond) moves there too but marks the order stale, and the next
 * eviction sorts once.
 */
export class EntryIndex {
  readonly #nodes = new Map<number, Node>();
  readonly #byKey = new Map<string, Node>();
  #head: Node | undefined;
  #tail: Node | undefined;
  #ordered = true;
  #bytes = 0;

  /** Rows whose key a later row (a higher id) also holds are left out, and named in `superseded`. */
  readonly superseded: number[] = [];

  constructor(rows: readonly IndexedEntry[]) {
    for (const row of rows) {
      const held = this.set(row);
      if (held !== undefined) this.superseded.push(held);
    }
  }

  get entries(): number {
    return this.#nodes.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  size(id: number): number | undefined {
    return this.#nodes.get(id)?.size;
  }

  /** The entry a key names, if any. */
  find(key: string): { readonly id: number; readonly size: number } | undefined {
    return this.#byKey.get(key);
  }

  /** Answers the id of another entry that held the key, now removed. */
  set(entry: IndexedEntry): number | undefined {
    this.remove(entry.id);
    const held = this.#byKey.get(entry.key);
    if (held) this.remove(held.id);
    const node: Node = { ...entry, prev: undefined, next: undefined };
    this.#nodes.set(entry.id, node);
    this.#byKey.set(entry.key, node);
    this.#bytes += entry.size;
    this.#append(node);
    return held?.id;
  }

  remove(id: number): void {
    const node = this.#nodes.get(id);
    if (!node) return;
    this.#nodes.delete(id);
    this.#byKey.delete(node.key);
    this.#bytes -= node.size;
    this.#unlink(node);
  }

  /** A read's last-used time; like the stored one, it only moves forward. */
  touch(id: number, time: number): void {
    const node = this.#nodes.get(id);
    if (!node || node.lastUsedAt >= time) return;
    this.#unlink(node);
    node.lastUsedAt = time;
    this.#append(node);
  }

  /** Least recently used first, `keep` left out, until `bytes` of them are named (or none are left). */
  oldest(bytes: number, keep: readonly number[]): number[] {
    if (!this.#ordered) this.#sort();
    const ids: number[] = [];
    let freed = 0;
    for (let node = this.#head; node && freed < bytes; node = node.next) {
      if (keep.includes(node.id)) continue;
      ids.push(node.id);
      freed += node.size;
    }
    return ids;
  }

  #append(node: Node): void {
    const tail = this.#tail;
    if (tail && after(tail, node.lastUsedAt, node.id)) this.#ordered = false;
    node.prev = tail;
    node.next = undefined;
    if (tail) tail.next = node;
    else this.#head = node;
    this.#tail = node;
  }

  #unlink(node: Node): void {
    if (node.prev) node.prev.next = node.next;
    else this.#head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.#tail = node.prev;
    node.prev = undefined;
    node.next = undefined;
  }

  #sort(): void {
    const sorted = [...this.#nodes.values()].sort((a, b) => a.lastUsedAt - b.lastUsedAt || a.id - b.id);
    this.#head = undefined;
    this.#tail = undefined;
    this.#ordered = true;
    for (const node of sorted) this.#append(node);
  }
}
