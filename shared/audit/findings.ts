import type { AnyFindingClass, Finding, FindingClass } from './report';

/** Findings up to a cap, then a count: a hostile file cannot make the report itself unbounded. */
export class FindingList<C extends AnyFindingClass = FindingClass> {
  readonly items: Finding<C>[] = [];
  omitted = 0;

  constructor(private readonly cap: number) {}

  add(finding: Finding<C>): number {
    if (this.items.length >= this.cap) {
      this.omitted++;
      return -1;
    }
    return this.items.push(finding) - 1;
  }

  replace(index: number, finding: Finding<C>): void {
    this.items[index] = finding;
  }
}
