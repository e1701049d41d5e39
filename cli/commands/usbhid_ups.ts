/**
 * `nut usbhid-ups` (also `usbhid-ups` by program name): the USB HID Power
 * Device driver with NUT's driver command line, run by the driver
 * framework. `port = replay:FILE.json` replays a recording; any other port
 * uses the real USB bus (npm:usb, loaded only then).
 *
 * @module
 */

import { selfArgv } from "../self.ts";
import type { CliIo } from "../io.ts";
import { runDriver } from "../../drivers/framework/runner.ts";
import { usbhidUps } from "../../drivers/usbhid/usbhid.ts";

/** One line for `nut help`. */
export const summary = "USB HID Power Device driver (NUT's usbhid-ups)";

/**
 * Runs the driver.
 * @param args driver arguments (`-a ups`, `-x port=…`, …)
 * @param io process I/O
 * @returns the exit code
 */
export function run(args: string[], io: CliIo): Promise<number> {
  return runDriver(usbhidUps, args, io, {
    relaunch: selfArgv("usbhid-ups", [], { daemon: true }),
  });
}
