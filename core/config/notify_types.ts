/**
 * upsmon's notification types (NOTIFYMSG / NOTIFYFLAG), their stock
 * messages, default flags and the NUT release that introduced them.
 *
 * @module
 */

/** A notification flag word of NOTIFYFLAG (case-sensitive). */
export type NotifyFlag = "SYSLOG" | "WALL" | "EXEC" | "IGNORE";

/** Every flag word. */
export const NOTIFY_FLAGS: readonly NotifyFlag[] = ["SYSLOG", "WALL", "EXEC", "IGNORE"];

/** One notification type. */
export interface NotifyTypeInfo {
  /** Upper-case name (`ONLINE`, ...); matched case-insensitively in upsmon.conf. */
  readonly name: string;
  /** Stock message (`%s` = the MONITOR system string). */
  readonly message: string;
  /** Flags when upsmon.conf does not set them. */
  readonly flags: readonly NotifyFlag[];
  /** NUT release that introduced it. */
  readonly since: string;
}

const SW: readonly NotifyFlag[] = ["SYSLOG", "WALL"];

/** Every type, in NUT's table order. */
export const NOTIFY_TYPES: readonly NotifyTypeInfo[] = [
  { name: "ONLINE", message: "UPS %s on line power", flags: SW, since: "2.8.0" },
  { name: "ONBATT", message: "UPS %s on battery", flags: SW, since: "2.8.0" },
  { name: "LOWBATT", message: "UPS %s battery is low", flags: SW, since: "2.8.0" },
  { name: "FSD", message: "UPS %s: forced shutdown in progress", flags: SW, since: "2.8.0" },
  {
    name: "COMMOK",
    message: "Communications with UPS %s established",
    flags: SW,
    since: "2.8.0",
  },
  { name: "COMMBAD", message: "Communications with UPS %s lost", flags: SW, since: "2.8.0" },
  { name: "SHUTDOWN", message: "Auto logout and shutdown proceeding", flags: SW, since: "2.8.0" },
  {
    name: "REPLBATT",
    message: "UPS %s battery needs to be replaced",
    flags: SW,
    since: "2.8.0",
  },
  { name: "NOCOMM", message: "UPS %s is unavailable", flags: SW, since: "2.8.0" },
  {
    name: "NOPARENT",
    message: "upsmon parent process died - shutdown impossible",
    flags: SW,
    since: "2.8.0",
  },
  { name: "CAL", message: "UPS %s: calibration in progress", flags: ["SYSLOG"], since: "2.8.0" },
  { name: "NOTCAL", message: "UPS %s: calibration finished", flags: SW, since: "2.8.2" },
  { name: "OFF", message: "UPS %s: administratively OFF or asleep", flags: SW, since: "2.8.1" },
  {
    name: "NOTOFF",
    message: "UPS %s: no longer administratively OFF or asleep",
    flags: SW,
    since: "2.8.1",
  },
  {
    name: "BYPASS",
    message: "UPS %s: on bypass (powered, not protecting)",
    flags: SW,
    since: "2.8.1",
  },
  { name: "NOTBYPASS", message: "UPS %s: no longer on bypass", flags: SW, since: "2.8.1" },
  { name: "ECO", message: "UPS %s: in ECO mode (as defined by vendor)", flags: SW, since: "2.8.3" },
  { name: "NOTECO", message: "UPS %s: no longer in ECO mode", flags: SW, since: "2.8.3" },
  {
    name: "ALARM",
    message: "UPS %s: one or more active alarms: [%s]",
    flags: SW,
    since: "2.8.3",
  },
  {
    name: "NOTALARM",
    message: "UPS %s is no longer in an alarm state (no active alarms)",
    flags: SW,
    since: "2.8.3",
  },
  { name: "OVER", message: "UPS %s: overloaded", flags: SW, since: "2.8.3" },
  { name: "NOTOVER", message: "UPS %s: no longer overloaded", flags: SW, since: "2.8.3" },
  { name: "TRIM", message: "UPS %s: trimming incoming voltage", flags: SW, since: "2.8.3" },
  {
    name: "NOTTRIM",
    message: "UPS %s: no longer trimming incoming voltage",
    flags: SW,
    since: "2.8.3",
  },
  { name: "BOOST", message: "UPS %s: boosting incoming voltage", flags: SW, since: "2.8.3" },
  {
    name: "NOTBOOST",
    message: "UPS %s: no longer boosting incoming voltage",
    flags: SW,
    since: "2.8.3",
  },
  {
    name: "OTHER",
    message: "UPS %s: has at least one unclassified status token: [%s]",
    flags: SW,
    since: "2.8.3",
  },
  {
    name: "NOTOTHER",
    message: "UPS %s has no unclassified status tokens anymore",
    flags: SW,
    since: "2.8.3",
  },
  {
    name: "SUSPEND_STARTING",
    message: "OS is entering sleep/suspend/hibernate mode",
    flags: SW,
    since: "2.8.3",
  },
  {
    name: "SUSPEND_FINISHED",
    message:
      "OS just finished sleep/suspend/hibernate mode, de-activating obsolete UPS readings to avoid an unfortunate shutdown",
    flags: SW,
    since: "2.8.3",
  },
  {
    name: "SHUTDOWN_HOSTSYNC",
    message: "Shutdown initiated; primary system is waiting for secondaries to log out or time out",
    flags: SW,
    since: "2.8.5",
  },
];

/** Every type name, in table order. */
export const NOTIFY_TYPE_NAMES: readonly string[] = NOTIFY_TYPES.map((t) => t.name);

/**
 * Looks a type up case-insensitively, as upsmon does.
 * @param name type name from upsmon.conf
 * @returns the type, or undefined
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findNotifyType } from "./notify_types.ts";
 * assert.equal(findNotifyType("onbatt")?.message, "UPS %s on battery");
 * ```
 */
export function findNotifyType(name: string): NotifyTypeInfo | undefined {
  const u = name.toUpperCase();
  return NOTIFY_TYPES.find((t) => t.name === u);
}
