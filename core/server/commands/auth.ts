/**
 * `USERNAME`, `PASSWORD`, `LOGIN`, `LOGOUT`, `PRIMARY`/`MASTER` (NUT's
 * `netuser.c`).
 *
 * @module
 */

import type { Req, ServerContext, SessionState } from "../context.ts";
import { err } from "../reply.ts";

/** `USERNAME <name>`: settable once per connection. */
export function username(s: SessionState, r: Req<"username">, ctx: ServerContext): string {
  if (s.username !== undefined) {
    ctx.log.info(`twice:${s.ip}`, `Client ${s.username}@${s.ip} tried to set a username twice`);
    return err("ALREADY-SET-USERNAME");
  }
  s.username = r.name;
  return "OK\n";
}

/** `PASSWORD <pw>`: settable once per connection. */
export function password(s: SessionState, r: Req<"password">, ctx: ServerContext): string {
  if (s.password !== undefined) {
    ctx.log.info(
      `twice:${s.ip}`,
      s.username !== undefined
        ? `Client ${s.username}@${s.ip} tried to set a password twice`
        : `Client on ${s.ip} tried to set a password twice`,
    );
    return err("ALREADY-SET-PASSWORD");
  }
  s.password = r.password;
  return "OK\n";
}

/** `LOGIN <ups>`: counts this connection in NUMLOGINS. */
export function login(s: SessionState, r: Req<"login">, ctx: ServerContext): string {
  if (s.loginUps !== undefined) {
    ctx.log.info(`twice:${s.ip}`, `Client ${s.username}@${s.ip} tried to login twice`);
    return err("ALREADY-LOGGED-IN");
  }
  const ups = ctx.pool.find(r.ups);
  if (!ups) return err("UNKNOWN-UPS");
  const check = ctx.acl.action(s, "LOGIN");
  if (!check.granted) {
    s.delayMs = check.delayMs;
    return err("ACCESS-DENIED");
  }
  ups.numLogins++;
  s.loginUps = ups;
  // authenticated events are logged in full, as NUT does
  ctx.log.logger.info(`User ${s.username}@${s.ip} logged into UPS [${ups.name}]`);
  return "OK\n";
}

/** `LOGOUT`: replies, then the connection closes. */
export function logout(s: SessionState, _r: Req<"logout">, ctx: ServerContext): string {
  if (s.loginUps !== undefined) {
    ctx.log.logger.info(`User ${s.username}@${s.ip} logged out from UPS [${s.loginUps.name}]`);
  }
  s.closing = true;
  return "OK Goodbye\n";
}

/** `PRIMARY <ups>` / `MASTER <ups>`: a pure permission check. */
export function primary(s: SessionState, r: Req<"primary">, ctx: ServerContext): string {
  const ups = ctx.pool.find(r.ups);
  if (!ups) return err("UNKNOWN-UPS");
  let check = ctx.acl.action(s, "PRIMARY");
  if (!check.granted) check = ctx.acl.action(s, "MASTER");
  if (!check.granted) {
    s.delayMs = check.delayMs;
    return err("ACCESS-DENIED");
  }
  return `OK ${r.verb}-GRANTED\n`;
}
