/**
 * upssched's reading of upssched.conf for one event: directives are acted on
 * while the file is read (NUT processes each `AT` as soon as it is parsed),
 * so the result is an ordered list of actions plus NUT's warnings, or the
 * fatal error that stops the run. Pure: words in, actions out.
 *
 * @module
 */

import type { TokenLine } from "../protocol/tokenize.ts";

/** The event upssched was started for (from upsmon's environment). */
export interface SchedEvent {
  /** `UPSNAME`: the MONITOR system string, e.g. `myups@localhost`. */
  readonly upsName: string;
  /** `NOTIFYTYPE`, e.g. `ONBATT`. */
  readonly notifyType: string;
  /** The message upsmon passed (first argument), for shared timers. */
  readonly notifyMsg: string;
}

/** The settings in force when an action was planned. */
export interface SchedPaths {
  readonly cmdScript: string;
  readonly pipeFn: string;
  readonly lockFn: string;
}

/** Daemon request verbs. */
export type SchedVerb = "START" | "START-SHARED" | "CANCEL" | "CANCEL-MATCHED";

/** One thing to do, in file order. */
export type SchedAction =
  | {
    readonly kind: "send";
    readonly verb: SchedVerb;
    readonly name: string;
    /** Seconds for START*, the command for CANCEL* (absent when not given). */
    readonly arg: string | undefined;
    readonly paths: SchedPaths;
  }
  | { readonly kind: "execute"; readonly command: string; readonly paths: SchedPaths };

/** What upssched should do for this event. */
export interface SchedPlan {
  readonly actions: readonly SchedAction[];
  /** Log lines (NUT's syslog texts), in order. */
  readonly logs: readonly string[];
  /** Set when the run must stop: printed on stdout and logged, exit 1. */
  readonly fatal: string | undefined;
}

const VERBS: Readonly<Record<string, SchedVerb>> = {
  "START-TIMER": "START",
  "START-TIMER-SHARED": "START-SHARED",
  "CANCEL-TIMER": "CANCEL",
  "CANCEL-TIMER-MATCHED": "CANCEL-MATCHED",
};

/**
 * Plans the actions for one event.
 * @param lines upssched.conf tokenized
 * @param event the event from the environment
 * @param file the config path (for parse-error messages)
 * @returns actions, logs and a possible fatal error
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenize } from "../protocol/tokenize.ts";
 * import { planSched } from "./plan.ts";
 * const conf = "CMDSCRIPT /bin/s\nPIPEFN /tmp/p\nLOCKFN /tmp/l\nAT ONBATT * START-TIMER onbatt 30\n";
 * const p = planSched(tokenize(conf), { upsName: "u@h", notifyType: "onbatt", notifyMsg: "" }, "upssched.conf");
 * assert.equal(p.actions[0]?.kind, "send");
 * ```
 */
export function planSched(lines: readonly TokenLine[], event: SchedEvent, file: string): SchedPlan {
  const actions: SchedAction[] = [];
  const logs: string[] = [];
  let cmdScript: string | undefined;
  let pipeFn: string | undefined;
  let lockFn: string | undefined;
  for (const line of lines) {
    if (line.error !== undefined) {
      logs.push(`Parse error: ${file}:${line.logical}: ${line.error}`);
      continue;
    }
    const w = line.words;
    if (w.length < 1) continue;
    const [key, a1, a2, a3, a4, a5] = w;
    let used = false;
    if (w.length >= 2 && key === "CMDSCRIPT") {
      cmdScript = a1;
      used = true;
    } else if (w.length >= 2 && key === "PIPEFN") {
      pipeFn = a1;
      used = true;
    } else if (w.length >= 2 && key === "LOCKFN") {
      lockFn = a1;
      used = true;
    } else if (w.length >= 5 && key === "AT") {
      used = true;
      for (
        const [value, what] of [[cmdScript, "CMDSCRIPT"], [pipeFn, "PIPEFN"], [
          lockFn,
          "LOCKFN",
        ]] as const
      ) {
        if (value === undefined) {
          const msg = `${what} must be set before any ATs in the config file!`;
          return { actions, logs: [...logs, msg], fatal: msg };
        }
      }
      const paths = { cmdScript: cmdScript!, pipeFn: pipeFn!, lockFn: lockFn! };
      const [ntype, ups, cmd, ca1] = [a1!, a2!, a3!, a4!];
      if (ups !== event.upsName && ups !== "*") continue;
      if (ntype.toUpperCase() !== event.notifyType.toUpperCase()) continue;
      const verb = Object.hasOwn(VERBS, cmd) ? VERBS[cmd] : undefined;
      if (verb) {
        actions.push({ kind: "send", verb, name: ca1, arg: a5, paths });
      } else if (cmd === "EXECUTE") {
        if (ca1 === "") logs.push("Empty EXECUTE command argument");
        else {
          logs.push(`Executing command: ${ca1}`);
          actions.push({ kind: "execute", command: ca1, paths });
        }
      } else {
        logs.push(`Invalid command: ${cmd}`);
      }
    }
    if (!used) logs.push(`upssched.conf: invalid directive ${w.join(" ")}`);
  }
  return { actions, logs, fatal: undefined };
}
