/**
 * NUT's value conversion functions (the `info_lkp_t` entries backed by a
 * function), by the name the mapping tables use. Each turns a HID value
 * into NUT text (or a status word such as `online`/`!online`); some have an
 * inverse for SET. Converters not listed here are reported as unported and
 * their rows are skipped.
 *
 * @module
 */

import { fixed } from "./printf.ts";
import { VENDOR_CONVERTERS } from "./converters_vendor.ts";

/** What a converter may consult. */
export interface ConvEnv {
  /** Reads a USB string descriptor. */
  getString(index: number): Promise<string | undefined>;
  /** Reads a published NUT variable. */
  getInfo(name: string): string | undefined;
  /** Per-device mutable scratch (battery scales and the like). */
  readonly scratch: Map<string, number>;
  /** The device's USB product ID. */
  readonly productId: number;
  /** Current status bits (`online`, `off`, ...), when the caller tracks them. */
  readonly status?: ReadonlySet<string>;
}

/** A conversion: HID value → NUT text, or null when it has none. */
export type Converter = (value: number, env: ConvEnv) => string | null | Promise<string | null>;

const pad = (n: number, w: number) => String(n).padStart(w, "0");
const bit = (name: string, mask: number, invert = false): Converter => (v) =>
  ((Math.trunc(v) & mask) !== 0) !== invert ? name : `!${name}`;

function cpsAdjustScale(v: number, env: ConvEnv): void {
  if (env.scratch.get("cps.checked")) return;
  const nom = parseFloat(env.getInfo("battery.voltage.nominal") ?? "");
  if (!Number.isFinite(nom) || nom === 0) return;
  if (v / nom > 1.4) env.scratch.set("battery_scale", 2 / 3);
  env.scratch.set("cps.checked", 1);
}

/** Converters by NUT function name. */
export const CONVERTERS: Readonly<Record<string, Converter>> = {
  ...VENDOR_CONVERTERS,
  date_conversion_fun: (v) => {
    const n = Math.trunc(v);
    if (n === 0) return "not set";
    return `${pad(1980 + (n >> 9), 4)}/${pad((n >> 5) & 0x0f, 2)}/${pad(n & 0x1f, 2)}`;
  },
  hex_conversion_fun: (v) => (Math.trunc(v) >>> 0).toString(16).padStart(8, "0"),
  stringid_conversion_fun: async (v, env) =>
    ((await env.getString(Math.trunc(v))) ?? "").replace(/\n+$/, ""),
  divide_by_10_conversion_fun: (v) => fixed(v * 0.1, 1),
  kelvin_celsius_conversion_fun: (v) => v >= 273 && v <= 373 ? fixed(v - 273.15, 1) : fixed(v, 1),
  apc_date_conversion_fun: (v) => {
    const n = Math.trunc(v);
    if (n === 0) return "not set";
    let year = (n & 0xf) + 10 * ((n >> 4) & 0xf);
    const month = ((n >> 16) & 0xf) + 10 * ((n >> 20) & 0xf);
    const day = ((n >> 8) & 0xf) + 10 * ((n >> 12) & 0xf);
    year += year >= 70 ? 1900 : 2000;
    return `${pad(year, 4)}/${pad(month, 2)}/${pad(day, 2)}`;
  },
  cps_battvolt_fun: (v, env) => {
    if (env.scratch.get("cps.might_scale")) cpsAdjustScale(v, env);
    return fixed((env.scratch.get("battery_scale") ?? 1) * v, 1);
  },
  cps_battcharge_fun: (v) => fixed(v < 100 ? v : 100, 0),
  tripplite_battvolt_fun: (v, env) => fixed((env.scratch.get("battery_scale") ?? 1) * v, 1),
  tripplite_iovolt_fun: (v, env) => fixed((env.scratch.get("io_voltage_scale") ?? 1) * v, 1),
  tripplite_iofreq_fun: (v, env) => fixed((env.scratch.get("io_frequency_scale") ?? 1) * v, 1),
  tripplite_ioamp_fun: (v, env) => fixed((env.scratch.get("io_current_scale") ?? 1) * v, 1),
  tripplite_chemistry_fun: async (v, env) => {
    if (env.productId === 0x1003 || env.productId === 0x2005) return "unknown";
    return ((await env.getString(Math.trunc(v))) ?? "").replace(/\n+$/, "");
  },
  powercom_startup_fun: (v) => {
    const i = Math.trunc(v) & 0xffff;
    return String(60 * (((i & 0xff) << 8) + (i >> 8)));
  },
  powercom_shutdown_fun: (v) => {
    const i = Math.trunc(v) & 0xffff;
    return String(60 * (i & 0xff) + (i >> 8));
  },
  powercom_voltage_conversion_fun: (v) => fixed(v * 4, 0),
  powercom_upsfail_conversion_fun: bit("fanfail", 0x01),
  powercom_replacebatt_conversion_fun: bit("replacebatt", 0x02),
  powercom_test_conversion_fun: bit("cal", 0x04),
  powercom_shutdownimm_conversion_fun: bit("shutdownimm", 0x10),
  powercom_online_conversion_fun: bit("online", 0x01, true),
  powercom_lowbatt_conversion_fun: bit("lowbatt", 0x02),
  powercom_trim_conversion_fun: (v) => (Math.trunc(v) & 0x18) === 0x08 ? "trim" : "!trim",
  powercom_boost_conversion_fun: (v) => (Math.trunc(v) & 0x18) === 0x18 ? "boost" : "!boost",
  powercom_overload_conversion_fun: bit("overload", 0x20),
  mge_date_conversion_fun: (v) => {
    const d = new Date(Math.trunc(v) * 1000);
    return `${pad(d.getFullYear(), 4)}/${pad(d.getMonth() + 1, 2)}/${pad(d.getDate(), 2)}`;
  },
  mge_time_conversion_fun: (v) => {
    const d = new Date(Math.trunc(v) * 1000);
    return `${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}`;
  },
};

/** Inverse conversions (NUT text → HID value) by NUT function name. */
export const INVERSES: Readonly<Record<string, (text: string) => number>> = {
  date_conversion_reverse: (text) => {
    const m = /^(\d{1,4})\/(\d{1,2})\/(\d{1,2})/.exec(text);
    if (!m) return 0;
    const [y, mo, d] = [parseInt(m[1]!, 10), parseInt(m[2]!, 10), parseInt(m[3]!, 10)];
    if (y - 1980 > 127 || mo > 12 || d > 31) return 0;
    return ((y - 1980) << 9) + (mo << 5) + d;
  },
};
