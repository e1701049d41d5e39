/**
 * ups.conf as upsdrvctl 2.8.0 sees it: one entry per distinct section name
 * (duplicates merged), with its quirks — an entry is created by the first
 * line of its section, and only `driver`/`port` of that very first line are
 * applied (a first-line `sdorder` or `maxstartdelay` is lost).
 *
 * @module
 */

import { atoi } from "./problem.ts";
import type { UpsConf } from "./ups_conf.ts";

/** One upsdrvctl table entry. */
export interface DriverEntry {
  /** Section name. */
  readonly name: string;
  /** `driver` (undefined prints as `(null)` in NUT). */
  readonly driver: string | undefined;
  /** `port`. */
  readonly port: string | undefined;
  /** `sdorder`; 0 by default, -1 = never shut down. */
  readonly sdorder: number;
  /** `maxstartdelay`; -1 = use the global one. */
  readonly maxstartdelay: number;
}

/** upsdrvctl's whole view of ups.conf. */
export interface DriverTable {
  /** Entries in creation order. */
  readonly entries: readonly DriverEntry[];
  /** Highest sdorder seen (the shutdown loop runs 0..max). */
  readonly maxSdorder: number;
  /** Global `driverpath`, undefined = built-in. */
  readonly driverpath: string | undefined;
  /** Global `maxstartdelay`; 45 by default. */
  readonly maxstartdelay: number;
  /** Global `maxretry`; 1 by default. */
  readonly maxretry: number;
  /** Global `retrydelay`; 5 by default. */
  readonly retrydelay: number;
  /** `nowait` given. */
  readonly nowait: boolean;
}

/**
 * Builds upsdrvctl's table from a parsed ups.conf.
 * @param conf the parsed file
 * @returns the entries, shutdown bound and globals
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseUpsConf } from "./ups_conf.ts";
 * import { driverTable } from "./driver_table.ts";
 * const t = driverTable(parseUpsConf("[a]\nsdorder = 2\ndriver = x\n", { file: "ups.conf" }));
 * assert.equal(t.entries[0]?.sdorder, 0); // NUT quirk: a first-line sdorder is lost
 * ```
 */
export function driverTable(conf: UpsConf): DriverTable {
  type M = { -readonly [K in keyof DriverEntry]: DriverEntry[K] };
  const entries: M[] = [];
  let maxSdorder = 0;
  for (const dev of conf.devices) {
    for (const e of dev.entries) {
      const val = e.kind === "value" ? e.value : undefined;
      let t = entries.find((x) => x.name === dev.name);
      if (!t) {
        t = { name: dev.name, driver: undefined, port: undefined, sdorder: 0, maxstartdelay: -1 };
        entries.push(t);
        if (e.key === "driver") t.driver = val;
        if (e.key === "port") t.port = val;
        continue;
      }
      if (e.key === "driver") t.driver = val;
      if (e.key === "port") t.port = val;
      if (e.key === "maxstartdelay") t.maxstartdelay = atoi(val ?? "");
      if (e.key === "sdorder") {
        t.sdorder = atoi(val ?? "");
        if (t.sdorder > maxSdorder) maxSdorder = t.sdorder;
      }
    }
  }
  const g = conf.global;
  let maxstartdelay = 45, maxretry = 1, retrydelay = 5;
  let driverpath: string | undefined;
  let nowait = false;
  for (const e of g.entries) {
    const val = e.kind === "value" ? e.value : "";
    if (e.key === "maxstartdelay") maxstartdelay = atoi(val);
    if (e.key === "driverpath") driverpath = val;
    if (e.key === "maxretry") maxretry = atoi(val);
    if (e.key === "retrydelay") retrydelay = atoi(val);
    if (e.key === "nowait") nowait = true;
  }
  return { entries, maxSdorder, driverpath, maxstartdelay, maxretry, retrydelay, nowait };
}
