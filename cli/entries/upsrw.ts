/**
 * `upsrw`'s own entry point: `nut upsrw` without the `nut` command table, so it
 * bundles into one small file that starts faster (see cli/bundle.ts).
 *
 * @module
 */

import { runAsProcess } from "../exit.ts";
import { run } from "../commands/upsrw.ts";

if (import.meta.main) await runAsProcess((io) => run(Deno.args, io, "upsrw"));
