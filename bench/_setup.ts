/**
 * Bench plumbing: a temp NUT tree, one real `dummy-ups` (or `nut dummy`
 * when Debian's NUT is absent) feeding Debian's upsd and `nut upsd` at once,
 * `nut upsd` started the way users start it (the `upsd` wrapper that `nut
 * links` writes), RSS and CPU time from /proc, and the load generator.
 * @module
 */

export const REPO = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
export const SHARED = `${REPO}/../shared`;
export const REAL = { upsd: "/lib/nut/upsd", dummyUps: "/lib/nut/dummy-ups", upsc: "/bin/upsc" };
export const NUT = [Deno.execPath(), "run", "--quiet", "--allow-all"];
export const MAIN = `${REPO}/cli/main.ts`;
export const UPSD_V8 = "--v8-flags=--max-semi-space-size=1";

const enc = new TextEncoder();

export function exists(p: string): boolean {
  try {
    Deno.statSync(p);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** VmRSS / VmHWM of a process in kB (0 when gone). */
export function rssKb(pid: number): { rss: number; hwm: number } {
  try {
    const s = Deno.readTextFileSync(`/proc/${pid}/status`);
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(s)?.[1] ?? 0);
    return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { rss: 0, hwm: 0 };
    throw e;
  }
}

/** CPU time (user, system) a process has used so far, in ms (0 when gone). */
export function cpuMs(pid: number): { user: number; sys: number } {
  try {
    const f = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1]!.split(" ");
    const hz = 100; // USER_HZ on Linux
    return { user: (Number(f[11]) * 1000) / hz, sys: (Number(f[12]) * 1000) / hz };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { user: 0, sys: 0 };
    throw e;
  }
}

/** RssAnon / RssFile of a process in kB: private memory vs pages of mapped files (the executable). */
export function rssSplitKb(pid: number): { anon: number; file: number } {
  try {
    const s = Deno.readTextFileSync(`/proc/${pid}/status`);
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(s)?.[1] ?? 0);
    return { anon: kb("RssAnon"), file: kb("RssFile") };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { anon: 0, file: 0 };
    throw e;
  }
}

/** Proportional set size in kB: shared pages divided among the processes that map them. */
export function pssKb(pid: number): number {
  try {
    const s = Deno.readTextFileSync(`/proc/${pid}/smaps_rollup`);
    return Number(/^Pss:\s+(\d+)/m.exec(s)?.[1] ?? 0);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return 0;
    throw e;
  }
}

/** Samples a process's RSS every 50 ms; stop() returns the maximum seen (kB). */
export function sampleRss(pid: number): { stop(): number } {
  let max = rssKb(pid).rss;
  const t = setInterval(() => (max = Math.max(max, rssKb(pid).rss)), 50);
  return {
    stop() {
      clearInterval(t);
      return Math.max(max, rssKb(pid).rss);
    },
  };
}

export async function ask(port: number, line: string): Promise<string> {
  const c = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await c.write(enc.encode(line + "\n"));
    const buf = new Uint8Array(4096);
    const n = await c.read(buf);
    return n === null ? "" : new TextDecoder().decode(buf.subarray(0, n));
  } finally {
    c.close();
  }
}

export async function waitServing(port: number, ups: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const r = await ask(port, `GET VAR ${ups} ups.status`);
      if (r.startsWith("VAR ") && !r.includes('"WAIT"')) return;
    } catch (e) {
      if (!(e instanceof Deno.errors.ConnectionRefused)) throw e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server on port ${port} did not serve ${ups} in ${ms} ms`);
}

/** A started process, killed by stop(). */
export interface Proc {
  readonly pid: number;
  stop(): Promise<void>;
}

export function spawn(argv: string[], env: Record<string, string>): Proc {
  const p = new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    env,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  return {
    pid: p.pid,
    async stop() {
      try {
        p.kill("SIGTERM");
      } catch (e) {
        if (!(e instanceof TypeError)) throw e;
      }
      await p.status;
    },
  };
}

/** The running stack. */
export interface Stack {
  readonly dir: string;
  readonly ups: string;
  readonly realPort: number | undefined;
  readonly ourPort: number;
  readonly realPid: number | undefined;
  readonly ourPid: number;
  readonly driver: string;
  readonly env: Record<string, string>;
  /** The `nut links` wrappers (upsc, upsd, ...). */
  readonly bin: string;
  /** When `nut upsd` was started (performance.now()). */
  readonly ourStart: number;
  stop(): Promise<void>;
}

/**
 * Starts the driver and both servers on one dump.
 * @param dev the device dump
 * @returns the stack
 */
export async function startStack(dev: string): Promise<Stack> {
  const dir = await Deno.makeTempDir({ prefix: "nut-bench-" });
  const real = exists(REAL.upsd) && exists(REAL.dummyUps);
  const etc = `${dir}/etc`;
  const state = `${dir}/state`;
  Deno.mkdirSync(etc);
  Deno.mkdirSync(state, { mode: 0o770 });
  const ups = "bench";
  const conf = (port: number) => {
    const d = `${dir}/conf-${port}`;
    Deno.mkdirSync(d);
    Deno.writeTextFileSync(
      `${d}/ups.conf`,
      `[${ups}]\n  driver = dummy-ups\n  port = ${dev}\n  desc = "bench"\n`,
      { mode: 0o640 },
    );
    Deno.writeTextFileSync(`${d}/upsd.conf`, `LISTEN 127.0.0.1 ${port}\n`, { mode: 0o640 });
    Deno.writeTextFileSync(`${d}/upsd.users`, "[admin]\n  password = x\n", { mode: 0o640 });
    return d;
  };
  const ourPort = freePort();
  const ourDir = conf(ourPort);
  const env = {
    NUT_CONFPATH: ourDir,
    NUT_STATEPATH: state,
    NUT_ALTPIDPATH: ourDir,
    NUT_PIDPATH: ourDir,
    DENO_NO_UPDATE_CHECK: "1",
  };
  const procs: Proc[] = [];
  const driver = real ? "Debian's dummy-ups (feeds both servers)" : "nut dummy";
  procs.push(
    real
      ? spawn([REAL.dummyUps, "-a", ups, "-F", "-u", "root"], env)
      : spawn([...NUT, MAIN, "dummy", "-a", ups, "-F"], env),
  );
  const deadline = Date.now() + 20_000;
  while (!exists(`${state}/dummy-ups-${ups}`) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  let realPort: number | undefined;
  let realPid: number | undefined;
  if (real) {
    realPort = freePort();
    const d = conf(realPort);
    const p = spawn([REAL.upsd, "-F", "-u", "root"], {
      ...env,
      NUT_CONFPATH: d,
      NUT_ALTPIDPATH: d,
    });
    procs.push(p);
    realPid = p.pid;
  }
  // the wrappers users run: `upsd` runs the bundled daemon (cli/bundle.ts)
  const bin = `${dir}/bin`;
  const links = await new Deno.Command(NUT[0]!, {
    args: [...NUT.slice(1), MAIN, "links", bin],
    stdout: "null",
    stderr: "piped",
  }).output();
  const linksErr = new TextDecoder().decode(links.stderr);
  if (!links.success || linksErr !== "") throw new Error(`nut links failed: ${linksErr}`);
  const ourStart = performance.now();
  const ours = spawn([`${bin}/upsd`, "-F"], env);
  procs.push(ours);
  const stop = async () => {
    for (const p of procs.reverse()) await p.stop();
    await Deno.remove(dir, { recursive: true });
  };
  try {
    await waitServing(ourPort, ups);
    if (realPort) await waitServing(realPort, ups);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    dir,
    ups,
    realPort,
    ourPort,
    realPid,
    ourPid: ours.pid,
    driver,
    env,
    bin,
    ourStart,
    stop,
  };
}

/** nutload.mjs result (request mode). */
export interface LoadResult {
  rps: number;
  completed: number;
  lat_ms: { p50: number; p99: number };
  errors: number;
  client_cpu_pct: number;
}

/**
 * Runs the shared load generator.
 * @param args nutload arguments (without --json)
 * @returns its JSON result
 */
export async function nutload<T = LoadResult>(args: string[]): Promise<T> {
  const out = await new Deno.Command("node", {
    args: [`${SHARED}/tools/nutload.mjs`, ...args, "--json"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim().split("\n").pop() ?? "";
  if (!text.startsWith("{")) {
    throw new Error(`nutload failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return JSON.parse(text) as T;
}

/** Median wall time (ms) of running a command `n` times. */
export async function wall(
  argv: string[],
  env: Record<string, string>,
  n: number,
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await new Deno.Command(argv[0]!, {
      args: argv.slice(1),
      env,
      stdout: "null",
      stderr: "null",
    }).output();
    times.push(performance.now() - t0);
    if (r.code !== 0) throw new Error(`${argv.join(" ")} exited ${r.code}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
