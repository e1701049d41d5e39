/**
 * Fakes for the upsmon loop: a virtual clock whose sleeps advance time at
 * once, and a scripted upsd connection.
 * @module
 */

import type { Clock } from "../../../core/runtime/clock.ts";
import type { MonitorClient } from "../../../core/monitor/upsmon.ts";
import { NutError } from "../../../core/errors.ts";

/** A clock whose sleeps return at once after moving time forward. */
export class VirtualClock implements Clock {
  ms = 1_700_000_000_000;
  now(): number {
    return this.ms;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.ms += ms;
    return Promise.resolve();
  }
}

/** What a fake upsd says for one UPS over time. */
export interface FakeUps {
  /** ups.status per poll (last one repeats); `Error` = that poll fails. */
  statuses: Array<string | Error>;
  /** NUMLOGINS answers in order (last one repeats). */
  logins?: number[];
  /** Reject LOGIN. */
  denyLogin?: boolean;
}

/** Records every request across connections. */
export interface FakeUpsd {
  calls: string[];
  /** The clock reading at each call (same index as `calls`). */
  times: number[];
  connect(): Promise<MonitorClient>;
  polls(): number;
}

/**
 * A scripted upsd.
 * @param ups per UPS name, its script
 * @param opts refuse connections while `down()` is true
 * @returns the fake
 */
export function fakeUpsd(
  ups: Record<string, FakeUps>,
  opts: {
    down?: () => boolean;
    onPoll?: (n: number) => void;
    onConnect?: (n: number) => void;
    now?: () => number;
  } = {},
): FakeUpsd {
  const calls: string[] = [];
  const times: number[] = [];
  const record = (c: string) => {
    calls.push(c);
    times.push(opts.now?.() ?? 0);
  };
  const polled: Record<string, number> = {};
  const loginsAsked: Record<string, number> = {};
  let polls = 0;
  let connects = 0;
  return {
    calls,
    times,
    polls: () => polls,
    connect() {
      opts.onConnect?.(++connects);
      if (opts.down?.()) return Promise.reject(new Error("Connection failure: Connection refused"));
      let connected = true;
      const c: MonitorClient = {
        get connected() {
          return connected;
        },
        username: (u) => (record(`USERNAME ${u}`), Promise.resolve()),
        password: () => (record("PASSWORD"), Promise.resolve()),
        login: (u) => {
          record(`LOGIN ${u}`);
          return ups[u]?.denyLogin
            ? Promise.reject(new NutError("ACCESS-DENIED"))
            : Promise.resolve();
        },
        primary: (u) => (record(`PRIMARY ${u}`), Promise.resolve("PRIMARY")),
        getVar(u) {
          opts.onPoll?.(++polls);
          const s = ups[u]!;
          const i = polled[u] = (polled[u] ?? -1) + 1;
          const v = s.statuses[Math.min(i, s.statuses.length - 1)]!;
          record(`GET VAR ${u} ups.status`);
          if (v instanceof Error) {
            if (v.message === "Server disconnected") connected = false;
            return Promise.reject(v);
          }
          return Promise.resolve(v);
        },
        getNumLogins(u) {
          const s = ups[u]!.logins ?? [1];
          const i = loginsAsked[u] = (loginsAsked[u] ?? -1) + 1;
          record(`GET NUMLOGINS ${u}`);
          return Promise.resolve(s[Math.min(i, s.length - 1)]!);
        },
        fsd: (u) => (record(`FSD ${u}`), Promise.resolve()),
        close: () => {
          record("LOGOUT");
          connected = false;
        },
      };
      return Promise.resolve(c);
    },
  };
}
