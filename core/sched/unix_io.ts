/**
 * The one file of core/sched that touches the operating system: the Unix
 * socket at PIPEFN (listen and connect), the LOCKFN lock file, and running
 * CMDSCRIPT through `/bin/sh -c`.
 *
 * @module
 */

/** A connected byte stream. */
export interface SchedConn {
  read(buf: Uint8Array): Promise<number | null>;
  write(data: Uint8Array): Promise<number>;
  close(): void;
}

/**
 * Connects to the daemon's socket.
 * @param path PIPEFN
 * @returns the connection, or null when nothing listens there
 */
export async function connectUnix(path: string): Promise<SchedConn | null> {
  try {
    return await Deno.connect({ transport: "unix", path });
  } catch (e) {
    if (
      e instanceof Deno.errors.NotFound || e instanceof Deno.errors.ConnectionRefused ||
      e instanceof Deno.errors.PermissionDenied
    ) return null;
    throw e;
  }
}

/**
 * Listens on PIPEFN like NUT: unlink, bind, mode 0660.
 * @param path PIPEFN
 * @returns the listener
 */
export function listenUnix(path: string): Deno.Listener<Deno.UnixConn, Deno.UnixAddr> {
  removeIfExists(path);
  const l = Deno.listen({ transport: "unix", path });
  Deno.chmodSync(path, 0o660);
  return l;
}

/**
 * Removes a file, ignoring a missing one.
 * @param path the file
 */
export function removeIfExists(path: string): void {
  try {
    Deno.removeSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/**
 * Creates LOCKFN exclusively (`O_CREAT|O_EXCL`, mode 0).
 * @param path LOCKFN
 * @returns whether we own the lock now
 */
export function createLock(path: string): boolean {
  try {
    Deno.openSync(path, { createNew: true, write: true, mode: 0 }).close();
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) return false;
    throw e;
  }
}

/**
 * Runs `CMDSCRIPT arg` through `/bin/sh -c` and waits (NUT's `system()`).
 * @param cmdScript CMDSCRIPT
 * @param arg timer name or command
 * @param env variables to set (on top of ours); `undefined` values are removed
 * @returns the exit code (or 128+signal)
 */
export async function runCmdScript(
  cmdScript: string,
  arg: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const merged: Record<string, string> = { ...Deno.env.toObject() };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  const child = new Deno.Command("/bin/sh", {
    args: ["-c", `${cmdScript} ${arg}`],
    env: merged,
    clearEnv: true,
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const st = await child.status;
  return st.signal ? 128 : st.code;
}

/**
 * Removes LOCKFN left behind by a crashed start (older than `maxAgeMs`).
 * NUT removes it at once; a Deno daemon needs longer than a fork to come
 * up, and removing a fresh lock would let a second daemon start.
 * @param path LOCKFN
 * @param maxAgeMs age after which the lock counts as stale
 */
export function removeStaleLock(path: string, maxAgeMs = 10_000): void {
  let st: Deno.FileInfo;
  try {
    st = Deno.statSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  if (Date.now() - (st.mtime?.getTime() ?? 0) > maxAgeMs) removeIfExists(path);
}
