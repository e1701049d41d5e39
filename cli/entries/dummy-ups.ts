/**
 * dummy-ups' own entry point: `nut dummy-ups` without the `nut` command
 * table, so it bundles into one small file (see cli/bundle.ts).
 *
 * @module
 */

import { runDummyUps } from "../commands/dummy.ts";
import { runDaemonEntry } from "./_daemon.ts";

if (import.meta.main) {
  await runDaemonEntry("dummy-ups", import.meta.url, runDummyUps, { daemon: true });
}
