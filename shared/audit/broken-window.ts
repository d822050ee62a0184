import { isCanonical, readEntry } from './entry-reader';
import { type ExportSource, forEachLineOf, lineUnits } from './export-source';
import type { FindingList } from './findings';

/** A window whose root did not match, to be read again line by line to name what changed. */
export interface BrokenWindow {
  readonly from: number;
  readonly to: number;
  readonly firstLine: number;
  readonly start: number;
  readonly end: number;
}

/**
 * A window whose root does not match its signed checkpoint, with no missing or extra entries to explain
 * it: read it again and name the entries that are not in the platform's canonical form, else the window.
 */
export async function pinModified(
  source: ExportSource,
  window: BrokenWindow,
  chunkBytes: number,
  findings: FindingList,
) {
  let pinned = 0;
  let line = window.firstLine - 1;
  for await (const unit of lineUnits(source, window.from, window.to, chunkBytes)) {
    forEachLineOf(unit.work, (start, end) => {
      line++;
      const entry = readEntry(unit.work.subarray(start, end));
      if (entry.ok && !isCanonical(entry.text)) {
        findings.add({
          class: 'entry-modified',
          seq: entry.value.seq,
          line,
          message: 'entry is not in the form the platform writes',
        });
        pinned++;
      }
    });
  }
  if (pinned === 0) {
    findings.add({
      class: 'entry-modified',
      window: { start: window.start, end: window.end },
      message: `an entry between seq ${window.start} and ${window.end - 1} differs from what the platform signed`,
    });
  }
}
