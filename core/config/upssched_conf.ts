/**
 * upssched.conf: CMDSCRIPT, PIPEFN, LOCKFN and the AT rules, as NUT 2.8.0's
 * upssched (`checkconf()`/`conf_arg()`) reads them on every event.
 *
 * @module
 */

import { type ConfigProblem, ProblemList, tokenizeConfig } from "./problem.ts";
import { lazyHint } from "./suggest.ts";
import { NOTIFY_TYPE_NAMES } from "./notify_types.ts";

/** Commands an AT line can run. */
export const AT_COMMANDS = [
  "START-TIMER",
  "CANCEL-TIMER",
  "EXECUTE",
  "START-TIMER-SHARED",
  "CANCEL-TIMER-MATCHED",
] as const;

/** An AT command. */
export type AtCommand = typeof AT_COMMANDS[number];

/** `AT notifytype upsname command arg1 [arg2]`. */
export interface UpsschedAt {
  /** Notify type as written (matched case-insensitively). */
  readonly notifyType: string;
  /** UPS (`system` string as upsmon passes it) or `*`. */
  readonly ups: string;
  /** The command word as written (case-sensitive in NUT). */
  readonly command: string;
  /** The first argument (timer name, or the command to EXECUTE). */
  readonly arg1: string;
  /** The optional second argument (seconds for START-TIMER, a command for CANCEL-TIMER). */
  readonly arg2: string | undefined;
  /** Line of the directive. */
  readonly line: number;
}

/** A parsed upssched.conf. */
export interface UpsschedConf {
  /** `CMDSCRIPT` (last one given). */
  readonly cmdScript: string | undefined;
  /** Line of the last CMDSCRIPT (0 when absent). */
  readonly cmdScriptLine: number;
  /** `PIPEFN`. */
  readonly pipeFn: string | undefined;
  /** `LOCKFN`. */
  readonly lockFn: string | undefined;
  /** `DEBUG_MIN` (newer NUT only). */
  readonly debugMin: number | undefined;
  /**
   * AT rules in file order, up to the first one NUT would exit on (an AT
   * before CMDSCRIPT, PIPEFN and LOCKFN are all set).
   */
  readonly ats: readonly UpsschedAt[];
  /** Problems found (NUT's wording where upssched logs something). */
  readonly problems: readonly ConfigProblem[];
}

/** Every directive upssched knows. */
export const UPSSCHED_DIRECTIVES: readonly string[] = [
  "CMDSCRIPT",
  "PIPEFN",
  "LOCKFN",
  "AT",
  "DEBUG_MIN",
];

/**
 * Parses upssched.conf text as upssched 2.8.0 does.
 * @param text file contents (latin1 byte string)
 * @param opts `file`: the name problems carry
 * @returns the settings, AT rules and problems
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseUpsschedConf } from "./upssched_conf.ts";
 * const c = parseUpsschedConf(
 *   "CMDSCRIPT /bin/true\nPIPEFN /run/p\nLOCKFN /run/l\nAT ONBATT * START-TIMER onbatt 30\n",
 *   { file: "upssched.conf" },
 * );
 * assert.equal(c.ats[0]?.command, "START-TIMER");
 * assert.equal(c.ats[0]?.arg2, "30");
 * ```
 */
export function parseUpsschedConf(text: string, opts: { file: string }): UpsschedConf {
  const p = new ProblemList(opts.file);
  let cmdScript: string | undefined;
  let cmdScriptLine = 0;
  let pipeFn: string | undefined;
  let lockFn: string | undefined;
  let debugMin: number | undefined;
  let stopped = false;
  const ats: UpsschedAt[] = [];
  for (const l of tokenizeConfig(text, p)) {
    const w = l.words;
    const k = w[0]!;
    if (w.length >= 2 && k === "CMDSCRIPT") {
      cmdScript = w[1];
      cmdScriptLine = l.line;
    } else if (w.length >= 2 && k === "PIPEFN") pipeFn = w[1];
    else if (w.length >= 2 && k === "LOCKFN") lockFn = w[1];
    else if (w.length >= 2 && k === "DEBUG_MIN") {
      // applied (later releases know it), but NUT 2.8.0 logs it as invalid
      p.warn(l.line, `upssched.conf: invalid directive ${w.join(" ")}`.slice(0, 511), {
        logged: true,
        hint: "DEBUG_MIN needs a NUT newer than 2.8.0; nut applies it",
      });
      const n = /^\d+$/.test(w[1]!) ? Number.parseInt(w[1]!, 10) : undefined;
      if (n === undefined) p.error(l.line, `invalid DEBUG_MIN value "${w[1]}"`);
      else debugMin = n;
    } else if (w.length >= 5 && k === "AT") {
      if (stopped) continue;
      const missing = cmdScript === undefined
        ? "CMDSCRIPT"
        : pipeFn === undefined
        ? "PIPEFN"
        : lockFn === undefined
        ? "LOCKFN"
        : undefined;
      if (missing !== undefined) {
        p.error(l.line, `${missing} must be set before any ATs in the config file!`, {
          logged: true,
          fatal: true,
        });
        stopped = true;
        continue;
      }
      const at: UpsschedAt = {
        notifyType: w[1]!,
        ups: w[2]!,
        command: w[3]!,
        arg1: w[4]!,
        arg2: w[5],
        line: l.line,
      };
      checkAt(at, p);
      ats.push(at);
    } else {
      const msg = `upssched.conf: invalid directive ${w.join(" ")}`.slice(0, 511);
      p.error(l.line, msg, { logged: true, hint: lazyHint(k, UPSSCHED_DIRECTIVES) });
    }
  }
  return { cmdScript, cmdScriptLine, pipeFn, lockFn, debugMin, ats, problems: p.items };
}

function checkAt(at: UpsschedAt, p: ProblemList): void {
  const types = NOTIFY_TYPE_NAMES;
  if (!types.includes(at.notifyType.toUpperCase())) {
    p.warn(at.line, `AT for unknown notify type "${at.notifyType}" never matches`, {
      hint: lazyHint(at.notifyType, types),
    });
  }
  if (!(AT_COMMANDS as readonly string[]).includes(at.command)) {
    p.error(at.line, `Invalid command: ${at.command}`, { hint: lazyHint(at.command, AT_COMMANDS) });
    return;
  }
  if (at.command === "START-TIMER-SHARED" || at.command === "CANCEL-TIMER-MATCHED") {
    p.warn(at.line, `${at.command} needs a NUT newer than 2.8.0 (2.8.0 logs "Invalid command")`);
  }
  if (at.command.startsWith("START-TIMER") && !/^\d+$/.test(at.arg2 ?? "")) {
    p.error(at.line, `${at.command} ${at.arg1} needs a number of seconds after the timer name`);
  }
  if (at.command === "EXECUTE" && at.arg1 === "") {
    p.error(at.line, "Empty EXECUTE command argument");
  }
}
