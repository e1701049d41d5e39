/**
 * upsmon's own entry point: `nut upsmon` without the `nut` command table, so
 * it bundles into one small file (see cli/bundle.ts). Arguments and
 * behaviour are `nut upsmon`'s; it collects its start-up garbage once
 * (cli/settle.ts).
 *
 * @module
 */

import { runUpsmon } from "../commands/upsmon.ts";
import { runDaemonEntry } from "./_daemon.ts";

if (import.meta.main) await runDaemonEntry("upsmon", import.meta.url, runUpsmon, { daemon: true });
