/**
 * How an entry point ends the process: run the command, print an unexpected
 * error as `nut: <error>` (its stack with `-D`), exit with the command's code.
 *
 * @module
 */

import { type CliIo, denoIo } from "./io.ts";

/**
 * Runs a command as the process and exits with its code.
 * @param command the command, given the process I/O
 * @returns never: the process exits
 */
export async function runAsProcess(command: (io: CliIo) => Promise<number>): Promise<never> {
  const io = denoIo();
  let code: number;
  try {
    code = await command(io);
  } catch (e) {
    const debug = Deno.args.some((a) => /^-D+$/.test(a));
    io.stderr(`nut: ${debug && e instanceof Error ? e.stack : String(e)}\n`);
    code = 1;
  }
  Deno.exit(code);
}
