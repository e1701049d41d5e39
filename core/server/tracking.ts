/**
 * Results of tracked `SET VAR` / `INSTCMD` requests (NUT's `tracking.c`):
 * an entry per id, PENDING until the driver answers, removed
 * `TRACKINGDELAY` seconds after creation.
 *
 * @module
 */

import type { Clock } from "../runtime/clock.ts";

/** Most entries kept at once; the oldest go first beyond it. */
export const MAX_TRACKING_ENTRIES = 10_000;

/**
 * The reply for a driver's result code (protocol 2.8.0: 0 SUCCESS, 1 ERR
 * UNKNOWN, 2 ERR INVALID-ARGUMENT, 3 ERR FAILED, anything else ERR UNKNOWN).
 * @param code the driver's integer
 * @returns the `GET TRACKING <id>` reply
 */
export function trackingText(code: number | undefined): string {
  switch (code) {
    case undefined:
      return "PENDING";
    case 0:
      return "SUCCESS";
    case 2:
      return "ERR INVALID-ARGUMENT";
    case 3:
      return "ERR FAILED";
    default:
      return "ERR UNKNOWN";
  }
}

/**
 * The tracking table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tracking } from "./tracking.ts";
 * import { realClock } from "../runtime/clock.ts";
 * const t = new Tracking(realClock, () => 3600);
 * const id = t.create();
 * assert.match(id, /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[0-9A-F]{4}-[0-9A-F]{12}$/);
 * assert.equal(t.get(id.toLowerCase()), "PENDING");
 * t.set(id, 0);
 * assert.equal(t.get(id), "SUCCESS");
 * assert.equal(t.get("nope"), undefined);
 * ```
 */
export class Tracking {
  readonly #clock: Clock;
  readonly #delay: () => number;
  readonly #entries = new Map<string, { created: number; result: number | undefined }>();

  /**
   * @param clock time source
   * @param delaySeconds current TRACKINGDELAY (read at each cleanup)
   */
  constructor(clock: Clock, delaySeconds: () => number) {
    this.#clock = clock;
    this.#delay = delaySeconds;
  }

  /** @returns a new PENDING id (uppercase UUIDv4) */
  create(): string {
    const id = crypto.randomUUID().toUpperCase();
    if (this.#entries.size >= MAX_TRACKING_ENTRIES) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(id, { created: this.#clock.now(), result: undefined });
    return id;
  }

  /**
   * Records a driver's result.
   * @param id the id (any case)
   * @param result the driver's integer
   * @returns whether the id was known
   */
  set(id: string, result: number): boolean {
    const e = this.#entries.get(id.toUpperCase());
    if (!e) return false;
    e.result = result;
    return true;
  }

  /**
   * @param id the id (any case)
   * @returns the reply text, or undefined when unknown or expired
   */
  get(id: string): string | undefined {
    const e = this.#entries.get(id.toUpperCase());
    return e ? trackingText(e.result) : undefined;
  }

  /** Drops entries older than TRACKINGDELAY. */
  cleanup(): void {
    const limit = this.#clock.now() - this.#delay() * 1000;
    for (const [id, e] of this.#entries) {
      if (e.created < limit) this.#entries.delete(id);
    }
  }
}
