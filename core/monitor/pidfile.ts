/**
 * upsmon's pid file and signals, with the diagnostics NUT's `sendsignal`
 * prints (`fopen <file>: No such file or directory`, `kill: No such
 * process`, `Ignoring invalid pid number N`).
 *
 * @module
 */

/** Result of reading a pid file: the pid, or NUT's diagnostic. */
export type PidRead =
  | { readonly kind: "pid"; readonly pid: number }
  | { readonly kind: "missing" | "bad"; readonly message: string };

/**
 * Reads a pid file.
 * @param path the pid file
 * @returns the pid or why not
 */
export function readPidFile(path: string): PidRead {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      return { kind: "missing", message: `fopen ${path}: No such file or directory` };
    }
    throw e;
  }
  const n = Number.parseInt(text.trim(), 10);
  if (!(n > 0)) {
    return { kind: "bad", message: `Ignoring invalid pid number ${Number.isNaN(n) ? 0 : n}` };
  }
  return { kind: "pid", pid: n };
}

/**
 * Sends a signal (0 = only test that the process exists).
 * @param pid target
 * @param sig signal, or 0
 * @returns undefined when delivered, else NUT's diagnostic
 */
export function signalPid(pid: number, sig: Deno.Signal | 0): string | undefined {
  try {
    // Signal 0 is not exposed by Deno; /proc tells whether the pid exists.
    if (sig === 0) Deno.statSync(`/proc/${pid}`);
    else Deno.kill(pid, sig);
    return undefined;
  } catch (e) {
    if (
      e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied ||
      e instanceof TypeError
    ) return "kill: No such process";
    throw e;
  }
}

/**
 * Writes our pid.
 * @param path the pid file
 */
export function writePidFile(path: string): void {
  Deno.writeTextFileSync(path, `${Deno.pid}\n`);
}
