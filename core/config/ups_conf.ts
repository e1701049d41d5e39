/**
 * ups.conf: the global section and the device sections, in file order, as
 * NUT's `read_upsconf()` sees them.
 *
 * @module
 */

import { atoi, type ConfigProblem, isInteger, ProblemList, tokenizeConfig } from "./problem.ts";
import { hintFor, lazyHint } from "./suggest.ts";
import { UPS_DEVICE_KEYS, UPS_GLOBAL_KEYS } from "./ups_keys.ts";

export { UPS_DEVICE_KEYS, UPS_GLOBAL_KEYS };

/** One `key = value` or one-word flag, with its line. */
export type UpsConfEntry =
  | { readonly kind: "value"; readonly key: string; readonly value: string; readonly line: number }
  | { readonly kind: "flag"; readonly key: string; readonly line: number };

/** `synchronous` setting. */
export type Synchronous = "yes" | "no" | "auto";

/** The global section (lines before the first `[section]`). */
export interface UpsConfGlobal {
  /** Every entry, in order. */
  readonly entries: readonly UpsConfEntry[];
  /** Last value of each key (keys are case-sensitive, as in NUT). */
  readonly values: ReadonlyMap<string, string>;
  /** Every flag given. */
  readonly flags: ReadonlySet<string>;
  /** `chroot`. */
  readonly chroot: string | undefined;
  /** `driverpath` (upsdrvctl); undefined = built-in DRVPATH. */
  readonly driverpath: string | undefined;
  /** `statepath` (NUT ≥ 2.8.3, any case). */
  readonly statepath: string | undefined;
  /** `maxstartdelay` seconds; default 45 (NUT 2.8.0). */
  readonly maxstartdelay: number;
  /** `maxretry`; default 1. */
  readonly maxretry: number;
  /** `retrydelay` seconds; default 5. */
  readonly retrydelay: number;
  /** `nowait` flag. */
  readonly nowait: boolean;
  /** `pollinterval` seconds; default 2. */
  readonly pollinterval: number;
  /** `synchronous`; default `auto`. */
  readonly synchronous: Synchronous;
  /** `user`. */
  readonly user: string | undefined;
  /** `group`. */
  readonly group: string | undefined;
  /** `debug_min`. */
  readonly debugMin: number | undefined;
}

/** One `[name]` device section. */
export interface UpsDevice {
  /** Section name (case-sensitive for drivers and upsdrvctl). */
  readonly name: string;
  /** Line of the `[name]` header. */
  readonly line: number;
  /** Every entry, in order. */
  readonly entries: readonly UpsConfEntry[];
  /** Last value of each key. */
  readonly values: ReadonlyMap<string, string>;
  /** Every flag given. */
  readonly flags: ReadonlySet<string>;
  /** `driver` (required). */
  readonly driver: string | undefined;
  /** `port` (required). */
  readonly port: string | undefined;
  /** `desc`. */
  readonly desc: string | undefined;
  /** `sdorder`; default 0, -1 = never shut down. */
  readonly sdorder: number;
  /** `maxstartdelay`; undefined = global. */
  readonly maxstartdelay: number | undefined;
  /** `maxretry`; undefined = global. */
  readonly maxretry: number | undefined;
  /** `retrydelay`; undefined = global. */
  readonly retrydelay: number | undefined;
  /** `pollinterval`; undefined = global. */
  readonly pollinterval: number | undefined;
  /** `synchronous`; undefined = global. */
  readonly synchronous: Synchronous | undefined;
  /** `user`; undefined = global. */
  readonly user: string | undefined;
  /** `group`; undefined = global. */
  readonly group: string | undefined;
  /** `debug_min`; undefined = global. */
  readonly debugMin: number | undefined;
  /** `nolock` flag. */
  readonly nolock: boolean;
  /** `ignorelb` flag. */
  readonly ignorelb: boolean;
  /** `allow_killpower` flag. */
  readonly allowKillpower: boolean;
}

/** A parsed ups.conf. */
export interface UpsConf {
  /** The global section. */
  readonly global: UpsConfGlobal;
  /** Device sections in file order (duplicates kept, as upsdrvctl sees them). */
  readonly devices: readonly UpsDevice[];
  /** Problems found (NUT's wording where NUT logs something). */
  readonly problems: readonly ConfigProblem[];
}

const DEVICE_KEYS: ReadonlySet<string> = new Set(UPS_DEVICE_KEYS);
const GLOBAL_KEYS: ReadonlySet<string> = new Set(UPS_GLOBAL_KEYS);
const ALL_KEYS: readonly string[] = [...UPS_GLOBAL_KEYS, ...UPS_DEVICE_KEYS];

const SYNC: ReadonlySet<string> = new Set(["yes", "no", "auto"]);

function syncOf(v: string | undefined): Synchronous | undefined {
  if (v === undefined) return undefined;
  // NUT: "yes" and "auto" are recognised; anything else means "no"
  return SYNC.has(v) ? v as Synchronous : "no";
}

class SectionBuilder {
  readonly entries: UpsConfEntry[] = [];
  readonly values = new Map<string, string>();
  readonly lines = new Map<string, number>();
  readonly flags = new Set<string>();
  constructor(readonly name: string | undefined, readonly line: number) {}
  add(e: UpsConfEntry): void {
    this.entries.push(e);
    this.lines.set(e.key, e.line);
    if (e.kind === "value") this.values.set(e.key, e.value);
    else this.flags.add(e.key);
  }
}

function intOf(
  b: SectionBuilder,
  key: string,
  problems: ProblemList,
  min?: number,
): number | undefined {
  const v = b.values.get(key);
  if (v === undefined) return undefined;
  const line = b.lines.get(key) ?? b.line;
  if (!isInteger(v.trim())) {
    problems.warn(line, `"${key}" is not a number: "${v}" (NUT reads it as ${atoi(v)})`);
  } else if (min !== undefined && atoi(v) < min) {
    problems.warn(line, `"${key}" must be at least ${min}: "${v}"`);
  }
  return atoi(v);
}

function buildGlobal(b: SectionBuilder, problems: ProblemList): UpsConfGlobal {
  const pollinterval = intOf(b, "pollinterval", problems) ?? 2;
  if (b.values.has("pollinterval") && pollinterval <= 0) {
    problems.error(b.lines.get("pollinterval") ?? 1, "pollinterval must be greater than 0", {
      fatal: true,
    });
  }
  let statepath: string | undefined;
  for (const [k, v] of b.values) if (k.toLowerCase() === "statepath") statepath = v;
  return {
    entries: b.entries,
    values: b.values,
    flags: b.flags,
    chroot: b.values.get("chroot"),
    driverpath: b.values.get("driverpath"),
    statepath,
    maxstartdelay: intOf(b, "maxstartdelay", problems) ?? 45,
    maxretry: intOf(b, "maxretry", problems) ?? 1,
    retrydelay: intOf(b, "retrydelay", problems) ?? 5,
    nowait: b.flags.has("nowait"),
    pollinterval,
    synchronous: syncOf(b.values.get("synchronous")) ?? "auto",
    user: b.values.get("user"),
    group: b.values.get("group"),
    debugMin: intOf(b, "debug_min", problems, 0),
  };
}

function buildDevice(b: SectionBuilder, problems: ProblemList): UpsDevice {
  const name = b.name ?? "";
  const driver = b.values.get("driver");
  const port = b.values.get("port");
  for (const e of b.entries) {
    if (DEVICE_KEYS.has(e.key)) continue;
    if (e.key.startsWith("default.") || e.key.startsWith("override.")) continue;
    const hint = hintFor(e.key, UPS_DEVICE_KEYS);
    if (hint !== undefined) {
      problems.warn(e.line, `unknown setting "${e.key}" in [${name}]`, { hint });
    }
  }
  if (driver === undefined) problems.error(b.line, `UPS [${name}] has no driver defined`);
  if (port === undefined) problems.error(b.line, `UPS [${name}] has no port defined`);
  const pollinterval = intOf(b, "pollinterval", problems);
  if (pollinterval !== undefined && pollinterval <= 0) {
    problems.error(b.lines.get("pollinterval") ?? b.line, "pollinterval must be greater than 0");
  }
  return {
    name,
    line: b.line,
    entries: b.entries,
    values: b.values,
    flags: b.flags,
    driver,
    port,
    desc: b.values.get("desc"),
    sdorder: intOf(b, "sdorder", problems) ?? 0,
    maxstartdelay: intOf(b, "maxstartdelay", problems),
    maxretry: intOf(b, "maxretry", problems),
    retrydelay: intOf(b, "retrydelay", problems),
    pollinterval,
    synchronous: syncOf(b.values.get("synchronous")),
    user: b.values.get("user"),
    group: b.values.get("group"),
    debugMin: intOf(b, "debug_min", problems, 0),
    nolock: b.flags.has("nolock"),
    ignorelb: b.flags.has("ignorelb"),
    allowKillpower: b.flags.has("allow_killpower"),
  };
}

/**
 * Whether a first word opens a section, as NUT tests it: starts with `[`
 * and ends with `]` (so `[]` is a section named ``).
 * @param word first word of a line
 * @returns the section name, or undefined
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sectionName } from "./ups_conf.ts";
 * assert.equal(sectionName("[myups]"), "myups");
 * assert.equal(sectionName("["), undefined);
 * ```
 */
export function sectionName(word: string): string | undefined {
  if (word.length >= 2 && word.startsWith("[") && word.endsWith("]")) return word.slice(1, -1);
  return undefined;
}

/**
 * Parses ups.conf text exactly as NUT 2.8.0 reads it.
 * @param text file contents (latin1 byte string)
 * @param opts `file`: the name problems carry
 * @returns the global section, the devices in order and the problems
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseUpsConf } from "./ups_conf.ts";
 * const c = parseUpsConf("maxretry = 3\n[ups]\n driver = dummy-ups\n port = x.dev\n", { file: "ups.conf" });
 * assert.equal(c.global.maxretry, 3);
 * assert.equal(c.devices[0]?.driver, "dummy-ups");
 * assert.equal(c.devices[0]?.sdorder, 0);
 * assert.deepEqual(c.problems, []);
 * ```
 */
export function parseUpsConf(text: string, opts: { file: string }): UpsConf {
  const problems = new ProblemList(opts.file);
  const global = new SectionBuilder(undefined, 1);
  const sections: SectionBuilder[] = [];
  let current = global;
  for (const l of tokenizeConfig(text, problems)) {
    const w = l.words;
    const name = sectionName(w[0]!);
    if (name !== undefined) {
      current = new SectionBuilder(name, l.line);
      sections.push(current);
      if (w.length > 1) {
        problems.warn(l.line, `ignored words after [${name}]: ${w.slice(1).join(" ")}`);
      }
      continue;
    }
    if (w.length === 1) {
      current.add({ kind: "flag", key: w[0]!, line: l.line });
    } else if (w.length >= 3 && w[1] === "=") {
      current.add({ kind: "value", key: w[0]!, value: w[2]!, line: l.line });
      if (w.length > 3) {
        problems.warn(l.line, `ignored words after "${w[0]} = ${w[2]}": ${w.slice(3).join(" ")}`);
      }
    } else {
      const hint = w.length === 2 && !w[0]!.includes("=") ? `write "${w[0]} = ${w[1]}"` : undefined;
      problems.error(l.line, `line ignored (expected "key = value" or a flag): ${w.join(" ")}`, {
        hint,
      });
    }
  }
  const seen = new Map<string, number>();
  const devices = sections.map((b) => {
    const lower = (b.name ?? "").toLowerCase();
    const first = seen.get(lower);
    if (first !== undefined) {
      problems.error(b.line, `UPS name [${b.name}] is already in use!`, { logged: true });
    } else seen.set(lower, b.line);
    return buildDevice(b, problems);
  });
  for (const e of global.entries) {
    if (GLOBAL_KEYS.has(e.key) || e.key.toLowerCase() === "statepath") continue;
    problems.warn(e.line, `unknown global setting "${e.key}" (ignored by NUT)`, {
      hint: lazyHint(e.key, ALL_KEYS),
    });
  }
  const g = buildGlobal(global, problems);
  const sorted = [...problems.items].sort((a, b) => a.line - b.line);
  return { global: g, devices, problems: sorted };
}

/**
 * Finds a device section by name (exact, as drivers and upsdrvctl match).
 * @param conf a parsed ups.conf
 * @param name section name
 * @returns the first section with that name
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findDevice, parseUpsConf } from "./ups_conf.ts";
 * const c = parseUpsConf("[ups]\ndriver = d\nport = p\n", { file: "ups.conf" });
 * assert.equal(findDevice(c, "ups")?.port, "p");
 * assert.equal(findDevice(c, "UPS"), undefined);
 * ```
 */
export function findDevice(conf: UpsConf, name: string): UpsDevice | undefined {
  return conf.devices.find((d) => d.name === name);
}
