/**
 * upsd's own entry point: `nut upsd` without the `nut` command table, so it
 * bundles into one small file (see cli/bundle.ts). Arguments and behaviour
 * are `nut upsd`'s; it collects its start-up garbage once (cli/settle.ts).
 *
 * @module
 */

import { runUpsd } from "../commands/upsd.ts";
import { runDaemonEntry } from "./_daemon.ts";

if (import.meta.main) {
  await runDaemonEntry("upsd", import.meta.url, runUpsd, { daemon: true });
}
