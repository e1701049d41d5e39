/**
 * The one file of core/monitor that touches the operating system: running
 * `wall`, NOTIFYCMD and SHUTDOWNCMD through `/bin/sh`, and the POWERDOWNFLAG
 * and pid files. Everything else in the monitor takes these injected.
 *
 * @module
 */

import type { Logger } from "../runtime/logger.ts";
import type { NotifySinks } from "./notify.ts";

/** NUT's POWERDOWNFLAG content (no newline). */
export const SDMAGIC = "upsmon-shutdown-file";

/**
 * Notification sinks over real processes. Runs start in event order, each
 * after the previous one finished (or 500 ms passed), so NOTIFYCMD sees
 * events in the order they happened; none of them blocks the monitor.
 * @param onError receives spawn failures
 * @returns the sinks and `idle(maxMs)`: resolves when all runs finished, or after maxMs
 */
export function processSinks(
  onError: (message: string) => void,
): NotifySinks & { idle(maxMs: number): Promise<void> } {
  let chain: Promise<unknown> = Promise.resolve();
  let running = 0;
  const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  // Each run starts after the previous one ended — or after 500 ms at most,
  // so a hung NOTIFYCMD never holds back later notifications (NUT forks them all).
  const queue = (fn: () => Promise<unknown>) => {
    const prev = chain;
    chain = Promise.race([prev, pause(500)]).then(async () => {
      running++;
      try {
        await fn();
      } catch (e) {
        onError(String(e));
      } finally {
        running--;
      }
    });
  };
  return {
    wall(text) {
      queue(async () => {
        const child = new Deno.Command("wall", {
          stdin: "piped",
          stdout: "null",
          stderr: "null",
        }).spawn();
        const w = child.stdin.getWriter();
        await w.write(new TextEncoder().encode(text)).catch(() => undefined);
        await w.close().catch(() => undefined);
        await child.status;
      });
    },
    exec(command, env) {
      queue(() =>
        new Deno.Command("/bin/sh", {
          args: ["-c", command],
          env: { ...env },
          stdin: "null",
          stdout: "inherit",
          stderr: "inherit",
        }).spawn().status
      );
    },
    async idle(maxMs) {
      const end = Date.now() + maxMs;
      await Promise.race([chain, pause(maxMs)]);
      for (let i = 0; i < 1000 && running > 0 && Date.now() < end; i++) await pause(10);
    },
  };
}

/**
 * Runs a shell command to completion (`system()`).
 * @param command the command line
 * @returns the exit code (128+n when killed by a signal)
 */
export async function runShell(command: string): Promise<number> {
  const st = await new Deno.Command("/bin/sh", {
    args: ["-c", command],
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn().status;
  return st.signal ? 128 : st.code;
}

/**
 * Writes POWERDOWNFLAG with NUT's magic text.
 * @param path POWERDOWNFLAG
 */
export function writePowerDownFlag(path: string): void {
  Deno.writeTextFileSync(path, SDMAGIC);
}

/**
 * What POWERDOWNFLAG holds: absent, ours (starts with the magic), or foreign.
 * @param path POWERDOWNFLAG
 * @returns the status
 */
export function powerDownFlagStatus(path: string): "absent" | "ours" | "foreign" {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return "absent";
    throw e;
  }
  return text.startsWith(SDMAGIC) ? "ours" : "foreign";
}

/**
 * Removes a file, ignoring a missing one.
 * @param path the file
 */
export function removeFile(path: string): void {
  try {
    Deno.removeSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/**
 * Whether this process runs as root.
 * @returns true for uid 0
 */
export function isRoot(): boolean {
  return Deno.uid() === 0;
}

/**
 * `upsmon -K`: whether the shutdown in progress is ours (POWERDOWNFLAG
 * exists and begins with NUT's magic), with NUT's log lines.
 * @param path POWERDOWNFLAG (undefined when not configured)
 * @param log where the verdict is logged
 * @returns the exit status: 0 when set, 1 otherwise
 */
export function checkKillPower(path: string | undefined, log: Logger): number {
  const st = path === undefined ? "absent" : powerDownFlagStatus(path);
  if (st === "foreign") {
    log.error(`POWERDOWNFLAG (${path}) does not contain the upsmon magic string`);
    return 1;
  }
  if (st === "absent") {
    log.error("Power down flag is not set");
    return 1;
  }
  log.info("Power down flag is set");
  return 0;
}

/**
 * A log sink for a backgrounded upsmon: each line goes to syslog through
 * logger(1), tagged `upsmon`.
 * @returns the line writer
 */
export function syslogWriter(): (line: string) => void {
  // Backgrounded: log through logger(1) to syslog, as NUT does.
  return (line) => {
    try {
      new Deno.Command("logger", {
        args: ["-t", "upsmon", line.replace(/\n$/, "")],
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).spawn();
    } catch (e) {
      // No logger(1) on this host: a detached daemon has nowhere else to write.
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  };
}
