/**
 * `nut drvctl -S start` (beyond NUT): keeps drivers running in the
 * foreground as children, restarts a driver that crashed (non-zero exit or
 * killed by a signal) after an exponential backoff, and lets a driver that
 * exits cleanly (status 0, e.g. `upsdrvctl stop`) stay stopped. The state
 * is reported to a listener (written to a file that `status` reads).
 *
 * @module
 */

import type { Clock } from "../runtime/clock.ts";
import type { Logger } from "../runtime/logger.ts";
import type { RunningDriver } from "./launcher.ts";

/** First restart delay (ms). */
export const BACKOFF_MIN_MS = 1000;
/** Longest restart delay (ms). */
export const BACKOFF_MAX_MS = 30_000;
/** A driver that ran this long (ms) has its backoff reset. */
export const BACKOFF_RESET_MS = 30_000;

/**
 * The delay before restart number `failures` (1-based count of consecutive crashes).
 * @param failures consecutive crashes so far
 * @returns milliseconds
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { backoffMs } from "./supervisor.ts";
 * assert.deepEqual([1, 2, 3, 9].map(backoffMs), [1000, 2000, 4000, 30000]);
 * ```
 */
export function backoffMs(failures: number): number {
  return Math.min(BACKOFF_MIN_MS * 2 ** Math.max(0, failures - 1), BACKOFF_MAX_MS);
}

/** One supervised driver. */
export interface SupervisedSpec {
  readonly ups: string;
  readonly driver: string;
  /** Program and arguments (foreground). */
  readonly argv: readonly string[];
  /** Pid file to keep pointing at the current process. */
  readonly pidFile: string;
}

/** What `status` shows for a supervised driver. */
export interface SupervisedState {
  readonly ups: string;
  readonly driver: string;
  readonly state: "running" | "backoff" | "stopped" | "failed";
  readonly pid: number | undefined;
  readonly restarts: number;
  /** `exit 3`, `signal SIGKILL`, … */
  readonly lastExit: string | undefined;
  /** When the next start is due (epoch ms), while in backoff. */
  readonly nextStart: number | undefined;
}

/** What the supervisor needs from the outside world. */
export interface SupervisorDeps {
  readonly clock: Clock;
  readonly log: Logger;
  /** Starts a driver in the foreground. */
  spawn(argv: readonly string[]): RunningDriver;
  /** Writes a pid file. */
  writePid(path: string, pid: number): void;
  /** Removes a pid file if it still names `pid`. */
  removePid(path: string, pid: number): void;
  /** Called after every state change. */
  onChange(states: readonly SupervisedState[]): void;
}

/**
 * Supervises drivers until each has stopped cleanly or `signal` aborts
 * (then every driver gets SIGTERM and is waited for).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Supervisor } from "./supervisor.ts";
 * assert.equal(typeof Supervisor, "function");
 * ```
 */
export class Supervisor {
  readonly #specs: readonly SupervisedSpec[];
  readonly #deps: SupervisorDeps;
  readonly #states: Map<string, SupervisedState> = new Map();
  readonly #running = new Map<string, RunningDriver>();

  /**
   * @param specs the drivers
   * @param deps clock, logger, process and file operations
   */
  constructor(specs: readonly SupervisedSpec[], deps: SupervisorDeps) {
    this.#specs = specs;
    this.#deps = deps;
    for (const s of specs) {
      this.#states.set(s.ups, {
        ups: s.ups,
        driver: s.driver,
        state: "stopped",
        pid: undefined,
        restarts: 0,
        lastExit: undefined,
        nextStart: undefined,
      });
    }
  }

  /** @returns the current states, in ups.conf order */
  states(): SupervisedState[] {
    return this.#specs.map((s) => this.#states.get(s.ups)!);
  }

  #set(ups: string, patch: Partial<SupervisedState>): void {
    this.#states.set(ups, { ...this.#states.get(ups)!, ...patch });
    this.#deps.onChange(this.states());
  }

  /**
   * Runs every driver under supervision.
   * @param signal abort to stop everything
   */
  async run(signal: AbortSignal): Promise<void> {
    await Promise.all(this.#specs.map((s) => this.#keep(s, signal)));
  }

  async #keep(spec: SupervisedSpec, signal: AbortSignal): Promise<void> {
    const { clock, log } = this.#deps;
    let failures = 0;
    for (let attempt = 0; !signal.aborted; attempt++) {
      let child: RunningDriver;
      try {
        child = this.#deps.spawn(spec.argv);
      } catch (e) {
        if (!(e instanceof Error)) throw e;
        log.error(`Can't start ${spec.argv[0]}: ${e.message}`);
        this.#set(spec.ups, { state: "failed", pid: undefined, lastExit: e.message });
        return;
      }
      const started = clock.now();
      this.#running.set(spec.ups, child);
      this.#deps.writePid(spec.pidFile, child.pid);
      this.#set(spec.ups, { state: "running", pid: child.pid, nextStart: undefined });
      const stop = () => child.kill("SIGTERM");
      signal.addEventListener("abort", stop, { once: true });
      const st = await child.status;
      signal.removeEventListener("abort", stop);
      this.#running.delete(spec.ups);
      this.#deps.removePid(spec.pidFile, child.pid);
      const how = st.signal !== null ? `signal ${st.signal}` : `exit ${st.code}`;
      if (signal.aborted || (st.signal === null && st.code === 0)) {
        log.info(`Driver for UPS [${spec.ups}] stopped (${how})`);
        this.#set(spec.ups, { state: "stopped", pid: undefined, lastExit: how });
        return;
      }
      failures = clock.now() - started >= BACKOFF_RESET_MS ? 1 : failures + 1;
      const delay = backoffMs(failures);
      const restarts = this.#states.get(spec.ups)!.restarts + 1;
      log.warn(
        `Driver for UPS [${spec.ups}] crashed (${how}); restart #${restarts} in ${delay / 1000} s`,
      );
      this.#set(spec.ups, {
        state: "backoff",
        pid: undefined,
        lastExit: how,
        restarts,
        nextStart: clock.now() + delay,
      });
      try {
        await clock.sleep(delay, signal);
      } catch (e) {
        if (signal.aborted) {
          this.#set(spec.ups, { state: "stopped", nextStart: undefined });
          return;
        }
        throw e;
      }
    }
  }
}
