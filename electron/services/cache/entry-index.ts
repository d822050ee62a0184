/** One entry as the quota sees it. */
export interface IndexedEntry {
  readonly id: number;
  readonly size: number;
  readonly lastUsedAt: number;
}

/**
 * The cache's totals and least-recently-used order, kept in memory instead of in the file: a totals row
 * and an index on last-used time would each add a page to every put's write. Loaded from the entries
 * table when the store opens (so after a crash it is rebuilt from what committed) and changed only by
 * the store, after its transactions commit.
 *
 * The map's iteration order is the eviction order, (last-used time, id) ascending, as long as `ordered`
 * holds: an entry added or touched with the newest (time, id) goes to the end. One that is not the
 * newest (a clock that went back, two reads in the same millisecond) marks the order stale, and the next
 * eviction sorts once.
 */
export class EntryIndex {
  #entries = new Map<number, IndexedEntry>();
  #ordered = true;
  #lastTime = Number.NEGATIVE_INFINITY;
  #lastId = Number.NEGATIVE_INFINITY;
  #bytes = 0;

  constructor(rows: readonly IndexedEntry[]) {
    for (const row of rows) this.set(row);
  }

  get entries(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  size(id: number): number | undefined {
    return this.#entries.get(id)?.size;
  }

  set(entry: IndexedEntry): void {
    this.remove(entry.id);
    const { id, lastUsedAt: time } = entry;
    if (time > this.#lastTime || (time === this.#lastTime && id > this.#lastId)) {
      this.#lastTime = time;
      this.#lastId = id;
    } else {
      this.#ordered = false;
    }
    this.#entries.set(id, entry);
    this.#bytes += entry.size;
  }

  remove(id: number): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    this.#entries.delete(id);
    this.#bytes -= entry.size;
  }

  /** A read's last-used time; like the stored one, it only moves forward. */
  touch(id: number, time: number): void {
    const entry = this.#entries.get(id);
    if (entry && entry.lastUsedAt < time) this.set({ ...entry, lastUsedAt: time });
  }

  /** Least recently used first, `keep` left out, until `bytes` of them are named (or none are left). */
  oldest(bytes: number, keep: readonly number[]): number[] {
    if (!this.#ordered) this.#sort();
    const ids: number[] = [];
    let freed = 0;
    for (const entry of this.#entries.values()) {
      if (freed >= bytes) break;
      if (keep.includes(entry.id)) continue;
      ids.push(entry.id);
      freed += entry.size;
    }
    return ids;
  }

  #sort(): void {
    const sorted = [...this.#entries.values()].sort((a, b) => a.lastUsedAt - b.lastUsedAt || a.id - b.id);
    this.#entries = new Map(sorted.map((e) => [e.id, e]));
    const last = sorted.at(-1);
    this.#lastTime = last?.lastUsedAt ?? Number.NEGATIVE_INFINITY;
    this.#lastId = last?.id ?? Number.NEGATIVE_INFINITY;
    this.#ordered = true;
  }
}
