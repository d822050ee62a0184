import type { Finding } from './report';

/** Findings up to a cap, then a count: a hostile file cannot make the report itself unbounded. */
export class FindingList {
  readonly items: Finding[] = [];
  omitted = 0;

  constructor(private readonly cap: number) {}

  add(finding: Finding): number {
    if (this.items.length >= this.cap) {
      this.omitted++;
      return -1;
    }
    return this.items.push(finding) - 1;
  }

  replace(index: number, finding: Finding): void {
    this.items[index] = finding;
  }
}
