/**
 * C's `strcasecmp` (ASCII letters folded), the order NUT keeps variables
 * and commands in.
 *
 * @module
 */

/**
 * Compares like C `strcasecmp` (ASCII letters folded to lower case, then
 * byte order).
 * @param a first string
 * @param b second string
 * @returns negative, zero or positive
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strcasecmp } from "./strcasecmp.ts";
 * assert.equal(strcasecmp("ABC", "abc"), 0);
 * assert.ok(strcasecmp("a_b", "a.b") > 0);
 * assert.ok(strcasecmp("B", "a_") > 0);
 * ```
 */
export function strcasecmp(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x !== y) return x - y;
  }
  return a.length - b.length;
}

/**
 * Folds ASCII upper-case letters only (the key `strcasecmp` compares).
 * @param s a name
 * @returns the folded name
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { asciiLower } from "./strcasecmp.ts";
 * assert.equal(asciiLower("UPS.Status"), "ups.status");
 * ```
 */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}
