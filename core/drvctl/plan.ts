/**
 * upsdrvctl's plan: which ups.conf entries a command touches, in which
 * order (file order for start/stop; sdorder 0…max for shutdown, -1 never),
 * and the exact driver command lines NUT 2.8.0 builds. Pure.
 *
 * @module
 */

import type { DriverEntry, DriverTable } from "../config/driver_table.ts";

/** Options that shape driver command lines. */
export interface PlanOptions {
  /** upsdrvctl's debug level. */
  readonly debug: number;
  /** `-d`: pass the debug level as `-D…`. */
  readonly passDebug: boolean;
  /** `-r <dir>`. */
  readonly chroot?: string | undefined;
  /** `-u <user>`. */
  readonly user?: string | undefined;
  /** Extra driver flags (`-F`, `-B`) of newer upsdrvctl. */
  readonly driverFlags?: readonly string[];
}

/** One driver command. */
export interface DriverStep {
  /** The ups.conf entry. */
  readonly entry: DriverEntry;
  /** Driver name as NUT prints it (`(null)` when the section has none). */
  readonly driver: string;
  /** `<driverpath>/<driver>`, the program NUT would run. */
  readonly program: string;
  /** Arguments after the program. */
  readonly args: readonly string[];
  /** Seconds to wait for the driver to background; negative = no limit. */
  readonly maxstartdelay: number;
}

/** A plan, or NUT's fatal text. */
export type Plan =
  | { readonly ok: true; readonly steps: readonly DriverStep[] }
  | { readonly ok: false; readonly fatal: string };

/**
 * Builds the driver arguments for `start` (`[-D…] -a <ups> [-r dir] [-u user]`).
 * @param ups section name
 * @param o options
 * @returns the arguments
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startArgs } from "./plan.ts";
 * assert.deepEqual(startArgs("ups", { debug: 2, passDebug: true, user: "nut" }), [
 *   "-DD", "-a", "ups", "-u", "nut",
 * ]);
 * ```
 */
export function startArgs(ups: string, o: PlanOptions): string[] {
  const args: string[] = [];
  if (o.passDebug && o.debug > 0) args.push("-" + "D".repeat(Math.min(o.debug, 510)));
  args.push("-a", ups);
  if (o.chroot !== undefined) args.push("-r", o.chroot);
  if (o.user !== undefined) args.push("-u", o.user);
  args.push(...(o.driverFlags ?? []));
  return args;
}

/**
 * Builds the driver arguments for `shutdown` (`-a <ups> -k [-r dir] [-u user]`).
 * @param ups section name
 * @param o options
 * @returns the arguments
 */
export function shutdownArgs(ups: string, o: PlanOptions): string[] {
  const args = ["-a", ups, "-k"];
  if (o.chroot !== undefined) args.push("-r", o.chroot);
  if (o.user !== undefined) args.push("-u", o.user);
  return args;
}

function step(
  t: DriverTable,
  e: DriverEntry,
  driverPath: string,
  args: readonly string[],
): DriverStep {
  const driver = e.driver ?? "(null)";
  return {
    entry: e,
    driver,
    program: `${driverPath}/${driver}`,
    args,
    maxstartdelay: e.maxstartdelay !== -1 ? e.maxstartdelay : t.maxstartdelay,
  };
}

/**
 * The entries a command applies to, as `send_all_drivers`/`send_one_driver`
 * choose them.
 * @param t upsdrvctl's table
 * @param command `start`, `stop`, `shutdown` (others: file order)
 * @param ups only this section (exact name)
 * @returns the entries in order, or NUT's fatal text
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selectEntries } from "./plan.ts";
 * const e = (name: string, sdorder: number) =>
 *   ({ name, driver: "d", port: "p", sdorder, maxstartdelay: -1 });
 * const t = { entries: [e("a", 2), e("b", -1), e("c", 0)], maxSdorder: 2, driverpath: undefined,
 *   maxstartdelay: 45, maxretry: 1, retrydelay: 5, nowait: false };
 * const r = selectEntries(t, "shutdown");
 * assert.deepEqual(r.ok && r.entries.map((x) => x.name), ["c", "a"]);
 * ```
 */
export function selectEntries(
  t: DriverTable,
  command: string,
  ups?: string,
): { ok: true; entries: DriverEntry[] } | { ok: false; fatal: string } {
  if (ups !== undefined) {
    if (t.entries.length === 0) {
      return { ok: false, fatal: "Error: no UPS definitions found in ups.conf!\n" };
    }
    const e = t.entries.find((x) => x.name === ups);
    return e
      ? { ok: true, entries: [e] }
      : { ok: false, fatal: `UPS ${ups} not found in ups.conf` };
  }
  if (t.entries.length === 0) {
    return { ok: false, fatal: "Error: no UPS definitions found in ups.conf" };
  }
  if (command !== "shutdown") return { ok: true, entries: [...t.entries] };
  const out: DriverEntry[] = [];
  for (let i = 0; i <= t.maxSdorder; i++) {
    for (const e of t.entries) if (e.sdorder === i) out.push(e);
  }
  return { ok: true, entries: out };
}

/**
 * The full plan of a start or shutdown.
 * @param t upsdrvctl's table
 * @param command `start` or `shutdown`
 * @param o options
 * @param driverPath effective driver path (ups.conf `driverpath` or DRVPATH)
 * @param ups only this section
 * @returns the steps, or NUT's fatal text
 */
export function planDrivers(
  t: DriverTable,
  command: "start" | "shutdown",
  o: PlanOptions,
  driverPath: string,
  ups?: string,
): Plan {
  const sel = selectEntries(t, command, ups);
  if (!sel.ok) return sel;
  return {
    ok: true,
    steps: sel.entries.map((e) =>
      step(t, e, driverPath, command === "start" ? startArgs(e.name, o) : shutdownArgs(e.name, o))
    ),
  };
}

/**
 * The pid files `stop` tries: `<driver>-<ups>.pid`, then (when a port is
 * set) `<driver>-<basename(port)>.pid`.
 * @param e the entry
 * @param altPidPath ALTPIDPATH
 * @returns one or two paths
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pidFiles } from "./plan.ts";
 * assert.deepEqual(
 *   pidFiles({ name: "u", driver: "usbhid-ups", port: "/dev/x", sdorder: 0, maxstartdelay: -1 }, "/run/nut"),
 *   ["/run/nut/usbhid-ups-u.pid", "/run/nut/usbhid-ups-x.pid"],
 * );
 * ```
 */
export function pidFiles(e: DriverEntry, altPidPath: string): string[] {
  const driver = e.driver ?? "(null)";
  const first = `${altPidPath}/${driver}-${e.name}.pid`;
  if (e.port === undefined) return [first];
  const base = e.port.slice(e.port.lastIndexOf("/") + 1);
  return [first, `${altPidPath}/${driver}-${base}.pid`];
}

/** NUT's debug hint printed (at level 2) unless `-d` is given. */
export const DEBUG_HINT = "\n" +
  "If you're not a NUT core developer, chances are that you're told to enable debugging\n" +
  "to see why a driver isn't working for you. We're sorry for the confusion, but this is\n" +
  "the 'upsdrvctl' wrapper, not the driver you're interested in.\n\n" +
  "Below you'll find one or more lines starting with 'exec:' followed by an absolute\n" +
  "path to the driver binary and some command line option. This is what the driver\n" +
  "starts and you need to copy and paste that line and append the debug flags to that\n" +
  "line (less the 'exec:' prefix).\n\n" +
  "Alternately, provide an additional '-d' (lower-case) parameter to 'upsdrvctl' to\n" +
  "pass its current debug level to the launched driver.\n";
