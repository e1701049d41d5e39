/**
 * Bounded logging for a daemon that strangers can make talk: each kind of
 * message may appear a few times per window; the rest are counted and
 * summed up in one line when the window ends.
 *
 * @module
 */

import type { Clock } from "../runtime/clock.ts";
import type { Logger } from "../runtime/logger.ts";

/** Options of {@linkcode LimitedLog}. */
export interface LimitedLogOptions {
  /** Lines of one kind allowed per window (default 10). */
  readonly burst?: number;
  /** Window length in ms (default 60 000). */
  readonly windowMs?: number;
  /** Most kinds tracked at once (default 1 000). */
  readonly maxKinds?: number;
}

/**
 * A rate-limited view of a {@linkcode Logger}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LimitedLog } from "./log_limit.ts";
 * import { lineLogger } from "../runtime/logger.ts";
 * const lines: string[] = [];
 * let t = 0;
 * const log = new LimitedLog(lineLogger((l) => lines.push(l)), { now: () => t, sleep: () => Promise.resolve() }, { burst: 2, windowMs: 1000 });
 * for (let i = 0; i < 5; i++) log.info("parse", "Parse error");
 * t = 2000;
 * log.info("parse", "Parse error");
 * assert.deepEqual(lines, ["Parse error\n", "Parse error\n", "(3 similar messages suppressed: Parse error)\n", "Parse error\n"]);
 * ```
 */
export class LimitedLog {
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #burst: number;
  readonly #window: number;
  readonly #maxKinds: number;
  readonly #kinds = new Map<
    string,
    { start: number; count: number; dropped: number; last: string }
  >();

  /**
   * @param log where lines go
   * @param clock time source
   * @param options burst, window, kinds
   */
  constructor(log: Logger, clock: Clock, options: LimitedLogOptions = {}) {
    this.#log = log;
    this.#clock = clock;
    this.#burst = options.burst ?? 10;
    this.#window = options.windowMs ?? 60_000;
    this.#maxKinds = options.maxKinds ?? 1000;
  }

  /** The unlimited logger underneath. */
  get logger(): Logger {
    return this.#log;
  }

  /**
   * Logs `message` unless its kind used up its burst in this window.
   * @param kind what sort of event (the rate-limit key)
   * @param message the log line
   */
  info(kind: string, message: string): void {
    const now = this.#clock.now();
    let k = this.#kinds.get(kind);
    if (k && now - k.start >= this.#window) {
      this.#flush(k);
      k.start = now;
      k.count = 0;
    }
    if (!k) {
      if (this.#kinds.size >= this.#maxKinds) this.#sweep(now);
      if (this.#kinds.size >= this.#maxKinds) return;
      k = { start: now, count: 0, dropped: 0, last: message };
      this.#kinds.set(kind, k);
    }
    if (k.count < this.#burst) {
      k.count++;
      this.#log.info(message);
    } else {
      k.dropped++;
      k.last = message;
    }
  }

  #flush(k: { dropped: number; last: string }): void {
    if (k.dropped > 0) {
      this.#log.info(`(${k.dropped} similar messages suppressed: ${k.last})`);
      k.dropped = 0;
    }
  }

  #sweep(now: number): void {
    for (const [kind, k] of this.#kinds) {
      if (now - k.start >= this.#window) {
        this.#flush(k);
        this.#kinds.delete(kind);
      }
    }
  }

  /** Writes the pending summaries of windows that ended (call it now and then). */
  tick(): void {
    this.#sweep(this.#clock.now());
  }
}
