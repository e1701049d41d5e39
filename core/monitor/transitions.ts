/**
 * upsmon's rules as a pure reducer: `(state, observation, now) → { state,
 * events, decisions }`. A poll result (status string or lost contact)
 * updates one UPS and yields notifications; a `recalc` observation applies
 * the dead-UPS promotion and the critical-UPS rule and decides whether the
 * host must shut down (events.md §3–§4). Times are compared in whole
 * seconds like NUT's `time_t` arithmetic.
 *
 * @module
 */

import type { NotifyType } from "./notify_types.ts";
import type { MonitorEntry, MonitorSettings } from "./settings.ts";
import { parseStatus } from "./status_parse.ts";

/** Status flags upsmon tracks for one UPS. */
export interface UpsFlags {
  readonly ol: boolean;
  readonly ob: boolean;
  readonly lb: boolean;
  readonly fsd: boolean;
  readonly cal: boolean;
  readonly off: boolean;
  readonly bypass: boolean;
  readonly alarm: boolean;
  readonly over: boolean;
  readonly trim: boolean;
  readonly boost: boolean;
  readonly eco: boolean;
}

/** No flag set. */
export const NO_FLAGS: UpsFlags = {
  ol: false,
  ob: false,
  lb: false,
  fsd: false,
  cal: false,
  off: false,
  bypass: false,
  alarm: false,
  over: false,
  trim: false,
  boost: false,
  eco: false,
};

/** What upsmon remembers about one monitored UPS (times in epoch seconds). */
export interface UpsTrack extends MonitorEntry {
  readonly flags: UpsFlags;
  /** -1 never known, 0 lost, 1 OK. */
  readonly commstate: -1 | 0 | 1;
  /** -1 start-up, 0 was on battery or lost, 1 on line. */
  readonly linestate: -1 | 0 | 1;
  readonly lastpoll: number;
  readonly lastnoncrit: number;
  readonly lastrbwarn: number;
  readonly lastncwarn: number;
  /** OFF since (0 = not OFF) and whether OFF counts as critical now. */
  readonly offsince: number;
  readonly offstate: boolean;
  /** OVER since (0 = not OVER). */
  readonly oversince: number;
  /** OB+LB first seen (OBLBDURATION), 0 = not OB+LB. */
  readonly oblbsince: number;
  /** Last `ups.alarm` text notified. */
  readonly alarmText: string;
  /** Unclassified status tokens seen at the last poll, sorted. */
  readonly others: readonly string[];
}

/** The whole monitor state. */
export interface MonitorState {
  readonly ups: readonly UpsTrack[];
  /** Current sleep between poll cycles, seconds (NUT starts at 5). */
  readonly sleepval: number;
}

/** One input to the reducer. */
export type Observation =
  | {
    /** A successful `GET VAR <ups> ups.status` (an empty status counts as lost). */
    readonly kind: "status";
    readonly system: string;
    readonly status: string;
    /** `ups.alarm`, when the status has ALARM and it could be read. */
    readonly alarm?: string;
  }
  | {
    /** Connect or poll failure; `dropped` when the connection was closed. */
    readonly kind: "lost";
    readonly system: string;
    readonly dropped: boolean;
  }
  | {
    /** End of a poll cycle: promote dead UPSes, apply the critical rule. */ readonly kind:
      "recalc";
  };

/** Something the monitor should say or log. */
export type MonitorEvent =
  | {
    readonly kind: "notify";
    readonly type: NotifyType;
    /** The UPS `system` string; undefined for host-wide events. */
    readonly system: string | undefined;
    /** Extra `%s` arguments after the system (ALARM text, OTHER tokens). */
    readonly extra: readonly string[];
  }
  | { readonly kind: "log"; readonly level: "info" | "warn" | "debug"; readonly message: string };

/** A decision the caller must act on. */
export interface ShutdownDecision {
  readonly kind: "shutdown";
  /** Sum of the power values of the non-critical UPSes. */
  readonly powerValue: number;
  readonly minSupplies: number;
  /** Systems judged critical. */
  readonly critical: readonly string[];
}

/** The reducer's output. */
export interface StepResult {
  readonly state: MonitorState;
  readonly events: readonly MonitorEvent[];
  readonly decisions: readonly ShutdownDecision[];
}

/**
 * The state right after start-up (NUT's `addups`).
 * @param entries MONITOR lines in config order (duplicates already dropped)
 * @returns the initial state
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initialState } from "./transitions.ts";
 * const s = initialState([{ system: "ups@localhost", powerValue: 1, primary: true }]);
 * assert.equal(s.ups[0]?.commstate, -1);
 * assert.equal(s.sleepval, 5);
 * ```
 */
export function initialState(entries: readonly MonitorEntry[]): MonitorState {
  return { ups: entries.map(newTrack), sleepval: 5 };
}

/**
 * A fresh track for one MONITOR entry.
 * @param e the entry
 * @returns the track
 */
export function newTrack(e: MonitorEntry): UpsTrack {
  return {
    system: e.system,
    powerValue: e.powerValue,
    primary: e.primary,
    flags: NO_FLAGS,
    commstate: -1,
    linestate: -1,
    lastpoll: 0,
    lastnoncrit: 0,
    lastrbwarn: 0,
    lastncwarn: 0,
    offsince: 0,
    offstate: false,
    oversince: 0,
    oblbsince: 0,
    alarmText: "",
    others: [],
  };
}

/**
 * Applies one observation.
 * @param state current state
 * @param obs the observation
 * @param now wall clock in milliseconds
 * @param settings upsmon.conf parameters
 * @returns the new state, the events to deliver, and any shutdown decision
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initialState, step } from "./transitions.ts";
 * import { DEFAULT_SETTINGS } from "./settings.ts";
 * let s = initialState([{ system: "u@h", powerValue: 1, primary: true }]);
 * s = step(s, { kind: "status", system: "u@h", status: "OL" }, 1_000_000, DEFAULT_SETTINGS).state;
 * const r = step(s, { kind: "status", system: "u@h", status: "OB LB" }, 1_005_000, DEFAULT_SETTINGS);
 * assert.deepEqual(r.events.filter((e) => e.kind === "notify").map((e) => e.type), ["ONBATT", "LOWBATT"]);
 * const d = step(r.state, { kind: "recalc" }, 1_005_000, DEFAULT_SETTINGS);
 * assert.equal(d.decisions.length, 1);
 * ```
 */
export function step(
  state: MonitorState,
  obs: Observation,
  now: number,
  settings: MonitorSettings,
): StepResult {
  const sec = Math.floor(now / 1000);
  if (obs.kind === "recalc") return recalc(state, sec, settings);
  const idx = state.ups.findIndex((u) => u.system === obs.system);
  const ups = state.ups[idx];
  if (!ups) {
    return {
      state,
      events: [{ kind: "log", level: "debug", message: `unknown UPS [${obs.system}]` }],
      decisions: [],
    };
  }
  const events: MonitorEvent[] = [];
  let sleepval = state.sleepval;
  let next: UpsTrack;
  if (obs.kind === "lost" || obs.status === "") {
    next = isGone(ups, sec, settings, events);
    if (obs.kind === "lost" && obs.dropped) next = { ...next, commstate: 0, linestate: 0 };
  } else {
    next = isAlive(ups, sec, events);
    const r = parseStatus(next, obs.status, obs.alarm, sec, settings, sleepval, events);
    next = r.ups;
    sleepval = r.sleepval;
  }
  const list = state.ups.slice();
  list[idx] = next;
  return { state: { ups: list, sleepval }, events, decisions: [] };
}

function notify(system: string | undefined, type: NotifyType, extra: string[] = []): MonitorEvent {
  return { kind: "notify", type, system, extra };
}

function isAlive(ups: UpsTrack, sec: number, events: MonitorEvent[]): UpsTrack {
  if (ups.commstate === 0) events.push(notify(ups.system, "COMMOK"));
  return { ...ups, lastpoll: sec, commstate: 1 };
}

function isGone(
  ups: UpsTrack,
  sec: number,
  settings: MonitorSettings,
  events: MonitorEvent[],
): UpsTrack {
  if (ups.commstate !== 0) {
    events.push(notify(ups.system, "COMMBAD"));
    return { ...ups, commstate: 0 };
  }
  if (sec - ups.lastpoll < settings.noCommWarnTime) return ups;
  if (sec - ups.lastncwarn > settings.noCommWarnTime) {
    events.push(notify(ups.system, "NOCOMM"));
    return { ...ups, lastncwarn: sec };
  }
  return ups;
}

/**
 * The critical-UPS rule for one UPS (NUT's `is_ups_critical`, 2.8.x).
 * @param ups the UPS (after dead promotion)
 * @param sec now, epoch seconds
 * @param settings parameters
 * @param events receives the warnings NUT logs
 * @returns whether the UPS is critical, and the updated OB+LB timer
 */
export function isCritical(
  ups: UpsTrack,
  sec: number,
  settings: MonitorSettings,
  events: MonitorEvent[] = [],
): { critical: boolean; ups: UpsTrack } {
  const f = ups.flags;
  const warn = (message: string) => events.push({ kind: "log", level: "warn", message });
  if (f.fsd) return { critical: true, ups };
  if (ups.commstate === 0) {
    if (f.over && settings.overDuration >= 0 && sec - ups.oversince >= settings.overDuration) {
      warn(
        `UPS [${ups.system}] was last known to be overloaded for longer than the set threshold of ${settings.overDuration} sec and is still not communicating, assuming dead`,
      );
      return { critical: true, ups };
    }
    if (f.alarm && settings.alarmCritical) {
      warn(
        `UPS [${ups.system}] was last known to be in an ALARM state and currently is not communicating, assuming dead. If this is in error and causes unwanted shutdowns, consider disabling the upsmon ALARMCRITICAL option.`,
      );
      return { critical: true, ups };
    }
    if (f.cal) {
      warn(
        `UPS [${ups.system}] was last known to be calibrating and currently is not communicating, assuming dead`,
      );
      return { critical: true, ups };
    }
    if (f.bypass) {
      warn(
        `UPS [${ups.system}] was last known to be on BYPASS and currently is not communicating, assuming dead`,
      );
      return { critical: true, ups };
    }
    if (ups.offstate || (settings.offDuration >= 0 && f.off)) {
      warn(
        `UPS [${ups.system}] was last known to be (administratively) OFF and currently is not communicating, assuming dead`,
      );
      return { critical: true, ups };
    }
  }
  if (f.off && settings.offDuration >= 0 && ups.offstate) {
    warn(`UPS [${ups.system}] is reported as (administratively) OFF`);
    return { critical: true, ups };
  }
  if (!f.ob || !f.lb) {
    return { critical: false, ups: ups.oblbsince > 0 ? { ...ups, oblbsince: 0 } : ups };
  }
  if (f.cal) {
    warn(
      `is_ups_critical: seems that UPS [${ups.system}] is OB+LB now, but it is also calibrating - not declaring a critical state`,
    );
    return { critical: false, ups };
  }
  const u = ups;
  if (settings.oblbDuration > 0) {
    if (u.oblbsince < 1) return { critical: false, ups: { ...u, oblbsince: sec } };
    if (sec - u.oblbsince < settings.oblbDuration) return { critical: false, ups: u };
  }
  if (u.primary) return { critical: true, ups: u };
  if (sec - u.lastnoncrit > settings.hostSync) {
    warn(`Giving up on the primary for UPS [${u.system}]`);
    return { critical: true, ups: u };
  }
  return { critical: false, ups: u };
}

function recalc(state: MonitorState, sec: number, settings: MonitorSettings): StepResult {
  const events: MonitorEvent[] = [];
  const critical: string[] = [];
  let valOl = 0;
  const list = state.ups.map((ups0) => {
    let ups = ups0;
    if (sec - ups.lastpoll > settings.deadTime && ups.flags.ob && !ups.flags.lb) {
      events.push({ kind: "log", level: "debug", message: `Promoting dead UPS: ${ups.system}` });
      ups = { ...ups, flags: { ...ups.flags, lb: true } };
    }
    const r = isCritical(ups, sec, settings, events);
    if (r.critical) {
      critical.push(ups.system);
      events.push({ kind: "log", level: "debug", message: `Critical UPS: ${ups.system}` });
    } else {
      valOl += ups.powerValue;
    }
    return r.ups;
  });
  const decisions: ShutdownDecision[] = valOl < settings.minSupplies
    ? [{ kind: "shutdown", powerValue: valOl, minSupplies: settings.minSupplies, critical }]
    : [];
  return { state: { ...state, ups: list }, events, decisions };
}
