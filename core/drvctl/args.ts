/**
 * upsdrvctl's command line: NUT 2.8.0's `+htu:r:DdV` plus the later `-F`,
 * `-B`, `-c <command>`, `-l`/`list`, `status`, and `nut`'s own `-S`
 * (`--supervise`). Pure: arguments in, a typed request out.
 *
 * @module
 */

/** What upsdrvctl is asked to do. */
export type DrvctlAction = "start" | "stop" | "shutdown" | "list" | "status" | "signal";

/** The parsed command line. */
export interface DrvctlArgs {
  /** `help` for `-h`, unknown options and a missing command (exit 0, as NUT). */
  readonly kind: "help" | "version" | "run" | "unrecognized";
  /** The command word as given (for the "unrecognized" message). */
  readonly word?: string;
  /** The action. */
  readonly action?: DrvctlAction;
  /** Only this UPS. */
  readonly ups?: string;
  /** `-t`. */
  readonly testMode: boolean;
  /** Number of `-D`. */
  readonly debug: number;
  /** `-d`: pass the debug level to drivers as `-D…`. */
  readonly passDebug: boolean;
  /** `-r <dir>`. */
  readonly chroot?: string;
  /** `-u <user>`. */
  readonly user?: string;
  /** `-F` given (count). */
  readonly foreground: number;
  /** `-B`. */
  readonly background: boolean;
  /** `-S`/`--supervise`: keep drivers running, restart crashed ones. */
  readonly supervise: boolean;
  /** `-c <command>`: the signal command (`reload`, `exit`, …). */
  readonly signalCommand?: string;
  /** getopt diagnostics (`upsdrvctl: invalid option -- 'z'`). */
  readonly diagnostics: readonly string[];
}

const TAKES_ARG = new Set(["u", "r", "c"]);
const FLAGS = new Set(["h", "t", "D", "d", "V", "F", "B", "l", "S"]);

/**
 * Parses upsdrvctl arguments (POSIX getopt, stop at the first operand).
 * @param prog program name for diagnostics
 * @param args the arguments
 * @returns the request
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDrvctlArgs } from "./args.ts";
 * const a = parseDrvctlArgs("upsdrvctl", ["-t", "start", "ups1"]);
 * assert.equal(a.action, "start");
 * assert.equal(a.ups, "ups1");
 * assert.equal(a.testMode, true);
 * ```
 */
export function parseDrvctlArgs(prog: string, args: readonly string[]): DrvctlArgs {
  const st = {
    testMode: false,
    debug: 0,
    passDebug: false,
    chroot: undefined as string | undefined,
    user: undefined as string | undefined,
    foreground: 0,
    background: false,
    supervise: false,
    signalCommand: undefined as string | undefined,
    list: false,
  };
  const diagnostics: string[] = [];
  const base = () => {
    const { list: _list, ...rest } = st;
    return { ...rest, diagnostics };
  };
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (a === "--supervise") {
      st.supervise = true;
      continue;
    }
    if (!a.startsWith("-") || a === "-") break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (TAKES_ARG.has(c)) {
        let v: string | undefined = a.slice(j + 1);
        if (v === "") v = args[++i];
        if (v === undefined) {
          diagnostics.push(`${prog}: option requires an argument -- '${c}'`);
          return { kind: "help", ...base() };
        }
        if (c === "u") st.user = v;
        else if (c === "r") st.chroot = v;
        else st.signalCommand = v;
        break;
      }
      if (!FLAGS.has(c)) {
        diagnostics.push(`${prog}: invalid option -- '${c}'`);
        return { kind: "help", ...base() };
      }
      switch (c) {
        case "h":
          return { kind: "help", ...base() };
        case "V":
          return { kind: "version", ...base() };
        case "t":
          st.testMode = true;
          break;
        case "D":
          st.debug++;
          break;
        case "d":
          st.passDebug = true;
          break;
        case "F":
          st.foreground++;
          break;
        case "B":
          st.background = true;
          break;
        case "S":
          st.supervise = true;
          break;
        case "l":
          st.list = true;
          break;
      }
    }
  }
  const rest = args.slice(i);
  if (st.signalCommand !== undefined) {
    return { kind: "run", action: "signal", ups: rest[0], ...base() };
  }
  if (st.list) return { kind: "run", action: "list", ups: rest[0], ...base() };
  const word = rest[0];
  if (word === undefined) return { kind: "help", ...base() };
  const actions: readonly string[] = ["start", "stop", "shutdown", "list", "status"];
  if (!actions.includes(word)) return { kind: "unrecognized", word, ...base() };
  return { kind: "run", action: word as DrvctlAction, ups: rest[1], ...base() };
}

/**
 * NUT 2.8.0's help text (after the banner).
 * @param prog program name as invoked
 * @returns the text
 */
export function drvctlHelp(prog: string): string {
  return "Starts and stops UPS drivers via ups.conf.\n\n" +
    `usage: ${prog} [OPTIONS] (start | stop | shutdown) [<ups>]\n\n` +
    "  -h\t\t\tdisplay this help\n" +
    "  -r <path>\t\tdrivers will chroot to <path>\n" +
    "  -t\t\t\ttesting mode - prints actions without doing them\n" +
    "  -u <user>\t\tdrivers started will switch from root to <user>\n" +
    "  -D            \traise debugging level\n" +
    "  -d            \tpass debugging level from upsdrvctl to driver\n" +
    "  start\t\t\tstart all UPS drivers in ups.conf\n" +
    "  start\t<ups>\t\tonly start driver for UPS <ups>\n" +
    "  stop\t\t\tstop all UPS drivers in ups.conf\n" +
    "  stop <ups>\t\tonly stop driver for UPS <ups>\n" +
    "  shutdown\t\tshutdown all UPS drivers in ups.conf\n" +
    "  shutdown <ups>\tonly shutdown UPS <ups>\n";
}

/** What `nut drvctl -h` adds after NUT's help (our extensions). */
export const DRVCTL_HELP_EXTRA = "\nBeyond NUT 2.8.0 (nut drvctl):\n" +
  "  -F / -B\t\tpass -F (foreground) / -B (background) to drivers\n" +
  "  -c <command> [<ups>]\tsignal running drivers: reload, reload-or-error, reload-or-exit, exit\n" +
  "  -S, --supervise\tstart: stay in the foreground, restart crashed drivers with backoff\n" +
  "  list [<ups>], -l\tprint the ups.conf section names\n" +
  "  status [<ups>]\tshow each driver's pid file, socket and status (and supervision)\n";
