/**
 * `nut drvctl` (also `upsdrvctl` by program name): NUT 2.8.0's upsdrvctl
 * with its exact texts and exit codes, plus `-F`/`-B`/`-c`/`list`/`status`
 * of later releases and `-S`/`--supervise` (keep drivers running, restart
 * crashed ones with backoff). A driver `nut` implements (see
 * drivers/mod.ts) runs as `nut <driver> …`; any other runs NUT's binary
 * from `driverpath`.
 *
 * @module
 */

import { loadConfigFile } from "../../core/config/load.ts";
import { LINKS_DIR_ENV, selfPrefix } from "../self.ts";
import type { CliIo } from "../io.ts";
import { NUT_VERSION } from "../../core/version.ts";
import { resolvePaths } from "../../core/paths.ts";
import { realClock } from "../../core/runtime/clock.ts";
import { lineLogger, type Logger } from "../../core/runtime/logger.ts";
import { parseUpsConf } from "../../core/config/ups_conf.ts";
import { driverTable } from "../../core/config/driver_table.ts";
import { DRVCTL_HELP_EXTRA, drvctlHelp, parseDrvctlArgs } from "../../core/drvctl/args.ts";
import { DEBUG_HINT, type DriverStep, planDrivers, selectEntries } from "../../core/drvctl/plan.ts";
import {
  DrvctlFatal,
  type ExecContext,
  shutdownDrivers,
  signalDrivers,
  startDrivers,
  statusDrivers,
  stopDrivers,
} from "../../core/drvctl/execute.ts";
import { fileExists, spawnDriver } from "../../core/drvctl/launcher.ts";
import { type SupervisedState, Supervisor } from "../../core/drvctl/supervisor.ts";
import { findDriver } from "../../drivers/mod.ts";

/** One line for `nut help`. */
export const summary = "start, stop and shut down drivers (NUT's upsdrvctl)";

/** Where a supervising `nut drvctl -S` publishes its state. */
export function supervisorStateFile(altPidPath: string): string {
  return `${altPidPath}/upsdrvctl-supervisor.json`;
}

function selfCommand(io: CliIo): string[] | undefined {
  const self = io.env("NUT_SELF");
  if (self !== undefined && self.trim() !== "") return self.trim().split(/\s+/);
  return undefined;
}

/**
 * How one of our drivers is run: `NUT_SELF <driver>` when set (tests); else
 * its `nut links` wrapper, when upsdrvctl was started through one and the
 * driver's wrapper sits beside it (it runs the driver's bundle while fresh);
 * else this checkout's `nut <driver>`.
 * @param io process I/O (environment)
 * @returns argv prefix for a driver name (its arguments follow)
 */
export function ourDriverCommand(io: CliIo): (driver: string) => string[] {
  const self = selfCommand(io);
  if (self) return (driver) => [...self, driver];
  const links = io.env(LINKS_DIR_ENV);
  const checkout = selfPrefix({ daemon: true });
  return (driver) => {
    const wrapper = `${links}/${driver}`;
    return links?.startsWith("/") && fileExists(wrapper) ? [wrapper] : [...checkout, driver];
  };
}

/**
 * Runs upsdrvctl.
 * @param args arguments
 * @param io process I/O
 * @param prog program name for help and diagnostics
 * @returns the exit code
 */
export async function run(args: string[], io: CliIo, prog = "upsdrvctl"): Promise<number> {
  io.stdout(`Network UPS Tools - UPS driver controller ${NUT_VERSION}\n`);
  const a = parseDrvctlArgs(prog, args.map((x) => (x === "--help" ? "-h" : x)));
  for (const d of a.diagnostics) io.stderr(`${d}\n`);
  if (a.kind === "help") {
    io.stdout(drvctlHelp(prog) + (args.includes("--help") ? DRVCTL_HELP_EXTRA : ""));
    return 0;
  }
  if (a.kind === "version") return 0;
  let debug = a.debug;
  if (a.testMode) {
    io.stdout("*** Testing mode: not calling exec/kill\n");
    if (debug < 2) debug = 2;
  }
  const log = lineLogger((l) => io.stderr(l), debug);
  if (!a.passDebug) log.debug(2, DEBUG_HINT);
  if (a.kind === "unrecognized") {
    log.error(`Error: unrecognized command [${a.word}]`);
    return 1;
  }
  const paths = resolvePaths((k) => io.env(k));
  const fn = `${paths.confPath}/ups.conf`;
  const loaded = await loadConfigFile(fn, {
    confPath: paths.confPath,
    readTextFile: io.readTextFile,
  });
  if (!loaded.ok) {
    log.error(`Can't open ${fn}: ${loaded.message}`);
    return 1;
  }
  const text = loaded.text;
  const table = driverTable(parseUpsConf(text, { file: fn }));
  const driverPath = table.driverpath ?? paths.driverPath;
  const ours = ourDriverCommand(io);
  const ctx: ExecContext = {
    log,
    clock: realClock,
    table,
    testMode: a.testMode,
    altPidPath: paths.altPidPath,
    statePath: paths.statePath,
    stdout: (t) => io.stdout(t),
    command: (step: DriverStep) =>
      findDriver(step.driver)
        ? { argv: [...ours(step.driver), ...step.args], ours: true }
        : { argv: [step.program, ...step.args], ours: false },
  };
  const action = a.action!;
  try {
    if (action === "start" || action === "shutdown") {
      const flags = action === "start" && !a.supervise
        ? [...(a.foreground > 0 ? ["-F"] : []), ...(a.background ? ["-B"] : [])]
        : [];
      const plan = planDrivers(
        table,
        action,
        { ...a, debug, driverFlags: flags },
        driverPath,
        a.ups,
      );
      if (!plan.ok) throw new DrvctlFatal(plan.fatal);
      if (action === "start" && a.supervise && !a.testMode) {
        return await supervise(ctx, plan.steps, paths.altPidPath, log);
      }
      const errors = action === "start"
        ? await startDrivers(ctx, plan.steps)
        : await shutdownDrivers(ctx, plan.steps);
      return errors > 0 ? 1 : 0;
    }
    const sel = selectEntries(table, action, a.ups);
    if (!sel.ok) throw new DrvctlFatal(sel.fatal);
    switch (action) {
      case "stop":
        return stopDrivers(ctx, sel.entries) > 0 ? 1 : 0;
      case "signal":
        return signalDrivers(ctx, sel.entries, a.signalCommand!) > 0 ? 1 : 0;
      case "list":
        for (const e of sel.entries) io.stdout(`${e.name}\n`);
        return 0;
      case "status":
        await statusDrivers(ctx, sel.entries);
        io.stdout(supervisionReport(paths.altPidPath));
        return 0;
    }
  } catch (e) {
    if (e instanceof DrvctlFatal) {
      log.error(e.message);
      return 1;
    }
    throw e;
  }
}

async function supervise(
  ctx: ExecContext,
  steps: readonly DriverStep[],
  altPidPath: string,
  log: Logger,
): Promise<number> {
  const specs = [];
  for (const step of steps) {
    const { argv, ours } = ctx.command(step);
    if (!ours && !fileExists(step.program)) {
      throw new DrvctlFatal(`Can't start ${step.program}: No such file or directory`);
    }
    specs.push({
      ups: step.entry.name,
      driver: step.driver,
      argv: [...argv, "-F"],
      pidFile: `${altPidPath}/${step.driver}-${step.entry.name}.pid`,
    });
  }
  const stateFile = supervisorStateFile(altPidPath);
  const stop = new AbortController();
  const onSignal = () => stop.abort(new Error("signal"));
  for (const s of ["SIGTERM", "SIGINT"] as const) Deno.addSignalListener(s, onSignal);
  const sup = new Supervisor(specs, {
    clock: ctx.clock,
    log,
    spawn: spawnDriver,
    writePid: (p, pid) => Deno.writeTextFileSync(p, `${pid}\n`, { mode: 0o644 }),
    removePid: (p, pid) => {
      try {
        if (Deno.readTextFileSync(p).trim() === String(pid)) Deno.removeSync(p);
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
    },
    onChange: (states) =>
      Deno.writeTextFileSync(
        stateFile,
        JSON.stringify({ pid: Deno.pid, states } satisfies SupervisorFile) + "\n",
      ),
  });
  log.info(`Supervising ${specs.length} driver(s) (PID ${Deno.pid})`);
  try {
    await sup.run(stop.signal);
  } finally {
    for (const s of ["SIGTERM", "SIGINT"] as const) Deno.removeSignalListener(s, onSignal);
    removeIfPresent(stateFile);
  }
  return sup.states().some((s) => s.state === "failed") ? 1 : 0;
}

function removeIfPresent(path: string): void {
  try {
    Deno.removeSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

interface SupervisorFile {
  readonly pid: number;
  readonly states: readonly SupervisedState[];
}

function supervisionReport(altPidPath: string): string {
  let raw: string;
  try {
    raw = Deno.readTextFileSync(supervisorStateFile(altPidPath));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return "";
    throw e;
  }
  let file: SupervisorFile;
  try {
    file = JSON.parse(raw) as SupervisorFile;
  } catch (e) {
    if (e instanceof SyntaxError) return "";
    throw e;
  }
  if (!Array.isArray(file.states)) return "";
  let out = `\nSupervised by nut drvctl -S (PID ${file.pid}):\n` +
    `${"UPSNAME".padEnd(11)}\t${"UPSDRV".padStart(11)}\tSTATE\tPID\tRESTARTS\tLAST_EXIT\n`;
  for (const s of file.states) {
    out += `${s.ups.padEnd(11)}\t${s.driver.padStart(11)}\t${s.state.toUpperCase()}\t${
      s.pid ?? "N/A"
    }\t${s.restarts}\t${s.lastExit ?? "N/A"}\n`;
  }
  return out;
}
