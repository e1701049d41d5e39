/**
 * upsmon's notification types (NUT 2.8.x), their stock texts and default
 * flags, and the printf-style formatting of a message.
 *
 * @module
 */

/** Every notification type upsmon knows, in NUT's table order. */
export const NOTIFY_TYPES = [
  "ONLINE",
  "ONBATT",
  "LOWBATT",
  "FSD",
  "COMMOK",
  "COMMBAD",
  "SHUTDOWN",
  "REPLBATT",
  "NOCOMM",
  "NOPARENT",
  "CAL",
  "NOTCAL",
  "OFF",
  "NOTOFF",
  "BYPASS",
  "NOTBYPASS",
  "ECO",
  "NOTECO",
  "ALARM",
  "NOTALARM",
  "OVER",
  "NOTOVER",
  "TRIM",
  "NOTTRIM",
  "BOOST",
  "NOTBOOST",
  "OTHER",
  "NOTOTHER",
  "SUSPEND_STARTING",
  "SUSPEND_FINISHED",
  "SHUTDOWN_HOSTSYNC",
] as const;

/** A notification type name. */
export type NotifyType = typeof NOTIFY_TYPES[number];

/** Notification delivery flags (NOTIFYFLAG words). */
export interface NotifyFlags {
  readonly syslog: boolean;
  readonly wall: boolean;
  readonly exec: boolean;
  readonly ignore: boolean;
}

/** Stock message texts (`%s` = the MONITOR `system` string). */
export const STOCK_MESSAGES: Readonly<Record<NotifyType, string>> = {
  ONLINE: "UPS %s on line power",
  ONBATT: "UPS %s on battery",
  LOWBATT: "UPS %s battery is low",
  FSD: "UPS %s: forced shutdown in progress",
  COMMOK: "Communications with UPS %s established",
  COMMBAD: "Communications with UPS %s lost",
  SHUTDOWN: "Auto logout and shutdown proceeding",
  REPLBATT: "UPS %s battery needs to be replaced",
  NOCOMM: "UPS %s is unavailable",
  NOPARENT: "upsmon parent process died - shutdown impossible",
  CAL: "UPS %s: calibration in progress",
  NOTCAL: "UPS %s: calibration finished",
  OFF: "UPS %s: administratively OFF or asleep",
  NOTOFF: "UPS %s: no longer administratively OFF or asleep",
  BYPASS: "UPS %s: on bypass (powered, not protecting)",
  NOTBYPASS: "UPS %s: no longer on bypass",
  ECO: "UPS %s: in ECO mode (as defined by vendor)",
  NOTECO: "UPS %s: no longer in ECO mode",
  ALARM: "UPS %s: one or more active alarms: [%s]",
  NOTALARM: "UPS %s is no longer in an alarm state (no active alarms)",
  OVER: "UPS %s: overloaded",
  NOTOVER: "UPS %s: no longer overloaded",
  TRIM: "UPS %s: trimming incoming voltage",
  NOTTRIM: "UPS %s: no longer trimming incoming voltage",
  BOOST: "UPS %s: boosting incoming voltage",
  NOTBOOST: "UPS %s: no longer boosting incoming voltage",
  OTHER: "UPS %s: has at least one unclassified status token: [%s]",
  NOTOTHER: "UPS %s has no unclassified status tokens anymore",
  SUSPEND_STARTING: "OS is entering sleep/suspend/hibernate mode",
  SUSPEND_FINISHED:
    "OS just finished sleep/suspend/hibernate mode, de-activating obsolete UPS readings to avoid an unfortunate shutdown",
  SHUTDOWN_HOSTSYNC:
    "Shutdown initiated; primary system is waiting for secondaries to log out or time out",
};

const SYSLOG_WALL: NotifyFlags = { syslog: true, wall: true, exec: false, ignore: false };
const SYSLOG_ONLY: NotifyFlags = { syslog: true, wall: false, exec: false, ignore: false };

/**
 * NUT's default flags for a type: `SYSLOG+WALL`, except `CAL` (`SYSLOG`).
 * @param type notification type
 * @returns the default flags
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultFlags } from "./notify_types.ts";
 * assert.equal(defaultFlags("CAL").wall, false);
 * assert.equal(defaultFlags("ONBATT").wall, true);
 * ```
 */
export function defaultFlags(type: NotifyType): NotifyFlags {
  return type === "CAL" ? SYSLOG_ONLY : SYSLOG_WALL;
}

/**
 * Looks a type up case-insensitively, as NUT's NOTIFYMSG/NOTIFYFLAG do.
 * @param name a type name from upsmon.conf
 * @returns the type, or undefined when unknown
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findNotifyType } from "./notify_types.ts";
 * assert.equal(findNotifyType("onbatt"), "ONBATT");
 * assert.equal(findNotifyType("bogus"), undefined);
 * ```
 */
export function findNotifyType(name: string): NotifyType | undefined {
  const up = name.toUpperCase();
  return NOTIFY_TYPES.find((t) => t === up);
}

/**
 * Parses a NOTIFYFLAG value (`SYSLOG+WALL+EXEC`, case-sensitive words).
 * @param text the flag words joined by `+`
 * @returns the flags and the words NUT rejects (`Invalid notify flag: [X]`)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseNotifyFlags } from "./notify_types.ts";
 * const r = parseNotifyFlags("SYSLOG+EXEC+bad");
 * assert.equal(r.flags.exec, true);
 * assert.deepEqual(r.invalid, ["bad"]);
 * ```
 */
export function parseNotifyFlags(text: string): { flags: NotifyFlags; invalid: string[] } {
  const flags = { syslog: false, wall: false, exec: false, ignore: false };
  const invalid: string[] = [];
  for (const word of text.split("+")) {
    if (word === "SYSLOG") flags.syslog = true;
    else if (word === "WALL") flags.wall = true;
    else if (word === "EXEC") flags.exec = true;
    else if (word === "IGNORE") flags.ignore = true;
    else invalid.push(word);
  }
  return { flags, invalid };
}

/** NUT's message buffer is 512 bytes: at most 511 characters survive. */
export const MAX_MESSAGE = 511;

/**
 * Formats a message template printf-style: each `%s` takes the next
 * argument (the UPS `system`, then e.g. the alarm text), `%%` is `%`.
 * The result is cut at 511 characters like NUT's `snprintf`.
 * @param template stock or NOTIFYMSG text
 * @param args the `%s` arguments in order
 * @returns the message
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatNotifyMessage } from "./notify_types.ts";
 * assert.equal(formatNotifyMessage("UPS %s on battery", ["ups@localhost"]), "UPS ups@localhost on battery");
 * ```
 */
export function formatNotifyMessage(template: string, args: readonly string[]): string {
  let i = 0;
  const out = template.replace(/%(-?\d*)([s%])/g, (_m, width: string, conv: string) => {
    if (conv === "%") return "%";
    const v = args[i++] ?? "";
    const w = Number.parseInt(width || "0", 10);
    if (!w) return v;
    return w < 0 ? v.padEnd(-w, " ") : v.padStart(w, " ");
  });
  return out.slice(0, MAX_MESSAGE);
}
