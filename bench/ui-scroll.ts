import type { Page } from '@playwright/test';

/**
 * Scrolls the approvals grid a screenful per frame, in the page, and counts only rows it saw: after each
 * frame every row of the view must be in the DOM as a request (not the "loading" row, not a gap), in order;
 * the next frame starts at the first row not yet seen. Where pages are still loading it waits on the same
 * rows, frame after frame, so the count is of rows that were really on screen, and the frames and long
 * tasks are those of a user who saw them. Gives up after `limitMs`.
 */
export function scrollThroughRows(page: Page, rows: number, rowHeight: number, limitMs = 100_000) {
  return page.evaluate(
    async ([targetRows, rowHeight, limit]) => {
      const grid = document.querySelector<HTMLElement>('[role="grid"]');
      if (!grid) throw new Error('no grid');
      const headHeight = grid.querySelector<HTMLElement>('[role="rowgroup"]')?.offsetHeight ?? 0;
      const longTasks: number[] = [];
      const at: string[] = [];
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          longTasks.push(entry.duration);
          at.push(`${entry.duration.toFixed(0)} ms at ${((entry.startTime - start) / 1000).toFixed(2)} s`);
        }
      });
      observer.observe({ type: 'longtask' });
      const frames: number[] = [];
      let seen = 0;
      let waited = 0;
      const start = performance.now();
      let last = start;
      while (seen < targetRows && performance.now() - start < limit) {
        // The view's first whole row is the first one not yet seen: rows are never skipped.
        grid.scrollTop = seen * rowHeight;
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        frames.push(now - last);
        last = now;
        const first = Math.ceil(grid.scrollTop / rowHeight);
        const end = Math.floor((grid.scrollTop + grid.clientHeight - headHeight) / rowHeight);
        // Each request row in the DOM by its index from 0 (its aria-rowindex counts the header as row 1).
        // No named function here: the bundler would wrap it in a helper the page does not have.
        const shown = new Set<number>();
        for (const row of grid.querySelectorAll<HTMLElement>('[role="rowgroup"] [role="row"][data-id]'))
          shown.add(Number(row.getAttribute('aria-rowindex')) - 2);
        let upTo = first;
        while (upTo < end && shown.has(upTo)) upTo++;
        if (first <= seen && upTo > seen) seen = upTo;
        else waited++;
      }
      await new Promise((r) => setTimeout(r, 100));
      observer.disconnect();
      return {
        longTasks,
        at,
        frames,
        /** Frames on which the rows to see next were not on screen yet (pages loading). */
        waited,
        seconds: (performance.now() - start) / 1000,
        rowsSeen: seen,
      };
    },
    [rows, rowHeight, limitMs] as const,
  );
}
