import type { FindingList } from './findings';

const MAX_TRACKED = 100_000;

/**
 * Follows `seq` through the export and names each break in it: a gap is one `entry-deleted` per missing
 * entry; a seq that turns up later than its place is `reordered`; a second copy, or one outside the
 * exported range, is `entry-inserted`. One line of lookahead tells a gap from a lone stray entry.
 */
export class SequenceTracker {
  #expected: number;
  /** Seqs reported deleted, with their finding, in case they turn up later (then they were moved). */
  readonly #missing = new Map<number, number>();
  /** Seqs seen ahead of their place. */
  readonly #early = new Set<number>();

  constructor(
    start: number,
    private readonly end: number,
    private readonly findings: FindingList,
    private readonly onStructural: () => void,
  ) {
    this.#expected = start;
  }

  /** The next seq the file should hold. */
  get expected(): number {
    return this.#expected;
  }

  /** `seq` undefined is a line with no readable seq: it takes the place it stands in. */
  accept(seq: number | undefined, next: number | undefined, line: number): void {
    if (seq === undefined) {
      this.#expected++;
      return;
    }
    this.#settleEarly(seq);
    const expected = this.#expected;
    if (seq === expected) {
      if (this.#early.delete(seq))
        this.#report('entry-inserted', seq, line, 'a copy of this entry stands earlier in the file');
      this.#expected++;
      return;
    }
    if (seq < expected) {
      const missing = this.#missing.get(seq);
      if (missing !== undefined) {
        this.#missing.delete(seq);
        this.onStructural();
        this.findings.replace(missing, {
          class: 'reordered',
          seq,
          line,
          message: 'entry stands later than its place',
        });
      } else {
        this.#report('entry-inserted', seq, line, 'entry appears twice');
      }
      return;
    }
    // seq > expected: a gap, a stray entry placed early, or an entry whose seq was rewritten.
    if (seq >= this.end || next === expected) {
      if (this.#early.size < MAX_TRACKED) this.#early.add(seq);
      else this.#report('entry-inserted', seq, line, 'entry stands before its place');
      this.onStructural();
      return;
    }
    if (next !== undefined && next !== seq + 1 && next > expected && next < seq) {
      this.#report('entry-modified', expected, line, `seq field reads ${seq}`);
      this.#expected++;
      return;
    }
    for (let missing = expected; missing < seq; missing++) {
      const index = this.#report('entry-deleted', missing, undefined, 'entry is missing');
      if (index >= 0 && this.#missing.size < MAX_TRACKED) this.#missing.set(missing, index);
    }
    this.#expected = seq + 1;
  }

  /** After the last entry: entries still missing at the end, and strays that never found their place. */
  finish(lastLine: number): void {
    this.#settleEarly(this.end);
    for (const seq of this.#early) {
      this.#report(
        'entry-inserted',
        seq,
        undefined,
        seq >= this.end ? 'entry lies outside the exported range' : 'entry stands before its place',
      );
    }
    if (this.#expected < this.end) {
      this.onStructural();
      this.findings.add({
        class: 'truncated',
        window: { start: this.#expected, end: this.end },
        line: lastLine,
        message: `the file ends ${this.end - this.#expected} entries short of the range it claims`,
      });
    }
  }

  /** Entries that were seen early and whose place has now come are accounted as moved, not missing. */
  #settleEarly(upTo: number): void {
    while (this.#expected < upTo && this.#early.has(this.#expected)) {
      this.#early.delete(this.#expected);
      this.#report('reordered', this.#expected, undefined, 'entry stands earlier than its place');
      this.#expected++;
    }
  }

  #report(
    kind: 'entry-inserted' | 'entry-deleted' | 'entry-modified' | 'reordered',
    seq: number,
    line: number | undefined,
    message: string,
  ): number {
    this.onStructural();
    return this.findings.add(
      line === undefined ? { class: kind, seq, message } : { class: kind, seq, line, message },
    );
  }
}
