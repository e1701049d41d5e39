/**
 * Vendor conversion functions of the Belkin/Liebert, Eaton/MGE, openUPS and
 * Delta subdrivers (NUT 2.8.0 behaviour). MGE conversions that depend on
 * NUT's model-name classification (battery voltage, Pegasus-only values,
 * nominal output voltage) are not ported and stay unpublished.
 *
 * @module
 */

import type { Converter } from "./converters.ts";
import { fixed } from "./printf.ts";

const flag = (name: string, mask: number, invert = false): Converter => (v) =>
  ((Math.trunc(v) & mask) !== 0) !== invert ? name : `!${name}`;
const truthy = (name: string, invert = false): Converter => (v) =>
  (v !== 0) !== invert ? name : `!${name}`;

const ABM_DISABLED = 0;
const abm = (scratch: Map<string, number>) => scratch.get("mge.abm") ?? -1;

function liebertVoltage(key: string, both: boolean): Converter {
  return (v, env) => {
    if (v < 1 && Math.abs(v - 1e-7) < 1e-9) {
      if (both) {
        env.scratch.set("liebert.config_mult", 1e8);
        env.scratch.set("liebert.line_mult", 1e7);
      } else env.scratch.set("liebert.line_mult", 1e7);
    }
    return fixed(v * (env.scratch.get(key) ?? 1), 1);
  };
}

function openupsScale(key: string, prec: number): Converter {
  return (v, env) => fixed(v * (env.scratch.get(key) ?? 1), prec);
}

/** Vendor converters by NUT function name. */
export const VENDOR_CONVERTERS: Readonly<Record<string, Converter>> = {
  // Belkin / Liebert (belkin-hid.c)
  liebert_online_fun: truthy("online"),
  liebert_discharging_fun: truthy("dischrg"),
  liebert_charging_fun: truthy("chrg"),
  liebert_lowbatt_fun: truthy("lowbatt"),
  liebert_replacebatt_fun: truthy("replacebatt"),
  liebert_shutdownimm_fun: truthy("shutdownimm"),
  liebert_config_voltage_fun: liebertVoltage("liebert.config_mult", true),
  liebert_line_voltage_fun: liebertVoltage("liebert.line_mult", false),
  belkin_firmware_conversion_fun: (v) => String(Math.trunc(v) >> 4),
  belkin_upstype_conversion_fun: (v) =>
    ({
      1: "offline",
      2: "line-interactive",
      3: "simple online",
      4: "simple offline",
      5: "simple line-interactive",
    } as Record<number, string>)[Math.trunc(v) & 0x0f] ?? "online",
  belkin_sensitivity_conversion_fun: (v) =>
    Math.trunc(v) === 1 ? "reduced" : Math.trunc(v) === 2 ? "low" : "normal",
  belkin_overload_conversion_fun: flag("overload", 0x0010),
  belkin_overheat_conversion_fun: flag("overheat", 0x0040),
  belkin_commfault_conversion_fun: flag("commfault", 0x0080),
  belkin_awaitingpower_conversion_fun: flag("awaitingpower", 0x2000),
  belkin_online_conversion_fun: flag("online", 0x0001, true),
  belkin_lowbatt_conversion_fun: flag("lowbatt", 0x0004),
  belkin_depleted_conversion_fun: flag("depleted", 0x0040),
  belkin_replacebatt_conversion_fun: flag("replacebatt", 0x0080),
  // Eaton / MGE (mge-hid.c)
  eaton_abm_enabled_fun: (v, env) => {
    env.scratch.set("mge.abm", Math.trunc(v));
    return null;
  },
  eaton_abm_enabled_legacy_fun: (v, env) => {
    env.scratch.set("mge.abm", Math.trunc(v));
    return null;
  },
  eaton_abm_status_fun: (v, env) => {
    if (abm(env.scratch) === ABM_DISABLED) return null;
    return ({ 1: "charging", 2: "discharging", 3: "floating", 4: "resting", 6: "off" } as Record<
      number,
      string
    >)[
      Math.trunc(v)
    ] ?? null;
  },
  eaton_abm_chrg_dischrg_fun: (v, env) => {
    if (abm(env.scratch) === ABM_DISABLED) return null;
    const n = Math.trunc(v);
    return n === 1 || n === 3 ? "chrg" : n === 2 ? "dischrg" : null;
  },
  eaton_abm_check_dischrg_fun: (v, env) =>
    abm(env.scratch) === ABM_DISABLED ? (v === 1 ? "dischrg" : "!dischrg") : "!dischrg",
  eaton_abm_check_chrg_fun: (v, env) =>
    abm(env.scratch) === ABM_DISABLED ? (v === 1 ? "chrg" : "!chrg") : "!chrg",
  eaton_converter_online_fun: (v, env) =>
    env.status?.has("off") ? null : v === 0 ? "!online" : "online",
  mge_powerfactor_conversion_fun: (v) => fixed(v / 100, 2),
  mge_battery_capacity_fun: (v) => fixed(v / 3600, 2),
  eaton_check_country_fun: (v, env) => {
    env.scratch.set("mge.country", Math.trunc(v));
    return null;
  },
  eaton_compute_realpower_fun: (_v, env) => {
    const load = env.getInfo("ups.load");
    const nominal = env.getInfo("ups.power.nominal");
    if (load === undefined || nominal === undefined) return null;
    const pfText = env.getInfo("output.powerfactor");
    const pf = pfText === undefined ? 0.8 : parseInt(pfText, 10) || 0;
    return fixed(
      Math.round((parseInt(load, 10) || 0) * 0.01 * (parseInt(nominal, 10) || 0) * pf),
      0,
    );
  },
  // openUPS (openups-hid.c)
  openups_charging_fun: truthy("chrg"),
  openups_discharging_fun: truthy("dischrg"),
  openups_online_fun: truthy("online"),
  openups_nobattery_fun: truthy("nobattery"),
  openups_off_fun: truthy("off", true),
  openups_scale_vin_fun: openupsScale("openups.vin", 2),
  openups_scale_vout_fun: openupsScale("openups.vout", 2),
  openups_scale_ccharge_fun: openupsScale("openups.ccharge", 3),
  openups_scale_cdischarge_fun: openupsScale("openups.cdischarge", 3),
  // Delta (delta_ups-hid.c)
  delta_ups_type_fun: (v) => {
    let type = Math.trunc(v) & 0xf;
    if (type === 6) type = 4;
    else if (type > 2 && type <= 5) type -= 2;
    return ["online", "offline", "line-interactive", "3-phase", "split-phase"][type] ?? null;
  },
};
