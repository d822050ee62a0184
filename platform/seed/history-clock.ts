import type { Clock } from '../clock';

/**
 * The clock the lived-in demo is played on: it starts in the past and is moved forward event by event, so
 * every record (audit entries, requests, decisions, TOTP steps) carries the time the story says. It never
 * goes backwards, because the audit log's times must only grow, and never past `end`, which is a little
 * before the real time: the platform that serves the data afterwards appends on the system clock, and its
 * first entry must come after the seed's last one.
 */
export class HistoryClock implements Clock {
  #now: number;

  constructor(
    readonly start: number,
    readonly end: number,
  ) {
    if (end <= start) throw new Error('A history must end after it starts.');
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Moves to `time`, or stays put when the clock is already later (two events at one moment). */
  moveTo(time: number): void {
    if (time > this.end) throw new Error('The demo history would run past its end.');
    this.#now = Math.max(this.#now, Math.round(time));
  }

  advance(ms: number): void {
    this.moveTo(this.#now + ms);
  }
}
