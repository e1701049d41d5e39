/**
 * What a bundled daemon's entry point does: collect its start-up garbage
 * once (cli/settle.ts), and go to the background by running the same file
 * again — the bundle when it runs as one, else the checkout's `nut <program>`.
 *
 * @module
 */

import type { CliIo } from "../io.ts";
import { runAsProcess } from "../exit.ts";
import { bundleArgv, BUNDLED } from "../bundle.ts";
import { selfArgv, type SelfOptions } from "../self.ts";
import { settleOnce } from "../settle.ts";

/** A daemon's run function that takes its relaunch command line. */
export type DaemonRun = (
  args: string[],
  io: CliIo,
  prog: string,
  relaunch: () => string[],
) => Promise<number>;

/**
 * Runs a daemon as the process.
 * @param program its NUT program name (a key of {@linkcode BUNDLED})
 * @param entryUrl the entry module's `import.meta.url`
 * @param run the daemon
 * @param checkout how the checkout runs it (selfArgv options)
 * @returns never: the process exits
 */
export function runDaemonEntry(
  program: string,
  entryUrl: string,
  run: DaemonRun,
  checkout: SelfOptions,
): Promise<never> {
  settleOnce();
  const self = new URL(entryUrl).pathname;
  const relaunch = () =>
    self.endsWith(".js") ? bundleArgv(self, BUNDLED[program]!) : selfArgv(program, [], checkout);
  return runAsProcess((io) => run(Deno.args, io, program, relaunch));
}
