/**
 * The honest placeholder for a subcommand that does not exist yet: it says
 * so and exits non-zero (never a silent stub).
 *
 * @module
 */

import type { CliIo } from "./io.ts";

/** Exit code for a subcommand that is not built yet (EX_SOFTWARE). */
export const NOT_BUILT_EXIT = 70;

/**
 * Reports that `sub` is not built yet.
 * @param sub subcommand name
 * @param io process I/O
 * @returns the exit code
 */
export function notBuilt(sub: string, io: CliIo): Promise<number> {
  io.stderr(`nut ${sub}: not built yet in this version of nut\n`);
  return Promise.resolve(NOT_BUILT_EXIT);
}
