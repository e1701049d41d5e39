/**
 * `nut conf check`: parse every NUT config file present in a directory,
 * then check them against each other. Reads through an injected host
 * (files, stat, PATH), so it is testable without a real /etc/nut.
 *
 * @module
 */

import { loadConfigFile, type LoadResult, statConfigFile } from "./load.ts";
import type { ConfigProblem } from "./problem.ts";
import { parseUpsConf, type UpsConf } from "./ups_conf.ts";
import { parseUpsdConf, type UpsdConf } from "./upsd_conf.ts";
import { parseUpsdUsers, type UpsdUsers } from "./upsd_users.ts";
import { parseUpsmonConf, type UpsmonConf } from "./upsmon_conf.ts";
import { parseUpsschedConf, type UpsschedConf } from "./upssched_conf.ts";
import { type NutConf, parseNutConf } from "./nut_conf.ts";
import { type HostsConf, parseHostsConf } from "./hosts_conf.ts";
import { parseUpssetConf, type UpssetConf } from "./upsset_conf.ts";
import { crossCheck } from "./_cross_checks.ts";

/** The files `nut conf check` looks for, in report order. */
export const CONFIG_FILES = [
  "nut.conf",
  "ups.conf",
  "upsd.conf",
  "upsd.users",
  "upsmon.conf",
  "upssched.conf",
  "hosts.conf",
  "upsset.conf",
] as const;

/** One of {@linkcode CONFIG_FILES}. */
export type ConfigFileName = typeof CONFIG_FILES[number];

/** What the check needs from the system. */
export interface CheckHost {
  /** Reads a file as a latin1 byte string. */
  readTextFile(path: string): Promise<string>;
  /** Stats a path (throws `Deno.errors.NotFound` when absent). */
  stat(path: string): Promise<{ mode: number | null; isFile: boolean }>;
  /** `PATH`, for commands given without a directory. */
  readonly pathEnv: string | undefined;
  /** Lists a directory's entry names (throws `Deno.errors.NotFound` when absent). */
  readDir?(path: string): Promise<string[]>;
  /** Driver names `nut` runs itself (drivers/mod.ts); others must be in driverpath. */
  readonly builtinDrivers?: readonly string[];
  /** Built-in DRVPATH (`core/paths.ts`), used when ups.conf sets no `driverpath`. */
  readonly driverPath?: string;
}

/** Every parsed file (undefined = not present). */
export interface ParsedConfigs {
  nut?: NutConf;
  ups?: UpsConf;
  upsd?: UpsdConf;
  users?: UpsdUsers;
  upsmon?: UpsmonConf;
  upssched?: UpsschedConf;
  hosts?: HostsConf;
  upsset?: UpssetConf;
}

/** Result of {@linkcode checkConfigDir}. */
export interface CheckResult {
  /** Each known file with its path and whether it was found. */
  readonly files: readonly { name: ConfigFileName; path: string; present: boolean }[];
  /** The parsed files. */
  readonly parsed: ParsedConfigs;
  /** Every problem: per file in {@linkcode CONFIG_FILES} order, then by line. */
  readonly problems: readonly ConfigProblem[];
}

function parseOne(name: ConfigFileName, text: string, into: ParsedConfigs): ConfigProblem[] {
  const o = { file: name };
  switch (name) {
    case "nut.conf":
      return [...(into.nut = parseNutConf(text, o)).problems];
    case "ups.conf":
      return [...(into.ups = parseUpsConf(text, o)).problems];
    case "upsd.conf":
      return [...(into.upsd = parseUpsdConf(text, o)).problems];
    case "upsd.users":
      return [...(into.users = parseUpsdUsers(text, o)).problems];
    case "upsmon.conf":
      return [...(into.upsmon = parseUpsmonConf(text, o)).problems];
    case "upssched.conf":
      return [...(into.upssched = parseUpsschedConf(text, o)).problems];
    case "hosts.conf":
      return [...(into.hosts = parseHostsConf(text, o)).problems];
    case "upsset.conf":
      return [...(into.upsset = parseUpssetConf(text, o)).problems];
  }
}

/**
 * With an explicit `MODE=none` upsmon is never started, so the refusal it
 * would make at start (too little power, e.g. Debian's stock upsmon.conf
 * with no MONITOR line) is only a warning.
 */
function idle(p: ConfigProblem, parsed: ParsedConfigs): ConfigProblem {
  if (parsed.nut?.mode !== "none" || parsed.nut.modeLine === 0) return p;
  if (p.file !== "upsmon.conf" || !p.fatal || !p.message.startsWith("Fatal error: insufficient")) {
    return p;
  }
  return {
    file: p.file,
    line: p.line,
    severity: "warning",
    message: p.message,
    hint: "MODE=none in nut.conf: upsmon is not started",
  };
}

/**
 * Checks every config file present in `confPath`.
 * @param confPath the directory (CONFPATH)
 * @param host file access
 * @returns files found, parsed models and problems
 * @throws only for unexpected I/O errors (missing/unreadable files are problems)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkConfigDir } from "./check.ts";
 * const files: Record<string, string> = { "/c/ups.conf": "[ups]\ncriver = dummy-ups\nport = x\n" };
 * const r = await checkConfigDir("/c", {
 *   readTextFile: (p) => p in files ? Promise.resolve(files[p]!) : Promise.reject(new Deno.errors.NotFound(p)),
 *   stat: (p) => p in files ? Promise.resolve({ mode: 0o640, isFile: true }) : Promise.reject(new Deno.errors.NotFound(p)),
 *   pathEnv: "/usr/bin",
 * });
 * assert.ok(r.problems.some((p) => p.line === 2 && p.hint === 'did you mean "driver"?'));
 * ```
 */
export async function checkConfigDir(confPath: string, host: CheckHost): Promise<CheckResult> {
  const parsed: ParsedConfigs = {};
  const files: { name: ConfigFileName; path: string; present: boolean }[] = [];
  const byFile = new Map<string, ConfigProblem[]>();
  const loads = await Promise.all(
    CONFIG_FILES.map((name) =>
      loadConfigFile(name, { confPath, readTextFile: host.readTextFile }).then(
        (r): [ConfigFileName, LoadResult] => [name, r],
      )
    ),
  );
  for (const [name, r] of loads) {
    files.push({ name, path: r.path, present: r.ok || r.reason !== "not-found" });
    if (r.ok) byFile.set(name, parseOne(name, r.text, parsed));
    else if (r.reason !== "not-found") {
      byFile.set(name, [{ file: name, line: 0, severity: "error", message: r.message }]);
    }
  }
  const modes = new Map<string, number | null>();
  for (const f of files) {
    if (!f.present) continue;
    const info = await statConfigFile(f.path, host.stat);
    if (info) modes.set(f.name, info.mode);
  }
  const cross = await crossCheck(parsed, { modes, host, confPath });
  for (const p of cross) {
    const list = byFile.get(p.file) ?? [];
    list.push(p);
    byFile.set(p.file, list);
  }
  const problems: ConfigProblem[] = [];
  for (const name of CONFIG_FILES) {
    const list = byFile.get(name);
    if (list) problems.push(...list.sort((a, b) => a.line - b.line).map((p) => idle(p, parsed)));
  }
  for (const [name, list] of byFile) {
    if (!(CONFIG_FILES as readonly string[]).includes(name)) problems.push(...list);
  }
  return { files, parsed, problems };
}
