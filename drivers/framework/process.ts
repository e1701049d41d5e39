/**
 * Process-level helpers of the driver runner: pid files (NUT's `writepid` /
 * `sendsignalfn`), and backgrounding. Deno cannot fork, so a driver that
 * must background re-runs itself detached with {@linkcode BG_CHILD_ENV} set;
 * the child reports readiness with {@linkcode READY_MARKER} on stdout and the
 * parent exits 0 then (or with the child's status if it dies first).
 *
 * @module
 */

import type { Logger } from "../../core/runtime/logger.ts";
import type { Clock } from "../../core/runtime/clock.ts";

/** Environment variable that marks the backgrounded child. */
export const BG_CHILD_ENV = "NUT_DRIVER_BACKGROUND_CHILD";
/** What the child prints on stdout once it is serving. */
export const READY_MARKER = "\u0000nut-driver-ready\n";

/**
 * Writes `<pid>\n` to a pid file (mode 0644).
 * @param path pid file path
 * @param log logger for NUT's notice on failure
 * @param pid the pid (default: this process)
 */
export function writePid(path: string, log: Logger, pid: number = Deno.pid): void {
  try {
    Deno.writeTextFileSync(path, `${pid}\n`, { mode: 0o644 });
    log.debug(1, `Saving PID ${pid} into ${path}`);
  } catch (e) {
    if (!(e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotFound)) throw e;
    log.info(`writepid: fopen ${path}: ${e.message}`);
  }
}

/**
 * Reads the pid from a pid file.
 * @param path pid file path
 * @returns the pid, or undefined when the file is missing or unreadable
 */
export function readPid(path: string): number | undefined {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied) {
      return undefined;
    }
    throw e;
  }
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Removes a pid file if it still names this process.
 * @param path pid file path
 */
export function removePid(path: string): void {
  if (readPid(path) !== Deno.pid) return;
  try {
    Deno.removeSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/**
 * Sends a signal to a pid.
 * @param pid target
 * @param signal signal name
 * @returns true when delivered
 */
export function sendSignal(pid: number, signal: Deno.Signal): boolean {
  try {
    Deno.kill(pid, signal);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied) {
      return false;
    }
    if (e instanceof TypeError) return false;
    throw e;
  }
}

/**
 * NUT's duplicate-instance check: while the pid file names a live process,
 * SIGTERM it (at most 3 times, 5 s apart).
 * @param path pid file path
 * @param log logger
 * @param clock clock for the pauses
 */
export async function terminateDuplicate(path: string, log: Logger, clock: Clock): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const pid = readPid(path);
    if (pid === undefined || pid === Deno.pid || !sendSignal(pid, "SIGTERM")) return;
    log.warn(
      `Duplicate driver instance detected (PID file ${path} exists)! Terminating other driver!`,
    );
    await clock.sleep(5000);
  }
}

/**
 * Re-runs the driver detached with {@linkcode BG_CHILD_ENV} set, forwards
 * its stderr until it is ready, then lets it go.
 * @param argv the full command to run (program and arguments)
 * @param stderr where the child's early stderr goes
 * @returns 0 once the child is serving, or the child's exit status
 */
export async function relaunchInBackground(
  argv: readonly string[],
  stderr: (text: string) => void,
  stdout: (text: string) => void = () => {},
): Promise<number> {
  const [cmd, ...args] = argv;
  const child = new Deno.Command(cmd!, {
    args,
    env: { [BG_CHILD_ENV]: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    detached: true,
  }).spawn();
  const dec = new TextDecoder();
  const errReader = child.stderr.getReader();
  const outReader = child.stdout.getReader();
  let ready = false;
  const pumpErr = (async () => {
    while (!ready) {
      const r = await errReader.read();
      if (r.done) return;
      stderr(dec.decode(r.value, { stream: true }));
    }
  })();
  let out = "";
  const outDec = new TextDecoder();
  while (true) {
    const r = await outReader.read();
    if (r.done) break;
    out += outDec.decode(r.value, { stream: true });
    if (out.includes(READY_MARKER)) {
      ready = true;
      break;
    }
  }
  // anything the child printed on stdout before it was ready is passed on
  const before = ready ? out.slice(0, out.indexOf(READY_MARKER)) : out;
  if (before !== "") stdout(before);
  if (ready) {
    await Promise.race([pumpErr, new Promise((r) => setTimeout(r, 50))]);
    await errReader.cancel();
    await outReader.cancel();
    child.unref();
    return 0;
  }
  await pumpErr;
  const status = await child.status;
  return status.code;
}
