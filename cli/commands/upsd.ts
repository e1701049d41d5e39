/**
 * `nut upsd` — not built yet.
 *
 * @module
 */

import type { CliIo } from "../io.ts";
import { notBuilt } from "../not_built.ts";

/** One line for `nut help`. */
export const summary = "not built yet";

/**
 * Says plainly that this subcommand is not built yet.
 * @param _args arguments
 * @param io process I/O
 * @returns a non-zero exit code
 */
export function run(_args: string[], io: CliIo): Promise<number> {
  return notBuilt("upsd", io);
}
