/**
 * An independent statement of NUT's shutdown rules (events.md §3–§4),
 * written from the spec as a replay of the whole observation history that
 * keeps only what decides a shutdown (no notifications, no poll intervals).
 * It answers "must the host shut down at this recalc?" for the status words
 * that matter (OL, OB, LB, FSD, CAL, OFF, BYPASS, ALARM, OVER), lost contact,
 * and the 2.8.x durations (OFFDURATION, OVERDURATION, OBLBDURATION,
 * ALARMCRITICAL). The randomised test cross-checks the reducer in
 * transitions.ts against it.
 *
 * @module
 */

import type { MonitorEntry, MonitorSettings } from "./settings.ts";

/** One recorded input, in order (`sec` = whole epoch seconds). */
export type HistoryItem =
  | {
    readonly sec: number;
    readonly kind: "status";
    readonly system: string;
    readonly status: string;
  }
  | {
    readonly sec: number;
    readonly kind: "lost";
    readonly system: string;
    readonly dropped: boolean;
  }
  | { readonly sec: number; readonly kind: "recalc" };

/** The model's verdict for one recalc. */
export interface ModelVerdict {
  readonly shutdown: boolean;
  readonly critical: readonly string[];
}

interface Facts {
  everOk: boolean;
  lost: boolean;
  lastOk: number;
  onBattery: boolean;
  lowBattery: boolean;
  forced: boolean;
  calibrating: boolean;
  bypass: boolean;
  off: boolean;
  offStart: number;
  offLong: boolean;
  alarm: boolean;
  over: boolean;
  overStart: number;
  /** Start of the current run of recalcs that found the UPS OB+LB (0 = none). */
  lowRunStart: number;
  lastSafe: number;
}

function fresh(): Facts {
  return {
    everOk: false,
    lost: false,
    lastOk: 0,
    onBattery: false,
    lowBattery: false,
    forced: false,
    calibrating: false,
    bypass: false,
    off: false,
    offStart: 0,
    offLong: false,
    alarm: false,
    over: false,
    overStart: 0,
    lowRunStart: 0,
    lastSafe: 0,
  };
}

/** A good poll: the words decide the flags; a flag's word absent from the text clears it. */
function absorb(f: Facts, sec: number, status: string, s: MonitorSettings): void {
  f.everOk = true;
  f.lost = false;
  f.lastOk = sec;
  const present = (w: string) => status.includes(w);
  if (!present("LB")) f.lowBattery = false;
  if (!present("FSD")) f.forced = false;
  if (!present("CAL")) f.calibrating = false;
  if (!present("BYPASS")) f.bypass = false;
  if (!present("OFF")) {
    f.off = false;
    f.offStart = 0;
    f.offLong = false;
  }
  if (!present("ALARM")) f.alarm = false;
  if (!present("OVER")) {
    f.over = false;
    f.overStart = 0;
  }
  const risky = () => f.onBattery && f.lowBattery && !f.calibrating;
  for (const raw of status.split(" ")) {
    switch (raw.toUpperCase()) {
      case "OL":
        f.onBattery = false;
        break;
      case "OB":
        f.onBattery = true;
        break;
      case "LB":
        f.lowBattery = true;
        break;
      case "FSD":
        f.forced = true;
        break;
      case "CAL":
        f.calibrating = true;
        break;
      case "BYPASS":
        f.bypass = true;
        break;
      case "ALARM":
        f.alarm = true;
        break;
      case "OVER":
        if (!f.over) f.overStart = sec;
        f.over = true;
        break;
      case "OFF":
        if (!f.off) {
          f.off = true;
          f.offStart = sec;
          if (s.offDuration === 0) f.offLong = true;
        } else if (s.offDuration > 0 && sec - f.offStart > s.offDuration) {
          f.offLong = true;
        }
        break;
    }
    // The secondary's HOSTSYNC clock runs from the last moment the UPS looked safe.
    if (!risky()) f.lastSafe = sec;
  }
}

function isCritical(f: Facts, primary: boolean, now: number, s: MonitorSettings): boolean {
  if (f.forced) return true;
  if (f.lost) {
    if (f.over && s.overDuration >= 0 && now - f.overStart >= s.overDuration) return true;
    if (f.alarm && s.alarmCritical) return true;
    if (f.calibrating || f.bypass) return true;
    if (f.offLong || (s.offDuration >= 0 && f.off)) return true;
  }
  if (f.off && f.offLong && s.offDuration >= 0) return true;
  if (!(f.onBattery && f.lowBattery)) {
    f.lowRunStart = 0;
    return false;
  }
  if (f.calibrating) return false;
  if (s.oblbDuration > 0) {
    // OB+LB must have been seen for OBLBDURATION seconds of recalcs in a row.
    if (f.lowRunStart < 1) {
      f.lowRunStart = now;
      return false;
    }
    if (now - f.lowRunStart < s.oblbDuration) return false;
  }
  return primary || now - f.lastSafe > s.hostSync;
}

/**
 * Decides whether NUT's rules require a shutdown at the recalc `history[at]`.
 * @param entries MONITOR entries
 * @param settings parameters
 * @param history every input so far; `history[at]` must be a recalc
 * @param at index of the recalc being judged
 * @returns the verdict
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { judge } from "./rule_model.ts";
 * import { DEFAULT_SETTINGS } from "./settings.ts";
 * const e = [{ system: "u", powerValue: 1, primary: true }];
 * const v = judge(e, DEFAULT_SETTINGS, [
 *   { sec: 10, kind: "status", system: "u", status: "OB LB" },
 *   { sec: 10, kind: "recalc" },
 * ], 1);
 * assert.equal(v.shutdown, true);
 * ```
 */
export function judge(
  entries: readonly MonitorEntry[],
  settings: MonitorSettings,
  history: readonly HistoryItem[],
  at: number,
): ModelVerdict {
  const facts = new Map(entries.map((e) => [e.system, fresh()]));
  let verdict: ModelVerdict = { shutdown: false, critical: [] };
  for (let i = 0; i <= at; i++) {
    const h = history[i]!;
    if (h.kind === "recalc") {
      let healthy = 0;
      const critical: string[] = [];
      for (const e of entries) {
        const f = facts.get(e.system)!;
        // A UPS last seen on battery that stays silent past DEADTIME is taken as low.
        if (f.onBattery && h.sec - f.lastOk > settings.deadTime) f.lowBattery = true;
        if (isCritical(f, e.primary, h.sec, settings)) critical.push(e.system);
        else healthy += e.powerValue;
      }
      verdict = { shutdown: healthy < settings.minSupplies, critical };
      continue;
    }
    const f = facts.get(h.system);
    if (!f) continue;
    if (h.kind === "status" && h.status !== "") absorb(f, h.sec, h.status, settings);
    else f.lost = true;
  }
  return verdict;
}
