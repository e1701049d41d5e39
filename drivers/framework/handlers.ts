/**
 * SET/INSTCMD dispatch of the driver core: the core's own `driver.*`
 * commands and variables first (NUT ≥2.8.1 semantics; not published, so the
 * data tree stays as NUT 2.8.0 shows it), then the driver's handlers.
 *
 * @module
 */

import type { Logger } from "../../core/runtime/logger.ts";
import { TRACKING_RESULT, type TrackingResult } from "../../core/protocol/driver_link.ts";
import type { Driver, DriverContext } from "./driver.ts";
import { DriverFatal } from "./driver.ts";
import type { LinkHandlers } from "./link_server.ts";

/** Core commands handled before the driver's `instcmd`. */
export const CORE_COMMANDS = [
  "driver.exit",
  "driver.killpower",
  "driver.reload",
  "driver.reload-or-error",
  "driver.reload-or-exit",
] as const;

/**
 * Parses a `driver.flag.allow_killpower` value as NUT does.
 * @param value the value
 * @returns whether killpower is allowed
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { truthy } from "./handlers.ts";
 * assert.ok(truthy("enabled"));
 * assert.ok(truthy("2"));
 * assert.ok(!truthy("off"));
 * ```
 */
export function truthy(value: string): boolean {
  const v = value.toLowerCase();
  if (/^[+-]?\d+$/.test(v)) return Number.parseInt(v, 10) > 0;
  return v.startsWith("enable") || v === "true" || v === "yes" || v === "on";
}

/**
 * Builds the socket's SET/INSTCMD handlers.
 * @param driver the driver
 * @param ctx its context
 * @param log logger
 * @param core `exit` for `driver.exit`, `setDebug` for `driver.debug` (negative = configured level)
 * @returns the handlers
 */
export function makeHandlers(
  driver: Driver,
  ctx: DriverContext,
  log: Logger,
  core: { exit(): void; setDebug(level: number): void },
): LinkHandlers {
  let allowKillpower = false;
  return {
    async instcmd(cmd: string, param: string | undefined): Promise<TrackingResult> {
      switch (cmd.toLowerCase()) {
        case "driver.exit":
          log.info("Got driver.exit, exiting");
          core.exit();
          return TRACKING_RESULT.handled;
        case "driver.killpower":
          if (!allowKillpower) {
            log.info("Got driver.killpower but driver.flag.allow_killpower is not set");
            return TRACKING_RESULT.invalid;
          }
          if (!driver.shutdown) return TRACKING_RESULT.invalid;
          try {
            await driver.shutdown(ctx);
            return TRACKING_RESULT.handled;
          } catch (e) {
            if (e instanceof DriverFatal) {
              log.error(e.message);
              return TRACKING_RESULT.failed;
            }
            throw e;
          }
        case "driver.reload":
        case "driver.reload-or-error":
        case "driver.reload-or-exit":
          // Nothing this core keeps is reloadable without a restart (NUT 2.8.0 never reloads).
          return TRACKING_RESULT.handled;
      }
      if (!driver.instcmd) {
        log.info("Got INSTCMD, but driver lacks a handler");
        return TRACKING_RESULT.unknown;
      }
      return await driver.instcmd(ctx, cmd, param);
    },
    async setvar(name: string, value: string): Promise<TrackingResult> {
      switch (name.toLowerCase()) {
        case "driver.debug": {
          const n = Number.parseInt(value, 10);
          if (!Number.isInteger(n)) return TRACKING_RESULT.invalid;
          core.setDebug(n);
          return TRACKING_RESULT.handled;
        }
        case "driver.flag.allow_killpower":
          allowKillpower = truthy(value);
          return TRACKING_RESULT.handled;
      }
      if (!driver.setvar) {
        log.info("Got SET, but driver lacks a handler");
        return TRACKING_RESULT.unknown;
      }
      return await driver.setvar(ctx, name, value);
    },
  };
}
