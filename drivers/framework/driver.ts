/**
 * The driver interface every `nut` driver implements, mirroring NUT's
 * `upsdrv_*` entry points (`drivers/main.h`): the runner owns the process
 * lifecycle, the poll loop, staleness and the driver socket; a driver only
 * talks to its device and fills {@linkcode DriverContext.state}.
 *
 * @module
 */

import type { UpsState } from "../../core/state/ups_state.ts";
import type { Logger } from "../../core/runtime/logger.ts";
import type { Clock } from "../../core/runtime/clock.ts";
import type { NutPaths } from "../../core/paths.ts";
import type { TrackingResult } from "../../core/protocol/driver_link.ts";
import type { DriverOptions } from "./options.ts";

export type { TrackingResult };
export { TRACKING_RESULT } from "../../core/protocol/driver_link.ts";

/** One entry of a driver's variable table (NUT's `addvar()`). */
export interface DriverVarDef {
  /** `value` takes `name = value`; `flag` is a bare word. */
  readonly kind: "value" | "flag";
  /** Variable name as written in ups.conf / `-x`. */
  readonly name: string;
  /** Description shown by `-h` and `-L`. */
  readonly desc: string;
  /** Not published as `driver.parameter.<name>` (passwords, communities). */
  readonly sensitive?: boolean;
}

/** Static facts about a driver (banner, `-h`, `-L`). */
export interface DriverInfo {
  /** Program name, also the socket prefix: `dummy-ups`, `usbhid-ups`. */
  readonly name: string;
  /** Description in the banner: `Device simulation and repeater driver`. */
  readonly description: string;
  /** Driver's own version (`driver.version.internal`), e.g. `0.15`. */
  readonly version: string;
  /** Driver-specific variables and flags, in `-h`/`-L` order. */
  readonly vars: readonly DriverVarDef[];
  /** Sub-drivers printed under the banner (`name version` lines). */
  readonly subdrivers?: readonly { readonly name: string; readonly version: string }[];
  /** Text appended to `-h` (NUT's `upsdrv_help()`). */
  readonly helpExtra?: string;
}

/** What the runner hands a driver on every call. */
export interface DriverContext {
  /** The variable tree (source of truth; changes are broadcast). */
  readonly state: UpsState;
  /** Logging (stderr in the foreground). */
  readonly log: Logger;
  /** Time source for sleeps and timers. */
  readonly clock: Clock;
  /** Aborted when the driver must stop (signal, `driver.exit`). */
  readonly signal: AbortSignal;
  /** Resolved ups.conf / `-x` options of this driver. */
  readonly options: DriverOptions;
  /** The ups.conf section name (`-a`/`-s` id). */
  readonly upsName: string;
  /** NUT locations (CONFPATH for relative data files, STATEPATH, …). */
  readonly paths: NutPaths;
  /**
   * Raw diagnostics on stderr, as NUT's plain `fprintf(stderr, …)` (no
   * timestamp; nothing once backgrounded). Optional for hand-made contexts.
   */
  stderr?(text: string): void;
  /** Marks the data fresh (`DATAOK`, sent on transitions only). */
  dataOk(): void;
  /** Marks the data stale (`DATASTALE`, sent on transitions only). */
  dataStale(): void;
}

/**
 * A driver. `init` opens the device and publishes the initial data (NUT's
 * `upsdrv_initups` + `upsdrv_initinfo`); `update` runs every `pollinterval`
 * (`upsdrv_updateinfo`); `instcmd`/`setvar` answer upsd requests with a
 * tracking result; `shutdown` is `-k`; `close` releases the device.
 */
export interface Driver {
  /**
   * Opens the device and publishes initial data.
   * @param ctx the runner's context
   * @throws DriverFatal to exit with NUT's fatal message
   */
  init(ctx: DriverContext): Promise<void>;
  /**
   * One poll of the device.
   * @param ctx the runner's context
   */
  update(ctx: DriverContext): Promise<void>;
  /**
   * Runs an instant command the core does not handle itself.
   * @param ctx the runner's context
   * @param cmd command name
   * @param param optional parameter
   * @returns a tracking result (0 handled, 1 unknown, 2 invalid, 3 failed)
   */
  instcmd?(ctx: DriverContext, cmd: string, param?: string): Promise<TrackingResult>;
  /**
   * Sets a variable the core does not handle itself.
   * @param ctx the runner's context
   * @param name variable name
   * @param value new value
   * @returns a tracking result
   */
  setvar?(ctx: DriverContext, name: string, value: string): Promise<TrackingResult>;
  /**
   * Kills power (`-k`).
   * @param ctx the runner's context
   * @throws DriverFatal when unsupported or failed
   */
  shutdown?(ctx: DriverContext): Promise<void>;
  /** Releases the device (also called after a fatal error in `init`). */
  close(): Promise<void> | void;
}

/** A driver implementation: its static info and a factory. */
export interface DriverModule {
  /** Banner, help and variable table. */
  readonly info: DriverInfo;
  /**
   * Creates a fresh driver instance.
   * @returns the driver
   */
  create(): Driver;
}

/**
 * A fatal driver error: the runner prints `message` as NUT's `fatalx` does
 * (stderr) and exits with `exitCode`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DriverFatal } from "./driver.ts";
 * const e = new DriverFatal("shutdown not supported");
 * assert.equal(e.exitCode, 1);
 * ```
 */
export class DriverFatal extends Error {
  /** Process exit status. */
  readonly exitCode: number;
  /** Where NUT prints it (stderr, except the invalid-variable text). */
  readonly stream: "stdout" | "stderr";
  /**
   * @param message the exact text NUT prints (a newline is added)
   * @param options exit code (default 1), stream (default stderr) and cause
   */
  constructor(
    message: string,
    options: { exitCode?: number; stream?: "stdout" | "stderr"; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "DriverFatal";
    this.exitCode = options.exitCode ?? 1;
    this.stream = options.stream ?? "stderr";
  }
}
