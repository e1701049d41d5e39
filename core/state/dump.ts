/**
 * One variable's block of a `DUMPALL` reply, in NUT's order.
 *
 * @module
 */

import type { DriverMessage } from "../protocol/driver_link.ts";
import type { VarEntry } from "./ups_state.ts";

/**
 * `SETINFO`, its `ADDENUM`s, `ADDRANGE`s, `SETAUX` (aux ≠ 0) and `SETFLAGS`
 * (any flag set; a bare `SETFLAGS <var>` for an immutable-only variable, as
 * NUT's dump sends it).
 * @param v the variable
 * @returns its messages
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockOf } from "./dump.ts";
 * const v = { name: "ups.id", value: "x", flags: ["RW", "STRING"] as const, aux: 16,
 *   enums: [], ranges: [], immutable: false };
 * assert.deepEqual(blockOf(v).map((m) => m.kind), ["setinfo", "setaux", "setflags"]);
 * ```
 */
export function blockOf(v: VarEntry): DriverMessage[] {
  const out: DriverMessage[] = [{ kind: "setinfo", name: v.name, value: v.value }];
  for (const value of v.enums) out.push({ kind: "addenum", name: v.name, value });
  for (const r of v.ranges) out.push({ kind: "addrange", name: v.name, min: r.min, max: r.max });
  if (v.aux !== 0) out.push({ kind: "setaux", name: v.name, aux: v.aux });
  if (v.flags.length > 0 || v.immutable) {
    out.push({ kind: "setflags", name: v.name, flags: [...v.flags] });
  }
  return out;
}
