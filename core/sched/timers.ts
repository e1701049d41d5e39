/**
 * The upssched timer daemon's state machine: a queue of named timers,
 * the line protocol on PIPEFN (`START`, `START-SHARED`, `CANCEL`,
 * `CANCEL-MATCHED` → `OK`, anything else → `ERR UNKNOWN`) and expiry.
 * Pure: time comes in as an argument, commands to run come out.
 *
 * @module
 */

/** One pending timer. */
export interface Timer {
  readonly name: string;
  /** Due time, epoch seconds (NUT compares whole seconds). */
  readonly due: number;
  /** UPSNAME / NOTIFYTYPE / NOTIFYMSG values of the events that started it. */
  readonly upsNames: readonly string[];
  readonly notifyTypes: readonly string[];
  readonly notifyMsgs: readonly string[];
}

/** A CMDSCRIPT run the daemon must perform. */
export interface SchedRun {
  /** The argument for CMDSCRIPT (timer name or cancel command). */
  readonly arg: string;
  /** UPSNAME/NOTIFYTYPE/NOTIFYMSG for its environment (comma-joined lists). */
  readonly env: Readonly<Record<string, string>>;
}

/** Result of one request line. */
export interface RequestResult {
  /** The reply line without newline: `OK` or `ERR UNKNOWN`. */
  readonly reply: "OK" | "ERR UNKNOWN";
  /** Commands to run now (a CANCEL with a command when no timer matched). */
  readonly runs: readonly SchedRun[];
  /** Log lines. */
  readonly logs: readonly string[];
}

function addUnique(list: readonly string[], v: string | undefined): readonly string[] {
  return v === undefined || v === "" || list.includes(v) ? list : [...list, v];
}

function envOf(t: Timer): Record<string, string> {
  const env: Record<string, string> = {};
  if (t.upsNames.length) env.UPSNAME = t.upsNames.join(",");
  if (t.notifyTypes.length) env.NOTIFYTYPE = t.notifyTypes.join(",");
  if (t.notifyMsgs.length) env.NOTIFYMSG = t.notifyMsgs.join(".\t");
  return env;
}

/**
 * The timer queue.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TimerQueue } from "./timers.ts";
 * const q = new TimerQueue();
 * assert.equal(q.handle(["START", "onbatt", "2", "ONBATT", "u@h", "msg"], 100).reply, "OK");
 * assert.deepEqual(q.expire(101), []);
 * assert.equal(q.expire(102)[0]?.arg, "onbatt");
 * ```
 */
export class TimerQueue {
  #timers: Timer[] = [];

  /** Pending timers in start order. */
  get timers(): readonly Timer[] {
    return this.#timers;
  }

  /**
   * Handles one request line (already tokenized).
   * @param words the request words
   * @param now epoch seconds
   * @returns the reply, commands to run and logs
   */
  handle(words: readonly string[], now: number): RequestResult {
    const [verb, name, arg, ntype, ups, msg] = words;
    const logs: string[] = [];
    if ((verb === "CANCEL" || verb === "CANCEL-MATCHED") && name !== undefined) {
      const runs = this.#cancel(name, arg, verb === "CANCEL-MATCHED" ? ups : undefined, logs);
      // A cancel command runs with the cancelling event's names when the client sent them.
      const env: Record<string, string> = {};
      if (ups) env.UPSNAME = ups;
      if (ntype) env.NOTIFYTYPE = ntype;
      if (msg) env.NOTIFYMSG = msg;
      return { reply: "OK", runs: runs.map((r) => ({ ...r, env })), logs };
    }
    if ((verb === "START" || verb === "START-SHARED") && name !== undefined && arg !== undefined) {
      this.#start(name, arg, now, verb === "START-SHARED", { ntype, ups, msg }, logs);
      return { reply: "OK", runs: [], logs };
    }
    logs.push("Unknown command on socket: ");
    words.forEach((w, i) => logs.push(`arg ${i}: ${w}`));
    return { reply: "ERR UNKNOWN", runs: [], logs };
  }

  #start(
    name: string,
    ofs: string,
    now: number,
    shared: boolean,
    ev: { ntype: string | undefined; ups: string | undefined; msg: string | undefined },
    logs: string[],
  ): void {
    const m = /^\s*([+-]?\d+)/.exec(ofs);
    const secs = m ? Number.parseInt(m[1]!, 10) : 0;
    if (secs < 0) {
      logs.push("bogus offset for timer, ignoring");
      return;
    }
    if (shared) {
      const i = this.#timers.findIndex((t) => t.name === name);
      const t = this.#timers[i];
      if (t) {
        this.#timers[i] = {
          ...t,
          upsNames: addUnique(t.upsNames, ev.ups),
          notifyTypes: addUnique(t.notifyTypes, ev.ntype),
          notifyMsgs: addUnique(t.notifyMsgs, ev.msg),
        };
        logs.push(`Append data to shared timer: ${name}`);
        return;
      }
    }
    logs.push(`New timer: ${name} (${secs} seconds)`);
    this.#timers.push({
      name,
      due: now + secs,
      upsNames: addUnique([], ev.ups),
      notifyTypes: addUnique([], ev.ntype),
      notifyMsgs: addUnique([], ev.msg),
    });
  }

  #cancel(
    name: string,
    cmd: string | undefined,
    matchUps: string | undefined,
    logs: string[],
  ): SchedRun[] {
    const matched = matchUps !== undefined && matchUps !== "";
    let removed = 0;
    for (let i = 0; i < this.#timers.length; i++) {
      const t = this.#timers[i]!;
      if (t.name !== name) continue;
      if (matched && !t.upsNames.includes(matchUps)) continue;
      logs.push(`Cancelling timer: ${name}`);
      this.#timers.splice(i, 1);
      removed++;
      // Plain CANCEL removes the first match only (NUT 2.8.0); MATCHED removes all.
      if (!matched) break;
      i--;
    }
    if (removed > 0 || cmd === undefined || cmd === "") return [];
    logs.push(`Cancel ${name}, event: ${cmd}`);
    return [{ arg: cmd, env: {} }];
  }

  /**
   * Removes and returns the timers due at `now`, in queue order.
   * @param now epoch seconds
   * @returns the CMDSCRIPT runs
   */
  expire(now: number): SchedRun[] {
    const due = this.#timers.filter((t) => now >= t.due);
    this.#timers = this.#timers.filter((t) => now < t.due);
    return due.map((t) => ({ arg: t.name, env: envOf(t) }));
  }
}
