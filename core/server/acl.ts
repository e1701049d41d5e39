/**
 * Access control from upsd.users (NUT's `user.c` checks, through the
 * config parser's {@linkcode userCanAction} / {@linkcode userCanInstcmd})
 * plus our guard against password guessing: failed credentials from one
 * address are logged (rate-limited) and answered a little later each time,
 * up to a small cap. Correct credentials are never delayed, so a guessing
 * neighbour can never lock upsmon out.
 *
 * @module
 */

import { type UpsdUsers, userCanAction, userCanInstcmd } from "../config/upsd_users.ts";
import type { Clock } from "../runtime/clock.ts";
import type { LimitedLog } from "./log_limit.ts";

/** Who asks: the credentials a connection gave. */
export interface Credentials {
  /** USERNAME given. */
  readonly username: string | undefined;
  /** PASSWORD given. */
  readonly password: string | undefined;
  /** Peer address. */
  readonly ip: string;
}

/** Failures from one address before replies start to slow down. */
export const FREE_FAILURES = 5;
/** Extra delay per failure beyond the free ones (ms). */
export const DELAY_STEP_MS = 5;
/** Longest delay of a refused reply (ms). */
export const MAX_DELAY_MS = 50;
const WINDOW_MS = 60_000;
const MAX_ADDRESSES = 4096;

/**
 * Whether the credentials match a user of upsd.users (name and password).
 * @param users parsed upsd.users
 * @param c the credentials
 * @returns true when they do
 */
export function credentialsValid(users: UpsdUsers, c: Credentials): boolean {
  if (c.username === undefined || c.password === undefined) return false;
  const u = users.users.get(c.username);
  return u !== undefined && u.password !== undefined && u.password === c.password;
}

/**
 * The rights check of upsd plus failure bookkeeping.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AccessControl } from "./acl.ts";
 * import { LimitedLog } from "./log_limit.ts";
 * import { parseUpsdUsers } from "../config/upsd_users.ts";
 * import { nullLogger } from "../runtime/logger.ts";
 * import { realClock } from "../runtime/clock.ts";
 * const users = parseUpsdUsers("[mon]\npassword=pw\nupsmon primary\n", { file: "upsd.users" });
 * const acl = new AccessControl(() => users, realClock, new LimitedLog(nullLogger, realClock));
 * const mon = { username: "mon", password: "pw", ip: "127.0.0.1" };
 * assert.equal(acl.action(mon, "FSD").granted, true);
 * assert.equal(acl.action({ ...mon, password: "x" }, "FSD").granted, false);
 * assert.equal(acl.action(mon, "SET").granted, false);
 * ```
 */
export class AccessControl {
  readonly #users: () => UpsdUsers;
  readonly #clock: Clock;
  readonly #log: LimitedLog;
  readonly #failures = new Map<string, { since: number; count: number }>();

  /**
   * @param users the current upsd.users (re-read on reload)
   * @param clock time source
   * @param log rate-limited log
   */
  constructor(users: () => UpsdUsers, clock: Clock, log: LimitedLog) {
    this.#users = users;
    this.#clock = clock;
    this.#log = log;
  }

  /**
   * Checks an action (`SET`, `FSD`, `LOGIN`, `MASTER`, `PRIMARY`).
   * @param c credentials
   * @param action the action
   * @returns whether granted, and how long to hold a refusal (ms)
   */
  action(c: Credentials, action: string): { granted: boolean; delayMs: number } {
    const granted = userCanAction(this.#users(), c.username ?? "", c.password ?? "", action);
    return granted ? { granted, delayMs: 0 } : this.#refused(c);
  }

  /**
   * Checks an instant command.
   * @param c credentials
   * @param cmd the command name
   * @returns whether granted, and how long to hold a refusal (ms)
   */
  instcmd(c: Credentials, cmd: string): { granted: boolean; delayMs: number } {
    const granted = userCanInstcmd(this.#users(), c.username ?? "", c.password ?? "", cmd);
    return granted ? { granted, delayMs: 0 } : this.#refused(c);
  }

  #refused(c: Credentials): { granted: false; delayMs: number } {
    if (credentialsValid(this.#users(), c)) return { granted: false, delayMs: 0 };
    const now = this.#clock.now();
    let f = this.#failures.get(c.ip);
    if (!f || now - f.since > WINDOW_MS) {
      if (!f && this.#failures.size >= MAX_ADDRESSES) this.#prune(now);
      f = { since: now, count: 0 };
      this.#failures.set(c.ip, f);
    }
    f.count++;
    this.#log.info(
      `auth:${c.ip}`,
      `Authentication failed for ${c.username ?? ""}@${c.ip}: unknown user or wrong password`,
    );
    const over = f.count - FREE_FAILURES;
    return { granted: false, delayMs: over > 0 ? Math.min(over * DELAY_STEP_MS, MAX_DELAY_MS) : 0 };
  }

  #prune(now: number): void {
    for (const [ip, f] of this.#failures) if (now - f.since > WINDOW_MS) this.#failures.delete(ip);
    if (this.#failures.size >= MAX_ADDRESSES) this.#failures.clear();
  }
}
