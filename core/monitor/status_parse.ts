/**
 * upsmon's handling of one `ups.status` string (NUT's `parse_status`):
 * flag transitions, their notifications, the poll-interval bumps and the
 * "last non-critical" timer. Pure; used by the reducer in transitions.ts.
 *
 * @module
 */

import type { NotifyType } from "./notify_types.ts";
import type { MonitorSettings } from "./settings.ts";
import type { MonitorEvent, UpsFlags, UpsTrack } from "./transitions.ts";

/**
 * Tokens upsmon knows but does not react to. `WAIT` is upsd's own
 * placeholder while it (re)connects to a driver, not a device state: it is
 * not reported as an unclassified (OTHER) token.
 */
const IGNORED = new Set(["HB", "CHRG", "DISCHRG", "WAIT"]);

/** Flags cleared (with a NOT… event) when their word is absent from the string. */
const CLEARABLE: ReadonlyArray<readonly [keyof UpsFlags, string, NotifyType]> = [
  ["cal", "CAL", "NOTCAL"],
  ["off", "OFF", "NOTOFF"],
  ["bypass", "BYPASS", "NOTBYPASS"],
  ["alarm", "ALARM", "NOTALARM"],
  ["over", "OVER", "NOTOVER"],
  ["trim", "TRIM", "NOTTRIM"],
  ["boost", "BOOST", "NOTBOOST"],
  ["eco", "ECO", "NOTECO"],
];

/** Simple set-on-transition tokens: flag and the event raised. */
const SIMPLE: Readonly<Record<string, readonly [keyof UpsFlags, NotifyType]>> = {
  CAL: ["cal", "CAL"],
  BYPASS: ["bypass", "BYPASS"],
  ECO: ["eco", "ECO"],
  TRIM: ["trim", "TRIM"],
  BOOST: ["boost", "BOOST"],
  FSD: ["fsd", "FSD"],
};

/**
 * Applies a non-empty status string to a UPS that was just polled OK.
 * @param ups the UPS (commstate already updated)
 * @param status the `ups.status` value
 * @param alarm `ups.alarm` when read
 * @param sec now, epoch seconds
 * @param settings parameters
 * @param sleepval current poll interval
 * @param events receives notifications and logs
 * @returns the updated UPS and poll interval
 */
export function parseStatus(
  ups: UpsTrack,
  status: string,
  alarm: string | undefined,
  sec: number,
  settings: MonitorSettings,
  sleepval: number,
  events: MonitorEvent[],
): { ups: UpsTrack; sleepval: number } {
  const sys = ups.system;
  const say = (type: NotifyType, extra: string[] = []) =>
    events.push({ kind: "notify", type, system: sys, extra });
  const flags: { -readonly [K in keyof UpsFlags]: boolean } = { ...ups.flags };
  let u: { -readonly [K in keyof UpsTrack]: UpsTrack[K] } = { ...ups };
  let sv = sleepval;

  // NUT tests these as case-sensitive substrings before splitting.
  if (!status.includes("LB")) flags.lb = false;
  if (!status.includes("FSD")) flags.fsd = false;
  for (const [flag, word, type] of CLEARABLE) {
    if (status.includes(word)) continue;
    if (flag === "off") {
      u.offsince = 0;
      u.offstate = false;
    }
    if (flag === "over") u.oversince = 0;
    if (!flags[flag]) continue;
    flags[flag] = false;
    if (flag === "alarm") u.alarmText = "";
    say(type);
    if (!flags.ob) sv = settings.pollFreq;
  }

  const others: string[] = [];
  for (const raw of status.split(" ")) {
    const word = raw.toUpperCase();
    if (word === "OL") {
      if (!flags.ol) {
        sv = settings.pollFreq;
        if (u.linestate !== -1) say("ONLINE");
        u.linestate = 1;
        flags.ol = true;
        flags.ob = false;
      }
    } else if (word === "OB") {
      if (!flags.ob) {
        sv = settings.pollFreqAlert;
        u.linestate = 0;
        say("ONBATT");
        flags.ob = true;
        flags.ol = false;
      }
    } else if (word === "LB") {
      if (!flags.lb) {
        say("LOWBATT");
        flags.lb = true;
      }
    } else if (word === "RB") {
      if (sec - u.lastrbwarn > settings.rbWarnTime) {
        say("REPLBATT");
        u.lastrbwarn = sec;
      }
    } else if (word === "OFF") {
      if (flags.off) {
        if (u.offsince < 1) u.offsince = sec;
        else if (settings.offDuration > 0 && sec - u.offsince > settings.offDuration) {
          if (!u.offstate) {
            events.push({
              kind: "log",
              level: "warn",
              message: `ups_is_off: ${sys} is in state OFF for ${
                sec - u.offsince
              } sec, assuming the line is not fed (if it is calibrating etc., check the upsmon 'OFFDURATION' option)`,
            });
          }
          u.offstate = true;
        }
      } else {
        sv = settings.pollFreqAlert;
        u.offsince = sec;
        if (settings.offDuration === 0) u.offstate = true;
        say("OFF");
        flags.off = true;
      }
    } else if (word === "ALARM") {
      const text = alarm ?? "";
      if (flags.alarm) {
        if (alarm !== undefined && text !== u.alarmText) {
          u.alarmText = text;
          say("ALARM", [text]);
        }
      } else {
        sv = settings.pollFreqAlert;
        u.alarmText = text;
        say("ALARM", [text]);
        flags.alarm = true;
      }
    } else if (word === "OVER") {
      if (!flags.over) {
        if (settings.overDuration >= 0) sv = settings.pollFreqAlert;
        u.oversince = sec;
        say("OVER");
        flags.over = true;
      } else if (u.oversince < 1) {
        u.oversince = sec;
      }
    } else if (Object.hasOwn(SIMPLE, word)) {
      const [flag, type] = SIMPLE[word]!;
      if (!flags[flag]) {
        say(type);
        flags[flag] = true;
      }
    } else if (!IGNORED.has(word) && raw !== "") {
      others.push(raw);
    }
    // NUT's update_crittimer, after every token.
    if (!flags.ob || !flags.lb || flags.cal) u.lastnoncrit = sec;
  }

  const sorted = [...new Set(others)].sort();
  const changed = sorted.length !== u.others.length || sorted.some((t, i) => t !== u.others[i]);
  if (changed) {
    if (others.length) say("OTHER", [others.join(" ")]);
    else say("NOTOTHER");
    u.others = sorted;
  }
  u = { ...u, flags };
  return { ups: u, sleepval: sv };
}
