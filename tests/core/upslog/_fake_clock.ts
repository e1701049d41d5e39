/**
 * A manual clock for loop tests: `sleep()` resolves only when `advance()`
 * moves time past its deadline; an abort rejects it at once.
 * @module
 */

import type { Clock } from "../../../core/runtime/clock.ts";

/** The fake clock. */
export class FakeClock implements Clock {
  #now: number;
  #sleepers: { at: number; resolve: () => void }[] = [];

  /** @param start initial time in ms since the epoch */
  constructor(start = Date.UTC(2024, 0, 2, 3, 4, 5)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** How many sleeps are pending. */
  get sleeping(): number {
    return this.#sleepers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const entry = { at: this.#now + ms, resolve };
      this.#sleepers.push(entry);
      signal?.addEventListener("abort", () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== entry);
        reject(signal.reason);
      }, { once: true });
    });
  }

  /** Moves time forward, waking due sleepers, and lets promise chains run. */
  async advance(ms: number): Promise<void> {
    this.#now += ms;
    const due = this.#sleepers.filter((s) => s.at <= this.#now);
    this.#sleepers = this.#sleepers.filter((s) => s.at > this.#now);
    for (const s of due) s.resolve();
    await settle();
  }
}

/** Lets pending promise callbacks (and zero-delay I/O) run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}
