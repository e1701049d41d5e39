/**
 * From a parsed upsmon.conf (core/config/upsmon_conf.ts) to what the
 * monitor runs on: targets, rule settings, notification settings, and the
 * start-up log lines upsmon 2.8.0 prints while reading the file.
 *
 * @module
 */

import type { UpsmonConf } from "../config/upsmon_conf.ts";
import type { TokenLine } from "../protocol/tokenize.ts";
import type { NotifyConfig } from "./notify.ts";
import type { NotifyFlags } from "./notify_types.ts";
import type { MonitorSettings } from "./settings.ts";
import type { UpsmonConfig, UpsmonTarget } from "./upsmon.ts";

/**
 * The monitor's view of upsmon.conf.
 * @param conf the parsed file
 * @returns targets and settings
 */
export function monitorConfig(conf: UpsmonConf): UpsmonConfig {
  const targets: UpsmonTarget[] = conf.monitors.map((m) => ({
    system: m.system,
    powerValue: m.powerValue,
    primary: m.role === "primary",
    upsname: m.upsname,
    host: m.host,
    port: m.port,
    username: m.username,
    password: m.password,
  }));
  const settings: MonitorSettings = {
    minSupplies: conf.minSupplies,
    pollFreq: conf.pollFreq,
    pollFreqAlert: conf.pollFreqAlert,
    deadTime: conf.deadTime,
    hostSync: conf.hostSync,
    rbWarnTime: conf.rbWarnTime,
    noCommWarnTime: conf.noCommWarnTime,
    finalDelay: conf.finalDelay,
    offDuration: conf.offDuration,
    overDuration: conf.overDuration,
    oblbDuration: conf.oblbDuration,
    alarmCritical: conf.alarmCritical,
  };
  return { targets, settings };
}

/**
 * The notification settings of upsmon.conf.
 * @param conf the parsed file
 * @returns messages, flags and NOTIFYCMD
 */
export function notifyConfig(conf: UpsmonConf): NotifyConfig {
  const flags = new Map<string, NotifyFlags>();
  for (const t of conf.notifyConfigured) {
    const set = conf.notifyFlags.get(t);
    if (!set) continue;
    flags.set(t, {
      syslog: set.has("SYSLOG"),
      wall: set.has("WALL"),
      exec: set.has("EXEC"),
      ignore: set.has("IGNORE"),
    });
  }
  const messages = new Map<string, string>();
  for (const t of conf.notifyConfigured) {
    const m = conf.notifyMessages.get(t);
    if (m !== undefined && conf.notifyMessages !== undefined) messages.set(t, m);
  }
  return { messages, flags, notifyCmd: conf.notifyCmd };
}

/** Problems whose text is NUT's own log line (the rest are our hints). */
function isNutText(message: string): boolean {
  return /( line \d+: invalid directive|^Warning: ignoring duplicate|^UPS \[.*\]: ignoring invalid power value|^Warning: invalid notify type|^Invalid notify flag|is not a valid notify event name$|^Ignoring invalid|^Unable to use old-style|^Error: unable to split|^WARNING : Invalid DEBUG_MIN)/
    .test(message);
}

/**
 * The lines upsmon 2.8.0 logs while reading upsmon.conf, in file order:
 * `UPS: <sys> (primary) (power value N)` / `UPS: <sys> (monitoring only)`,
 * `Using power down flag file <f>`, and NUT's complaints.
 * @param conf the parsed file
 * @param lines the same file tokenized (to place POWERDOWNFLAG)
 * @returns the log lines
 */
export function startupLog(conf: UpsmonConf, lines: readonly TokenLine[]): string[] {
  const out: Array<[number, number, string]> = [];
  let seq = 0;
  for (const m of conf.monitors) {
    const text = m.powerValue
      ? `UPS: ${m.system} (${m.role}) (power value ${m.powerValue})`
      : `UPS: ${m.system} (monitoring only)`;
    out.push([m.line, seq++, text]);
  }
  for (const l of lines) {
    if (l.words[0] === "POWERDOWNFLAG" && l.words.length >= 2) {
      out.push([l.line, seq++, `Using power down flag file ${l.words[1]}`]);
    }
  }
  for (const p of conf.problems) {
    if (isNutText(p.message)) out.push([p.line, seq++, p.message]);
  }
  out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return out.map((x) => x[2]);
}

/**
 * SHUTDOWNEXIT (NUT 2.8.1+): how long upsmon lingers after the shutdown
 * command ran. `yes`/`true`/`on`/`0` → 0 (exit now), `n` → n seconds,
 * `no`/`false`/`off`/negative → -1 (stay until stopped).
 * @param text the directive's value
 * @returns seconds, or -1
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shutdownExitSeconds } from "./conf_adapter.ts";
 * assert.equal(shutdownExitSeconds("yes"), 0);
 * assert.equal(shutdownExitSeconds("30"), 30);
 * assert.equal(shutdownExitSeconds("no"), -1);
 * ```
 */
export function shutdownExitSeconds(text: string): number {
  const x = text.trim().toLowerCase();
  if (/^(yes|true|on)$/.test(x)) return 0;
  if (/^(no|false|off)$/.test(x)) return -1;
  const n = Number.parseInt(x, 10);
  if (Number.isNaN(n)) return 0;
  return n < 0 ? -1 : n;
}
