/**
 * The driver runner: NUT's `drivers/main.c` lifecycle for any
 * {@linkcode DriverModule}. Parses the common command line and ups.conf,
 * publishes `driver.*` variables, runs `init` and the first `update`, opens
 * the socket `STATEPATH/<driver>-<ups>`, backgrounds (pid file
 * `ALTPIDPATH/<driver>-<ups>.pid`), then updates every `pollinterval`
 * seconds while serving the socket, until a signal or `driver.exit`.
 *
 * @module
 */

import { USR1_ALIAS, USR1_SIGNALS } from "../../core/runtime/signals.ts";
import { type Clock, realClock } from "../../core/runtime/clock.ts";
import { lineLogger, type Logger, nullLogger } from "../../core/runtime/logger.ts";
import { type NutPaths, resolvePaths } from "../../core/paths.ts";
import { NUT_VERSION } from "../../core/version.ts";
import { escapeValue } from "../../core/protocol/tokenize.ts";
import { UpsState } from "../../core/state/ups_state.ts";
import { bannerText, helpText, listText, parseDriverArgs } from "./args.ts";
import { configureDriver } from "./configure.ts";
import { type DriverContext, DriverFatal, type DriverModule } from "./driver.ts";
import { LinkServer } from "./link_server.ts";
import { makeHandlers } from "./handlers.ts";
import {
  BG_CHILD_ENV,
  readPid,
  READY_MARKER,
  relaunchInBackground,
  removePid,
  sendSignal,
  terminateDuplicate,
  writePid,
} from "./process.ts";

/** The process the runner talks through (a `CliIo` fits). */
export interface DriverHost {
  /** Standard output. */
  stdout(text: string): void;
  /** Standard error. */
  stderr(text: string): void;
  /** Environment lookup. */
  env(name: string): string | undefined;
  /** Reads a text file (ups.conf). */
  readTextFile(path: string): Promise<string>;
}

/** Options of {@linkcode runDriver}. */
export interface RunDriverOptions {
  /** Time source (tests inject a fake one). */
  readonly clock?: Clock;
  /** Command that re-runs this driver (program + leading args), for backgrounding. */
  readonly relaunch?: readonly string[];
  /** Stops the driver from outside (tests, in-process use). */
  readonly signal?: AbortSignal;
  /** Install process signal handlers (default true). */
  readonly handleSignals?: boolean;
  /** Whether stdout is a terminal (default: ask Deno). */
  readonly stdoutIsTerminal?: boolean;
}

/** A logger whose debug level can change at run time (`SET driver.debug`). */
class SwitchLogger implements Logger {
  target: Logger;
  constructor(target: Logger) {
    this.target = target;
  }
  get level(): number {
    return this.target.level;
  }
  info(m: string): void {
    this.target.info(m);
  }
  warn(m: string): void {
    this.target.warn(m);
  }
  error(m: string): void {
    this.target.error(m);
  }
  debug(n: number, m: string): void {
    this.target.debug(n, m);
  }
}

const SIGNALS = { SIGTERM: 15, SIGINT: 2, SIGQUIT: 3 } as const;

/**
 * Runs a driver as NUT's driver core would.
 * @param mod the driver
 * @param args command-line arguments
 * @param host stdout/stderr/env/files
 * @param opts clock, relaunch command, external stop signal
 * @returns the exit status
 */
export async function runDriver(
  mod: DriverModule,
  args: string[],
  host: DriverHost,
  opts: RunDriverOptions = {},
): Promise<number> {
  // NUT prints its banner with stdio: a terminal shows it at once; a pipe or
  // file gets it when the driver exits, and never when the driver backgrounds
  // (the buffered copy is lost in the fork). Reproduce what a script sees.
  let pending = host.env(BG_CHILD_ENV) === "1" ? "" : bannerText(mod.info);
  const flush = () => {
    if (pending === "") return;
    const text = pending;
    pending = "";
    host.stdout(text);
  };
  const wrapped: DriverHost = {
    stdout: (t) => {
      flush();
      host.stdout(t);
    },
    stderr: (t) => host.stderr(t),
    env: (k) => host.env(k),
    readTextFile: (p) => host.readTextFile(p),
  };
  if (opts.stdoutIsTerminal ?? Deno.stdout.isTerminal()) flush();
  const code = await runDriverBody(mod, args, wrapped, opts, () => (pending = ""));
  flush();
  return code;
}

async function runDriverBody(
  mod: DriverModule,
  args: string[],
  host: DriverHost,
  opts: RunDriverOptions,
  backgrounded: () => void,
): Promise<number> {
  const info = mod.info;
  const clock = opts.clock ?? realClock;
  const isChild = host.env(BG_CHILD_ENV) === "1";
  const cmd = parseDriverArgs(info.name, args);
  for (const d of cmd.diagnostics) host.stderr(`${d}\n`);
  switch (cmd.action) {
    case "help":
      host.stdout(helpText(info, info.name));
      return 0;
    case "version":
      return 0;
    case "list":
      host.stdout(listText(info));
      return 0;
    case "error":
      host.stderr(`${cmd.error}\n`);
      return 1;
  }
  const paths = resolvePaths((k) => host.env(k));
  // Once a backgrounded child has reported ready, its parent is gone and so
  // are the pipes: like NUT after background(), it prints nothing more.
  let detached = false;
  const fatal = (e: DriverFatal) => {
    if (!detached) (e.stream === "stdout" ? host.stdout : host.stderr)(`${e.message}\n`);
    return e.exitCode;
  };
  let config;
  try {
    config = await configureDriver(info, cmd, paths, (p) => host.readTextFile(p));
  } catch (e) {
    if (e instanceof DriverFatal) return fatal(e);
    throw e;
  }
  const { upsName, options } = config;
  const pidFile = `${paths.altPidPath}/${info.name}-${upsName}.pid`;
  if (cmd.signalCommand !== undefined) {
    return signalRunning(cmd.signalCommand, cmd.signalPid ?? readPid(pidFile), pidFile, host);
  }
  const level = Math.max(cmd.debug, options.debugMin ?? 0);
  const log = new SwitchLogger(lineLogger((l) => host.stderr(l), level));
  log.debug(1, `debug level is '${level}'`);
  for (const n of options.notices) log.info(n);
  // background unless -F, or -D/-d without -B
  let bgFlag = cmd.foreground > 0 ? 0 : cmd.background ? 1 : -1;
  if ((level > 0 || cmd.dump !== undefined) && bgFlag < 0) bgFlag = 0;
  const background = bgFlag !== 0 && !cmd.killpower;
  if (background && !isChild && opts.relaunch) {
    const code = await relaunchInBackground(
      [...opts.relaunch, ...args],
      (t) => host.stderr(t),
      (t) => host.stdout(t),
    );
    if (code === 0) backgrounded();
    return code;
  }
  if (!cmd.killpower && cmd.dump === undefined && !isDir(paths.statePath)) {
    return fatal(new DriverFatal(`Can't chdir to ${paths.statePath}: No such file or directory`));
  }
  const writesPid = (background || cmd.foreground >= 2) && cmd.dump === undefined;
  if (writesPid) {
    await terminateDuplicate(pidFile, log, clock);
    writePid(pidFile, log);
  }

  const stop = new AbortController();
  let exitSignal = 0;
  const onSignal = (name: keyof typeof SIGNALS) => () => {
    exitSignal = SIGNALS[name];
    stop.abort(new Error(`signal ${name}`));
  };
  const listeners: [Deno.Signal, () => void][] = [];
  if (opts.handleSignals !== false) {
    for (const name of Object.keys(SIGNALS) as (keyof typeof SIGNALS)[]) {
      const fn = onSignal(name);
      Deno.addSignalListener(name, fn);
      listeners.push([name, fn]);
    }
    // reload (SIGHUP) and reload-or-exit (SIGUSR1, or SIGUSR2 which stands in
    // for it: see core/runtime/signals.ts): nothing this core keeps can change
    // without a restart (NUT 2.8.0 ignores SIGHUP), so all are no-ops
    for (const sig of ["SIGHUP", ...USR1_SIGNALS] as Deno.Signal[]) {
      const ignore = () => log.debug(1, `${sig}: nothing to reload`);
      Deno.addSignalListener(sig, ignore);
      listeners.push([sig, ignore]);
    }
  }
  opts.signal?.addEventListener("abort", () => stop.abort(opts.signal?.reason), { once: true });

  const state = new UpsState();
  state.setStale(true);
  for (const p of options.publications) {
    state.setInfo(p.name, p.value);
    if (p.immutable) state.setImmutable(p.name);
  }
  state.setInfo("device.type", "ups");
  const ctx: DriverContext = {
    state,
    log,
    clock,
    signal: stop.signal,
    options,
    upsName,
    paths,
    stderr: (t) => {
      if (!detached) host.stderr(t);
    },
    dataOk: () => void state.setStale(false),
    dataStale: () => void state.setStale(true),
  };
  const driver = mod.create();
  const server = new LinkServer(
    state,
    log,
    makeHandlers(driver, ctx, log, {
      exit: () => {
        exitSignal = 0;
        stop.abort(new Error("driver.exit"));
      },
      setDebug: (n) => {
        if (!detached) {
          log.target = lineLogger((l) => host.stderr(l), n < 0 ? level : n);
        }
      },
    }),
  );
  try {
    if (cmd.killpower) {
      log.info("Initiating UPS shutdown");
      if (!driver.shutdown) throw new DriverFatal("shutdown not supported");
      await driver.shutdown(ctx);
      return 0;
    }
    state.setInfo("driver.version", NUT_VERSION);
    state.setInfo("driver.version.internal", info.version);
    state.setInfo("driver.name", info.name);
    await driver.init(ctx);
    await driver.update(ctx);
    checkIgnoreLb(state);
    if (cmd.dump === undefined) server.listen(`${paths.statePath}/${info.name}-${upsName}`);
    state.setInfo("driver.parameter.pollinterval", String(options.pollInterval));
    state.setInfo("driver.parameter.synchronous", options.synchronous);
    for (const k of ["mfr", "model", "serial"]) {
      const v = state.getValue(`ups.${k}`);
      if (v !== undefined) state.setInfo(`device.${k}`, v);
    }
    if (isChild) {
      log.target = nullLogger;
      writePid(pidFile, log);
      host.stdout(READY_MARKER);
      detached = true;
    }
    if (cmd.dump !== undefined) {
      for (let i = 0; i < cmd.dump && !stop.signal.aborted; i++) await driver.update(ctx);
      if (!stop.signal.aborted) await driver.update(ctx);
      host.stdout(state.list().map((v) => `${v.name}: ${escapeValue(v.value)}\n`).join(""));
      return 0;
    }
    await pollLoop(driver, ctx, clock, options.pollInterval, stop.signal);
    if (exitSignal) log.info(`Signal ${exitSignal}: exiting`);
    return 0;
  } catch (e) {
    if (e instanceof DriverFatal) return fatal(e);
    if (stop.signal.aborted && isAbort(e, stop.signal)) {
      if (exitSignal) log.info(`Signal ${exitSignal}: exiting`);
      return 0;
    }
    throw e;
  } finally {
    for (const [sig, fn] of listeners) Deno.removeSignalListener(sig, fn);
    await server.close();
    await driver.close();
    if (writesPid || isChild) removePid(pidFile);
  }
}

function isAbort(e: unknown, signal: AbortSignal): boolean {
  return e === signal.reason || (e instanceof DOMException && e.name === "AbortError");
}

async function pollLoop(
  driver: { update(ctx: DriverContext): Promise<void> },
  ctx: DriverContext,
  clock: Clock,
  pollInterval: number,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    const start = clock.now();
    try {
      await driver.update(ctx);
      const wait = start + pollInterval * 1000 - clock.now();
      if (wait > 0) await clock.sleep(wait, signal);
    } catch (e) {
      if (signal.aborted && isAbort(e, signal)) return;
      throw e;
    }
  }
}

function checkIgnoreLb(state: UpsState): void {
  if (!state.has("driver.flag.ignorelb")) return;
  const ok = (state.has("battery.charge") && state.has("battery.charge.low")) ||
    (state.has("battery.runtime") && state.has("battery.runtime.low"));
  if (!ok) {
    throw new DriverFatal(
      "The 'ignorelb' flag is set, but there is no way to determine the\n" +
        "battery state of charge.\n\n" +
        "Only set this flag if both 'battery.charge' and 'battery.charge.low'\n" +
        "and/or 'battery.runtime' and 'battery.runtime.low' are available.\n",
    );
  }
}

function isDir(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied) {
      return false;
    }
    throw e;
  }
}

const SIGNAL_COMMANDS: Record<string, Deno.Signal> = {
  exit: "SIGTERM",
  reload: "SIGHUP",
  "reload-or-exit": USR1_ALIAS,
  "reload-or-error": "SIGHUP",
};

function signalRunning(
  command: string,
  pid: number | undefined,
  pidFile: string,
  host: DriverHost,
): number {
  const name = Object.keys(SIGNAL_COMMANDS).find((k) => k.startsWith(command) && command !== "");
  if (name === undefined) {
    host.stderr(`Error: unknown driver command '${command}'. Try -h for help.\n`);
    return 1;
  }
  if (pid === undefined) {
    host.stderr(`Failed to signal the currently running daemon (PID file ${pidFile} not found)\n`);
    return 1;
  }
  if (!sendSignal(pid, SIGNAL_COMMANDS[name]!)) {
    host.stderr(`Failed to signal the currently running daemon (PID ${pid})\n`);
    return 1;
  }
  return 0;
}

/** Re-exported for drivers that need paths in tests. */
export type { NutPaths };
