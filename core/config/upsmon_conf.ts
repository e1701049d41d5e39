/**
 * upsmon.conf: MONITOR lines, commands, timers and notifications, as NUT
 * 2.8.0's upsmon (`loadconfig()`/`parse_conf_arg()`) reads them, plus the
 * directives of later 2.8.x releases. The model's types are in
 * `upsmon_model.ts` and re-exported here.
 *
 * @module
 */

import { splitName } from "../client/ups_name.ts";
import {
  findNotifyType,
  NOTIFY_FLAGS,
  NOTIFY_TYPE_NAMES,
  NOTIFY_TYPES,
  type NotifyFlag,
} from "./notify_types.ts";
import { atoi, ProblemList, tokenizeConfig } from "./problem.ts";
import { lazyHint } from "./suggest.ts";
import {
  DEFAULT_FLAGS,
  UPSMON_DIRECTIVES,
  UPSMON_KEYWORDS,
  type UpsmonCertHost,
  type UpsmonConf,
  upsmonDefaults,
  type UpsmonMonitor,
} from "./upsmon_model.ts";

export { UPSMON_DIRECTIVES, UPSMON_KEYWORDS };
export type { UpsmonCertHost, UpsmonConf, UpsmonMonitor };

class Reader {
  readonly c = upsmonDefaults();
  readonly monitors: UpsmonMonitor[] = [];
  readonly certHosts: UpsmonCertHost[] = [];
  readonly configured = new Set<string>();
  readonly lines = new Map<string, number>();
  minSuppliesLine = 1;
  readonly messages = new Map<string, string>(NOTIFY_TYPES.map((t) => [t.name, t.message]));
  readonly flags = new Map<string, ReadonlySet<NotifyFlag>>(DEFAULT_FLAGS);
  constructor(readonly p: ProblemList) {}

  nonNegative(name: string, v: string, line: number, set: (n: number) => void): void {
    const n = atoi(v);
    if (n < 0) this.p.warn(line, `Ignoring invalid ${name} value: ${n}`, { logged: true });
    else set(n);
  }

  addMonitor(w: string[], line: number): void {
    const [sys, pvs, un, pw, type] = [w[1]!, w[2]!, w[3]!, w[4]!, w[5]!];
    const pvm = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(pvs);
    const pv = pvm ? Number.parseInt(pvm[1]!, 10) : 0;
    if (pv < 0 || pv > 4294967295) {
      this.p.error(line, `UPS [${sys}]: ignoring invalid power value [${pvs}]`, { logged: true });
      return;
    }
    if (this.monitors.some((m) => m.system === sys)) {
      this.p.error(line, `Warning: ignoring duplicate UPS [${sys}]`, { logged: true });
      return;
    }
    const t = type.toLowerCase();
    const primary = t === "primary" || t === "master";
    if (!primary && t !== "secondary" && t !== "slave") {
      this.p.warn(line, `unknown MONITOR type "${type}" (NUT treats it as secondary)`, {
        hint: lazyHint(type, ["primary", "secondary", "master", "slave"]),
      });
    }
    const split = splitName(sys);
    if (!split.ok) {
      const msg = `Error: unable to split UPS name [${sys}]`;
      // libupsclient prints its own diagnostics first
      this.p.error(line, msg, { logged: true, nutText: [...split.diagnostics, msg].join("\n") });
    }
    this.monitors.push({
      system: sys,
      upsname: split.ok ? split.value.ups : "",
      host: split.ok ? split.value.host : "",
      port: split.ok ? split.value.port : 0,
      powerValue: pv,
      username: un,
      password: pw,
      role: primary ? "primary" : "secondary",
      typeWord: type,
      line,
    });
  }

  notifyFlag(type: string, flags: string, line: number): void {
    const t = findNotifyType(type);
    if (!t) {
      this.p.error(line, `Warning: invalid notify type [${type}]`, {
        logged: true,
        hint: lazyHint(type, NOTIFY_TYPE_NAMES),
      });
      return;
    }
    const set = new Set<NotifyFlag>();
    for (const f of flags.split("+")) {
      if ((NOTIFY_FLAGS as readonly string[]).includes(f)) set.add(f as NotifyFlag);
      else {this.p.error(line, `Invalid notify flag: [${f}]`, {
          logged: true,
          hint: lazyHint(f, NOTIFY_FLAGS),
        });}
    }
    this.flags.set(t.name, set);
    this.configured.add(t.name);
  }

  /** Returns false for what NUT calls an invalid directive. */
  directive(w: string[], line: number, logical: number): boolean {
    if (w.length < 2) return false;
    const [k, a1] = [w[0]!, w[1]!];
    const c = this.c;
    const since = UPSMON_DIRECTIVES.get(k);
    if (since !== undefined && since !== "2.8.0") {
      // applied (later 2.8.x releases know it), but NUT 2.8.0 logs it as invalid
      this.p.warn(line, invalidDirective(this.p.file, logical, w), {
        logged: true,
        hint: `${k} needs NUT ${since} or later; nut applies it`,
      });
    }
    switch (k) {
      case "SHUTDOWNCMD":
        c.shutdownCmd = a1;
        return true;
      case "POWERDOWNFLAG":
        c.powerDownFlag = a1;
        return true;
      case "NOTIFYCMD":
        c.notifyCmd = a1;
        return true;
      case "POLLFREQ":
        this.nonNegative(k, a1, line, (n) => c.pollFreq = n);
        return true;
      case "POLLFREQALERT":
        this.nonNegative(k, a1, line, (n) => c.pollFreqAlert = n);
        return true;
      case "HOSTSYNC":
        c.hostSync = atoi(a1);
        return true;
      case "DEADTIME":
        c.deadTime = atoi(a1);
        return true;
      case "MINSUPPLIES":
        this.minSuppliesLine = line;
        this.nonNegative(k, a1, line, (n) => c.minSupplies = n);
        return true;
      case "RBWARNTIME":
        c.rbWarnTime = atoi(a1);
        return true;
      case "NOCOMMWARNTIME":
        c.noCommWarnTime = atoi(a1);
        return true;
      case "FINALDELAY":
        this.nonNegative(k, a1, line, (n) => c.finalDelay = n);
        return true;
      case "RUN_AS_USER":
        c.runAsUser = a1;
        return true;
      case "CERTPATH":
        c.certPath = a1;
        return true;
      case "CERTVERIFY":
        c.certVerify = atoi(a1);
        return true;
      case "FORCESSL":
        c.forceSsl = atoi(a1);
        return true;
      case "OFFDURATION":
        c.offDuration = atoi(a1);
        return true;
      case "SHUTDOWNEXIT":
        c.shutdownExit = a1;
        return true;
      case "POLLFAIL_LOG_THROTTLE_MAX":
        c.pollFailLogThrottleMax = atoi(a1);
        return true;
      case "OBLBDURATION":
        c.oblbDuration = atoi(a1);
        return true;
      case "OVERDURATION":
        c.overDuration = atoi(a1);
        return true;
      case "ALARMCRITICAL":
        c.alarmCritical = atoi(a1) !== 0 || /^(yes|on|true)$/i.test(a1);
        return true;
    }
    if (k.toUpperCase() === "DEBUG_MIN") {
      const m = /^[ \t\n\v\f\r]*([+-]?\d+)$/.exec(a1);
      const n = m ? Number.parseInt(m[1]!, 10) : -1;
      if (n >= 0 && n <= 2147483647) c.debugMin = n;
      else {
        this.p.warn(
          line,
          "WARNING : Invalid DEBUG_MIN value found in upsmon.conf global settings",
          { logged: true },
        );
      }
      return true;
    }
    if (w.length < 3) return false;
    const a2 = w[2]!;
    switch (k) {
      case "NOTIFYMSG": {
        const t = findNotifyType(a1);
        if (t) {
          this.messages.set(t.name, a2);
          this.configured.add(t.name);
        } else {
          this.p.error(line, `'${a1}' is not a valid notify event name`, {
            logged: true,
            hint: lazyHint(a1, NOTIFY_TYPE_NAMES),
          });
        }
        return true;
      }
      case "NOTIFYFLAG":
        this.notifyFlag(a1, a2, line);
        return true;
      case "CERTIDENT":
        c.certIdent = { name: a1, password: a2 };
        return true;
    }
    if (w.length < 5) return false;
    if (k === "CERTHOST") {
      this.certHosts.push({
        host: a1,
        certName: a2,
        verify: atoi(w[3]!),
        forceSsl: atoi(w[4]!),
        line,
      });
      return true;
    }
    if (k === "MONITOR") {
      if (w.length === 5) {
        this.p.error(line, "Unable to use old-style MONITOR line without a username", {
          nutText: "Unable to use old-style MONITOR line without a username\n" +
            "Convert it and add a username to upsd.users - see the documentation\n" +
            "Fatal error: unusable configuration",
          logged: true,
          fatal: true,
          hint: "write MONITOR ups@host 1 user password primary",
        });
        return true;
      }
      this.addMonitor(w, line);
      return true;
    }
    return false;
  }
}

/** upsmon's complaint, cut like NUT's SMALLBUF (512 bytes with the NUL). */
function invalidDirective(file: string, logical: number, words: readonly string[]): string {
  return `${file} line ${logical}: invalid directive ${words.join(" ")}`.slice(0, 511);
}

/**
 * Parses upsmon.conf text as upsmon 2.8.0 does (and the newer 2.8.x
 * directives, flagged with a warning).
 * @param text file contents (latin1 byte string)
 * @param opts `file`: the name problems carry (and NUT's `<file> line N:` prefix)
 * @returns the settings with defaults, and the problems
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseUpsmonConf } from "./upsmon_conf.ts";
 * const c = parseUpsmonConf("MONITOR ups@localhost 1 mon pw master\nNOTIFYFLAG ONBATT SYSLOG+EXEC\n", {
 *   file: "upsmon.conf",
 * });
 * assert.equal(c.monitors[0]?.role, "primary");
 * assert.deepEqual([...c.notifyFlags.get("ONBATT")!], ["SYSLOG", "EXEC"]);
 * assert.equal(c.pollFreq, 5);
 * ```
 */
export function parseUpsmonConf(text: string, opts: { file: string }): UpsmonConf {
  const p = new ProblemList(opts.file);
  const r = new Reader(p);
  for (const l of tokenizeConfig(text, p)) {
    if (r.directive(l.words, l.line, l.logical)) {
      r.lines.set(l.words[0]!, l.line);
      continue;
    }
    p.error(l.line, invalidDirective(opts.file, l.logical, l.words), {
      logged: true,
      hint: lazyHint(l.words[0]!, UPSMON_KEYWORDS),
    });
  }
  const total = r.monitors.reduce((s, m) => s + m.powerValue, 0);
  if (total < r.c.minSupplies) {
    p.error(r.minSuppliesLine, "Fatal error: insufficient power configured!", {
      logged: true,
      fatal: true,
      hint: `sum of MONITOR power values is ${total}, MINSUPPLIES is ${r.c.minSupplies}`,
    });
  }
  if (r.c.shutdownCmd === undefined) {
    p.warn(0, "Warning: no shutdown command defined!", { logged: true });
  }
  return {
    ...r.c,
    monitors: r.monitors,
    certHosts: r.certHosts,
    notifyMessages: r.messages,
    notifyFlags: r.flags,
    notifyConfigured: r.configured,
    lines: r.lines,
    problems: p.items,
  };
}

/**
 * Total power value of the MONITOR lines (NUT's `totalpv`).
 * @param conf parsed upsmon.conf
 * @returns the sum
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseUpsmonConf, totalPowerValue } from "./upsmon_conf.ts";
 * const c = parseUpsmonConf("MONITOR a 1 u p primary\nMONITOR b 2 u p secondary\n", { file: "f" });
 * assert.equal(totalPowerValue(c), 3);
 * ```
 */
export function totalPowerValue(conf: UpsmonConf): number {
  return conf.monitors.reduce((s, m) => s + m.powerValue, 0);
}
