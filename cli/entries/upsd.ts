/**
 * upsd's own entry point: `nut upsd` without the `nut` command table, so it
 * bundles into one small file (see cli/bundle.ts). Arguments and behaviour
 * are `nut upsd`'s.
 *
 * Run with `--v8-flags=--expose-gc` (the bundle's command line has it), it
 * collects the start-up garbage once, {@linkcode SETTLE_MS} after starting:
 * V8 keeps the young generation it grew while reading the configuration and
 * the first dumps, which an idle daemon never needs again.
 *
 * @module
 */

import { runAsProcess } from "../exit.ts";
import { runUpsd } from "../commands/upsd.ts";
import { bundleArgv, BUNDLED } from "../bundle.ts";
import { selfArgv, UPSD_V8_FLAGS } from "../self.ts";

/** When the one start-up collection runs (ms after start). */
export const SETTLE_MS = 2000;

type Gc = (options: { type: "major"; execution: "sync"; flavor: "last-resort" }) => void;

if (import.meta.main) {
  const gc = (globalThis as { gc?: Gc }).gc;
  if (gc) {
    Deno.unrefTimer(
      setTimeout(() => gc({ type: "major", execution: "sync", flavor: "last-resort" }), SETTLE_MS),
    );
  }
  const self = new URL(import.meta.url).pathname;
  // bundled (a .js file): run that same file again; else the checkout's `nut upsd`
  const relaunch = () =>
    self.endsWith(".js")
      ? bundleArgv(self, BUNDLED.upsd!)
      : selfArgv("upsd", [], { daemon: true, v8: UPSD_V8_FLAGS });
  await runAsProcess((io) => runUpsd(Deno.args, io, "upsd", relaunch));
}
