/**
 * `nut scanner` (also `nut-scanner`): NUT 2.8.0's device discovery. The USB
 * bus is built (`-U`, and `-C` scans USB); results print as ups.conf
 * sections (`-N`, default) or parsable lines (`-P`). The device source is
 * injectable ({@linkcode runScanner}) so tests feed recordings.
 *
 * @module
 */

import type { CliIo } from "../io.ts";
import { getopt } from "../getopt.ts";
import { NUT_VERSION } from "../../core/version.ts";
import {
  ambiguityComments,
  formatParsable,
  formatUpsConf,
  needsUsageProbe,
  type ScannedUsbDevice,
  scanUsb,
} from "../../core/scanner/usb_scan.ts";
import { readIdentity, type UsbPort } from "../../drivers/usbhid/port.ts";
import { decodeItems } from "../../drivers/usbhid/report_descriptor.ts";

/** One line for `nut help`. */
export const summary = "find devices and print ups.conf sections (NUT's nut-scanner)";

const OPTSTRING = "?ht:T:s:e:E:c:l:u:W:X:w:x:p:b:B:d:L:CUSMOAm:NPqIVaD";

/** Where USB devices come from; undefined = no USB bus at all. */
export type UsbSource = () => Promise<ScannedUsbDevice[]>;

const USAGE = `nut-scanner : utility for detection of available power devices.

OPTIONS:
  -C, --complete_scan: Scan all available devices except serial ports (default).
  -U, --usb_scan: Scan USB devices.
* Options for SNMP devices scan not enabled: library not detected.
* Options for XML/HTTP devices scan not enabled: library not detected.
  -O, --oldnut_scan: Scan NUT devices (old method).
  -A, --avahi_scan: Scan NUT devices (avahi method).
* Options for IPMI devices scan not enabled: library not detected.
  -E, --eaton_serial <serial ports list>: Scan serial Eaton devices (XCP, SHUT and Q1).
  -T, --thread <max number of threads>: Limit the amount of scanning threads running simultaneously (default: 512).

Network specific options:
  -t, --timeout <timeout in seconds>: network operation timeout (default 5).
  -s, --start_ip <IP address>: First IP address to scan.
  -e, --end_ip <IP address>: Last IP address to scan.
  -m, --mask_cidr <IP address/mask>: Give a range of IP using CIDR notation.

NUT specific options:
  -p, --port <port number>: Port number of remote NUT upsd

display specific options:
  -N, --disp_nut_conf: Display result in the ups.conf format
  -P, --disp_parsable: Display result in a parsable format

Miscellaneous options:
  -V, --version: Display NUT version
  -a, --available: Display available bus that can be scanned
  -q, --quiet: Display only scan result. No information on currently scanned bus is displayed.
  -D, --nut_debug_level: Raise the debugging level.  Use this multiple times to see more details.
`;

const LONG: Record<string, string> = {
  "--complete_scan": "-C",
  "--usb_scan": "-U",
  "--disp_nut_conf": "-N",
  "--disp_parsable": "-P",
  "--quiet": "-q",
  "--version": "-V",
  "--available": "-a",
  "--nut_debug_level": "-D",
  "--help": "-h",
};

/**
 * Enumerates a USB bus for the scanner: IDs and identity strings of every
 * device NUT's table knows, plus HID devices whose report descriptor starts
 * with the Power Device or Battery System usage page.
 * @param bus the bus (real or replayed)
 * @returns the devices (trailing blanks trimmed, as nut-scanner does)
 */
export async function usbSourceFrom(bus: UsbPort): Promise<ScannedUsbDevice[]> {
  const out: ScannedUsbDevice[] = [];
  for (const c of await bus.list()) {
    const probe = needsUsageProbe(c.info.vendorId, c.info.productId);
    if (probe && !c.info.isHid) continue;
    const h = await c.open();
    try {
      const ids = await readIdentity(h);
      const trim = (s?: string) => s?.replace(/ +$/, "");
      let hidUsagePage: number | undefined;
      if (probe) {
        hidUsagePage = decodeItems(await h.reportDescriptor()).find((i) => i.name === "Usage Page")
          ?.value;
      }
      out.push({
        vendorId: c.info.vendorId,
        productId: c.info.productId,
        vendor: trim(ids.vendor),
        product: trim(ids.product),
        serial: trim(ids.serial),
        bus: c.info.bus,
        hidUsagePage,
      });
    } finally {
      await h.close();
    }
  }
  return out;
}

/**
 * The real USB bus as a device source (npm:usb, loaded only here).
 * @returns the devices
 */
export async function realUsbSource(): Promise<ScannedUsbDevice[]> {
  const { openUsbBus } = await import("../../drivers/usbhid/usb_port.ts");
  const bus = await openUsbBus();
  try {
    return await usbSourceFrom(bus);
  } finally {
    await bus.close();
  }
}

/**
 * Runs nut-scanner with a given USB source.
 * @param args arguments
 * @param io process I/O
 * @param usb the device source
 * @returns the exit code
 */
export async function runScanner(args: string[], io: CliIo, usb: UsbSource): Promise<number> {
  const mapped = args.map((a) => LONG[a] ?? a);
  const { opts, errors } = getopt("nut-scanner", mapped, OPTSTRING);
  let usbScan = false;
  let all = false;
  let quiet = false;
  let parsable = false;
  const other: string[] = [];
  for (const e of errors) io.stderr(`${e}\n`);
  for (const { opt } of opts) {
    switch (opt) {
      case "U":
        usbScan = true;
        break;
      case "C":
        all = true;
        break;
      case "N":
        parsable = false;
        break;
      case "P":
        parsable = true;
        break;
      case "q":
        quiet = true;
        break;
      case "V":
        io.stdout(`Network UPS Tools - ${NUT_VERSION}\n`);
        return 0;
      case "a":
        io.stdout("OLDNUT\nUSB\nAVAHI\nEATON_SERIAL\n");
        return 0;
      case "h":
        io.stdout(USAGE);
        return 0;
      case "?":
        io.stdout(USAGE);
        io.stderr(
          "\n\nWARNING: Some error has occurred while processing 'nut-scanner' command-line\n" +
            "arguments, see more details above the usage help text.\n\n",
        );
        return 255;
      case "S":
      case "M":
      case "I":
        io.stdout(USAGE);
        return 0;
      case "O":
      case "A":
      case "E":
        other.push(opt);
        break;
    }
  }
  if (other.length > 0) {
    io.stderr(
      `nut scanner: scanning with -${other.join(" -")} is not built yet in this version of nut\n`,
    );
    return 70;
  }
  if (!usbScan && !all) all = true;
  if (!quiet) io.stderr("Scanning USB bus.\n");
  let devices: ScannedUsbDevice[];
  try {
    devices = await usb();
  } catch (e) {
    io.stderr(`Failed to init libusb 1.0: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  if (devices.length === 0) {
    io.stderr("No USB device found: Resource temporarily unavailable\n");
    return 1;
  }
  const results = scanUsb(devices);
  if (parsable) io.stdout(formatParsable(results));
  else io.stdout(formatUpsConf(results) + ambiguityComments(results));
  return 0;
}

/**
 * Runs nut-scanner on the real bus.
 * @param args arguments
 * @param io process I/O
 * @returns the exit code
 */
export function run(args: string[], io: CliIo): Promise<number> {
  return runScanner(args, io, realUsbSource);
}
