/**
 * The process side of upsdrvctl: running a driver and waiting for it to
 * background (bounded by maxstartdelay), reading pid files, signalling, and
 * asking a driver over its socket (`PING`, `GETPID`, `DUMPSTATUS`). This is
 * the only file of `core/drvctl` that touches `Deno.*`.
 *
 * @module
 */

import type { Clock } from "../runtime/clock.ts";

/** How a started driver ended (or did not, in time). */
export type LaunchResult =
  | { readonly kind: "exited"; readonly code: number }
  | { readonly kind: "signaled"; readonly signal: string }
  | { readonly kind: "timeout" }
  | { readonly kind: "not-waited" }
  | { readonly kind: "spawn-error"; readonly message: string };

/**
 * Runs a driver with inherited stdio and waits for it to exit (the driver
 * backgrounds itself). After `maxStartDelay` seconds it stops waiting and
 * leaves the driver running, as NUT does.
 * @param argv program and arguments
 * @param maxStartDelay seconds; negative = wait forever
 * @param clock clock for the timeout
 * @param wait false for `nowait`
 * @returns the outcome
 */
export async function launchAndWait(
  argv: readonly string[],
  maxStartDelay: number,
  clock: Clock,
  wait = true,
): Promise<LaunchResult> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(argv[0]!, {
      args: argv.slice(1),
      stdin: "null",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied) {
      return { kind: "spawn-error", message: e.message };
    }
    throw e;
  }
  if (!wait) {
    child.unref();
    return { kind: "not-waited" };
  }
  const timer = new AbortController();
  const status = child.status.then((s) => s);
  const race: Promise<Deno.CommandStatus | "timeout">[] = [status];
  if (maxStartDelay >= 0) {
    race.push(
      clock.sleep(maxStartDelay * 1000, timer.signal).then(
        () => "timeout" as const,
        () => "timeout",
      ),
    );
  }
  const r = await Promise.race(race);
  timer.abort();
  if (r === "timeout") {
    child.unref();
    return { kind: "timeout" };
  }
  if (r.signal !== null) return { kind: "signaled", signal: r.signal };
  return { kind: "exited", code: r.code };
}

/**
 * Whether a file exists (NUT's `stat()` checks).
 * @param path the path
 * @returns true when it exists
 */
export function fileExists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return false;
    throw e;
  }
}

/**
 * Reads a pid file.
 * @param path pid file
 * @returns the pid, or an error text (`No such file or directory`, …)
 */
export function readPidFile(path: string): { pid: number } | { error: string } {
  try {
    const pid = Number.parseInt(Deno.readTextFileSync(path).trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? { pid } : { error: "Invalid argument" };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { error: "No such file or directory" };
    if (e instanceof Deno.errors.PermissionDenied) return { error: "Permission denied" };
    throw e;
  }
}

/**
 * Sends a signal.
 * @param pid target
 * @param signal signal name
 * @returns undefined on success, else the error text
 */
export function signalPid(pid: number, signal: Deno.Signal): string | undefined {
  try {
    Deno.kill(pid, signal);
    return undefined;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return "No such process";
    if (e instanceof Deno.errors.PermissionDenied) return "Operation not permitted";
    if (e instanceof TypeError) return e.message;
    throw e;
  }
}

/**
 * Whether a process is alive (Linux: `/proc/<pid>` exists).
 * @param pid the pid
 * @returns true when it exists
 */
export function pidAlive(pid: number): boolean {
  return fileExists(`/proc/${pid}`);
}

/** A driver running in the foreground under a supervisor. */
export interface RunningDriver {
  /** Its pid. */
  readonly pid: number;
  /** Resolves when it ends. */
  readonly status: Promise<{ readonly code: number; readonly signal: string | null }>;
  /** Sends a signal (ignored once it has ended). */
  kill(signal: Deno.Signal): void;
}

/**
 * Starts a driver in the foreground with inherited stdio.
 * @param argv program and arguments
 * @returns the running driver
 * @throws Deno.errors.NotFound when the program does not exist
 */
export function spawnDriver(argv: readonly string[]): RunningDriver {
  const child = new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  let ended = false;
  const status = child.status.then((s) => {
    ended = true;
    return { code: s.code, signal: s.signal };
  });
  return {
    pid: child.pid,
    status,
    kill(signal) {
      if (ended) return;
      try {
        child.kill(signal);
      } catch (e) {
        if (!(e instanceof TypeError || e instanceof Deno.errors.NotFound)) throw e;
      }
    },
  };
}

/** What a driver said over its socket. */
export interface SocketProbe {
  /** PING answered. */
  readonly responsive: boolean;
  /** `PID <n>` answer (NUT ≥2.8.3 and ours). */
  readonly pid: string | undefined;
  /** The raw rest of `SETINFO ups.status …` from `DUMPSTATUS`. */
  readonly status: string | undefined;
}

/**
 * Asks a driver over its socket, with a timeout per answer.
 * @param path socket path
 * @param timeoutMs per-answer timeout
 * @returns what it answered
 */
export async function probeDriver(path: string, timeoutMs = 3000): Promise<SocketProbe> {
  let conn: Deno.UnixConn;
  try {
    conn = await Deno.connect({ transport: "unix", path });
  } catch (e) {
    if (
      e instanceof Deno.errors.NotFound || e instanceof Deno.errors.ConnectionRefused ||
      e instanceof Deno.errors.PermissionDenied
    ) return { responsive: false, pid: undefined, status: undefined };
    throw e;
  }
  const enc = new TextEncoder();
  const dec = new TextDecoder("latin1");
  const buf = new Uint8Array(4096);
  const raw: string[] = [];
  let partial = "";
  const until = async (pred: (line: string) => boolean): Promise<string | undefined> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const hit = raw.find(pred);
      if (hit !== undefined) return hit;
      const t = setTimeout(() => conn.close(), deadline - Date.now());
      let n: number | null;
      try {
        n = await conn.read(buf);
      } catch (e) {
        if (e instanceof Deno.errors.BadResource || e instanceof Deno.errors.Interrupted) return;
        throw e;
      } finally {
        clearTimeout(t);
      }
      if (n === null) return undefined;
      const lines = (partial + dec.decode(buf.subarray(0, n))).split("\n");
      partial = lines.pop() ?? "";
      raw.push(...lines.filter((l) => l !== ""));
    }
    return undefined;
  };
  try {
    await conn.write(enc.encode("PING\n"));
    const responsive = (await until((l) => l === "PONG")) !== undefined;
    if (!responsive) return { responsive, pid: undefined, status: undefined };
    await conn.write(enc.encode("GETPID\n"));
    const pidLine = await until((l) => l.startsWith("PID "));
    if (pidLine === undefined) return { responsive, pid: undefined, status: undefined };
    await conn.write(enc.encode("DUMPSTATUS\n"));
    const st = await until((l) => l.startsWith("SETINFO ups.status "));
    return { responsive, pid: pidLine.slice(4), status: st?.slice(19) };
  } catch (e) {
    if (e instanceof Deno.errors.BrokenPipe || e instanceof Deno.errors.BadResource) {
      return { responsive: false, pid: undefined, status: undefined };
    }
    throw e;
  } finally {
    closeQuietly(conn);
  }
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch (e) {
    // already closed by the read timeout: nothing left to release
    if (!(e instanceof Deno.errors.BadResource)) throw e;
  }
}
