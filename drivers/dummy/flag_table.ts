/**
 * dummy-ups' table of known variables (NUT 2.8.0): the flags and string
 * length each gets when the data file or a SET writes it. Variables not
 * listed get `RW STRING` with length 32. The first three are published
 * before the data file is read.
 *
 * @module
 */

import type { VarFlag } from "../../core/protocol/driver_link.ts";

/** One known variable. */
export interface DummyVar {
  readonly name: string;
  readonly flags: readonly VarFlag[];
  /** Aux (max length), applied only to STRING variables. */
  readonly len: number;
  /** Value published at start, before the data file is read. */
  readonly initial?: string;
}

/** The table, in NUT's order (the first match wins: `ups.serial` is listed twice). */
export const DUMMY_VARS: readonly DummyVar[] = [
  { name: "ups.mfr", flags: ["RW", "STRING"], len: 32, initial: "Dummy Manufacturer" },
  { name: "ups.model", flags: ["RW", "STRING"], len: 32, initial: "Dummy UPS" },
  { name: "ups.status", flags: ["RW", "STRING"], len: 32, initial: "OL" },
  { name: "ups.serial", flags: ["RW", "STRING"], len: 32 },
  { name: "ups.load", flags: ["RW"], len: 32 },
  { name: "ups.alarm", flags: ["RW", "STRING"], len: 32 },
  { name: "ups.time", flags: ["RW", "STRING"], len: 16 },
  { name: "ups.date", flags: ["RW", "STRING"], len: 16 },
  { name: "ups.mfr.date", flags: ["RW", "STRING"], len: 16 },
  { name: "ups.serial", flags: ["RW", "STRING"], len: 16 },
  { name: "ups.firmware", flags: ["RW", "STRING"], len: 16 },
  { name: "ups.firmware.aux", flags: ["RW", "STRING"], len: 16 },
  { name: "ups.temperature", flags: ["RW"], len: 1 },
  { name: "ups.id", flags: ["RW", "STRING"], len: 16 },
  { name: "ups.delay.start", flags: ["RW"], len: 1 },
  { name: "ups.delay.reboot", flags: ["RW"], len: 1 },
  { name: "ups.delay.shutdown", flags: ["RW"], len: 1 },
  { name: "ups.test.interval", flags: ["RW"], len: 1 },
  { name: "ups.test.result", flags: ["RW", "STRING"], len: 16 },
  { name: "input.voltage", flags: ["RW"], len: 1 },
  { name: "input.voltage.maximum", flags: ["RW"], len: 1 },
  { name: "input.voltage.minimum", flags: ["RW"], len: 1 },
  { name: "input.voltage.nominal", flags: ["RW"], len: 1 },
  { name: "input.transfer.reason", flags: ["RW", "STRING"], len: 1 },
  { name: "input.transfer.low", flags: ["RW"], len: 1 },
  { name: "input.transfer.high", flags: ["RW"], len: 1 },
  { name: "input.sensitivity", flags: ["RW", "STRING"], len: 1 },
  { name: "input.quality", flags: ["RW", "STRING"], len: 6 },
  { name: "input.frequency", flags: ["RW"], len: 1 },
  { name: "input.transfer.boost.low", flags: ["RW"], len: 1 },
  { name: "input.transfer.boost.high", flags: ["RW"], len: 1 },
  { name: "input.transfer.trim.low", flags: ["RW"], len: 1 },
  { name: "input.transfer.trim.high", flags: ["RW"], len: 1 },
  { name: "output.voltage", flags: ["RW"], len: 1 },
  { name: "output.frequency", flags: ["RW"], len: 1 },
  { name: "output.current", flags: ["RW"], len: 1 },
  { name: "battery.charge", flags: ["RW"], len: 1 },
  { name: "battery.charge.low", flags: ["RW"], len: 1 },
  { name: "battery.voltage", flags: ["RW"], len: 1 },
  { name: "battery.current", flags: ["RW"], len: 1 },
  { name: "battery.runtime", flags: ["RW"], len: 1 },
  { name: "battery.runtime.low", flags: ["RW"], len: 1 },
  { name: "battery.charge.restart", flags: ["RW"], len: 1 },
  { name: "battery.temperature", flags: ["RW"], len: 1 },
  { name: "battery.voltage.nominal", flags: ["RW"], len: 1 },
  { name: "ambient.temperature", flags: ["RW"], len: 1 },
  { name: "ambient.temperature.alarm", flags: ["RW"], len: 1 },
  { name: "ambient.temperature.high", flags: ["RW"], len: 1 },
  { name: "ambient.temperature.low", flags: ["RW"], len: 1 },
  { name: "ambient.humidity", flags: ["RW"], len: 1 },
  { name: "ambient.humidity.alarm", flags: ["RW"], len: 1 },
  { name: "ambient.humidity.high", flags: ["RW"], len: 1 },
  { name: "ambient.humidity.low", flags: ["RW"], len: 1 },
];

/** Flags and length for a variable that is not in the table. */
export const UNKNOWN_VAR: Omit<DummyVar, "name"> = { flags: ["RW", "STRING"], len: 32 };

/**
 * Looks a variable up (case-insensitively, as NUT's `find_info`).
 * @param name variable name
 * @returns the entry, or undefined
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findDummyVar } from "./flag_table.ts";
 * assert.equal(findDummyVar("UPS.SERIAL")?.len, 32);
 * assert.deepEqual(findDummyVar("battery.charge")?.flags, ["RW"]);
 * assert.equal(findDummyVar("outlet.1.id"), undefined);
 * ```
 */
export function findDummyVar(name: string): DummyVar | undefined {
  const low = name.toLowerCase();
  return DUMMY_VARS.find((v) => v.name === low);
}
