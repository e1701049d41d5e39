/**
 * dummy-ups (NUT 2.8.0, driver version 0.15): replays `.dev`/`.seq` data
 * files (modes `dummy-once`, `dummy-loop`) or repeats another upsd
 * (`repeater`, `port = ups@host[:port]`).
 *
 * @module
 */

import type { Driver, DriverContext, DriverModule, TrackingResult } from "../framework/driver.ts";
import { DriverFatal, TRACKING_RESULT } from "../framework/driver.ts";
import { DUMMY_VARS, findDummyVar, UNKNOWN_VAR } from "./flag_table.ts";
import { dataLines, interpretLine } from "./data_file.ts";
import type { TokenLine } from "../../core/protocol/tokenize.ts";
import { Repeater } from "./repeater.ts";

/** The three modes (plain `dummy` is loop mode). */
export type DummyMode = "dummy-once" | "dummy-loop" | "dummy" | "repeater";

/**
 * NUT 2.8.0's mode selection (`upsdrv_initups`): `repeater` when asked, or
 * without a mode when the port contains `@`; else the explicit mode; else
 * the port suffix (`.seq` loop, `.dev` once); else `dummy` (loop).
 * An unknown mode is not rejected (the check never fires in 2.8.0).
 * @param mode the `mode` option
 * @param port the `port` option
 * @returns the mode as published in `driver.parameter.mode`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selectMode } from "./dummy.ts";
 * assert.equal(selectMode(undefined, "ups@host"), "repeater");
 * assert.equal(selectMode("dummy-once", "ups@host"), "dummy-once");
 * assert.equal(selectMode("bogus", "x.seq"), "dummy-loop");
 * assert.equal(selectMode(undefined, "x.txt"), "dummy");
 * ```
 */
export function selectMode(mode: string | undefined, port: string): DummyMode {
  if ((mode === undefined && port.includes("@")) || mode === "repeater") return "repeater";
  if (mode === "dummy-loop" || mode === "dummy") return "dummy-loop";
  if (mode === "dummy-once") return "dummy-once";
  if (port.endsWith(".seq")) return "dummy-loop";
  if (port.endsWith(".dev")) return "dummy-once";
  return "dummy";
}

interface OpenFile {
  readonly lines: TokenLine[];
  pos: number;
}

class DummyUps implements Driver {
  #mode: DummyMode = "dummy";
  #file = "";
  #open: OpenFile | undefined;
  /** NUT's `next_update` in whole seconds; -1 = none. */
  #nextUpdate = -1;
  /** mtime (whole seconds) NUT remembered for dummy-once; 0 = unknown. */
  #mtime = 0;
  /** NUT's static value buffer (see {@linkcode interpretLine}). */
  #lastValue = "";
  #repeater: Repeater | undefined;

  async init(ctx: DriverContext): Promise<void> {
    const port = ctx.options.port ?? "";
    this.#mode = selectMode(ctx.options.get("mode"), port);
    ctx.state.setInfo("driver.parameter.mode", this.#mode);
    if (this.#mode === "repeater") {
      this.#repeater = new Repeater(port, (name, value) => this.#setvar(ctx, name, value));
      await this.#repeater.start(ctx);
    } else {
      this.#file = port.startsWith("/") ? port : `${ctx.paths.confPath}/${port}`;
      // NUT stats the port as given, relative to STATEPATH (its cwd), at start.
      this.#mtime = mtimeSeconds(port.startsWith("/") ? port : `${ctx.paths.statePath}/${port}`) ??
        0;
      for (const v of DUMMY_VARS) {
        if (v.initial === undefined) continue;
        ctx.state.setInfo(v.name, v.initial);
        this.#applyFlags(ctx, v.name, v.flags, v.len);
      }
      await this.#parse(ctx);
      ctx.dataOk();
    }
    ctx.state.addCmd("load.off");
  }

  async update(ctx: DriverContext): Promise<void> {
    ctx.log.debug(1, "upsdrv_updateinfo...");
    await ctx.clock.sleep(1000, ctx.signal);
    switch (this.#mode) {
      case "dummy":
      case "dummy-loop":
        await this.#parse(ctx);
        ctx.dataOk();
        return;
      case "dummy-once":
        if (this.#open === undefined && this.#nextUpdate === -1) {
          const m = mtimeSeconds(this.#file);
          if (m === undefined) {
            ctx.log.debug(2, `Can't open ${this.#file} currently`);
            this.#mtime = 0;
            this.#nextUpdate = 1;
          } else if (m !== this.#mtime) {
            ctx.log.debug(
              2,
              "upsdrv_updateinfo: input file was already read once to the end, but changed later - re-reading",
            );
            this.#nextUpdate = 1;
            this.#mtime = m;
          }
        }
        if (this.#open === undefined && this.#nextUpdate === -1) {
          ctx.log.debug(2, "upsdrv_updateinfo: NO-OP: input file was already read once to the end");
        } else {
          await this.#parse(ctx);
        }
        ctx.dataOk();
        return;
      case "repeater":
        if (await this.#repeater!.update(ctx)) ctx.dataOk();
        return;
    }
  }

  /** NUT's `parse_data_file()`: read on from the cursor until EOF or a TIMER. */
  async #parse(ctx: DriverContext): Promise<void> {
    const now = Math.floor(ctx.clock.now() / 1000);
    ctx.log.debug(1, "entering parse_data_file()");
    if (now < this.#nextUpdate) {
      ctx.log.debug(1, "leaving (paused)...");
      return;
    }
    if (this.#open === undefined) {
      let text: string;
      try {
        text = new TextDecoder("latin1").decode(await Deno.readFile(this.#file));
      } catch (e) {
        if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied) {
          const why = e instanceof Deno.errors.NotFound
            ? "No such file or directory"
            : "Permission denied";
          throw new DriverFatal(
            `Can't open dummy-ups definition file ${this.#file}: Can't open ${this.#file}: ${why}`,
          );
        }
        throw e;
      }
      const lines = dataLines(text, (m) => ctx.stderr?.(`${m}\n`));
      this.#open = { lines, pos: 0 };
    }
    this.#nextUpdate = -1;
    const f = this.#open;
    while (f.pos < f.lines.length) {
      const words = f.lines[f.pos++]!.words;
      const action = interpretLine(words, this.#lastValue);
      if (action.kind === "timer") {
        this.#nextUpdate = Math.floor(ctx.clock.now() / 1000) + action.seconds;
        ctx.log.debug(1, `suspending execution for ${action.seconds} seconds...`);
        break;
      }
      if (action.kind === "skip") {
        ctx.log.debug(2, `parse_data_file: skipping ${action.name}`);
      } else if (action.kind === "status") {
        this.#commitStatus(ctx, action.tokens);
      } else {
        this.#lastValue = action.value;
        this.#setvar(ctx, action.name, action.value);
      }
    }
    if (this.#nextUpdate === -1) this.#open = undefined;
  }

  /** NUT's `status_init/status_set/status_commit` (with `ignorelb`). */
  #commitStatus(ctx: DriverContext, tokens: readonly string[]): void {
    const ignorelb = ctx.state.has("driver.flag.ignorelb");
    const list = tokens.filter((t) => !(ignorelb && t.toUpperCase() === "LB"));
    if (ignorelb) {
      const below = (v: string, l: string) => {
        const a = ctx.state.getValue(v);
        const b = ctx.state.getValue(l);
        return a !== undefined && b !== undefined &&
          Number.parseInt(a, 10) < Number.parseInt(b, 10);
      };
      if (
        below("battery.charge", "battery.charge.low") ||
        below("battery.runtime", "battery.runtime.low")
      ) {
        list.push("LB");
      }
    }
    ctx.state.setInfo("ups.status", list.join(" "));
  }

  #applyFlags(ctx: DriverContext, name: string, flags: readonly string[], len: number): void {
    if (ctx.state.get(name)?.immutable) {
      ctx.log.warn(`dstate_setflags: base variable (${name}) is immutable`);
    } else {
      ctx.state.setFlags(name, flags);
    }
    if (flags.includes("STRING")) ctx.state.setAux(name, len);
  }

  /** NUT's dummy `setvar()` (data file lines, SET requests, repeated values). */
  #setvar(ctx: DriverContext, name: string, value: string): TrackingResult {
    ctx.log.debug(2, `entering setvar(${name}, ${value})`);
    if (name.startsWith("ups.status")) {
      this.#commitStatus(ctx, [value]);
      return TRACKING_RESULT.handled;
    }
    if (value === "") {
      ctx.state.delInfo(name);
      return TRACKING_RESULT.handled;
    }
    ctx.state.setInfo(name, value);
    const known = findDummyVar(name);
    if (known) this.#applyFlags(ctx, known.name, known.flags, known.len);
    else this.#applyFlags(ctx, name, UNKNOWN_VAR.flags, UNKNOWN_VAR.len);
    return TRACKING_RESULT.handled;
  }

  setvar(ctx: DriverContext, name: string, value: string): Promise<TrackingResult> {
    if (this.#mode === "repeater") return Promise.resolve(TRACKING_RESULT.handled);
    return Promise.resolve(this.#setvar(ctx, name, value));
  }

  instcmd(ctx: DriverContext, cmd: string, param?: string): Promise<TrackingResult> {
    ctx.log.info(`instcmd: unknown command [${cmd}] [${param ?? "(null)"}]`);
    return Promise.resolve(TRACKING_RESULT.unknown);
  }

  shutdown(): Promise<void> {
    return Promise.reject(new DriverFatal("shutdown not supported"));
  }

  async close(): Promise<void> {
    await this.#repeater?.close();
  }
}

function mtimeSeconds(path: string): number | undefined {
  try {
    const m = Deno.statSync(path).mtime;
    return m ? Math.floor(m.getTime() / 1000) : 0;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied) {
      return undefined;
    }
    throw e;
  }
}

/** The dummy-ups driver module. */
export const dummyUps: DriverModule = {
  info: {
    name: "dummy-ups",
    description: "Device simulation and repeater driver",
    version: "0.15",
    vars: [{
      kind: "value",
      name: "mode",
      desc:
        "Specify mode instead of guessing it from port value (dummy = dummy-loop, dummy-once, repeater)",
    }],
  },
  create: () => new DummyUps(),
};
