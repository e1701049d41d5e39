/**
 * `ups.status` token helpers: the value is a space-separated list of tokens
 * (`OL`, `OB`, `LB`, `CHRG`, …) whose order the driver chooses.
 *
 * @module
 */

/** The status tokens NUT defines (clients must tolerate others). */
export const STATUS_TOKENS = [
  "OL",
  "OB",
  "LB",
  "HB",
  "RB",
  "CHRG",
  "DISCHRG",
  "BYPASS",
  "CAL",
  "OFF",
  "OVER",
  "TRIM",
  "BOOST",
  "FSD",
  "ALARM",
  "WAIT",
  "ECO",
] as const;
/** A known status token. */
export type StatusToken = typeof STATUS_TOKENS[number];

/**
 * Splits a status value into tokens (runs of spaces ignored).
 * @param value the `ups.status` value
 * @returns the tokens, in order
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseStatus } from "./status.ts";
 * assert.deepEqual(parseStatus(" OL  CHRG "), ["OL", "CHRG"]);
 * ```
 */
export function parseStatus(value: string): string[] {
  return value.split(" ").filter((t) => t !== "");
}

/**
 * Joins tokens into a status value.
 * @param tokens the tokens
 * @param options `dedupe` drops repeated tokens (the ≥2.8.3 driver core rule)
 * @returns the value
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatStatus } from "./status.ts";
 * assert.equal(formatStatus(["OB", "LB", "OB"], { dedupe: true }), "OB LB");
 * ```
 */
export function formatStatus(
  tokens: readonly string[],
  options: { dedupe?: boolean } = {},
): string {
  const list = options.dedupe ? [...new Set(tokens)] : tokens;
  return list.join(" ");
}

/**
 * Whether a status value contains a token (exact, case-sensitive, as upsmon).
 * @param value the `ups.status` value
 * @param token the token
 * @returns true when present
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hasStatus } from "./status.ts";
 * assert.ok(hasStatus("OB LB", "LB"));
 * assert.ok(!hasStatus("OB", "O"));
 * ```
 */
export function hasStatus(value: string | undefined, token: string): boolean {
  return value !== undefined && parseStatus(value).includes(token);
}

/**
 * Builds a status value the way NUT drivers do with `status_init()` /
 * `status_set()` / `status_commit()`: tokens appended in order, and
 * `ALARM ` prefixed when an alarm is active (NUT's `"ALARM %s"`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { StatusBuilder } from "./status.ts";
 * const b = new StatusBuilder();
 * b.set("OL");
 * b.set("CHRG");
 * assert.equal(b.commit({ alarm: true }), "ALARM OL CHRG");
 * ```
 */
export class StatusBuilder {
  #tokens: string[] = [];

  /** Starts over with no tokens. */
  init(): void {
    this.#tokens = [];
  }

  /**
   * Appends a token (a duplicate is ignored, the ≥2.8.3 rule).
   * @param token the token
   */
  set(token: string): void {
    if (!this.#tokens.includes(token)) this.#tokens.push(token);
  }

  /**
   * The value to publish.
   * @param options `alarm` prefixes `ALARM`
   * @returns the status value
   */
  commit(options: { alarm?: boolean } = {}): string {
    const joined = this.#tokens.join(" ");
    return options.alarm ? `ALARM ${joined}` : joined;
  }
}
