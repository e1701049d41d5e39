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
  return runDummyUps(args, io, "dummy-ups", () => selfArgv("dummy-ups", [], { daemon: true }));
}

/**
 * Runs the driver, going to the background with a given command line.
 * @param args driver arguments
 * @param io process I/O
 * @param _prog program name (the driver names itself)
 * @param relaunch the command line that runs this program again (going to the background)
 * @returns the exit code
 */
export function runDummyUps(
  args: string[],
  io: CliIo,
  _prog: string,
  relaunch: () => string[],
): Promise<number> {
  return runDriver(dummyUps, args, io, { relaunch: relaunch() });
}
