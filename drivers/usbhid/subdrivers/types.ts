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
