/**
 * `nut dummy` (also `nut dummy-ups`, or `dummy-ups` by program name): NUT's
 * dummy-ups driver with NUT's driver command line, run by the driver
 * framework. Replays `.dev`/`.seq` files or repeats another upsd.
 *
 * @module
 */

import { selfArgv } from "../self.ts";
import type { CliIo } from "../io.ts";
import { runDriver } from "../../drivers/framework/runner.ts";
import { dummyUps } from "../../drivers/dummy/dummy.ts";

/** One line for `nut help`. */
export const summary = "replay device dumps, or repeat another upsd (NUT's dummy-ups driver)";

/**
 * Runs the driver.
 * @param args driver arguments (`-a ups`, `-x port=…`, …)
 * @param io process I/O
 * @returns the exit code
 */
export function run(args: string[], io: CliIo): Promise<number> {
  return runDriver(dummyUps, args, io, {
    relaunch: selfArgv("dummy-ups", [], { daemon: true }),
  });
}
