/**
 * Carrying out upsdrvctl's plan with NUT 2.8.0's log lines and error
 * counting: start (retries, maxstartdelay, nowait), stop (pid files,
 * SIGTERM), shutdown (`-k`), `-c` signals, and the ≥2.8.3 `list`/`status`
 * reports. Process work goes through {@linkcode ./launcher.ts}.
 *
 * @module
 */

import { USR1_ALIAS } from "../runtime/signals.ts";
import type { Clock } from "../runtime/clock.ts";
import type { Logger } from "../runtime/logger.ts";
import type { DriverTable } from "../config/driver_table.ts";
import type { DriverStep } from "./plan.ts";
import { pidFiles } from "./plan.ts";
import {
  fileExists,
  launchAndWait,
  type LaunchResult,
  pidAlive,
  probeDriver,
  readPidFile,
  signalPid,
} from "./launcher.ts";

/** Everything execution needs. */
export interface ExecContext {
  readonly log: Logger;
  readonly clock: Clock;
  readonly table: DriverTable;
  readonly testMode: boolean;
  readonly altPidPath: string;
  readonly statePath: string;
  /** How to run a driver: NUT's binary or our own implementation. */
  command(step: DriverStep): { argv: string[]; ours: boolean };
  /** Standard output. */
  stdout(text: string): void;
}

const execLine = (step: DriverStep) =>
  `exec: ${[step.program, ...step.args].map((a) => ` ${a}`).join("")}`;

/** Fatal error inside execution (NUT's `fatalx`): stops everything, exit 1. */
export class DrvctlFatal extends Error {
  /**
   * @param message the text NUT prints
   */
  constructor(message: string) {
    super(message);
    this.name = "DrvctlFatal";
  }
}

function countFailure(log: Logger, r: LaunchResult): boolean {
  switch (r.kind) {
    case "timeout":
      log.warn("Startup timer elapsed, continuing...");
      return true;
    case "signaled":
      log.warn("Driver exited abnormally");
      return true;
    case "exited":
      if (r.code === 0) return false;
      log.warn(`Driver failed to start (exit status=${r.code})`);
      return true;
    case "spawn-error":
      throw new DrvctlFatal(`execv: ${r.message}`);
    case "not-waited":
      return false;
  }
}

async function runStep(ctx: ExecContext, step: DriverStep): Promise<boolean> {
  const { argv, ours } = ctx.command(step);
  if (ours) ctx.log.debug(5, `(nut runs its own ${step.driver}: ${argv.join(" ")})`);
  if (ctx.testMode) return false;
  if (ctx.table.nowait) {
    const r = await launchAndWait(argv, step.maxstartdelay, ctx.clock, false);
    ctx.log.debug(2, "'nowait' set, continuing...");
    return countFailure(ctx.log, r);
  }
  return countFailure(ctx.log, await launchAndWait(argv, step.maxstartdelay, ctx.clock));
}

/**
 * `start`: every step in order, with maxretry attempts and retrydelay pauses.
 * @param ctx execution context
 * @param steps the plan
 * @returns the number of failed drivers
 * @throws DrvctlFatal when a driver program is missing
 */
export async function startDrivers(
  ctx: ExecContext,
  steps: readonly DriverStep[],
): Promise<number> {
  let errors = 0;
  for (const step of steps) {
    ctx.log.debug(1, `Starting UPS: ${step.entry.name}`);
    if (!ctx.command(step).ours && !fileExists(step.program)) {
      throw new DrvctlFatal(`Can't start ${step.program}: No such file or directory`);
    }
    const before = errors;
    for (let left = ctx.table.maxretry; left > 0;) {
      ctx.log.debug(2, `${left} remaining attempts`);
      ctx.log.debug(2, execLine(step));
      left--;
      const failed = await runStep(ctx, step);
      if (!failed) {
        errors = before;
        break;
      }
      errors++;
      if (left > 0 && ctx.table.retrydelay >= 0) await ctx.clock.sleep(ctx.table.retrydelay * 1000);
    }
  }
  return errors;
}

/**
 * `shutdown`: runs each driver with `-k`, in sdorder.
 * @param ctx execution context
 * @param steps the plan
 * @returns the number of failures
 */
export async function shutdownDrivers(
  ctx: ExecContext,
  steps: readonly DriverStep[],
): Promise<number> {
  let errors = 0;
  for (const step of steps) {
    ctx.log.debug(1, `Shutdown UPS: ${step.entry.name}`);
    ctx.log.debug(2, execLine(step));
    if (await runStep(ctx, step)) errors++;
  }
  return errors;
}

/**
 * `stop`: SIGTERM to the pid in each driver's pid file.
 * @param ctx execution context
 * @param entries the entries
 * @returns the number of failures
 */
export function stopDrivers(ctx: ExecContext, entries: DriverTable["entries"]): number {
  let errors = 0;
  for (const e of entries) {
    ctx.log.debug(1, `Stopping UPS: ${e.name}`);
    const files = pidFiles(e, ctx.altPidPath);
    let path = files[0]!;
    let found = fileExists(path);
    if (!found && files[1] !== undefined) {
      ctx.log.error(`Can't open ${path}: No such file or directory`);
      path = files[1];
      found = fileExists(path);
    }
    if (!found) {
      ctx.log.error(`Can't open ${path} either: No such file or directory`);
      errors++;
      continue;
    }
    ctx.log.debug(2, `Sending signal to ${path}`);
    if (ctx.testMode) continue;
    const pid = readPidFile(path);
    const err = "pid" in pid ? signalPid(pid.pid, "SIGTERM") : pid.error;
    if (err !== undefined) {
      ctx.log.error(`Stopping ${path} failed: ${err}`);
      errors++;
    }
  }
  return errors;
}

const SIGNAL_COMMANDS: Readonly<Record<string, Deno.Signal>> = {
  reload: "SIGHUP",
  "reload-or-error": "SIGHUP",
  "reload-or-exit": USR1_ALIAS,
  exit: "SIGTERM",
};

/**
 * `-c <command>`: signals running drivers through their pid files.
 * @param ctx execution context
 * @param entries the entries
 * @param command `reload`, `reload-or-error`, `reload-or-exit`, `exit`
 * @returns the number of failures
 * @throws DrvctlFatal for an unknown command
 */
export function signalDrivers(
  ctx: ExecContext,
  entries: DriverTable["entries"],
  command: string,
): number {
  const sig = SIGNAL_COMMANDS[command];
  if (sig === undefined || !Object.hasOwn(SIGNAL_COMMANDS, command)) {
    throw new DrvctlFatal(`Error: unrecognized command [${command}]`);
  }
  let errors = 0;
  for (const e of entries) {
    const path = pidFiles(e, ctx.altPidPath)[0]!;
    ctx.log.debug(1, `Signalling UPS ${e.name}: ${command}`);
    if (ctx.testMode) continue;
    const pid = readPidFile(path);
    const err = "pid" in pid ? signalPid(pid.pid, sig) : `Can't open ${path}: ${pid.error}`;
    if (err !== undefined) {
      ctx.log.error(`Signalling ${e.name} failed: ${err}`);
      errors++;
    }
  }
  return errors;
}

/**
 * `status` (NUT ≥2.8.3 format): pid file, liveness, socket answers.
 * @param ctx execution context
 * @param entries the entries
 */
export async function statusDrivers(
  ctx: ExecContext,
  entries: DriverTable["entries"],
): Promise<void> {
  ctx.stdout(
    `${"UPSNAME".padEnd(11)}\t${
      "UPSDRV".padStart(11)
    }\tRUNNING\tPF_PID\tS_RESPONSIVE\tS_PID\tS_STATUS\n`,
  );
  for (const e of entries) {
    const driver = e.driver ?? "(null)";
    const fromFile = readPidFile(`${ctx.altPidPath}/${driver}-${e.name}.pid`);
    const pfPid = "pid" in fromFile ? fromFile.pid : -1;
    const probe = await probeDriver(`${ctx.statePath}/${driver}-${e.name}`);
    const sockPid = probe.pid === undefined ? -1 : Number.parseInt(probe.pid, 10);
    const alivePid = pfPid >= 0 ? pfPid : sockPid;
    const running = pfPid < 0 && sockPid < 0
      ? "N/A"
      : pidAlive(alivePid) || (sockPid >= 0 && pidAlive(sockPid))
      ? "RUNNING"
      : "STOPPED";
    ctx.stdout(
      `${e.name.padEnd(11)}\t${driver.padStart(11)}\t${running}\t${pfPid}\t${
        probe.responsive ? "RESPONSIVE" : "NOT_RESPONSIVE"
      }\t${probe.pid ?? "N/A"}\t${probe.status ?? ""}\n`,
    );
  }
}
