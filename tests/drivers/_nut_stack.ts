/**
 * Test helpers for driver-side compatibility tests: a real upsd over a
 * sandbox, real and our drivers, real upsc, and a bounded worker pool.
 * @module
 */

import { nutArgv, run, type RunResult, spawnDaemon } from "../_helpers/process.ts";
import type { Daemon } from "../_helpers/process.ts";
import { REAL } from "../_helpers/real_nut.ts";
import type { Sandbox } from "../_helpers/sandbox.ts";
import { waitFor } from "../_helpers/wait.ts";
import { freePort } from "../_helpers/ports.ts";

/** Where the shared data lives. */
export const SHARED = new URL("../../../shared/", import.meta.url).pathname;

/**
 * Runs `fn` over `items` with at most `limit` at a time.
 * @param items inputs
 * @param limit concurrency
 * @param fn the work
 * @returns results in input order
 */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A ups.conf section for a test. */
export interface Section {
  readonly name: string;
  readonly driver: string;
  readonly port: string;
  readonly extra?: readonly string[];
}

/**
 * Writes ups.conf, upsd.conf (LISTEN on a free port) and an empty upsd.users.
 * @param sb sandbox
 * @param sections the devices
 * @param upsdExtra extra upsd.conf lines
 * @returns the upsd port
 */
export function writeConfs(sb: Sandbox, sections: readonly Section[], upsdExtra = ""): number {
  const port = freePort();
  sb.writeConf(
    "ups.conf",
    sections.map((s) =>
      `[${s.name}]\n\tdriver = ${s.driver}\n\tport = "${s.port}"\n${
        (s.extra ?? []).map((l) => `\t${l}\n`).join("")
      }`
    ).join(""),
  );
  sb.writeConf("upsd.conf", `LISTEN 127.0.0.1 ${port}\n${upsdExtra}`);
  sb.writeConf("upsd.users", "");
  return port;
}

/**
 * Starts Debian's upsd in the foreground on the sandbox.
 * @param sb sandbox
 * @returns the daemon (dispose to stop)
 */
export async function startRealUpsd(sb: Sandbox): Promise<Daemon> {
  const d = spawnDaemon([REAL.upsd, "-F", "-u", "root"], { env: sb.env });
  await d.waitForOutput(/listening on/, { timeout: 20_000 });
  return d;
}

/**
 * Starts one driver in the foreground: the real binary or ours.
 * @param sb sandbox
 * @param which `real` or `ours`
 * @param ups section name
 * @param driver driver program name
 * @returns the daemon
 */
export function startDriver(
  sb: Sandbox,
  which: "real" | "ours",
  ups: string,
  driver = "dummy-ups",
): Daemon {
  const argv = which === "real"
    ? [`${REAL.driverPath}/${driver}`, "-a", ups, "-F", "-u", "root"]
    : [...nutArgv(), driver, "-a", ups, "-F"];
  return spawnDaemon(argv, { env: sb.env });
}

/**
 * Waits for a driver socket to exist.
 * @param sb sandbox
 * @param driver driver name
 * @param ups section name
 */
export async function waitSocket(sb: Sandbox, driver: string, ups: string): Promise<void> {
  await waitFor(() => Deno.statSync(`${sb.statePath}/${driver}-${ups}`).isSocket, {
    timeout: 60_000, // generous: a loaded CI machine starts 70 deno drivers at once
    interval: 50,
    what: `socket ${driver}-${ups}`,
  });
}

/**
 * Runs the real upsc.
 * @param target `ups@127.0.0.1:port`
 * @param variable optional variable
 * @returns the result
 */
export function upsc(target: string, variable?: string): Promise<RunResult> {
  return run(variable === undefined ? [REAL.upsc, target] : [REAL.upsc, target, variable], {
    timeout: 15_000,
  });
}

/**
 * Waits until upsc gives a full listing (the driver's dump has arrived).
 * @param target `ups@127.0.0.1:port`
 * @param timeout deadline in ms
 * @returns the listing
 */
export async function upscWhenReady(target: string, timeout = 60_000): Promise<string> {
  // upsd answers during the dump (ups.status is WAIT until the driver's value
  // arrives): wait for a listing without WAIT that a second look confirms.
  let last = "";
  return await waitFor(async () => {
    const r = await upsc(target);
    const ok = r.code === 0 && r.stdout.includes("ups.status: ") &&
      !r.stdout.includes("ups.status: WAIT\n");
    const stable = ok && r.stdout === last;
    last = ok ? r.stdout : "";
    return stable ? r.stdout : undefined;
  }, { timeout, interval: 100, what: `upsc ${target}` });
}
