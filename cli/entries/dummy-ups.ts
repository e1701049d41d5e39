/**
 * dummy-ups' own entry point: `nut dummy-ups` without the `nut` command
 * table, so it bundles into one small file (see cli/bundle.ts).
 *
 * @module
 */

import { runDriver } from "../../drivers/framework/runner.ts";
import { dummyUps } from "../../drivers/dummy/dummy.ts";
import { runDaemonEntry } from "./_daemon.ts";

if (import.meta.main) {
  await runDaemonEntry(
    "dummy-ups",
    import.meta.url,
    (args, io, _prog, relaunch) => runDriver(dummyUps, args, io, { relaunch: relaunch() }),
    { daemon: true },
  );
}
