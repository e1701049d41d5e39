/**
 * Running programs in tests: one-shot commands and daemons that are always
 * killed on dispose.
 * @module
 */

import { waitFor, type WaitOptions } from "./wait.ts";

/** Result of {@linkcode run}. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where the repository root is. */
export const REPO = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** argv prefix that runs our `nut` from the checkout. */
export function nutArgv(): string[] {
  return [Deno.execPath(), "run", "--quiet", "--allow-all", `${REPO}/cli/main.ts`];
}

/**
 * Runs a command to completion (bounded by `timeout`, default 30 s).
 * @param argv program and arguments
 * @param options env, stdin text, cwd, timeout
 * @returns exit code and output
 */
export async function run(
  argv: string[],
  options: { env?: Record<string, string>; stdin?: string; cwd?: string; timeout?: number } = {},
): Promise<RunResult> {
  const [cmd, ...args] = argv;
  const child = new Deno.Command(cmd!, {
    args,
    env: options.env,
    cwd: options.cwd,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(options.stdin));
    await w.close();
  }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* already exited */ }
  }, options.timeout ?? 30_000);
  try {
    const out = await child.output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs our `nut` with arguments. */
export function runNut(
  args: string[],
  options: { env?: Record<string, string>; stdin?: string; cwd?: string; timeout?: number } = {},
): Promise<RunResult> {
  return run([...nutArgv(), ...args], options);
}

/** A running daemon; output is collected as it comes. */
export interface Daemon extends AsyncDisposable {
  readonly pid: number;
  /** All stdout so far. */
  stdout(): string;
  /** All stderr so far. */
  stderr(): string;
  /** Waits until stdout+stderr match. */
  waitForOutput(re: RegExp, options?: WaitOptions): Promise<void>;
  /** Sends a signal (ignored if already gone). */
  kill(signal?: Deno.Signal): void;
  /** Resolves with the exit status. */
  readonly status: Promise<Deno.CommandStatus>;
}

/**
 * Starts a long-running process; dispose kills it (SIGTERM, then SIGKILL after 3 s).
 * @param argv program and arguments
 * @param options env and cwd
 * @returns the daemon handle
 */
export function spawnDaemon(
  argv: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Daemon {
  const [cmd, ...args] = argv;
  const child = new Deno.Command(cmd!, {
    args,
    env: options.env,
    cwd: options.cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  let err = "";
  const pump = async (s: ReadableStream<Uint8Array>, add: (t: string) => void) => {
    const dec = new TextDecoder();
    for await (const c of s) add(dec.decode(c, { stream: true }));
  };
  const pumps = Promise.all([
    pump(child.stdout, (t) => (out += t)),
    pump(child.stderr, (t) => (err += t)),
  ]);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const kill = (signal: Deno.Signal = "SIGTERM") => {
    if (exited) return;
    try {
      child.kill(signal);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
    }
  };
  return {
    pid: child.pid,
    stdout: () => out,
    stderr: () => err,
    waitForOutput: (re, o) =>
      waitFor(() => re.test(out + err), { what: `output ${re}`, ...o }).then(() => {}),
    kill,
    status,
    async [Symbol.asyncDispose]() {
      kill("SIGTERM");
      const t = setTimeout(() => kill("SIGKILL"), 3000);
      await status;
      clearTimeout(t);
      await pumps;
    },
  };
}
