/**
 * Shapes of the usbhid-ups mapping tables: one readonly table per
 * subdriver (vendor), NUT variable ↔ HID path, flags and value lookups.
 *
 * @module
 */

/** Table flags (NUT's ST_FLAG_* info flags and HU_FLAG_* / HU_TYPE_CMD HID flags). */
export type HidFlag =
  | "rw"
  | "string"
  | "number"
  | "static"
  | "semiStatic"
  | "absent"
  | "quickPoll"
  | "enum"
  | "cmd";

/** One row: a NUT variable (or `BOOL`, `ups.alarm`, an instant command) bound to a HID path. */
export interface HidMapEntry {
  /** NUT variable, instant command, or `BOOL` for a status bit. */
  readonly nut: string;
  /** HID path as NUT prints it, or null. */
  readonly path: string | null;
  /** printf format for plain numbers, or the default value (absent vars, commands). */
  readonly fmt: string | null;
  /** Maximum string length for STRING variables. */
  readonly len: number;
  /** Flags. */
  readonly flags: readonly HidFlag[];
  /** Name of the value lookup (a table or a converter), or null. */
  readonly lkp: string | null;
}

/** A value lookup: a HID value → NUT text table, or a named conversion function. */
export type Lookup =
  | { readonly kind: "table"; readonly entries: readonly (readonly [number, string])[] }
  | { readonly kind: "fn"; readonly fn: string; readonly nuf: string | null };

/** A USB ID a subdriver claims (hook = NUT's per-device init routine name). */
export interface DeviceId {
  /** USB vendor ID. */
  readonly vendorId: number;
  /** USB product ID. */
  readonly productId: number;
  /** Per-device tweak NUT runs on claim (e.g. `cps_battery_scale`), or null. */
  readonly hook: string | null;
}

/** A subdriver: name/version, claimed IDs, vendor usage names, mapping and lookups. */
export interface SubdriverTable {
  /** Name and version as in `driver.version.data` (`APC HID 0.98`). */
  readonly name: string;
  /** USB IDs this subdriver supports. */
  readonly devices: readonly DeviceId[];
  /** Vendor usage names (searched before the generic HID table). */
  readonly usages: readonly (readonly [string, number])[];
  /** The mapping rows, in NUT's order (first match wins). */
  readonly map: readonly HidMapEntry[];
  /** Subdriver-specific lookups by name. */
  readonly lookups: Readonly<Record<string, Lookup>>;
}

/** One mapping row as the tables write it: NUT name, HID path, format, length, flags, lookup. */
export type HidRow = readonly [
  nut: string,
  path: string | null,
  fmt: string | null,
  len: number,
  flags: readonly HidFlag[],
  lkp: string | null,
];

/**
 * Mapping rows from their one-line form, in the same order.
 * @param list the rows
 * @returns the rows as {@linkcode HidMapEntry} values
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rows } from "./types.ts";
 * assert.deepEqual(rows([["ups.load", "UPS.PowerConverter.Output.PercentLoad", "%.0f", 0, [], null]]), [
 *   { nut: "ups.load", path: "UPS.PowerConverter.Output.PercentLoad", fmt: "%.0f", len: 0, flags: [], lkp: null },
 * ]);
 * ```
 */
export function rows(list: readonly HidRow[]): readonly HidMapEntry[] {
  return list.map(([nut, path, fmt, len, flags, lkp]) => ({ nut, path, fmt, len, flags, lkp }));
}
