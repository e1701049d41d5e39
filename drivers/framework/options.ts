/**
 * A driver's configuration: ups.conf (global section + the driver's own
 * section) and `-x` arguments, processed in order with NUT 2.8.0's rules
 * (`main_arg()`, `do_upsconf_args()`, `storeval()` in `drivers/main.c`):
 * core keys are taken by the driver core, `default.*`/`override.*` seed the
 * variable tree, everything else must be in the driver's variable table or
 * the driver stops with NUT's "is not a valid variable name" text (exit 0).
 *
 * @module
 */

import type { DriverInfo } from "./driver.ts";
import { DriverFatal } from "./driver.ts";
import { atoi } from "../../core/protocol/driver_link.ts";

/** One `name = value` (value set) or flag (value undefined) line. */
export interface ConfEntry {
  readonly name: string;
  readonly value?: string | undefined;
}

/** A variable the options put into the state tree before `init`. */
export interface Publication {
  readonly name: string;
  readonly value: string;
  /** `override.*`: immutable afterwards. */
  readonly immutable?: boolean;
}

/** Resolved options of one driver instance. */
export interface DriverOptions {
  /** `port` (device path, data file, `ups@host`); undefined when not given. */
  readonly port: string | undefined;
  /** Seconds between updates (`pollinterval`, default 2). */
  readonly pollInterval: number;
  /** `synchronous` as published: `auto`, `yes` or `no`. */
  readonly synchronous: string;
  /** `user` (command-line `-u` wins). */
  readonly user: string | undefined;
  /** `group`. */
  readonly group: string | undefined;
  /** `debug_min`. */
  readonly debugMin: number | undefined;
  /** `nolock` flag. */
  readonly nolock: boolean;
  /** `ignorelb` flag. */
  readonly ignorelb: boolean;
  /** Informational lines NUT logs while parsing (e.g. obsolete `sddelay`). */
  readonly notices: readonly string[];
  /** Variables to create before `init`, in order. */
  readonly publications: readonly Publication[];
  /**
   * A driver variable's value.
   * @param name variable name (case-insensitive)
   * @returns the value; undefined when unset or a flag
   */
  get(name: string): string | undefined;
  /**
   * Whether a driver flag (or value) was given.
   * @param name variable name (case-insensitive)
   * @returns true when present
   */
  has(name: string): boolean;
}

const invalid = (name: string, isFlag: boolean) =>
  new DriverFatal(
    `\nFatal error: '${name}' is not a valid ${
      isFlag ? "flag" : "variable name"
    } for this driver.\n\n` +
      "Look in the man page or call this driver with -h for a list of\n" +
      "valid variable names and flags.",
    { exitCode: 0, stream: "stdout" },
  );

/**
 * Collects options in command-line order, as NUT's driver core does.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OptionsBuilder } from "./options.ts";
 * const b = new OptionsBuilder(
 *   { name: "dummy-ups", description: "d", version: "0.15", vars: [
 *     { kind: "value", name: "mode", desc: "m" },
 *   ] },
 *   "ups1",
 * );
 * b.section({ name: "port", value: "x.dev" });
 * b.cmdline("mode=dummy-once");
 * const o = b.build();
 * assert.equal(o.port, "x.dev");
 * assert.equal(o.get("mode"), "dummy-once");
 * assert.throws(() => b.cmdline("bogus=1"), /not a valid variable name/);
 * ```
 */
export class OptionsBuilder {
  readonly #info: DriverInfo;
  #upsName: string;
  #port: string | undefined;
  #pollInterval = 2;
  #synchronous = "auto";
  #user: string | undefined;
  #cmdlineUser: string | undefined;
  #group: string | undefined;
  #debugMin: number | undefined;
  #nolock = false;
  #ignorelb = false;
  readonly #notices: string[] = [];
  readonly #pubs: Publication[] = [];
  readonly #values = new Map<string, string | undefined>();

  /**
   * @param info the driver's table
   * @param upsName section name (for messages; may be set later)
   */
  constructor(info: DriverInfo, upsName = "") {
    this.#info = info;
    this.#upsName = upsName;
  }

  /** The section name, once `-a`/`-s` has given it (for messages). */
  set upsName(name: string) {
    this.#upsName = name;
  }

  /**
   * `-i <sec>` on the command line.
   * @param text the argument
   * @throws DriverFatal when not a positive integer
   */
  commandLinePollInterval(text: string): void {
    const n = atoi(text);
    if (n <= 0) throw new DriverFatal(`Error: command-line: invalid pollinterval: ${n}`);
    this.#pollInterval = n;
  }

  /**
   * Records the `-u` user given on the command line (it wins over ups.conf).
   * @param user the user
   */
  commandLineUser(user: string): void {
    this.#cmdlineUser = user;
  }

  /**
   * A global ups.conf line (unknown keys are ignored).
   * @param e the line
   * @throws DriverFatal on an invalid `pollinterval`
   */
  global(e: ConfEntry): void {
    if (e.value === undefined) return;
    switch (e.name) {
      case "pollinterval": {
        const n = atoi(e.value);
        if (n <= 0) throw new DriverFatal(`Error: invalid pollinterval: ${n}`);
        this.#pollInterval = n;
        return;
      }
      case "user":
        this.#user = e.value;
        return;
      case "group":
        this.#group = e.value;
        return;
      case "synchronous":
        this.#synchronous = syncValue(e.value);
        return;
      case "debug_min":
        this.#debugMin = atoi(e.value);
        return;
    }
  }

  /**
   * A line of the driver's own ups.conf section.
   * @param e the line
   * @throws DriverFatal for a driver mismatch, a bad pollinterval or an unknown variable
   */
  section(e: ConfEntry): void {
    if (this.#mainArg(e, "section")) return;
    if (e.value === undefined) {
      this.#store(e.name, undefined);
      return;
    }
    switch (e.name) {
      case "driver":
        if (e.value !== this.#info.name) {
          throw new DriverFatal(
            `Error: UPS [${this.#upsName}] is for driver ${e.value}, but I'm ${this.#info.name}!\n`,
          );
        }
        return;
      case "pollinterval": {
        const n = atoi(e.value);
        if (n <= 0) {
          throw new DriverFatal(`Error: UPS [${this.#upsName}]: invalid pollinterval: ${n}`);
        }
        this.#pollInterval = n;
        return;
      }
    }
    this.#store(e.name, e.value);
  }

  /**
   * A `-x var=val` or `-x flag` argument.
   * @param arg the argument text
   * @throws DriverFatal for an unknown variable
   */
  cmdline(arg: string): void {
    const eq = arg.indexOf("=");
    const e: ConfEntry = eq < 0
      ? { name: arg }
      : { name: arg.slice(0, eq), value: arg.slice(eq + 1) };
    if (this.#mainArg(e, "cmdline")) return;
    this.#store(e.name, e.value);
  }

  #mainArg(e: ConfEntry, from: "section" | "cmdline"): boolean {
    switch (e.name) {
      case "nolock":
        this.#nolock = true;
        this.#pubs.push({ name: "driver.flag.nolock", value: "enabled" });
        return true;
      case "ignorelb":
        this.#ignorelb = true;
        this.#pubs.push({ name: "driver.flag.ignorelb", value: "enabled" });
        return true;
    }
    if (e.value === undefined) return false;
    switch (e.name) {
      case "port":
        this.#port = e.value;
        this.#pubs.push({ name: "driver.parameter.port", value: e.value });
        return true;
      case "sddelay":
        this.#notices.push("Obsolete value sddelay found in ups.conf");
        return true;
      case "sdorder":
      case "desc":
        return true;
      case "debug_min":
        this.#debugMin = atoi(e.value);
        return true;
      case "user":
        if (this.#cmdlineUser !== undefined) {
          this.#notices.push(
            `User '${e.value}' specified in driver section was ignored due to '${this.#cmdlineUser}' specified on command line`,
          );
        } else {
          this.#user = e.value;
        }
        return true;
      case "group":
        this.#group = e.value;
        return true;
      case "synchronous":
        this.#synchronous = syncValue(e.value);
        return true;
    }
    void from;
    return false;
  }

  #store(name: string, value: string | undefined): void {
    const low = name.toLowerCase();
    if (value !== undefined && low.startsWith("override.")) {
      this.#pubs.push({ name: name.slice(9), value, immutable: true });
      return;
    }
    if (value !== undefined && low.startsWith("default.")) {
      this.#pubs.push({ name: name.slice(8), value });
      return;
    }
    const def = this.#info.vars.find((v) => v.name.toLowerCase() === low);
    if (!def) {
      throw invalid(name, value === undefined);
    }
    this.#values.set(low, value);
    if (value === undefined) {
      this.#pubs.push({ name: `driver.flag.${name}`, value: "enabled" });
    } else if (!def.sensitive) {
      this.#pubs.push({ name: `driver.parameter.${name}`, value });
    }
  }

  /**
   * The resolved options.
   * @returns the options
   */
  build(): DriverOptions {
    const values = new Map(this.#values);
    return {
      port: this.#port,
      pollInterval: this.#pollInterval,
      synchronous: this.#synchronous,
      user: this.#cmdlineUser ?? this.#user,
      group: this.#group,
      debugMin: this.#debugMin,
      nolock: this.#nolock,
      ignorelb: this.#ignorelb,
      notices: [...this.#notices],
      publications: [...this.#pubs],
      get: (name) => values.get(name.toLowerCase()),
      has: (name) => values.has(name.toLowerCase()),
    };
  }
}

function syncValue(v: string): string {
  if (v === "yes" || v === "auto") return v;
  return "no";
}
