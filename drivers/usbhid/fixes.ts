/**
 * Per-vendor corrections NUT applies (known firmware bugs): report
 * descriptor fixes (APC Back-UPS 051d:0002 voltage ranges, CyberPower
 * 0764:0501 output/input voltage LogMax), per-device scale hooks, and the
 * subdrivers' mfr/model/serial formatting (APC splits `FW:`/`USB FW:` out
 * of the product string).
 *
 * @module
 */

import type { HidItem, ReportDescriptor } from "./report_descriptor.ts";
import type { SubdriverTable } from "./subdrivers/types.ts";

const HIGH_VOLTAGE_TRANSFER = 0x00840054;
const VOLTAGE = 0x00840030;
const CONFIG_VOLTAGE = 0x00840040;

function findIdNode(items: HidItem[], reportId: number, node: number): number {
  return items.findIndex((i) => i.reportId === reportId && i.path[i.path.length - 1] === node);
}

/**
 * Applies the subdriver's report-descriptor fix.
 * @param sub the subdriver
 * @param vendorId VID
 * @param productId PID
 * @param desc the parsed descriptor
 * @returns the (possibly) corrected descriptor and whether it changed
 */
export function fixReportDescriptor(
  sub: SubdriverTable,
  vendorId: number,
  productId: number,
  desc: ReportDescriptor,
): { desc: ReportDescriptor; fixed: boolean } {
  const items = [...desc.items];
  let fixed = false;
  if (sub.name.startsWith("APC") && vendorId === 0x051d && productId === 0x0002) {
    const hvt = findIdNode(items, 0x33, HIGH_VOLTAGE_TRANSFER);
    if (hvt >= 0) {
      const hvtMax = items[hvt]!.logMax;
      const v = findIdNode(items, 0x31, VOLTAGE);
      if (v >= 0 && hvtMax > items[v]!.logMax) {
        items[v] = { ...items[v]!, logMin: 0, logMax: hvtMax * 2 };
        fixed = true;
      }
      const cv = findIdNode(items, 0x30, CONFIG_VOLTAGE);
      if (cv >= 0 && hvtMax > items[cv]!.logMax) {
        items[cv] = { ...items[cv]!, logMax: 255 };
        fixed = true;
      }
    }
  }
  if (sub.name.startsWith("CyberPower") && vendorId === 0x0764 && productId === 0x0501) {
    const hvt = findIdNode(items, 16, HIGH_VOLTAGE_TRANSFER);
    const out = findIdNode(items, 18, VOLTAGE);
    if (hvt >= 0 && out >= 0) {
      const h = items[hvt]!;
      const o = items[out]!;
      if (h.logMin === o.logMin && h.logMax === o.logMax) {
        items[out] = { ...o, logMin: 0, logMax: 511 };
        fixed = true;
      }
    }
  }
  return { desc: fixed ? { ...desc, items } : desc, fixed };
}

/**
 * Runs a subdriver's per-device hook (scales) into the converter scratch.
 * @param hook NUT's hook name from the device table
 * @param scratch converter scratch
 * @param productId the device's product ID (some hooks depend on it)
 */
export function runDeviceHook(
  hook: string | null,
  scratch: Map<string, number>,
  productId = 0,
): void {
  switch (hook) {
    case "get_voltage_multiplier": {
      const s = productId === 0xd004
        ? [0.03545 * 100, 0.02571 * 100, 0.8274 / 10, 16.113 / 10]
        : productId === 0xd005
        ? [0.1, 0.1, 0.1, 0.1]
        : [1, 1, 1, 1];
      ["openups.vin", "openups.vout", "openups.ccharge", "openups.cdischarge"].forEach((k, i) =>
        scratch.set(k, s[i]!)
      );
      break;
    }
    case "cps_battery_scale":
      scratch.set("cps.might_scale", 1);
      break;
    case "battery_scale_0dot1":
      scratch.set("battery_scale", 0.1);
      break;
    case "battery_scale_1dot0":
      scratch.set("battery_scale", 1);
      break;
    case "smart1500lcdt_scale":
      scratch.set("battery_scale", 1);
      scratch.set("io_voltage_scale", 1);
      scratch.set("io_frequency_scale", 0.1);
      break;
  }
}

/**
 * The subdriver's ups.mfr / ups.model / ups.serial (and APC firmware fields).
 * @param sub the subdriver
 * @param ids the USB strings
 * @returns the values to publish (undefined = delete)
 */
export function formatIdentity(
  sub: SubdriverTable,
  ids: { vendor?: string; product?: string; serial?: string },
): { mfr?: string; model?: string; serial?: string; extra: [string, string][] } {
  const extra: [string, string][] = [];
  if (sub.name.startsWith("APC")) {
    let model = ids.product ?? "unknown";
    const fw = model.indexOf("FW:");
    if (fw >= 0) {
      let fwText = model.slice(fw + 3);
      model = model.slice(0, Math.max(0, fw - 1));
      const usb = fwText.indexOf("USB FW:");
      if (usb >= 0) {
        extra.push(["ups.firmware.aux", fwText.slice(usb + 7)]);
        fwText = fwText.slice(0, Math.max(0, usb - 1));
      }
      extra.unshift(["ups.firmware", fwText]);
    }
    return { mfr: ids.vendor ?? "APC", model, serial: ids.serial, extra };
  }
  const fallback = DEFAULT_MFR.find(([prefix]) => sub.name.startsWith(prefix))?.[1];
  if (sub.name.startsWith("Belkin")) {
    const mfr = (ids.vendor ?? "Belkin").replace(/^ +/, "") || "Belkin";
    return { mfr, model: ids.product ? ids.product : "unknown", serial: ids.serial, extra };
  }
  return { mfr: ids.vendor ?? fallback, model: ids.product, serial: ids.serial, extra };
}

/** The manufacturer each subdriver reports when the device has no iManufacturer string. */
const DEFAULT_MFR: readonly (readonly [string, string])[] = [
  ["CyberPower", "CPS"],
  ["MGE", "Eaton"],
  ["PowerCOM", "PowerCOM"],
  ["Phoenixtec/Liebert", "Liebert"],
  ["Delta", "Delta"],
  ["Salicru", "Salicru"],
  ["openUPS", "openUPS"],
  ["Ever", "Ever"],
];
