/**
 * `VER`, `NETVER`/`PROTVER`, `HELP`, `STARTTLS`, `FSD` (NUT's `netmisc.c`
 * and `netssl.c`).
 *
 * @module
 */

import { UPSD_VER_TEXT } from "../../version.ts";
import type { Req, ServerContext, SessionState } from "../context.ts";
import { err } from "../reply.ts";

/** Protocol version upsd 2.8.0 speaks. */
export const NET_VERSION = "1.3";

/** `VER`. */
export function ver(): string {
  return UPSD_VER_TEXT + "\n";
}

/** `NETVER` / `PROTVER`. */
export function netver(): string {
  return NET_VERSION + "\n";
}

/** `HELP` (2.8.0 text). */
export function help(): string {
  return "Commands: HELP VER GET LIST SET INSTCMD LOGIN LOGOUT USERNAME PASSWORD STARTTLS\n";
}

/** `STARTTLS`: TLS is not configured in this build yet. */
export function starttls(): string {
  return err("FEATURE-NOT-CONFIGURED");
}

/** `FSD <ups>`: sets the UPS's forced-shutdown latch. */
export function fsd(s: SessionState, r: Req<"fsd">, ctx: ServerContext): string {
  const ups = ctx.pool.find(r.ups);
  if (!ups) return err("UNKNOWN-UPS");
  const check = ctx.acl.action(s, "FSD");
  if (!check.granted) {
    s.delayMs = check.delayMs;
    return err("ACCESS-DENIED");
  }
  ctx.log.logger.info(`Client ${s.username}@${s.ip} set FSD on UPS [${ups.name}]`);
  ups.setFsd();
  return "OK FSD-SET\n";
}
