/**
 * A NUT data path for upsmon scenarios: upsd (Debian's real one, or ours
 * when built) fed by dummy-ups drivers reading `.dev` files, plus upsmon
 * processes (ours or the real one) whose NOTIFYCMD and SHUTDOWNCMD append
 * to one shared event log. Everything runs on loopback in a sandbox and is
 * killed on dispose.
 * @module
 */

import { freePort } from "../_helpers/ports.ts";
import { type Daemon, nutArgv, REPO, spawnDaemon } from "../_helpers/process.ts";
import { REAL } from "../_helpers/real_nut.ts";
import { makeSandbox, type Sandbox } from "../_helpers/sandbox.ts";
import { waitFor } from "../_helpers/wait.ts";

/** Which implementation serves a role. */
export type Impl = "real" | "nut";

/** Whether our `nut upsd` / `nut dummy` are built (not the "not built yet" stub). */
export async function nutBuilt(sub: "upsd" | "dummy"): Promise<boolean> {
  const src = await Deno.readTextFile(`${REPO}/cli/commands/${sub}.ts`);
  return !src.includes("notBuilt(");
}

/** One line of the shared event log. */
export interface LogLine {
  /** When it was written (ms since the epoch). */
  readonly ms: number;
  /** Who wrote it (the upsmon's label). */
  readonly who: string;
  /** NOTIFYTYPE, or `SHUTDOWNCMD`. */
  readonly what: string;
  /** UPSNAME for notifications. */
  readonly ups: string;
  /** The message (or the POWERDOWNFLAG content seen at SHUTDOWNCMD time). */
  readonly text: string;
}

/** Options for one upsmon. */
export interface MonitorSpec {
  readonly label: string;
  readonly impl: Impl;
  /** MONITOR lines' tails: `[system-ups-name, powervalue, "primary"|"secondary"]`. */
  readonly monitors: ReadonlyArray<readonly [string, number, "primary" | "secondary"]>;
  readonly minSupplies?: number;
  readonly extra?: string;
  /** NOTIFYCMD instead of the event logger (e.g. an upssched). */
  readonly notifyCmd?: string;
}

/** The running stack. */
export interface Stack extends AsyncDisposable {
  readonly sb: Sandbox;
  readonly port: number;
  /** Changes a UPS's ups.status (rewrites its .dev file with a fresh mtime). */
  setStatus(ups: string, status: string): void;
  killDriver(ups: string): Promise<void>;
  startDriver(ups: string): Promise<void>;
  restartUpsd(): Promise<void>;
  /** Starts an upsmon; resolves once it is polling. */
  startMonitor(spec: MonitorSpec): Promise<Daemon>;
  /** The event log so far. */
  events(): LogLine[];
  /** Each upsmon's stdout+stderr so far, by label. */
  monitorOutput(): Record<string, string>;
  /** Waits until the event log satisfies `cond`. */
  waitEvents(cond: (ev: LogLine[]) => boolean, what: string, timeout?: number): Promise<LogLine[]>;
  /** Waits until upsd answers ups.status for the UPS with this value. */
  waitStatus(ups: string, status: string): Promise<void>;
  /** Waits until `n` upsmon sessions are logged into the UPS. */
  waitLogins(ups: string, n: number): Promise<void>;
}

let mtimeSeq = 0;

function devText(status: string, serial: string): string {
  return `device.type: ups\ndevice.serial: ${serial}\nups.mfr: Test\nups.model: Scenario\nbattery.charge: 80\nups.status: ${status}\n`;
}

/** A token unique to this sandbox, served as device.serial: proves which upsd answers. */
function serialOf(sb: Sandbox): string {
  return sb.dir.slice(sb.dir.lastIndexOf("/") + 1);
}

/**
 * Starts upsd and one dummy-ups per UPS.
 * @param upses UPS names and their initial status
 * @param impl which upsd/driver to run
 * @returns the stack
 */
export async function startStack(
  upses: ReadonlyArray<readonly [string, string]>,
  impl: Impl = "real",
): Promise<Stack> {
  const sb = makeSandbox("nut-upsmon-");
  let port = 0;
  const daemons: Daemon[] = [];
  const drivers = new Map<string, Daemon>();
  const monitors = new Map<string, Daemon>();
  let upsd: Daemon | undefined;
  let ups = "";
  for (const [name, status] of upses) {
    ups +=
      `[${name}]\n  driver = dummy-ups\n  port = ${name}.dev\n  pollinterval = 1\n  desc = "test"\n`;
    writeDev(sb, name, status);
  }
  sb.writeConf("ups.conf", ups);
  sb.writeConf(
    "upsd.users",
    "[mon]\n  password = pw\n  upsmon primary\n[sec]\n  password = pw\n  upsmon secondary\n",
  );
  Deno.writeTextFileSync(sb.path("events.log"), "");
  const notify = sb.path("notify.sh");
  Deno.writeTextFileSync(
    notify,
    `#!/bin/sh\nprintf '%s|%s|%s|%s|%s\\n' "$(date +%s%3N)" "$WHO" "$NOTIFYTYPE" "$UPSNAME" "$1" >> ${
      sb.path("events.log")
    }\n`,
  );
  Deno.chmodSync(notify, 0o755);
  const env = { ...sb.env };
  const drv = (name: string) =>
    impl === "real"
      ? spawnDaemon([REAL.dummyUps, "-a", name, "-F", "-u", "root"], { env })
      : spawnDaemon([...nutArgv(), "dummy", "-a", name, "-F", "-u", "root"], { env });
  const startDriver = async (name: string) => {
    const d = drv(name);
    drivers.set(name, d);
    daemons.push(d);
    await waitFor(() => {
      try {
        return [...Deno.readDirSync(sb.statePath)].some((e) => e.name.includes(name));
      } catch {
        return false;
      }
    }, { timeout: 40_000, what: `driver socket for ${name}` });
  };
  const spawnUpsd = () => {
    upsd = impl === "real"
      ? spawnDaemon([REAL.upsd, "-F", "-u", "root"], { env })
      : spawnDaemon([...nutArgv(), "upsd", "-F", "-u", "root"], { env });
    daemons.push(upsd);
    return upsd;
  };
  const first = upses[0]![0];
  // Ours answers with this sandbox's serial; a port taken meanwhile by another
  // test's upsd (freePort() races) makes ours exit: then take another port.
  const startUpsd = async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      port = freePort();
      sb.writeConf("upsd.conf", `LISTEN 127.0.0.1 ${port}\n`);
      const d = spawnUpsd();
      let exited = false;
      void d.status.then(() => (exited = true));
      const ok = await waitFor(async () => {
        if (exited) return "exited";
        return (await ask(port, `GET VAR ${first} device.serial`))?.includes(serialOf(sb))
          ? "ok"
          : undefined;
      }, { timeout: 40_000, what: `upsd serving ${first} on port ${port}` });
      if (ok === "ok") return;
    }
    throw new Error("upsd did not start on any of 5 ports");
  };
  for (const [name] of upses) await startDriver(name);
  await startUpsd();
  const waitStatus = async (name: string, status: string) => {
    await waitFor(async () => {
      const r = await upsGet(port, name);
      return r === status;
    }, { timeout: 40_000, what: `ups.status of ${name} = ${status}` });
  };
  for (const [name, status] of upses) await waitStatus(name, status);

  const events = () =>
    Deno.readTextFileSync(sb.path("events.log")).split("\n").filter((l) => l).map((l) => {
      const [ms = "0", who = "", what = "", u = "", ...rest] = l.split("|");
      return { ms: Number(ms), who, what, ups: u, text: rest.join("|") };
    });
  return {
    sb,
    get port() {
      return port;
    },
    setStatus: (name, status) => writeDev(sb, name, status),
    async killDriver(name) {
      const d = drivers.get(name);
      d?.kill("SIGKILL");
      await d?.status;
    },
    startDriver,
    async restartUpsd() {
      upsd?.kill("SIGKILL");
      await upsd?.status;
      // Same port: the monitors know only that one.
      spawnUpsd();
    },
    async startMonitor(spec) {
      const lines = spec.monitors.map(([n, pv, role]) =>
        `MONITOR ${n}@127.0.0.1:${port} ${pv} ${role === "primary" ? "mon" : "sec"} pw ${role}`
      );
      const flags = [
        "ONLINE",
        "ONBATT",
        "LOWBATT",
        "FSD",
        "COMMOK",
        "COMMBAD",
        "SHUTDOWN",
        "NOCOMM",
        "REPLBATT",
        "CAL",
      ].map((t) => `NOTIFYFLAG ${t} SYSLOG+EXEC`);
      const flag = sb.path(`${spec.label}.killpower`);
      const log = sb.path("events.log");
      const note = sb.path(`notify-${spec.label}.sh`);
      Deno.writeTextFileSync(note, `#!/bin/sh\nWHO=${spec.label} exec ${notify} "$@"\n`);
      const shut = sb.path(`shutdown-${spec.label}.sh`);
      Deno.writeTextFileSync(
        shut,
        `#!/bin/sh\nprintf '%s|%s|SHUTDOWNCMD||%s\\n' "$(date +%s%3N)" ${spec.label} "$(cat ${flag} 2>/dev/null)" >> ${log}\n`,
      );
      Deno.chmodSync(note, 0o755);
      Deno.chmodSync(shut, 0o755);
      const conf = [
        ...lines,
        `MINSUPPLIES ${spec.minSupplies ?? 1}`,
        "POLLFREQ 1",
        "POLLFREQALERT 1",
        "DEADTIME 4",
        "HOSTSYNC 5",
        "FINALDELAY 1",
        "NOCOMMWARNTIME 3",
        `NOTIFYCMD ${spec.notifyCmd ?? note}`,
        ...flags,
        "NOTIFYFLAG SHUTDOWN_HOSTSYNC IGNORE",
        `POWERDOWNFLAG ${flag}`,
        `SHUTDOWNCMD ${shut}`,
        spec.extra ?? "",
      ].join("\n") + "\n";
      const file = sb.path(`${spec.label}.conf`);
      Deno.writeTextFileSync(file, conf);
      const pidDir = sb.path(`pid-${spec.label}`);
      Deno.mkdirSync(pidDir, { recursive: true });
      const d = spec.impl === "nut"
        ? spawnDaemon([
          ...nutArgv(),
          "upsmon",
          "-F",
          "-f",
          file,
          "--pidfile",
          `${pidDir}/upsmon.pid`,
        ], {
          env: { ...env, NUT_PIDPATH: pidDir },
        })
        : spawnDaemon(realUpsmonArgv(file, pidDir), { env: { ...env } });
      daemons.push(d);
      monitors.set(spec.label, d);
      await d.waitForOutput(/UPS: /, { timeout: 40_000 });
      return d;
    },
    events,
    monitorOutput: () =>
      Object.fromEntries([...monitors].map(([k, d]) => [k, d.stdout() + d.stderr()])),
    async waitEvents(cond, what, timeout = 30_000) {
      return await waitFor(() => (cond(events()) ? events() : undefined), {
        timeout,
        what,
        interval: 100,
      });
    },
    waitStatus,
    async waitLogins(name, n) {
      await waitFor(async () => (await numLogins(port, name)) === n, {
        timeout: 20_000,
        what: `${n} logins on ${name}`,
        interval: 100,
      });
    },
    async [Symbol.asyncDispose]() {
      for (const d of daemons.reverse()) await d[Symbol.asyncDispose]();
      await sb[Symbol.asyncDispose]();
    },
  };
}

/** The real upsmon in its own mount namespace, so its fixed /run/nut pid file is private. */
function realUpsmonArgv(file: string, pidDir: string): string[] {
  return [
    "unshare",
    "-m",
    "--propagation",
    "private",
    "/bin/sh",
    "-c",
    `mount --bind ${pidDir} /run/nut && exec ${REAL.upsmon} -F -p -f ${file}`,
  ];
}

function writeDev(sb: Sandbox, name: string, status: string): void {
  const p = `${sb.confPath}/${name}.dev`;
  Deno.writeTextFileSync(p, devText(status, serialOf(sb)));
  // dummy-ups re-reads only when the whole-second mtime changes: make each write distinct.
  const t = Math.floor(Date.now() / 1000) + 1000 + ++mtimeSeq;
  Deno.utimeSync(p, t, t);
}

/** One `GET VAR <ups> ups.status` over a fresh connection (undefined on any error). */
export async function upsGet(port: number, ups: string): Promise<string | undefined> {
  const line = await ask(port, `GET VAR ${ups} ups.status`);
  return /^VAR \S+ ups\.status "(.*)"/.exec(line ?? "")?.[1];
}

/** `GET NUMLOGINS <ups>` (undefined on any error). */
export async function numLogins(port: number, ups: string): Promise<number | undefined> {
  const line = await ask(port, `GET NUMLOGINS ${ups}`);
  const m = /^NUMLOGINS \S+ (\d+)/.exec(line ?? "");
  return m ? Number(m[1]) : undefined;
}

async function ask(port: number, request: string): Promise<string | undefined> {
  let conn: Deno.TcpConn | undefined;
  try {
    conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(new TextEncoder().encode(`${request}\n`));
    const buf = new Uint8Array(512);
    const n = await conn.read(buf);
    return new TextDecoder().decode(buf.subarray(0, n ?? 0));
  } catch {
    return undefined;
  } finally {
    conn?.close();
  }
}
