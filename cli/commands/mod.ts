/**
 * The subcommand table: every `nut <sub>` and the NUT program names that
 * reach it. Modules load lazily so a one-shot `upsc` pays only for itself.
 *
 * @module
 */

import type { CliIo } from "../io.ts";

/** What every command module exports. */
export interface CommandModule {
  /** One line for `nut help`. */
  readonly summary: string;
  /**
   * Runs the command.
   * @param args arguments after the subcommand (or after argv[0])
   * @param io process I/O
   * @param prog the program name to show in messages (e.g. `upsc`)
   * @returns the exit code
   */
  run(args: string[], io: CliIo, prog: string): Promise<number>;
}

/** A table entry. */
export interface CommandEntry {
  /** One line for `nut help` (kept here so listing loads nothing). */
  readonly summary: string;
  /** NUT program names that run this command (argv[0] dispatch, `nut links`). */
  readonly programs: readonly string[];
  /** Loads the module. */
  readonly load: () => Promise<CommandModule>;
}

/** Every subcommand, in `nut help` order. */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  upsc: {
    summary: "show UPS variables (NUT's upsc)",
    programs: ["upsc"],
    load: () => import("./upsc.ts"),
  },
  upscmd: {
    summary: "list and run instant commands (NUT's upscmd)",
    programs: ["upscmd"],
    load: () => import("./upscmd.ts"),
  },
  upsrw: {
    summary: "list and set writable variables (NUT's upsrw)",
    programs: ["upsrw"],
    load: () => import("./upsrw.ts"),
  },
  upslog: {
    summary: "log UPS status periodically (NUT's upslog)",
    programs: ["upslog"],
    load: () => import("./upslog.ts"),
  },
  upsd: {
    summary: "the network server (NUT's upsd)",
    programs: ["upsd"],
    load: () => import("./upsd.ts"),
  },
  upsmon: {
    summary: "monitor UPSes and shut down safely (NUT's upsmon)",
    programs: ["upsmon"],
    load: () => import("./upsmon.ts"),
  },
  upssched: {
    summary: "timers for upsmon events (NUT's upssched)",
    programs: ["upssched"],
    load: () => import("./upssched.ts"),
  },
  drvctl: {
    summary: "start, stop and shut down drivers (NUT's upsdrvctl)",
    programs: ["upsdrvctl"],
    load: () => import("./drvctl.ts"),
  },
  dummy: {
    summary: "replay device dumps, or repeat another upsd (NUT's dummy-ups driver)",
    programs: ["dummy-ups"],
    load: () => import("./dummy.ts"),
  },
  "usbhid-ups": {
    summary: "USB HID Power Device driver (NUT's usbhid-ups)",
    programs: ["usbhid-ups"],
    load: () => import("./usbhid_ups.ts"),
  },
  scanner: {
    summary: "find devices and print ups.conf sections (NUT's nut-scanner)",
    programs: ["nut-scanner"],
    load: () => import("./scanner.ts"),
  },
  conf: {
    summary: "check NUT configuration files (conf check [-c DIR] [--json])",
    programs: [],
    load: () => import("./conf.ts"),
  },
  links: {
    summary: "create NUT program names (upsc, upsd, ...) as wrappers in a directory",
    programs: [],
    load: () => import("./links.ts"),
  },
};

/**
 * Finds the command for a subcommand or NUT program name.
 * @param name `upsc`, `drvctl`, `upsdrvctl`, `dummy-ups`, ...
 * @returns the subcommand name and entry, or undefined
 */
export function findCommand(name: string): { name: string; entry: CommandEntry } | undefined {
  const direct = COMMANDS[name];
  if (direct && Object.hasOwn(COMMANDS, name)) return { name, entry: direct };
  for (const [sub, entry] of Object.entries(COMMANDS)) {
    if (entry.programs.includes(name)) return { name: sub, entry };
  }
  return undefined;
}

/**
 * The NUT program name a subcommand speaks as (`drvctl` → `upsdrvctl`).
 * @param sub subcommand name
 * @returns the program name
 */
export function programName(sub: string): string {
  return COMMANDS[sub]?.programs[0] ?? sub;
}
