/**
 * `INSTCMD <ups> <cmd> [<param>]` (NUT's `netinstcmd.c`).
 *
 * @module
 */

import { escapeValue } from "../../protocol/tokenize.ts";
import type { Req, ServerContext, SessionState } from "../context.ts";
import { err } from "../reply.ts";
import { availableUps } from "./get.ts";

/** `INSTCMD`: forwards to the driver after the rights check. */
export function instcmd(s: SessionState, r: Req<"instcmd">, ctx: ServerContext): string {
  const ups = availableUps(ctx.pool, r.ups);
  if (typeof ups === "string") return ups;
  if (!ups.state.hasCmd(r.cmd)) return err("CMD-NOT-SUPPORTED");
  const check = ctx.acl.instcmd(s, r.cmd);
  if (!check.granted) {
    s.delayMs = check.delayMs;
    return err("ACCESS-DENIED");
  }
  const id = s.tracking ? ctx.tracking.create() : undefined;
  let cmd = `INSTCMD ${r.cmd}`;
  if (r.param !== undefined) cmd += ` ${escapeValue(r.param)}`;
  if (id) cmd += ` TRACKING ${id}`;
  const withValue = r.param !== undefined ? ` with value ${r.param}` : "";
  ctx.log.logger.info(
    `Instant command: ${s.username}@${s.ip} did ${r.cmd}${withValue} on ${ups.name} (tracking ID: ${
      id ?? "disabled"
    })`,
  );
  if (!ups.send(cmd)) {
    ctx.log.logger.info("Set command send failed");
    return err("INSTCMD-FAILED");
  }
  return id ? `OK TRACKING ${id}\n` : "OK\n";
}
