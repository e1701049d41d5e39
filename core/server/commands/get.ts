/**
 * `GET NUMLOGINS|UPSDESC|VAR|TYPE|DESC|CMDDESC|TRACKING` (NUT's `netget.c`).
 *
 * @module
 */

import { NUT_VERSION, UPSD_VER_TEXT } from "../../version.ts";
import type { Req, ServerContext, SessionState } from "../context.ts";
import type { UpsEntry } from "../driver_pool.ts";
import { echo, err, line, valueLine } from "../reply.ts";

/** Finds a UPS that can answer, or the error reply. */
export function availableUps(
  pool: { find(name: string): UpsEntry | undefined },
  name: string,
): UpsEntry | string {
  const ups = pool.find(name);
  if (!ups) return err("UNKNOWN-UPS");
  const why = ups.unavailable();
  return why ? err(why) : ups;
}

/** `GET NUMLOGINS <ups>`. */
export function getNumLogins(_s: SessionState, r: Req<"getNumLogins">, ctx: ServerContext): string {
  const ups = availableUps(ctx.pool, r.ups);
  if (typeof ups === "string") return ups;
  return line(`NUMLOGINS ${echo(r.ups)} ${ups.numLogins}`);
}

/** `GET UPSDESC <ups>` (no availability check). */
export function getUpsDesc(_s: SessionState, r: Req<"getUpsDesc">, ctx: ServerContext): string {
  const ups = ctx.pool.find(r.ups);
  if (!ups) return err("UNKNOWN-UPS");
  return valueLine(`UPSDESC ${echo(r.ups)}`, ups.desc ?? "Unavailable");
}

/** `GET VAR <ups> <var>`; `server.*` needs no UPS. */
export function getVar(_s: SessionState, r: Req<"getVar">, ctx: ServerContext): string {
  if (r.name.slice(0, 7).toLowerCase() === "server.") {
    const n = r.name.toLowerCase();
    if (n === "server.info") return valueLine(`VAR ${echo(r.ups)} server.info`, UPSD_VER_TEXT);
    if (n === "server.version") return valueLine(`VAR ${echo(r.ups)} server.version`, NUT_VERSION);
    return err("VAR-NOT-SUPPORTED");
  }
  const ups = availableUps(ctx.pool, r.ups);
  if (typeof ups === "string") return ups;
  const value = ups.state.getValue(r.name);
  if (value === undefined) return err("VAR-NOT-SUPPORTED");
  const shown = ups.fsd && r.name.toLowerCase() === "ups.status" ? `FSD ${value}` : value;
  return valueLine(`VAR ${echo(r.ups)} ${echo(r.name)}`, shown);
}

/** `GET TYPE <ups> <var>`: RW, ENUM, RANGE, then STRING:n or NUMBER. */
export function getType(_s: SessionState, r: Req<"getType">, ctx: ServerContext): string {
  const ups = availableUps(ctx.pool, r.ups);
  if (typeof ups === "string") return ups;
  const v = ups.state.get(r.name);
  if (!v) return err("VAR-NOT-SUPPORTED");
  let t = `TYPE ${echo(r.ups)} ${echo(r.name)}`;
  if (v.flags.includes("RW")) t += " RW";
  if (v.enums.length > 0) t += " ENUM";
  if (v.ranges.length > 0) t += " RANGE";
  t += v.flags.includes("STRING") ? ` STRING:${v.aux}` : " NUMBER";
  return line(t);
}

/** `GET DESC <ups> <var>` (the variable need not exist). */
export function getDesc(_s: SessionState, r: Req<"getDesc">, ctx: ServerContext): string {
  const ups = availableUps(ctx.pool, r.ups);
  if (typeof ups === "string") return ups;
  const d = ctx.descriptions.variable(r.name) ?? "Description unavailable";
  return valueLine(`DESC ${echo(r.ups)} ${echo(r.name)}`, d);
}

/** `GET CMDDESC <ups> <cmd>` (the command need not exist). */
export function getCmdDesc(_s: SessionState, r: Req<"getCmdDesc">, ctx: ServerContext): string {
  const ups = availableUps(ctx.pool, r.ups);
  if (typeof ups === "string") return ups;
  const d = ctx.descriptions.command(r.name) ?? "Description unavailable";
  return valueLine(`CMDDESC ${echo(r.ups)} ${echo(r.name)}`, d);
}

/** `GET TRACKING [<id>]`. */
export function getTracking(s: SessionState, r: Req<"getTracking">, ctx: ServerContext): string {
  if (r.id === undefined) return s.tracking ? "ON\n" : "OFF\n";
  if (!s.tracking) return err("FEATURE-NOT-CONFIGURED");
  return (ctx.tracking.get(r.id) ?? "ERR UNKNOWN") + "\n";
}
