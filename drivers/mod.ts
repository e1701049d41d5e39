/**
 * The drivers `nut` implements itself, by NUT program name. `nut drvctl`
 * runs these as `nut <name> …`; any other driver name runs NUT's binary
 * from `driverpath`. Adding a driver is one line here.
 *
 * @module
 */

import type { DriverModule } from "./framework/driver.ts";

/** How to load one driver implementation. */
export interface DriverEntry {
  /** Loads the driver module (lazy: a process pays only for its driver). */
  readonly load: () => Promise<DriverModule>;
}

/** Every driver `nut` implements, keyed by NUT program name. */
export const DRIVERS: Readonly<Record<string, DriverEntry>> = {
  "dummy-ups": { load: () => import("./dummy/dummy.ts").then((m) => m.dummyUps) },
  "usbhid-ups": { load: () => import("./usbhid/usbhid.ts").then((m) => m.usbhidUps) },
};

/**
 * Finds one of our drivers by NUT program name.
 * @param name e.g. `dummy-ups`
 * @returns the entry, or undefined when `nut` does not implement it
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findDriver } from "./mod.ts";
 * assert.ok(findDriver("dummy-ups"));
 * assert.equal(findDriver("toString"), undefined);
 * ```
 */
export function findDriver(name: string): DriverEntry | undefined {
  return Object.hasOwn(DRIVERS, name) ? DRIVERS[name] : undefined;
}
