/**
 * `nut upsmon`: NUT's upsmon. Reads upsmon.conf unchanged, monitors the
 * UPSes through upsd and shuts the host down safely (core/monitor). One
 * process (no privilege split): POWERDOWNFLAG and SHUTDOWNCMD are handled
 * in-process, once. The pid file follows NUT_PIDPATH/NUT_ALTPIDPATH, or
 * `--pidfile <path>` so several instances can run side by side.
 *
 * @module
 */

import { loadConfigFile } from "../../core/config/load.ts";
import { selfArgv, USR1_ALIAS, USR1_SIGNALS } from "../self.ts";
import type { CliIo } from "../io.ts";
import { getopt } from "../getopt.ts";
import { NUT_VERSION } from "../../core/version.ts";
import { resolvePaths } from "../../core/paths.ts";
import { parseUpsmonConf, type UpsmonConf } from "../../core/config/upsmon_conf.ts";
import { tokenize } from "../../core/protocol/tokenize.ts";
import { realClock } from "../../core/runtime/clock.ts";
import { lineLogger, type Logger } from "../../core/runtime/logger.ts";
import { NutClient } from "../../core/client/client.ts";
import { clientErrorText } from "../../core/client/errors.ts";
import { NutError } from "../../core/errors.ts";
import { Notifier } from "../../core/monitor/notify.ts";
import {
  monitorConfig,
  notifyConfig,
  shutdownExitSeconds,
  startupLog,
} from "../../core/monitor/conf_adapter.ts";
import { Upsmon, type UpsmonConfig } from "../../core/monitor/upsmon.ts";
import { readPidFile, signalPid, writePidFile } from "../../core/monitor/pidfile.ts";
import {
  checkKillPower,
  isRoot,
  powerDownFlagStatus,
  processSinks,
  removeFile,
  runShell,
  syslogWriter,
  writePowerDownFlag,
} from "../../core/monitor/system.ts";

/** One line for `nut help`. */
export const summary = "monitor UPSes and shut down safely (NUT's upsmon)";

// fsd goes out as SIGUSR2: Deno opens its debugger on SIGUSR1 (see cli/self.ts)
const SIGNALS = { fsd: USR1_ALIAS, stop: "SIGTERM", reload: "SIGHUP" } as const;
const SIGNUM: Record<string, number> = { SIGTERM: 15, SIGINT: 2, SIGQUIT: 3 };

function help(io: CliIo, prog: string): number {
  io.stdout(
    "Monitors UPS servers and may initiate shutdown if necessary.\n\n" +
      `usage: ${prog} [OPTIONS]\n\n` +
      "  -c <cmd>\tsend command to running process\n" +
      "\t\tcommands:\n" +
      "\t\t - fsd: shutdown all primary-mode UPSes (use with caution)\n" +
      "\t\t - reload: reread configuration\n" +
      "\t\t - stop: stop monitoring and exit\n" +
      "  -P <pid>\tsend the signal above to specified PID (bypassing PID file)\n" +
      "  -D\t\traise debugging level (and stay foreground by default)\n" +
      "  -F\t\tstay foregrounded even if no debugging is enabled\n" +
      "  -B\t\tstay backgrounded even if debugging is bumped\n" +
      "  -h\t\tdisplay this help\n" +
      "  -K\t\tchecks POWERDOWNFLAG, sets exit code to 0 if set\n" +
      "  -p\t\talways run privileged (disable privileged parent)\n" +
      "  -u <user>\trun child as user <user> (ignored when using -p)\n" +
      "  -4\t\tIPv4 only\n" +
      "  -6\t\tIPv6 only\n",
  );
  return 0;
}

/** Options after parsing. */
interface Options {
  cmd: Deno.Signal | undefined;
  pid: number | undefined;
  debug: number;
  foreground: boolean | undefined;
  configFile: string | undefined;
  check: boolean;
  single: boolean;
  pidFile: string | undefined;
}

function splitPidfile(args: string[]): { args: string[]; pidFile: string | undefined } {
  const out: string[] = [];
  let pidFile: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--pidfile" && i + 1 < args.length) pidFile = args[++i];
    else if (a.startsWith("--pidfile=")) pidFile = a.slice("--pidfile=".length);
    else out.push(a);
  }
  return { args: out, pidFile };
}

/**
 * Runs upsmon.
 * @param argv arguments
 * @param io process I/O
 * @param prog program name for messages
 * @returns the exit code
 */
export function run(argv: string[], io: CliIo, prog = "upsmon"): Promise<number> {
  return runUpsmon(argv, io, prog, () => selfArgv("upsmon", [], { daemon: true }));
}

/**
 * Runs upsmon.
 * @param argv arguments
 * @param io process I/O
 * @param prog program name for messages
 * @param relaunch the command line (before upsmon's arguments) that runs this
 *   same upsmon again, for going to the background
 * @returns the exit code
 */
export async function runUpsmon(
  argv: string[],
  io: CliIo,
  prog: string,
  relaunch: () => string[],
): Promise<number> {
  io.stdout(`Network UPS Tools upsmon ${NUT_VERSION}\n`);
  const { args, pidFile } = splitPidfile(argv);
  const o: Options = {
    cmd: undefined,
    pid: undefined,
    debug: 0,
    foreground: undefined,
    configFile: undefined,
    check: false,
    single: false,
    pidFile,
  };
  const g = getopt(prog, args, "+DFBhic:P:f:pu:VK46");
  for (const e of g.errors) io.stderr(`${e}\n`);
  for (const { opt, arg } of g.opts) {
    switch (opt) {
      case "c": {
        const a = arg ?? "";
        const found = (Object.keys(SIGNALS) as Array<keyof typeof SIGNALS>)
          .filter((k) => k.startsWith(a));
        // NUT tests every word in turn; the last prefix match wins ("" matches all → reload).
        if (found.length === 0) return help(io, prog);
        o.cmd = SIGNALS[found[found.length - 1]!];
        break;
      }
      case "P": {
        const n = Number.parseInt(arg ?? "", 10);
        if (!(n >= 0)) return help(io, prog);
        o.pid = n;
        break;
      }
      case "D":
        o.debug++;
        break;
      case "F":
        o.foreground = true;
        break;
      case "B":
        o.foreground = false;
        break;
      case "f":
        o.configFile = arg;
        break;
      case "K":
        o.check = true;
        break;
      case "p":
        o.single = true;
        break;
      case "u":
      case "4":
      case "6":
        break;
      case "V":
        return 0;
      default:
        return help(io, prog);
    }
  }
  const paths = resolvePaths((k) => io.env(k));
  const pidPath = o.pidFile ?? `${paths.pidPath}/upsmon.pid`;
  if (o.cmd) return signalRunning(io, pidPath, o.pid, o.cmd) ? 0 : 1;

  let log = lineLogger((l) => io.stderr(l), o.debug);
  if (o.pid !== undefined ? sendSignal(io, o.pid, 0) : pidFileAlive(io, pidPath, log)) {
    io.stdout("Fatal error: A previous upsmon instance is already running!\n");
    io.stdout("Either stop the previous instance first, or use the 'reload' command.\n");
    return 1;
  }
  const configFile = o.configFile ?? `${paths.confPath}/upsmon.conf`;
  const loaded = await loadConf(io, configFile);
  if (!loaded) return 1;
  const { conf } = loaded;
  // DEBUG_MIN raises the debug level (never lowers what -D asked for), but
  // only -D decides the foreground, as in NUT.
  const cliDebug = o.debug;
  if (conf.debugMin !== undefined && conf.debugMin > o.debug) {
    o.debug = conf.debugMin;
    log = lineLogger((l) => io.stderr(l), o.debug);
  }
  for (const l of loaded.startup) log.info(l);
  if (conf.problems.some((p) => p.fatal && p.message.startsWith("Unable to use old-style"))) {
    log.error("Convert it and add a username to upsd.users - see the documentation");
    log.error("Fatal error: unusable configuration");
    return 1;
  }
  if (o.check) return checkKillPower(conf.powerDownFlag, log);
  if (conf.shutdownCmd === undefined) io.stdout("Warning: no shutdown command defined!\n");
  let powerDownFlag = conf.powerDownFlag;
  if (powerDownFlag !== undefined) {
    const st = powerDownFlagStatus(powerDownFlag);
    if (st === "ours") removeFile(powerDownFlag);
    if (st === "foreign") {
      // NUT's text (sic: no space) — and NUT stops using the flag file.
      log.error(
        `POWERDOWNFLAG (${powerDownFlag}) does not containthe upsmon magic string - disabling!`,
      );
      powerDownFlag = undefined;
    }
  }
  const total = conf.monitors.reduce((s, m) => s + m.powerValue, 0);
  if (total < conf.minSupplies) {
    io.stdout("\nFatal error: insufficient power configured!\n\n");
    io.stdout(`Sum of power values........: ${total}\n`);
    io.stdout(`Minimum value (MINSUPPLIES): ${conf.minSupplies}\n`);
    io.stdout("\nEdit your upsmon.conf and change the values.\n");
    return 1;
  }
  const foreground = o.foreground ?? (cliDebug > 0 || io.env("NUT_UPSMON_BACKGROUNDED") === "1");
  if (!foreground) return await background([...relaunch(), ...argv], io, pidPath);
  return await monitor(io, o, { ...conf, powerDownFlag }, configFile, pidPath, log);
}

async function loadConf(
  io: CliIo,
  file: string,
): Promise<{ conf: UpsmonConf; startup: string[] } | undefined> {
  const loaded = await loadConfigFile(file, { confPath: "", readTextFile: io.readTextFile });
  if (!loaded.ok) {
    io.stderr(`${loaded.message}\n`);
    return undefined;
  }
  const text = loaded.text;
  const conf = parseUpsmonConf(text, { file });
  return { conf, startup: startupLog(conf, tokenize(text)) };
}

function sendSignal(io: CliIo, pid: number, sig: Deno.Signal | 0): boolean {
  const why = signalPid(pid, sig);
  if (why !== undefined) io.stderr(`${why}\n`);
  return why === undefined;
}

function pidFileAlive(io: CliIo, pidPath: string, log: Logger): boolean {
  const r = readPidFile(pidPath);
  if (r.kind !== "pid") {
    io.stderr(`${r.message}\n`);
    log.warn(
      `Could not ${
        r.kind === "missing" ? "find" : "parse"
      } PID file to see if previous upsmon instance is already running!\n`,
    );
    return false;
  }
  return r.pid !== Deno.pid && sendSignal(io, r.pid, 0);
}

function signalRunning(
  io: CliIo,
  pidPath: string,
  pid: number | undefined,
  sig: Deno.Signal,
): boolean {
  if (pid !== undefined) return sendSignal(io, pid, sig);
  const r = readPidFile(pidPath);
  if (r.kind !== "pid") {
    io.stderr(`${r.message}\n`);
    return false;
  }
  return sendSignal(io, r.pid, sig);
}

async function background(command: string[], io: CliIo, pidPath: string): Promise<number> {
  removeFile(pidPath);
  const [cmd, ...args] = command;
  const child = new Deno.Command(cmd!, {
    args,
    env: { NUT_UPSMON_BACKGROUNDED: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "null",
    detached: true,
  }).spawn();
  child.unref();
  // Return once the monitor is up (its pid file exists), like NUT's fork.
  for (let i = 0; i < 200; i++) {
    try {
      Deno.statSync(pidPath);
      return 0;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    await realClock.sleep(50);
  }
  io.stderr("upsmon: the background process did not start\n");
  return 1;
}

async function monitor(
  io: CliIo,
  o: Options,
  conf: UpsmonConf,
  configFile: string,
  pidPath: string,
  stderrLog: Logger,
): Promise<number> {
  const bg = io.env("NUT_UPSMON_BACKGROUNDED") === "1" && o.foreground === undefined;
  const log = bg ? lineLogger(syslogWriter(), o.debug) : stderrLog;
  writePidFile(pidPath);
  if (o.single) log.info("Warning: running as one big root process by request (upsmon -p)");
  log.info("Init SSL without certificate database");
  const sinks = processSinks((m) => log.error(`Can't notify: ${m}`));
  const notifier = new Notifier(notifyConfig(conf), log, sinks);
  const config: UpsmonConfig = monitorConfig(conf);
  // Mutable: a reload under -p may change SHUTDOWNCMD/POWERDOWNFLAG.
  const host = {
    failurePrefix: o.single ? "" : "parent: ",
    shutdownCmd: conf.shutdownCmd,
    powerDownFlag: conf.powerDownFlag,
    writePowerDownFlag,
    runShell: async (cmd: string) => {
      if (o.single && !isRoot()) log.warn("Not root, shutdown may fail");
      // Let the SHUTDOWN notification go first, but never wait long for a notifier.
      await sinks.idle(1000);
      return await runShell(cmd);
    },
    wall: (text: string) => sinks.wall(text),
  };
  const mon = new Upsmon(config, {
    clock: realClock,
    log,
    notifier,
    connect: (t) =>
      NutClient.connect({
        host: t.host,
        port: t.port,
        tryTls: true,
        timeoutMs: 10_000,
        readTimeoutMs: 10_000,
      }),
    errorText: clientErrorText,
    refuseConnect: (t) =>
      conf.certVerify === 1 && conf.certPath === undefined
        ? [
          "Configuration error: CERTVERIFY is set, but CERTPATH isn't",
          `UPS [${t.system}]: Connection impossible, dropping link`,
        ]
        : undefined,
    isUnknownUps: (e) => e instanceof NutError && e.code === "UNKNOWN-UPS",
    host,
    reload: async () => {
      const again = await loadConf(io, configFile);
      if (!again) {
        log.error(`Reload failed: can't open ${configFile}`);
        return undefined;
      }
      for (const l of again.startup) if (!/^(UPS: |Using power down flag)/.test(l)) log.warn(l);
      notifier.configure(notifyConfig(again.conf));
      for (
        const [key, now] of [["SHUTDOWNCMD", again.conf.shutdownCmd], [
          "POWERDOWNFLAG",
          again.conf.powerDownFlag,
        ]] as const
      ) {
        const field = key === "SHUTDOWNCMD" ? "shutdownCmd" : "powerDownFlag";
        if (host[field] === now) continue;
        // As NUT: -p applies it; otherwise the (here imaginary) privileged parent keeps the old one.
        if (o.single) host[field] = now;
        else {
          log.warn(`Warning: ${key} redefined in split-process mode!`);
          log.warn("You must restart upsmon for this change to work");
        }
      }
      return monitorConfig(again.conf);
    },
  });
  let stopSignal = 0;
  const handlers: Array<[Deno.Signal, () => void]> = [
    ["SIGHUP", () => mon.requestReload()],
    ...USR1_SIGNALS.map((s): [Deno.Signal, () => void] => [s, () => mon.requestFsd()]),
    ...(["SIGTERM", "SIGINT", "SIGQUIT"] as const).map((s): [Deno.Signal, () => void] => [
      s,
      () => {
        stopSignal = SIGNUM[s] ?? 15;
        mon.requestStop();
      },
    ]),
  ];
  for (const [s, h] of handlers) Deno.addSignalListener(s, h);
  try {
    const end = await mon.run();
    await sinks.idle(2000);
    if (end.kind === "stopped") log.info(`Signal ${stopSignal}: exiting`);
    if (end.kind === "fatal") {
      log.error(end.message);
      return 1;
    }
    if (end.kind === "shutdown") {
      // SHUTDOWNEXIT (2.8.1+): linger n seconds, or (-1) until stopped.
      const n = shutdownExitSeconds(conf.shutdownExit);
      const limit = n < 0 ? 1e9 : n;
      for (let i = 0; i < limit && stopSignal === 0; i++) await realClock.sleep(1000);
    }
    return 0;
  } finally {
    for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
    removeFile(pidPath);
  }
}
