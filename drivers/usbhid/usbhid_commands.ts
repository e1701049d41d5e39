/**
 * usbhid-ups instant commands, SET and `-k`, as NUT's instcmd/setvar/
 * upsdrv_shutdown: table-driven commands with default values, the
 * `beeper.on/off` renames, the composite `load.on`/`load.off`/
 * `shutdown.return`/`shutdown.stayoff` built from the delay commands
 * (offdelay/ondelay via `ups.delay.*`).
 *
 * @module
 */

import {
  type DriverContext,
  DriverFatal,
  TRACKING_RESULT,
  type TrackingResult,
} from "../framework/driver.ts";
import { isDisconnect } from "./port.ts";
import type { HidMapper } from "./mapping.ts";

/** What the commands need from the driver. */
export interface CommandTarget {
  /** The mapping engine, undefined before init. */
  readonly mapper: HidMapper | undefined;
  /** Whether the device is open. */
  readonly connected: boolean;
}

/**
 * SET of a variable.
 * @param drv the driver
 * @param ctx context
 * @param name variable
 * @param value new value
 * @returns tracking result
 */
export async function runSetvar(
  drv: CommandTarget,
  ctx: DriverContext,
  name: string,
  value: string,
): Promise<TrackingResult> {
  ctx.log.debug(1, `setvar(${name}, ${value})`);
  const m = drv.mapper;
  const row = m?.find(name);
  if (!m || !row) return TRACKING_RESULT.unknown;
  if (!row.entry.flags.includes("rw")) return TRACKING_RESULT.unknown;
  if (row.entry.flags.includes("absent")) {
    ctx.state.setInfo(row.entry.nut, value);
    return TRACKING_RESULT.handled;
  }
  if (!drv.connected) return TRACKING_RESULT.failed;
  try {
    return (await m.write(row.entry, row.item, value))
      ? TRACKING_RESULT.handled
      : TRACKING_RESULT.unknown;
  } catch (e) {
    ctx.log.debug(1, `Can't set Report ${row.item.reportId.toString(16)}: ${(e as Error).message}`);
    if (isDisconnect(e)) ctx.dataStale();
    return TRACKING_RESULT.unknown;
  }
}

/**
 * An instant command.
 * @param drv the driver
 * @param ctx context
 * @param cmd command
 * @param param optional value
 * @returns tracking result
 */
export async function runInstcmd(
  drv: CommandTarget,
  ctx: DriverContext,
  cmd: string,
  param?: string,
): Promise<TrackingResult> {
  const lower = cmd.toLowerCase();
  if (lower === "beeper.off") {
    ctx.log.warn("The 'beeper.off' command has been renamed to 'beeper.disable'");
    return runInstcmd(drv, ctx, "beeper.disable");
  }
  if (lower === "beeper.on") {
    ctx.log.warn("The 'beeper.on' command has been renamed to 'beeper.enable'");
    return runInstcmd(drv, ctx, "beeper.enable");
  }
  ctx.log.debug(1, `instcmd(${cmd}, ${param ?? "[NULL]"})`);
  const m = drv.mapper;
  const row = m?.find(cmd);
  if (!m || !row) {
    const st = ctx.state;
    if (lower === "load.on") return runInstcmd(drv, ctx, "load.on.delay", "0");
    if (lower === "load.off") return runInstcmd(drv, ctx, "load.off.delay", "0");
    if (lower === "shutdown.return" || lower === "shutdown.stayoff") {
      const ret = lower === "shutdown.return";
      if (st.getValue("ups.start.auto") !== undefined) {
        await runSetvar(drv, ctx, "ups.start.auto", ret ? "yes" : "no");
      }
      const on = await runInstcmd(
        drv,
        ctx,
        "load.on.delay",
        ret ? st.getValue("ups.delay.start") : "-1",
      );
      if (on !== TRACKING_RESULT.handled) return on;
      await ctx.clock.sleep(125, ctx.signal);
      return runInstcmd(drv, ctx, "load.off.delay", st.getValue("ups.delay.shutdown"));
    }
    ctx.log.debug(2, `instcmd: info element unavailable ${cmd}`);
    return TRACKING_RESULT.invalid;
  }
  if (!row.entry.flags.includes("cmd")) return TRACKING_RESULT.invalid;
  if (!drv.connected) return TRACKING_RESULT.failed;
  const value = param ?? row.entry.fmt ?? "0";
  try {
    if (await m.write(row.entry, row.item, value)) return TRACKING_RESULT.handled;
  } catch (e) {
    ctx.log.debug(1, `Can't set Report ${row.item.reportId.toString(16)}: ${(e as Error).message}`);
    if (isDisconnect(e)) ctx.dataStale();
  }
  return TRACKING_RESULT.failed;
}

/**
 * `-k`: shutdown.return, else shutdown.reboot, else load.off.delay.
 * @param drv the driver
 * @param ctx context
 * @throws DriverFatal `Shutdown failed!`
 */
export async function runShutdown(drv: CommandTarget, ctx: DriverContext): Promise<void> {
  ctx.log.debug(1, "upsdrv_shutdown...");
  for (const cmd of ["shutdown.return", "shutdown.reboot", "load.off.delay"]) {
    if ((await runInstcmd(drv, ctx, cmd)) === TRACKING_RESULT.handled) return;
  }
  throw new DriverFatal("Shutdown failed!");
}
