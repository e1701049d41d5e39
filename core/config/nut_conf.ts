/**
 * nut.conf: the shell-sourced `KEY=value` file read by init scripts and
 * service units (no NUT binary parses it). Parsed with POSIX shell
 * assignment rules, so what is accepted here is what `sh` would source.
 *
 * @module
 */

import { type ConfigProblem, ProblemList } from "./problem.ts";
import { lazyHint } from "./suggest.ts";

/** `MODE` values. */
export type NutMode = "none" | "standalone" | "netserver" | "netclient";

/** Every MODE value. */
export const NUT_MODES: readonly NutMode[] = ["none", "standalone", "netserver", "netclient"];

/** A parsed nut.conf. */
export interface NutConf {
  /** `MODE`; `none` when unset or invalid. */
  readonly mode: NutMode;
  /** Line of the MODE assignment (0 when absent). */
  readonly modeLine: number;
  /** Every assignment (last wins), values unquoted. */
  readonly values: ReadonlyMap<string, string>;
  /** Problems found. */
  readonly problems: readonly ConfigProblem[];
}

/** Keys NUT's scripts read from nut.conf. */
export const NUT_CONF_KEYS: readonly string[] = [
  "MODE",
  "ALLOW_NO_DEVICE",
  "ALLOW_NOT_ALL_LISTENERS",
  "UPSD_OPTIONS",
  "UPSMON_OPTIONS",
  "POWEROFF_WAIT",
  "POWEROFF_QUIET",
  "NUT_DEBUG_LEVEL",
  "NUT_DEBUG_PID",
  "NUT_DEBUG_PROCNAME",
  "NUT_DEBUG_SYSLOG",
  "NUT_IGNORE_CHECKPROCNAME",
  "NUT_QUIET_INIT_UPSNOTIFY",
  "NUT_QUIET_INIT_BANNER",
  "NUT_CONFPATH",
  "NUT_STATEPATH",
  "NUT_ALTPIDPATH",
];

type Word = { value: string; end: number; error?: string; expands?: boolean };

/** Reads one shell word starting at `i` of `s` (a physical line). */
function shellWord(s: string, i: number): Word {
  let v = "";
  let expands = false;
  while (i < s.length) {
    const c = s[i]!;
    if (c === " " || c === "\t" || c === ";" || c === "&" || c === "|" || c === "<" || c === ">") {
      break;
    }
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      if (j < 0) return { value: v, end: s.length, error: "unterminated ' quote" };
      v += s.slice(i + 1, j);
      i = j + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= s.length) return { value: v, end: s.length, error: 'unterminated " quote' };
        const d = s[i]!;
        if (d === '"') break;
        if (d === "\\" && i + 1 < s.length && '$`"\\'.includes(s[i + 1]!)) {
          v += s[i + 1];
          i += 2;
          continue;
        }
        if (d === "$" || d === "`") expands = true;
        v += d;
        i++;
      }
      i++;
    } else if (c === "\\") {
      if (i + 1 < s.length) v += s[i + 1];
      i += 2;
    } else {
      if (c === "$" || c === "`") expands = true;
      v += c;
      i++;
    }
  }
  return expands ? { value: v, end: i, expands } : { value: v, end: i };
}

/**
 * Parses nut.conf text with shell assignment rules (`KEY=value`, no spaces
 * around `=`, quotes allowed, `#` comments).
 * @param text file contents
 * @param opts `file`: the name problems carry
 * @returns MODE, every value and the problems
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseNutConf } from "./nut_conf.ts";
 * const c = parseNutConf('# comment\nMODE="netserver"\n', { file: "nut.conf" });
 * assert.equal(c.mode, "netserver");
 * assert.equal(c.modeLine, 2);
 * ```
 */
export function parseNutConf(text: string, opts: { file: string }): NutConf {
  const p = new ProblemList(opts.file);
  const values = new Map<string, string>();
  const lines = new Map<string, number>();
  const physical = text.split("\n");
  for (let n = 0; n < physical.length; n++) {
    const line = n + 1;
    const raw = physical[n]!.replace(/\r$/, "");
    const s = raw.replace(/^[ \t]+/, "");
    if (s === "" || s.startsWith("#")) continue;
    const m = /^(export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)=/.exec(s);
    if (!m) {
      const spaced = /^([A-Za-z_][A-Za-z0-9_]*)[ \t]*=/.exec(s);
      if (spaced) {
        p.error(
          line,
          `spaces around "=" are not allowed (sh would run "${spaced[1]}" as a command)`,
          {
            hint: `write ${spaced[1]}=value`,
          },
        );
      } else {
        p.error(line, `not a KEY=value assignment: ${s.slice(0, 60)}`);
      }
      continue;
    }
    const key = m[2]!;
    const w = shellWord(s, m[0].length);
    if (w.error !== undefined) {
      p.error(line, `${key}: ${w.error}`);
      continue;
    }
    const rest = s.slice(w.end).replace(/^[ \t]+/, "");
    if (rest !== "" && !rest.startsWith("#")) {
      p.error(line, `unexpected text after ${key}=${w.value}: ${rest.slice(0, 40)}`, {
        hint: "quote values that contain spaces",
      });
      continue;
    }
    if (w.expands) p.warn(line, `${key}: "$" or "\`" expansions are only done by a shell`);
    values.set(key, w.value);
    lines.set(key, line);
    if (!NUT_CONF_KEYS.includes(key)) {
      p.warn(line, `unknown setting "${key}"`, { hint: lazyHint(key, NUT_CONF_KEYS) });
    }
  }
  const rawMode = values.get("MODE");
  const modeLine = lines.get("MODE") ?? 0;
  let mode: NutMode = "none";
  if (rawMode === undefined) {
    p.warn(1, "MODE is not set: NUT starts nothing (MODE=none)");
  } else if ((NUT_MODES as readonly string[]).includes(rawMode)) {
    mode = rawMode as NutMode;
  } else {
    p.error(
      modeLine,
      `invalid MODE "${rawMode}" (expected none, standalone, netserver or netclient)`,
      {
        hint: lazyHint(rawMode, NUT_MODES),
      },
    );
  }
  return { mode, modeLine, values, problems: p.items };
}
