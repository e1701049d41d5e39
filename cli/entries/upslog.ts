/**
 * upslog's own entry point: `nut upslog` without the `nut` command table, so
 * it bundles into one small file (see cli/bundle.ts). Arguments and
 * behaviour are `nut upslog`'s.
 *
 * @module
 */

import { runUpslog } from "../commands/upslog.ts";
import { runDaemonEntry } from "./_daemon.ts";

if (import.meta.main) {
  await runDaemonEntry("upslog", import.meta.url, runUpslog, { daemon: true });
}
