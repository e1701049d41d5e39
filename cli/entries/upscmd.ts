/**
 * `upscmd`'s own entry point: `nut upscmd` without the `nut` command table, so it
 * bundles into one small file that starts faster (see cli/bundle.ts).
 *
 * @module
 */

import { runAsProcess } from "../exit.ts";
import { run } from "../commands/upscmd.ts";

if (import.meta.main) await runAsProcess((io) => run(Deno.args, io, "upscmd"));
