/**
 * The checks of `nut conf check` that span files: MONITOR ↔ ups.conf ↔
 * upsd.users, MODE ↔ LISTEN, POWERDOWNFLAG on a primary, permissions, and
 * the programs upsmon and upssched run.
 *
 * @module
 */

import type { CheckHost, ParsedConfigs } from "./check.ts";
import type { ConfigProblem } from "./problem.ts";
import { ProblemList } from "./problem.ts";
import { hintFor } from "./suggest.ts";
import type { UpsmonMonitor } from "./upsmon_conf.ts";
import type { UpsConf } from "./ups_conf.ts";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "localhost.localdomain"]);

function isLoopback(addr: string): boolean {
  return LOCAL_HOSTS.has(addr.toLowerCase()) || addr.startsWith("127.") ||
    addr.toLowerCase() === "ip6-localhost";
}

/** What the cross checks may look at besides the parsed files. */
export interface CrossContext {
  /** Permission bits of each present file. */
  readonly modes: ReadonlyMap<string, number | null>;
  /** File access and PATH. */
  readonly host: CheckHost;
  /** CONFPATH, for messages. */
  readonly confPath: string;
}

/** First word of a command line run through `/bin/sh -c`. */
function programOf(cmd: string): string {
  const t = cmd.trim();
  const m = /^(?:"([^"]*)"|'([^']*)'|(\S+))/.exec(t);
  return m ? (m[1] ?? m[2] ?? m[3] ?? "") : "";
}

async function findProgram(
  prog: string,
  host: CheckHost,
): Promise<"ok" | "missing" | "not-executable"> {
  const candidates = prog.includes("/")
    ? [prog]
    : (host.pathEnv ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(":").filter((d) => d !== "")
      .map((d) => `${d}/${prog}`);
  let seen = false;
  for (const c of candidates) {
    let st: { mode: number | null; isFile: boolean };
    try {
      st = await host.stat(c);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) continue;
      throw e;
    }
    seen = true;
    if (st.isFile && (st.mode === null || (st.mode & 0o111) !== 0)) return "ok";
  }
  return seen ? "not-executable" : "missing";
}

async function checkProgram(
  p: ProblemList,
  line: number,
  directive: string,
  cmd: string,
  host: CheckHost,
): Promise<void> {
  const prog = programOf(cmd);
  if (prog === "" || prog.startsWith("$")) return;
  const r = await findProgram(prog, host);
  if (r === "missing") p.error(line, `${directive} program "${prog}" does not exist`);
  else if (r === "not-executable") {
    p.error(line, `${directive} program "${prog}" is not executable`);
  }
}

function checkMonitorAgainstServer(
  c: ParsedConfigs,
  m: UpsmonMonitor,
  p: ProblemList,
): void {
  if (c.ups) {
    const names = c.ups.devices.map((d) => d.name);
    if (!names.some((n) => n.toLowerCase() === m.upsname.toLowerCase())) {
      p.error(m.line, `MONITOR ${m.system}: ups.conf has no section [${m.upsname}]`, {
        hint: hintFor(m.upsname, names),
      });
    }
  }
  if (!c.users) return;
  const u = c.users.users.get(m.username);
  if (!u) {
    p.error(m.line, `MONITOR ${m.system}: user "${m.username}" is not in upsd.users`, {
      hint: hintFor(m.username, c.users.users.keys()),
    });
    return;
  }
  if (u.password !== m.password) {
    p.error(m.line, `MONITOR ${m.system}: password of "${m.username}" differs from upsd.users`);
  }
  const has = (a: string) => u.actions.some((x) => x.toLowerCase() === a);
  if (m.role === "primary" && !has("master")) {
    p.error(
      m.line,
      `MONITOR ${m.system} is primary but user "${m.username}" has no "upsmon primary" in upsd.users`,
    );
  } else if (m.role === "secondary" && !has("login")) {
    p.error(
      m.line,
      `MONITOR ${m.system}: user "${m.username}" has no "upsmon secondary" (or primary) in upsd.users`,
    );
  }
}

/** Each section's driver must be one nut runs itself or a program in driverpath. */
async function checkDrivers(conf: UpsConf, host: CheckHost, p: ProblemList): Promise<void> {
  const dir = conf.global.driverpath ?? host.driverPath ?? "/lib/nut";
  let installed: string[] = [];
  try {
    installed = await host.readDir!(dir);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory)) throw e;
  }
  const builtin = host.builtinDrivers ?? [];
  const known = [...builtin, ...installed];
  for (const d of conf.devices) {
    if (d.driver === undefined || known.includes(d.driver)) continue;
    const line = d.entries.findLast((e) => e.key === "driver")?.line ?? d.line;
    p.error(line, `driver "${d.driver}" of [${d.name}] is neither built into nut nor in ${dir}`, {
      hint: hintFor(d.driver, known),
    });
  }
}

/**
 * Runs every cross-file check.
 * @param c the parsed files
 * @param ctx modes, host and CONFPATH
 * @returns the problems, each attributed to the file to fix
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { crossCheck } from "./_cross_checks.ts";
 * import { parseNutConf } from "./nut_conf.ts";
 * const host = { readTextFile: () => Promise.reject(new Error("unused")), stat: () => Promise.reject(new Deno.errors.NotFound()), pathEnv: "" };
 * const p = await crossCheck({ nut: parseNutConf("MODE=netclient\n", { file: "nut.conf" }) }, { modes: new Map(), host, confPath: "/c" });
 * assert.equal(p[0]?.message, "MODE=netclient needs upsmon.conf");
 * ```
 */
export async function crossCheck(c: ParsedConfigs, ctx: CrossContext): Promise<ConfigProblem[]> {
  const nut = new ProblemList("nut.conf");
  const ups = new ProblemList("ups.conf");
  const upsd = new ProblemList("upsd.conf");
  const users = new ProblemList("upsd.users");
  const mon = new ProblemList("upsmon.conf");
  const sched = new ProblemList("upssched.conf");
  const hosts = new ProblemList("hosts.conf");
  const mode = c.nut?.mode;
  const modeLine = c.nut?.modeLine ?? 0;
  const server = mode === "standalone" || mode === "netserver";

  if (server) {
    if (!c.ups) nut.error(modeLine, `MODE=${mode} needs ups.conf (upsd and the drivers read it)`);
    if (!c.upsd) {
      nut.error(modeLine, `MODE=${mode} needs upsd.conf (upsd will not start without it)`);
    }
    if (!c.users) {
      nut.error(modeLine, `MODE=${mode} needs upsd.users (upsd 2.8.0 exits without it)`);
    }
  }
  if (mode !== undefined && mode !== "none" && !c.upsmon) {
    nut.error(modeLine, `MODE=${mode} needs upsmon.conf`);
  }
  if (c.ups && (server || mode === undefined) && c.ups.devices.length === 0) {
    if (!c.upsd?.allowNoDevice) {
      ups.error(0, "Fatal error: at least one UPS must be defined in ups.conf", { fatal: true });
    }
  }
  if (c.upsd && mode === "netserver") {
    const ls = c.upsd.listen;
    if (ls.length === 0 || ls.every((l) => isLoopback(l.address))) {
      upsd.warn(
        ls[0]?.line ?? 0,
        "MODE=netserver but upsd listens only on localhost: other machines cannot connect",
        { hint: "add a LISTEN line with this host's address, or 0.0.0.0" },
      );
    }
  }

  if (c.upsmon) {
    const listen = new Set((c.upsd?.listen ?? []).map((l) => l.address.toLowerCase()));
    for (const m of c.upsmon.monitors) {
      const local = isLoopback(m.host) || listen.has(m.host.toLowerCase());
      if (local && (c.ups || c.users)) checkMonitorAgainstServer(c, m, mon);
    }
    const primary = c.upsmon.monitors.find((m) => m.role === "primary");
    if (primary && c.upsmon.powerDownFlag === undefined) {
      mon.warn(
        primary.line,
        `MONITOR ${primary.system} is primary but there is no POWERDOWNFLAG: the UPS will not be told to power off`,
        { hint: "add POWERDOWNFLAG /etc/killpower" },
      );
    }
    const execUsed = [...c.upsmon.notifyFlags.entries()].some(([t, f]) =>
      c.upsmon!.notifyConfigured.has(t) && f.has("EXEC")
    );
    if (execUsed && c.upsmon.notifyCmd === undefined) {
      mon.warn(0, "NOTIFYFLAG asks for EXEC but there is no NOTIFYCMD");
    }
    const ln = (d: string) => c.upsmon!.lines.get(d) ?? 0;
    if (c.upsmon.shutdownCmd !== undefined) {
      await checkProgram(mon, ln("SHUTDOWNCMD"), "SHUTDOWNCMD", c.upsmon.shutdownCmd, ctx.host);
    }
    if (c.upsmon.notifyCmd !== undefined) {
      await checkProgram(mon, ln("NOTIFYCMD"), "NOTIFYCMD", c.upsmon.notifyCmd, ctx.host);
    }
  }
  if (c.upssched?.cmdScript !== undefined) {
    await checkProgram(
      sched,
      c.upssched.cmdScriptLine,
      "CMDSCRIPT",
      c.upssched.cmdScript,
      ctx.host,
    );
  }
  if (c.ups && ctx.host.readDir && ctx.host.builtinDrivers) {
    await checkDrivers(c.ups, ctx.host, ups);
  }
  if (c.hosts && c.ups) {
    const names = c.ups.devices.map((d) => d.name.toLowerCase());
    for (const m of c.hosts.monitors) {
      const at = m.system.indexOf("@");
      const name = at < 0 ? m.system : m.system.slice(0, at);
      const host = at < 0 ? "localhost" : m.system.slice(at + 1).replace(/:\d+$/, "");
      if (isLoopback(host) && !names.includes(name.toLowerCase())) {
        hosts.warn(m.line, `MONITOR ${m.system}: ups.conf has no section [${name}]`);
      }
    }
  }
  for (const [file, list] of [["upsd.users", users], ["upsmon.conf", mon]] as const) {
    const modeBits = ctx.modes.get(file);
    if (modeBits !== undefined && modeBits !== null && (modeBits & 0o005) !== 0) {
      list.warn(0, `${ctx.confPath}/${file} is world readable`, {
        hint: `it holds passwords: chmod o-rwx ${ctx.confPath}/${file}`,
      });
    }
  }
  return [nut, ups, upsd, users, mon, sched, hosts].flatMap((l) => l.items);
}
