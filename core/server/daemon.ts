/**
 * Start-up and reload of upsd from its files, in NUT 2.8.0's order and with
 * its log lines: upsd.conf → listeners → STATEPATH → ups.conf → drivers →
 * cmdvartab → upsd.users. Everything outside (files, sockets) is injected.
 *
 * @module
 */

import { loadConfigFile, type ReadTextFile } from "../config/load.ts";
import { parseUpsConf } from "../config/ups_conf.ts";
import { parseUpsdConf, type UpsdConf } from "../config/upsd_conf.ts";
import { parseUpsdUsers, type UpsdUsers } from "../config/upsd_users.ts";
import type { NutPaths } from "../paths.ts";
import type { Clock } from "../runtime/clock.ts";
import type { Logger } from "../runtime/logger.ts";
import { AccessControl } from "./acl.ts";
import { type Descriptions, NO_DESCRIPTIONS, parseCmdvartab } from "./descriptions.ts";
import { DriverPool, type UpsDefinition } from "./driver_pool.ts";
import { LimitedLog } from "./log_limit.ts";
import { Upsd } from "./server.ts";
import { Tracking } from "./tracking.ts";
import type { DriverConn, Listener } from "./transport.ts";

/** The outside world of the daemon. */
export interface DaemonDeps {
  /** Resolved NUT paths. */
  readonly paths: NutPaths;
  /** Reads a file (latin1). */
  readonly readTextFile: ReadTextFile;
  /** Permission bits of a path; throws Deno.errors.NotFound when absent. */
  readonly statMode: (path: string) => Promise<number>;
  /** Opens a TCP listener. */
  readonly listen: (address: string, port: number) => Listener;
  /** Connects to a driver socket by absolute path. */
  readonly connect: (path: string) => Promise<DriverConn>;
  /** Log lines (stderr in the foreground). */
  readonly log: Logger;
  /** Time source. */
  readonly clock: Clock;
  /** Environment lookup (ALLOW_NO_DEVICE). */
  readonly env: (name: string) => string | undefined;
  /** `-4` / `-6`. */
  readonly family?: "ipv4" | "ipv6";
  /** Default for MAXCONN (the open-files limit). */
  readonly defaultMaxConn: number;
}

/** A fatal start-up error, with NUT's text. */
export class FatalError extends Error {
  /**
   * @param message NUT's fatal text
   * @param options cause
   */
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = "FatalError";
  }
}

/** A started daemon. */
export interface Daemon {
  /** The server. */
  readonly upsd: Upsd;
  /** Ports actually bound, in LISTEN order. */
  readonly bound: readonly { address: string; port: number }[];
  /** Re-reads upsd.conf (except LISTEN), ups.conf and upsd.users. */
  reload(): Promise<void>;
}

function strerror(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "No such file or directory";
  if (e instanceof Deno.errors.PermissionDenied) return "Permission denied";
  if (e instanceof Deno.errors.AddrInUse) return "Address already in use";
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(/ \(os error \d+\)$/, "");
}

function lo(deps: DaemonDeps): { confPath: string; readTextFile: ReadTextFile } {
  return { confPath: deps.paths.confPath, readTextFile: deps.readTextFile };
}

function envBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const u = v.toUpperCase();
  if (["TRUE", "YES", "ON", "1"].some((p) => u.startsWith(p))) return true;
  if (["FALSE", "NO", "OFF", "0"].some((p) => u.startsWith(p))) return false;
  return undefined;
}

async function checkPerms(deps: DaemonDeps, path: string, what: string): Promise<void> {
  let mode: number;
  try {
    mode = await deps.statMode(path);
  } catch (e) {
    throw new FatalError(`${what} ${path}: ${strerror(e)}`, { cause: e });
  }
  if (mode & 0o005) deps.log.warn(`${path} is world readable`);
}

async function readUpsdConf(deps: DaemonDeps, initial: boolean): Promise<UpsdConf> {
  const path = `${deps.paths.confPath}/upsd.conf`;
  if (initial) await checkPerms(deps, path, "stat");
  const r = await loadConfigFile("upsd.conf", lo(deps));
  if (!r.ok) {
    if (initial) throw new FatalError(r.message);
    deps.log.error(`Reload failed: ${r.message}`);
    return parseUpsdConf("", { file: path });
  }
  const conf = parseUpsdConf(r.text, { file: "upsd.conf" });
  for (const p of conf.problems) deps.log.warn(p.message);
  return conf;
}

async function readUpsConf(
  deps: DaemonDeps,
  initial: boolean,
): Promise<UpsDefinition[] | undefined> {
  const r = await loadConfigFile("ups.conf", lo(deps));
  if (!r.ok) {
    if (initial) throw new FatalError(`Can't open ${r.path}: ${r.message}`);
    deps.log.error(`Reload failed: ${r.message}`);
    return undefined;
  }
  const conf = parseUpsConf(r.text, { file: r.path });
  const defs: UpsDefinition[] = [];
  for (const d of conf.devices) {
    if (d.driver === undefined || d.port === undefined) {
      deps.log.warn(`Warning: ignoring incomplete configuration for UPS [${d.name}]\n`);
      continue;
    }
    defs.push({ name: d.name, driver: d.driver, desc: d.desc });
  }
  if (conf.devices.length === 0) deps.log.warn("Warning: no UPS definitions in ups.conf");
  return defs;
}

async function readUsers(deps: DaemonDeps, initial: boolean): Promise<UpsdUsers> {
  const path = `${deps.paths.confPath}/upsd.users`;
  // upsd 2.8.0 stats the file first: a missing upsd.users is fatal at start
  if (initial) await checkPerms(deps, path, "stat");
  const r = await loadConfigFile("upsd.users", lo(deps));
  if (!r.ok) {
    deps.log.error(`Reload failed: ${r.message}`);
    return parseUpsdUsers("", { file: path });
  }
  const users = parseUpsdUsers(r.text, { file: "upsd.users" });
  for (const p of users.problems) deps.log.warn(p.message);
  return users;
}

async function readDescriptions(deps: DaemonDeps, dataPath: string): Promise<Descriptions> {
  const fn = `${dataPath}/cmdvartab`;
  try {
    return parseCmdvartab(await deps.readTextFile(fn));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied)) throw e;
    deps.log.info(`${fn} not found - disabling descriptions`);
    return NO_DESCRIPTIONS;
  }
}

function listenAll(deps: DaemonDeps, conf: UpsdConf): Listener[] {
  const want: { address: string; port: string }[] = conf.listen.length > 0
    ? conf.listen.map((l) => ({ address: l.address, port: l.port }))
    : [
      ...(deps.family !== "ipv4" ? [{ address: "::1", port: "3493" }] : []),
      ...(deps.family !== "ipv6" ? [{ address: "127.0.0.1", port: "3493" }] : []),
    ];
  const expanded = want.flatMap((w) =>
    w.address === "*"
      ? [{ address: "0.0.0.0", port: w.port }, { address: "::", port: w.port }]
      : [w]
  );
  const out: Listener[] = [];
  for (const w of expanded) {
    const v6 = w.address.includes(":");
    if ((deps.family === "ipv4" && v6) || (deps.family === "ipv6" && !v6)) continue;
    try {
      out.push(deps.listen(w.address, Number(w.port)));
      deps.log.info(`listening on ${w.address} port ${w.port}`);
    } catch (e) {
      deps.log.debug(1, `listen ${w.address} ${w.port}: ${strerror(e)}`);
      deps.log.error(`not listening on ${w.address} port ${w.port}`);
    }
  }
  if (out.length === 0) throw new FatalError("no listening interface available");
  return out;
}

/**
 * Starts upsd: reads the files, binds, connects to the drivers, serves.
 * @param deps the outside world
 * @returns the running daemon
 * @throws FatalError with NUT's text when upsd 2.8.0 would exit
 */
export async function startDaemon(deps: DaemonDeps): Promise<Daemon> {
  let conf = await readUpsdConf(deps, true);
  const allowNoDevice = () => envBool(deps.env("ALLOW_NO_DEVICE")) ?? conf.allowNoDevice;
  const listeners = listenAll(deps, conf);
  try {
    const statePath = conf.statePath ?? deps.paths.statePath;
    await checkPerms(deps, statePath, "Can't chdir to");
    const clock = deps.clock;
    const log = new LimitedLog(deps.log, clock);
    const tracking = new Tracking(clock, () => conf.trackingDelay);
    const pool = new DriverPool({
      clock,
      log,
      tracking,
      connect: (name) => deps.connect(`${statePath}/${name}`),
      maxAge: () => conf.maxAge,
    });
    const defs = (await readUpsConf(deps, true)) ?? [];
    pool.load(defs);
    if (pool.all.length === 0) {
      if (!allowNoDevice()) {
        throw new FatalError("Fatal error: at least one UPS must be defined in ups.conf");
      }
      deps.log.warn(
        "Normally at least one UPS must be defined in ups.conf, currently there are none (please configure the file and reload the service)",
      );
    }
    await pool.connectAll();
    const descriptions = await readDescriptions(deps, conf.dataPath ?? deps.paths.dataPath);
    let users = await readUsers(deps, true);
    const acl = new AccessControl(() => users, clock, log);
    const upsd = new Upsd({
      listeners,
      pool,
      acl,
      descriptions,
      tracking,
      log,
      clock,
      maxConn: () => conf.maxConn ?? deps.defaultMaxConn,
    });
    return {
      upsd,
      bound: listeners.map((l) => ({ address: l.address, port: l.port })),
      async reload() {
        deps.log.info("SIGHUP: reloading configuration");
        conf = await readUpsdConf(deps, false);
        const d = await readUpsConf(deps, false);
        if (d) {
          pool.load(d);
          if (pool.all.length === 0) deps.log.warn("Warning: no UPSes currently defined!");
        }
        users = await readUsers(deps, false);
      },
    };
  } catch (e) {
    for (const l of listeners) l.close();
    throw e;
  }
}
