/**
 * `SET VAR` and `SET TRACKING` (NUT's `netset.c`), checks in NUT's order.
 *
 * @module
 */

import { atoi } from "../../protocol/driver_link.ts";
import { quoteValue } from "../../protocol/tokenize.ts";
import type { Req, ServerContext, SessionState } from "../context.ts";
import { err } from "../reply.ts";
import { availableUps } from "./get.ts";

/** `SET VAR <ups> <var> <value>`. */
export function setVar(s: SessionState, r: Req<"setVar">, ctx: ServerContext): string {
  const ups = availableUps(ctx.pool, r.ups);
  if (typeof ups === "string") return ups;
  const check = ctx.acl.action(s, "SET");
  if (!check.granted) {
    s.delayMs = check.delayMs;
    return err("ACCESS-DENIED");
  }
  const v = ups.state.get(r.name);
  if (!v) return err("VAR-NOT-SUPPORTED");
  if (!v.flags.includes("RW")) return err("READONLY");
  if (v.flags.includes("STRING")) {
    if (v.aux < 1) {
      ctx.log.info("aux", `UPS [${ups.name}]: auxdata for ${r.name} is invalid`);
      return err("SET-FAILED");
    }
    if (v.aux < r.value.length) return err("TOO-LONG");
  }
  if (v.enums.length > 0 && !v.enums.includes(r.value)) return err("INVALID-VALUE");
  if (v.ranges.length > 0) {
    const n = atoi(r.value);
    if (!v.ranges.some((g) => n >= g.min && n <= g.max)) return err("INVALID-VALUE");
  }
  const id = s.tracking ? ctx.tracking.create() : undefined;
  const cmd = `SET ${r.name} ${quoteValue(r.value)}${id ? ` TRACKING ${id}` : ""}`;
  ctx.log.logger.info(
    `Set variable: ${s.username}@${s.ip} set ${r.name} on ${ups.name} to ${r.value} (tracking ID: ${
      id ?? "disabled"
    })`,
  );
  if (!ups.send(cmd)) {
    ctx.log.logger.info("Set command send failed");
    return err("SET-FAILED");
  }
  return id ? `OK TRACKING ${id}\n` : "OK\n";
}

/** `SET TRACKING ON|OFF`. */
export function setTracking(s: SessionState, r: Req<"setTracking">): string {
  s.tracking = r.on;
  return "OK\n";
}
