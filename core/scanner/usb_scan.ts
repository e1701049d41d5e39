/**
 * nut-scanner's USB logic, pure: match enumerated devices against NUT's
 * known USB IDs (and, beyond NUT 2.8.0, any HID Power Device by its report
 * descriptor's usage page), then format NUT 2.8.0's ups.conf (`-N`) and
 * parsable (`-P`) outputs. Devices come from an injected source, so tests
 * feed recordings instead of a bus.
 *
 * @module
 */

import { USB_DEVICE_TABLE } from "./usb_ids.ts";

/** A USB device as the scanner sees it. */
export interface ScannedUsbDevice {
  /** USB vendor ID. */
  readonly vendorId: number;
  /** USB product ID. */
  readonly productId: number;
  /** iManufacturer string (trailing blanks trimmed by the source). */
  readonly vendor?: string;
  /** iProduct string. */
  readonly product?: string;
  /** iSerialNumber string. */
  readonly serial?: string;
  /** Bus number text (`"001"`). */
  readonly bus: string;
  /** First usage page of the HID report descriptor (0x84/0x85 = Power Device), if read. */
  readonly hidUsagePage?: number;
}

/** One found device, NUT's nutscan_device_t. */
export interface ScanResult {
  /** Bus type (`USB`). */
  readonly type: "USB";
  /** Driver name. */
  readonly driver: string;
  /** Port value. */
  readonly port: string;
  /** Options in output order; undefined value = bare flag. */
  readonly options: readonly (readonly [string, string | undefined])[];
}

/**
 * The driver NUT's table gives a VID:PID.
 * @param vendorId VID
 * @param productId PID
 * @returns the driver, or undefined
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { driverForUsbId } from "./usb_scan.ts";
 * assert.equal(driverForUsbId(0x051d, 0x0002), "usbhid-ups");
 * assert.equal(driverForUsbId(0x1234, 0x5678), undefined);
 * ```
 */
export function driverForUsbId(vendorId: number, productId: number): string | undefined {
  return USB_DEVICE_TABLE.find(([v, p]) => v === vendorId && p === productId)?.[2];
}

/**
 * Whether a device should have its report descriptor read (HID, not in the table).
 * @param vendorId VID
 * @param productId PID
 * @returns true when only the usage page can tell
 */
export function needsUsageProbe(vendorId: number, productId: number): boolean {
  return driverForUsbId(vendorId, productId) === undefined;
}

const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, "0");

/**
 * Turns enumerated devices into scan results, in bus order.
 * @param devices the devices
 * @returns one result per supported device
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scanUsb } from "./usb_scan.ts";
 * const [r] = scanUsb([{ vendorId: 0x051d, productId: 2, bus: "001", product: "Back-UPS" }]);
 * assert.equal(r?.driver, "usbhid-ups");
 * ```
 */
export function scanUsb(devices: readonly ScannedUsbDevice[]): ScanResult[] {
  const out: ScanResult[] = [];
  for (const d of devices) {
    let driver = driverForUsbId(d.vendorId, d.productId);
    if (!driver && (d.hidUsagePage === 0x84 || d.hidUsagePage === 0x85)) driver = "usbhid-ups";
    if (!driver) continue;
    const options: [string, string | undefined][] = [
      ["vendorid", hex4(d.vendorId)],
      ["productid", hex4(d.productId)],
    ];
    if (d.product !== undefined) options.push(["product", d.product]);
    if (d.serial !== undefined) options.push(["serial", d.serial]);
    if (d.vendor !== undefined) options.push(["vendor", d.vendor]);
    options.push(["bus", d.bus]);
    out.push({ type: "USB", driver, port: "auto", options });
  }
  return out;
}

/**
 * NUT 2.8.0's ups.conf output (`-N`): `[nutdevN]`, TAB-indented, values quoted as is.
 * @param results the devices
 * @param first number of the first section (the counter is shared by all buses)
 * @returns the text
 */
export function formatUpsConf(results: readonly ScanResult[], first = 1): string {
  let text = "";
  results.forEach((r, i) => {
    text += `[nutdev${first + i}]\n\tdriver = "${r.driver}"\n\tport = "${r.port}"\n`;
    for (const [k, v] of r.options) text += v === undefined ? `\t${k}\n` : `\t${k} = "${v}"\n`;
  });
  return text;
}

/**
 * NUT's parsable output (`-P`): `USB:driver="…",port="…",opt="v",…`.
 * @param results the devices
 * @returns the text
 */
export function formatParsable(results: readonly ScanResult[]): string {
  return results.map((r) =>
    `${r.type}:driver="${r.driver}",port="${r.port}"` +
    r.options.map(([k, v]) => (v === undefined ? `,${k}` : `,${k}="${v}"`)).join("") + "\n"
  ).join("");
}

const opt = (r: ScanResult, k: string) => r.options.find(([n]) => n === k)?.[1];

/**
 * Comment lines for devices a driver cannot tell apart (same driver and IDs, no
 * or equal serial) — each such section needs `bus`/`busport` to pin it.
 * @param results the devices
 * @param first number of the first section
 * @returns `# …` lines (empty when every device is distinct)
 */
export function ambiguityComments(results: readonly ScanResult[], first = 1): string {
  const groups = new Map<string, number[]>();
  results.forEach((r, i) => {
    const key = [r.driver, opt(r, "vendorid"), opt(r, "productid"), opt(r, "serial") ?? ""].join(
      "\0",
    );
    groups.set(key, [...(groups.get(key) ?? []), first + i]);
  });
  let text = "";
  for (const [key, nums] of groups) {
    if (nums.length < 2) continue;
    const serial = key.split("\0")[3];
    const names = nums.map((n) => `nutdev${n}`).join(", ");
    text += `# NOTE: ${names} cannot be told apart (same vendorid/productid, ${
      serial ? `same serial "${serial}"` : "no serial"
    }):\n# keep "bus" and add "busport" (or "device") to each of these sections to pin it to its USB port\n`;
  }
  return text;
}
