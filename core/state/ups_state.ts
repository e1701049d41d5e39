/**
 * The per-UPS variable tree, as NUT's `common/state.c` keeps it: variables
 * with value, flags, aux, enum and range lists, immutable (`override.*`)
 * variables, and the instant-command list. The driver framework owns one as
 * the source of truth; upsd keeps one per driver as a mirror fed by
 * {@linkcode UpsState.apply}.
 *
 * Names compare case-insensitively (`strcasecmp`, ASCII), listings come out
 * in that order, and every effective change is reported to listeners as the
 * driver-link message that announces it (what a driver broadcasts).
 *
 * @module
 */

import type { DriverMessage, VarFlag } from "../protocol/driver_link.ts";
import { asciiLower as lower, strcasecmp } from "./strcasecmp.ts";
import { blockOf } from "./dump.ts";

export { strcasecmp };

/** A `[min, max]` range of an `ADDRANGE` list. */
export interface VarRange {
  readonly min: number;
  readonly max: number;
}

/** A read-only view of one variable. */
export interface VarEntry {
  /** Name as first set (case preserved). */
  readonly name: string;
  /** Raw (unescaped) value. */
  readonly value: string;
  /** Flags in NUT's order (`RW`, `STRING`, `NUMBER`). */
  readonly flags: readonly VarFlag[];
  /** Aux value (max length of a STRING variable), 0 when none. */
  readonly aux: number;
  /** Allowed values, in `ADDENUM` order. */
  readonly enums: readonly string[];
  /** Allowed ranges, in `ADDRANGE` order. */
  readonly ranges: readonly VarRange[];
  /** Set by `override.*`: value changes, deletion and flag changes are ignored. */
  readonly immutable: boolean;
}

interface Node {
  name: string;
  value: string;
  rw: boolean;
  string: boolean;
  number: boolean;
  aux: number;
  enums: string[];
  ranges: VarRange[];
  immutable: boolean;
}

/** Receives every effective change as its driver-link message. */
export type StateListener = (msg: DriverMessage) => void;

function flagsOf(n: Node): VarFlag[] {
  const f: VarFlag[] = [];
  if (n.rw) f.push("RW");
  if (n.string) f.push("STRING");
  if (n.number) f.push("NUMBER");
  return f;
}

function view(n: Node): VarEntry {
  return {
    name: n.name,
    value: n.value,
    flags: flagsOf(n),
    aux: n.aux,
    enums: [...n.enums],
    ranges: [...n.ranges],
    immutable: n.immutable,
  };
}

/**
 * One UPS's variables and commands.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UpsState } from "./ups_state.ts";
 * const s = new UpsState();
 * s.setInfo("ups.status", "OL");
 * s.setFlags("ups.status", ["RW", "STRING"]);
 * s.setAux("ups.status", 32);
 * s.addCmd("load.off");
 * assert.deepEqual(s.dumpMessages().map((m) => m.kind), [
 *   "setinfo", "setaux", "setflags", "addcmd", "dataok", "dumpdone",
 * ]);
 * ```
 */
export class UpsState {
  readonly #vars = new Map<string, Node>();
  #cmds: string[] = [];
  #stale = false;
  readonly #listeners = new Set<StateListener>();

  /**
   * Subscribes to changes.
   * @param listener called with each effective change
   * @returns a function that unsubscribes
   */
  subscribe(listener: StateListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(msg: DriverMessage): void {
    for (const l of [...this.#listeners]) l(msg);
  }

  #find(name: string): Node | undefined {
    return this.#vars.get(lower(name));
  }

  /** Whether the data is marked stale (`DATASTALE`). */
  get stale(): boolean {
    return this.#stale;
  }

  /**
   * Marks the data stale or fresh; emits `DATASTALE`/`DATAOK` on transitions only.
   * @param stale the new staleness
   * @returns whether it changed
   */
  setStale(stale: boolean): boolean {
    if (this.#stale === stale) return false;
    this.#stale = stale;
    this.#emit({ kind: stale ? "datastale" : "dataok" });
    return true;
  }

  /**
   * Creates or updates a variable (NUT `state_setinfo`). An update to a value
   * equal case-insensitively, or to an immutable variable, is a no-op.
   * @param name variable name
   * @param value raw value
   * @returns whether anything changed
   */
  setInfo(name: string, value: string): boolean {
    const n = this.#find(name);
    if (n) {
      if (strcasecmp(n.value, value) === 0 || n.immutable) return false;
      n.value = value;
      this.#emit({ kind: "setinfo", name: n.name, value });
      return true;
    }
    this.#vars.set(lower(name), {
      name,
      value,
      rw: false,
      string: false,
      number: false,
      aux: 0,
      enums: [],
      ranges: [],
      immutable: false,
    });
    this.#emit({ kind: "setinfo", name, value });
    return true;
  }

  /**
   * Deletes a variable (immutable ones survive).
   * @param name variable name
   * @returns whether it was deleted
   */
  delInfo(name: string): boolean {
    const n = this.#find(name);
    if (!n || n.immutable) return false;
    this.#vars.delete(lower(name));
    this.#emit({ kind: "delinfo", name: n.name });
    return true;
  }

  /**
   * Appends an allowed value (exact duplicates ignored; the variable must exist).
   * @param name variable name
   * @param value allowed value
   * @returns whether it was added
   */
  addEnum(name: string, value: string): boolean {
    const n = this.#find(name);
    if (!n || n.enums.includes(value)) return false;
    n.enums.push(value);
    this.#emit({ kind: "addenum", name: n.name, value });
    return true;
  }

  /**
   * Removes an allowed value (compared case-insensitively, as NUT does).
   * @param name variable name
   * @param value allowed value
   * @returns whether it was removed
   */
  delEnum(name: string, value: string): boolean {
    const n = this.#find(name);
    if (!n) return false;
    const i = n.enums.findIndex((e) => strcasecmp(e, value) === 0);
    if (i < 0) return false;
    n.enums.splice(i, 1);
    this.#emit({ kind: "delenum", name: n.name, value });
    return true;
  }

  /**
   * Appends a range; rejected when min > max, or when an entry already has
   * the same min or the same max (NUT's duplicate rule).
   * @param name variable name
   * @param min lower bound
   * @param max upper bound
   * @returns whether it was added
   */
  addRange(name: string, min: number, max: number): boolean {
    if (min > max) return false;
    const n = this.#find(name);
    if (!n || n.ranges.some((r) => r.min === min || r.max === max)) return false;
    n.ranges.push({ min, max });
    this.#emit({ kind: "addrange", name: n.name, min, max });
    return true;
  }

  /**
   * Removes the first range whose min or max matches (NUT's rule).
   * @param name variable name
   * @param min lower bound
   * @param max upper bound
   * @returns whether one was removed
   */
  delRange(name: string, min: number, max: number): boolean {
    const n = this.#find(name);
    if (!n) return false;
    const i = n.ranges.findIndex((r) => r.min === min || r.max === max);
    if (i < 0) return false;
    n.ranges.splice(i, 1);
    this.#emit({ kind: "delrange", name: n.name, min, max });
    return true;
  }

  /**
   * Sets the aux value.
   * @param name variable name
   * @param aux the value (max length of a STRING)
   * @returns whether it changed
   */
  setAux(name: string, aux: number): boolean {
    const n = this.#find(name);
    if (!n || n.aux === aux) return false;
    n.aux = aux;
    this.#emit({ kind: "setaux", name: n.name, aux });
    return true;
  }

  /**
   * Replaces the flags. Words are matched case-insensitively; unknown words
   * are ignored. Immutable variables keep their flags (driver-side rule).
   * @param name variable name
   * @param flags flag words
   * @returns whether the flags changed
   */
  setFlags(name: string, flags: readonly string[]): boolean {
    const n = this.#find(name);
    if (!n || n.immutable) return false;
    const up = flags.map((f) => f.toUpperCase());
    const rw = up.includes("RW");
    const str = up.includes("STRING");
    const num = up.includes("NUMBER");
    if (n.rw === rw && n.string === str && n.number === num) return false;
    n.rw = rw;
    n.string = str;
    n.number = num;
    this.#emit({ kind: "setflags", name: n.name, flags: flagsOf(n) });
    return true;
  }

  /**
   * Marks a variable immutable (`override.*`): later value, flag and delete
   * requests are ignored. Not visible on the wire.
   * @param name variable name
   * @returns whether the variable exists
   */
  setImmutable(name: string): boolean {
    const n = this.#find(name);
    if (!n) return false;
    n.immutable = true;
    return true;
  }

  /**
   * Adds an instant command, kept in `strcasecmp` order (duplicates ignored).
   * @param name command name
   * @returns whether it was added
   */
  addCmd(name: string): boolean {
    let i = 0;
    for (; i < this.#cmds.length; i++) {
      const c = strcasecmp(this.#cmds[i]!, name);
      if (c === 0) return false;
      if (c > 0) break;
    }
    this.#cmds.splice(i, 0, name);
    this.#emit({ kind: "addcmd", name });
    return true;
  }

  /**
   * Removes an instant command.
   * @param name command name (case-insensitive)
   * @returns whether it was removed
   */
  delCmd(name: string): boolean {
    const i = this.#cmds.findIndex((c) => strcasecmp(c, name) === 0);
    if (i < 0) return false;
    const [old] = this.#cmds.splice(i, 1);
    this.#emit({ kind: "delcmd", name: old! });
    return true;
  }

  /**
   * Applies a driver → server message to this mirror (upsd's `parse_args`).
   * Tree messages change the tree; `DATAOK`/`DATASTALE` set {@linkcode stale};
   * `DUMPDONE`, `PONG`, `TRACKING`, `PID` and `OK Goodbye` change nothing here.
   * @param msg the message
   * @returns whether the state changed
   */
  apply(msg: DriverMessage): boolean {
    switch (msg.kind) {
      case "setinfo":
        return this.setInfo(msg.name, msg.value);
      case "delinfo":
        return this.delInfo(msg.name);
      case "addenum":
        return this.addEnum(msg.name, msg.value);
      case "delenum":
        return this.delEnum(msg.name, msg.value);
      case "addrange":
        return this.addRange(msg.name, msg.min, msg.max);
      case "delrange":
        return this.delRange(msg.name, msg.min, msg.max);
      case "setaux":
        return this.setAux(msg.name, msg.aux);
      case "setflags":
        // upsd ignores SETFLAGS without flag words (it needs three words)
        return msg.flags.length > 0 && this.#setFlagsMirror(msg.name, msg.flags);
      case "addcmd":
        return this.addCmd(msg.name);
      case "delcmd":
        return this.delCmd(msg.name);
      case "dataok":
        return this.setStale(false);
      case "datastale":
        return this.setStale(true);
      default:
        return false;
    }
  }

  #setFlagsMirror(name: string, flags: readonly string[]): boolean {
    const n = this.#find(name);
    if (!n) return false;
    const imm = n.immutable;
    n.immutable = false;
    try {
      return this.setFlags(name, flags);
    } finally {
      n.immutable = imm;
    }
  }

  /**
   * Looks a variable up (case-insensitively).
   * @param name variable name
   * @returns a snapshot of the variable, or undefined
   */
  get(name: string): VarEntry | undefined {
    const n = this.#find(name);
    return n ? view(n) : undefined;
  }

  /**
   * The value of a variable.
   * @param name variable name
   * @returns the raw value, or undefined
   */
  getValue(name: string): string | undefined {
    return this.#find(name)?.value;
  }

  /**
   * Whether a variable exists.
   * @param name variable name
   * @returns true when present
   */
  has(name: string): boolean {
    return this.#find(name) !== undefined;
  }

  /** Number of variables. */
  get size(): number {
    return this.#vars.size;
  }

  /**
   * All variables, sorted case-insensitively (NUT's tree order).
   * @returns snapshots of the variables
   */
  list(): VarEntry[] {
    return [...this.#vars.values()].sort((a, b) => strcasecmp(a.name, b.name)).map(view);
  }

  /**
   * Instant commands in `strcasecmp` order.
   * @returns command names
   */
  commands(): readonly string[] {
    return [...this.#cmds];
  }

  /**
   * Whether an instant command exists (case-insensitive).
   * @param name command name
   * @returns true when present
   */
  hasCmd(name: string): boolean {
    return this.#cmds.some((c) => strcasecmp(c, name) === 0);
  }

  /**
   * Removes everything (variables, commands) without notifying listeners;
   * staleness is reset to fresh. upsd does this when a driver disconnects.
   */
  clear(): void {
    this.#vars.clear();
    this.#cmds = [];
    this.#stale = false;
  }

  /**
   * The messages of one variable's dump block: `SETINFO`, `ADDENUM`s,
   * `ADDRANGE`s, `SETAUX` (aux ≠ 0), `SETFLAGS` (when any flag is set; a bare
   * `SETFLAGS <var>` for an immutable-only variable, as NUT sends it).
   * @param name variable name
   * @returns the messages (empty for an unknown variable)
   */
  varMessages(name: string): DriverMessage[] {
    const n = this.#find(name);
    return n ? blockOf(view(n)) : [];
  }

  /**
   * The full reply to `DUMPALL`, in NUT's order: `DATASTALE` (if stale),
   * every variable block in case-insensitive name order, `ADDCMD`s,
   * `DATAOK` (if not stale), `DUMPDONE`.
   * @returns the messages
   */
  dumpMessages(): DriverMessage[] {
    const out: DriverMessage[] = [];
    if (this.#stale) out.push({ kind: "datastale" });
    const nodes = [...this.#vars.values()].sort((a, b) => strcasecmp(a.name, b.name));
    for (const n of nodes) out.push(...blockOf(view(n)));
    for (const name of this.#cmds) out.push({ kind: "addcmd", name });
    if (!this.#stale) out.push({ kind: "dataok" });
    out.push({ kind: "dumpdone" });
    return out;
  }

  /**
   * The reply to `DUMPVALUE <var>` (≥2.8.3): staleness marker, the variable
   * block, `DATAOK` when fresh, `DUMPDONE`.
   * @param name variable name
   * @returns the messages
   */
  dumpValueMessages(name: string): DriverMessage[] {
    const out: DriverMessage[] = [];
    if (this.#stale) out.push({ kind: "datastale" });
    out.push(...this.varMessages(name));
    if (!this.#stale) out.push({ kind: "dataok" });
    out.push({ kind: "dumpdone" });
    return out;
  }
}
