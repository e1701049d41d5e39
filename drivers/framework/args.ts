/**
 * The common driver command line (`-a -s -k -D -d -F -B -q -i -r -u -g -x
 * -L -V -h -c -P`) and the texts NUT prints for it: banner, `-h` help and the
 * `-L` variable list. Pure: arguments in, a typed plan out.
 *
 * @module
 */

import { getopt } from "../../cli/getopt.ts";
import { NUT_VERSION } from "../../core/version.ts";
import type { DriverInfo } from "./driver.ts";

/** getopt string: NUT 2.8.0's plus `-c`/`-P` (2.8.1). */
export const DRIVER_OPTSTRING = "+a:s:kFBDd:hx:Lqr:u:g:Vi:c:P:";

/** One option as given, in order (processing order matters: `-x` after `-a`). */
export type DriverArg =
  | { readonly opt: "a" | "s"; readonly id: string }
  | { readonly opt: "x"; readonly arg: string }
  | { readonly opt: "u" | "g" | "r"; readonly value: string }
  | { readonly opt: "i"; readonly value: string };

/** The parsed command line. */
export interface DriverCommandLine {
  /** What to do before anything else. */
  readonly action: "run" | "help" | "version" | "list" | "error";
  /** Fatal text for `error` (printed on stderr after getopt's diagnostics). */
  readonly error?: string;
  /** getopt's own diagnostics (`prog: invalid option -- 'z'`). */
  readonly diagnostics: readonly string[];
  /** `-a`/`-s`/`-x`/`-u`/`-g`/`-r`/`-i` in command-line order. */
  readonly ordered: readonly DriverArg[];
  /** Number of `-D`. */
  readonly debug: number;
  /** Number of `-q`. */
  readonly quiet: number;
  /** `-d <n>`: updates before dumping; undefined = no dump. */
  readonly dump: number | undefined;
  /** `-F` count (2 = foreground with pid file). */
  readonly foreground: number;
  /** `-B`. */
  readonly background: boolean;
  /** `-k`. */
  readonly killpower: boolean;
  /** `-c <command>`. */
  readonly signalCommand: string | undefined;
  /** `-P <pid>`. */
  readonly signalPid: number | undefined;
}

/**
 * Parses a driver command line. `-h`, `-V` and `-L` stop parsing where they
 * appear, as NUT exits there.
 * @param prog program name for getopt diagnostics
 * @param args arguments
 * @returns the parsed command line
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDriverArgs } from "./args.ts";
 * const c = parseDriverArgs("dummy-ups", ["-a", "ups", "-DD", "-x", "mode=dummy-once"]);
 * assert.equal(c.action, "run");
 * assert.equal(c.debug, 2);
 * assert.deepEqual(c.ordered, [{ opt: "a", id: "ups" }, { opt: "x", arg: "mode=dummy-once" }]);
 * ```
 */
export function parseDriverArgs(prog: string, args: string[]): DriverCommandLine {
  const r = getopt(prog, args, DRIVER_OPTSTRING);
  const ordered: DriverArg[] = [];
  let debug = 0;
  let quiet = 0;
  let dump: number | undefined;
  let foreground = 0;
  let background = false;
  let killpower = false;
  let signalCommand: string | undefined;
  let signalPid: number | undefined;
  const base = () => ({
    diagnostics: r.errors,
    ordered,
    debug,
    quiet,
    dump,
    foreground,
    background,
    killpower,
    signalCommand,
    signalPid,
  });
  for (const o of r.opts) {
    const arg = o.arg ?? "";
    switch (o.opt) {
      case "a":
      case "s":
        ordered.push({ opt: o.opt, id: arg });
        break;
      case "x":
        ordered.push({ opt: "x", arg });
        break;
      case "u":
      case "g":
      case "r":
      case "i":
        ordered.push({ opt: o.opt, value: arg });
        break;
      case "D":
        debug++;
        break;
      case "q":
        quiet++;
        break;
      case "d":
        // NUT: `-d 0` means no dump at all (a normal driver run)
        dump = Number.parseInt(arg, 10) || undefined;
        break;
      case "F":
        foreground++;
        break;
      case "B":
        background = true;
        break;
      case "k":
        killpower = true;
        break;
      case "c":
        signalCommand = arg;
        break;
      case "P":
        signalPid = Number.parseInt(arg, 10) || 0;
        break;
      case "h":
        return { action: "help", ...base() };
      case "V":
        return { action: "version", ...base() };
      case "L":
        return { action: "list", ...base() };
      default:
        return {
          action: "error",
          error: `Error: unknown option -${o.opt}. Try -h for help.`,
          ...base(),
        };
    }
  }
  if (r.rest.length > 0) {
    return {
      action: "error",
      error: "Error: too many non-option arguments. Try -h for help.",
      ...base(),
    };
  }
  return { action: "run", ...base() };
}

/**
 * The banner line(s): `Network UPS Tools - <desc> <ver> (<NUT version>)`,
 * then one line per sub-driver.
 * @param info driver info
 * @returns the text, newline-terminated
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bannerText } from "./args.ts";
 * assert.equal(
 *   bannerText({ name: "dummy-ups", description: "Device simulation and repeater driver", version: "0.15", vars: [] }),
 *   "Network UPS Tools - Device simulation and repeater driver 0.15 (2.8.0)\n",
 * );
 * ```
 */
export function bannerText(info: DriverInfo): string {
  let text = `Network UPS Tools - ${info.description} ${info.version} (${NUT_VERSION})\n`;
  for (const s of info.subdrivers ?? []) text += `${s.name} ${s.version}\n`;
  return text;
}

/**
 * The `-h` text (after the banner), NUT 2.8.0's wording.
 * @param info driver info
 * @param prog program name
 * @returns the text
 */
export function helpText(info: DriverInfo, prog: string): string {
  const lines = [
    "",
    `usage: ${prog} (-a <id>|-s <id>) [OPTIONS]`,
    "  -a <id>        - autoconfig using ups.conf section <id>",
    "                 - note: -x after -a overrides ups.conf settings",
    "",
    "  -s <id>        - configure directly from cmd line arguments",
    "                 - note: must specify all driver parameters with successive -x",
    "                 - note: at least 'port' variable should be set",
    "                 - note: to explore the current values on a device from an",
    "                   unprivileged user account (with sufficient media access in",
    "                   the OS - e.g. to query networked devices), you can specify",
    "                   '-d 1' argument and `export NUT_STATEPATH=/tmp` beforehand",
    "",
    "  -V             - print version, then exit",
    "  -L             - print parseable list of driver variables",
    "  -D             - raise debugging level (and stay foreground by default)",
    "  -d <count>     - dump data to stdout after 'count' updates loop and exit",
    "  -F             - stay foregrounded even if no debugging is enabled",
    "  -B             - stay backgrounded even if debugging is bumped",
    "  -q             - raise log level threshold",
    "  -h             - display this help",
    "  -k             - force shutdown",
    "  -i <int>       - poll interval",
    "  -r <dir>       - chroot to <dir>",
    "  -u <user>      - switch to <user> (if started as root)",
    "  -g <group>     - set pipe access to <group> (if started as root)",
    "  -x <var>=<val> - set driver variable <var> to <val>",
    "                 - example: -x cable=940-0095B",
    "",
  ];
  let text = lines.join("\n") + "\n";
  if (info.vars.length > 0) {
    text += "Acceptable values for -x or ups.conf in this driver:\n\n";
    for (const v of info.vars) {
      text += v.kind === "value"
        ? `${v.desc.padStart(40)} : -x ${v.name}=<value>\n`
        : `${v.desc.padStart(40)} : -x ${v.name}\n`;
    }
  }
  return text + (info.helpExtra ?? "");
}

/**
 * The `-L` list: `VALUE <name> "<desc>"` / `FLAG <name> "<desc>"`.
 * @param info driver info
 * @returns the text
 */
export function listText(info: DriverInfo): string {
  return info.vars.map((v) => `${v.kind === "value" ? "VALUE" : "FLAG"} ${v.name} "${v.desc}"\n`)
    .join("");
}
