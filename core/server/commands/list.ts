/**
 * `LIST UPS|VAR|RW|CMD|ENUM|RANGE|CLIENT` (NUT's `netlist.c`). A whole
 * block is built as one string (the server writes it at once); VAR and RW
 * bodies are cached per UPS until its data changes.
 *
 * @module
 */

import type { Req, ServerContext, SessionState } from "../context.ts";
import type { UpsEntry } from "../driver_pool.ts";
import { echo, err, line, valueLine } from "../reply.ts";
import { availableUps } from "./get.ts";

const MAX_CACHED_NAMES = 8;

function block(header: string, rows: string): string {
  return `BEGIN LIST ${header}\n${rows}END LIST ${header}\n`;
}

function varRows(ups: UpsEntry, shown: string, rw: boolean): string {
  let rows = "";
  const prefix = rw ? "RW" : "VAR";
  for (const v of ups.state.list()) {
    if (rw && !v.flags.includes("RW")) continue;
    const value = !rw && ups.fsd && v.name.toLowerCase() === "ups.status"
      ? `FSD ${v.value}`
      : v.value;
    rows += valueLine(`${prefix} ${shown} ${v.name}`, value);
  }
  return rows;
}

function cachedBlock(ups: UpsEntry, asSent: string, rw: boolean): string {
  const key = (rw ? "R" : "V") + asSent;
  const hit = ups.listCache.get(key);
  if (hit && hit.version === ups.version) return hit.text;
  const shown = echo(asSent);
  const header = `${rw ? "RW" : "VAR"} ${shown}`;
  const text = header.length > 480
    ? err("INVALID-ARGUMENT")
    : block(header, varRows(ups, shown, rw));
  if (ups.listCache.size >= MAX_CACHED_NAMES && !hit) ups.listCache.clear();
  ups.listCache.set(key, { version: ups.version, text });
  return text;
}

/** `LIST UPS`: every section with its description. */
export function listUps(_s: SessionState, _r: Req<"listUps">, ctx: ServerContext): string {
  let rows = "";
  for (const u of ctx.pool.all) {
    rows += valueLine(`UPS ${u.name}`, u.desc ?? "Description unavailable");
  }
  return block("UPS", rows);
}

/** `LIST VAR <ups>` (ups.status gets the FSD prefix while latched). */
export function listVar(_s: SessionState, r: Req<"listVar">, ctx: ServerContext): string {
  const ups = availableUps(ctx.pool, r.ups);
  return typeof ups === "string" ? ups : cachedBlock(ups, r.ups, false);
}

/** `LIST RW <ups>`: only RW-flagged variables, no FSD prefix. */
export function listRw(_s: SessionState, r: Req<"listRw">, ctx: ServerContext): string {
  const ups = availableUps(ctx.pool, r.ups);
  return typeof ups === "string" ? ups : cachedBlock(ups, r.ups, true);
}

/** `LIST CMD <ups>`. */
export function listCmd(_s: SessionState, r: Req<"listCmd">, ctx: ServerContext): string {
  const ups = availableUps(ctx.pool, r.ups);
  if (typeof ups === "string") return ups;
  const shown = echo(r.ups);
  let rows = "";
  for (const c of ups.state.commands()) rows += line(`CMD ${shown} ${c}`);
  return block(`CMD ${shown}`, rows);
}

/** `LIST ENUM <ups> <var>`. */
export function listEnum(_s: SessionState, r: Req<"listEnum">, ctx: ServerContext): string {
  const ups = availableUps(ctx.pool, r.ups);
  if (typeof ups === "string") return ups;
  const v = ups.state.get(r.name);
  if (!v) return err("VAR-NOT-SUPPORTED");
  const head = `${echo(r.ups)} ${echo(r.name)}`;
  if (head.length > 480) return err("INVALID-ARGUMENT");
  let rows = "";
  for (const e of v.enums) rows += valueLine(`ENUM ${head}`, e);
  return block(`ENUM ${head}`, rows);
}

/** `LIST RANGE <ups> <var>`. */
export function listRange(_s: SessionState, r: Req<"listRange">, ctx: ServerContext): string {
  const ups = availableUps(ctx.pool, r.ups);
  if (typeof ups === "string") return ups;
  const v = ups.state.get(r.name);
  if (!v) return err("VAR-NOT-SUPPORTED");
  const head = `${echo(r.ups)} ${echo(r.name)}`;
  if (head.length > 480) return err("INVALID-ARGUMENT");
  let rows = "";
  for (const g of v.ranges) rows += line(`RANGE ${head} "${g.min}" "${g.max}"`);
  return block(`RANGE ${head}`, rows);
}

/** `LIST CLIENT <ups>`: connections logged into it, newest first. */
export function listClient(_s: SessionState, r: Req<"listClient">, ctx: ServerContext): string {
  const ups = ctx.pool.find(r.ups);
  if (!ups) return err("UNKNOWN-UPS");
  const shown = echo(r.ups);
  if (shown.length > 480) return err("INVALID-ARGUMENT");
  let rows = "";
  for (const c of ctx.sessions()) {
    if (c.loginUps === ups) rows += line(`CLIENT ${ups.name} ${c.ip}`);
  }
  return block(`CLIENT ${shown}`, rows);
}
