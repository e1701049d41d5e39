/**
 * upsmon's notification types (NUT 2.8.x) as a typed union, with the stock
 * texts and default flags of core/config/notify_types.ts, and the
 * printf-style formatting of a message.
 *
 * @module
 */

import { NOTIFY_TYPES as CONFIG_TYPES } from "../config/notify_types.ts";

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

/** Stock message texts (`%s` = the MONITOR `system` string), from the config layer's table. */
export const STOCK_MESSAGES: Readonly<Record<NotifyType, string>> = Object.fromEntries(
  NOTIFY_TYPES.map((t) => [t, CONFIG_TYPES.find((c) => c.name === t)?.message ?? ""]),
) as Record<NotifyType, string>;

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
  const words = CONFIG_TYPES.find((c) => c.name === type)?.flags ?? ["SYSLOG", "WALL"];
  return {
    syslog: words.includes("SYSLOG"),
    wall: words.includes("WALL"),
    exec: words.includes("EXEC"),
    ignore: words.includes("IGNORE"),
  };
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
